"""The claims explorer: the whole ledger as one escaped HTML table, with offline filters in a few
lines of vanilla JavaScript; no table library, no CDN, nothing fetched when the page opens."""

from __future__ import annotations

from html import escape

import pandas as pd

from brainbone import context as ctx
from brainbone import layout
from brainbone import vocabulary as vocab
from brainbone.ledger import Ledger

EXPLORER_ID = "bb-explorer"
# The page the explorer is on: links to each claim's passage are relative to it.
EXPLORER_DOCNAME = f"{layout.CHAPTERS_DIR}/explorer"
# From the explorer to the claim's highlighted passage on its generated seed page.
SEED_HREF = layout.claim_href("{seed_id}", "{claim_id}", from_docname=EXPLORER_DOCNAME)

# (data attribute on each row, control label, "any" wording) for every select filter, in order.
FILTERS = (
    ("section", "Section", "All sections"),
    ("topic", "Topic", "All topics"),
    ("seed", "Seed page", "All seeds"),
    ("speaker", "Speaker", "All speakers"),
    ("evidence", "Evidence given", "All evidence"),
    ("appraisal", "Appraisal", "All grades"),
    ("commercial", vocab.COMMERCIAL_LABEL.capitalize(), "Either"),
    ("context", "Wider research", "Any verdict"),
)
NOT_LINKED = "not_linked"

# Scoped to the explorer; the book's badge colours come from brainbone.css.
STYLE = f"""#{EXPLORER_ID} .bb-explorer-controls{{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem .8rem;margin:.5rem 0 .8rem;font-size:.85rem}}
#{EXPLORER_ID} .bb-explorer-controls[hidden]{{display:none}}
#{EXPLORER_ID} label{{display:flex;flex-direction:column;gap:.15rem;font-weight:600}}
#{EXPLORER_ID} select,#{EXPLORER_ID} input{{font:inherit;font-weight:400;padding:.15rem .3rem;max-width:100%}}
#{EXPLORER_ID} .bb-explorer-search{{grid-column:1/-1}}
@media (min-width:48rem){{#{EXPLORER_ID} .bb-explorer-search{{grid-column:span 2}}}}
#{EXPLORER_ID} .bb-explorer-clear{{align-self:end;font:inherit;padding:.2rem .5rem}}
#{EXPLORER_ID} .bb-explorer-status{{font-size:.9rem;margin:.3rem 0}}
#{EXPLORER_ID} .bb-explorer-scroll{{max-height:75vh;overflow:auto;border:1px solid #ccc}}
#{EXPLORER_ID} table.bb-explorer-table{{display:table;width:100%;border-collapse:collapse;font-size:.82rem;margin:0}}
#{EXPLORER_ID} th{{position:sticky;top:0;background:var(--pst-color-surface,#eee);color:var(--pst-color-text-base,#1b1b1b);text-align:left;z-index:1}}
#{EXPLORER_ID} th,#{EXPLORER_ID} td{{padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}}
#{EXPLORER_ID} tr[hidden]{{display:none}}
#{EXPLORER_ID} .bb-explorer-col-claim{{width:26%}}
#{EXPLORER_ID} .bb-explorer-col-excerpt{{width:40%}}
#{EXPLORER_ID} td a{{overflow-wrap:anywhere}}
#{EXPLORER_ID} .bb-explorer-meta{{display:block;color:var(--pst-color-text-muted,#444);white-space:normal}}"""

SCRIPT = f"""(function () {{
  var root = document.getElementById("{EXPLORER_ID}");
  if (!root || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "1");
  var rows = Array.prototype.slice.call(root.querySelectorAll("tbody tr"));
  var texts = rows.map(function (row) {{ return row.textContent.toLowerCase(); }});
  var selects = Array.prototype.slice.call(root.querySelectorAll("select[data-filter]"));
  var search = root.querySelector("input[type=search]");
  var status = root.querySelector(".bb-explorer-status");
  function apply() {{
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    rows.forEach(function (row, i) {{
      var keep = selects.every(function (s) {{
        var values = " " + row.getAttribute("data-" + s.getAttribute("data-filter")) + " ";
        return !s.value || values.indexOf(" " + s.value + " ") >= 0;
      }}) && words.every(function (w) {{ return texts[i].indexOf(w) >= 0; }});
      row.hidden = !keep;
      if (keep) shown += 1;
    }});
    status.textContent = "Showing " + shown + " of " + rows.length + " claims.";
  }}
  selects.forEach(function (s) {{ s.addEventListener("change", apply); }});
  search.addEventListener("input", apply);
  root.querySelector(".bb-explorer-clear").addEventListener("click", function () {{
    selects.forEach(function (s) {{ s.value = ""; }});
    search.value = "";
    apply();
  }});
  root.querySelector(".bb-explorer-controls").hidden = false;
  apply();
}})();"""


def _options(values: list[tuple[str, str]], any_label: str) -> str:
    options = [f'<option value="">{escape(any_label)}</option>']
    options += [f'<option value="{escape(value)}">{escape(text)}</option>' for value, text in values]
    return "".join(options)


def _verdicts(context: ctx.Context | None) -> dict[str, list[tuple[str, str, str]]]:
    """Each linked claim's (question, verdict, reason) list."""
    if context is None:
        return {}
    verdicts: dict[str, list[tuple[str, str, str]]] = {}
    for row in context.links.itertuples():
        verdicts.setdefault(row.claim_id, []).append((row.question, row.verdict, row.verdict_reason))
    return verdicts


def filter_options(ledger: Ledger, context: ctx.Context | None = None) -> dict[str, list[tuple[str, str]]]:
    """For each filter, its (value, label) options: every topic and every seed in the ledger's
    order, every vocabulary value, each label followed by its number of claims."""
    claims = ledger.claims
    verdicts = _verdicts(context)
    with_verdict = {v: sum(1 for links in verdicts.values() if any(x[1] == v for x in links)) for v in ctx.VERDICTS}
    unlinked = int((~claims.claim_id.isin(list(verdicts))).sum())

    def counted(column: str, values, labels) -> list[tuple[str, str]]:
        counts = claims[column].value_counts()
        return [(str(v), f"{label} ({int(counts.get(v, 0))})") for v, label in zip(values, labels, strict=True)]

    topics = ledger.topics
    sources = ledger.sources
    commercial = claims.commercial_context.map({True: "yes", False: "no"}).value_counts()
    vocabulary = ledger.vocabulary

    def field(column: str, name: str) -> list[tuple[str, str]]:
        values = vocabulary.values(name)
        return counted(column, values, [vocabulary.label(v, name) for v in values])

    return {
        "section": field("section", "section"),
        "topic": counted("topic", list(topics.topic), list(topics.label)),
        "seed": counted(
            "seed_id",
            list(sources.seed_id),
            [f"{o} ({s})" for s, o in zip(sources.seed_id, sources.outlet, strict=True)],
        ),
        "speaker": field("speaker", "speaker"),
        "evidence": field("evidence_type", "evidence_type"),
        "appraisal": field("appraisal", "appraisal"),
        "commercial": [(v, f"{v} ({int(commercial.get(v, 0))})") for v in ("yes", "no")],
        "context": [(v, f"{ctx.VERDICT_LABELS[v]} ({with_verdict[v]})") for v in ctx.VERDICTS]
        + [(NOT_LINKED, f"no linked question ({unlinked})")],
    }


def _row(claim: pd.Series, topic_label: str, seed_href: str, verdicts: list[tuple[str, str, str]] = ()) -> str:
    commercial = "yes" if claim.commercial_context else "no"
    data = {
        "section": claim.section,
        "topic": claim.topic,
        "seed": claim.seed_id,
        "speaker": claim.speaker,
        "evidence": claim.evidence_type,
        "appraisal": claim.appraisal,
        "commercial": commercial,
        "context": " ".join(dict.fromkeys(v for _, v, _ in verdicts)) or NOT_LINKED,
    }
    attributes = " ".join(f'data-{key}="{escape(str(value))}"' for key, value in data.items())
    href = seed_href.format(seed_id=claim.seed_id, claim_id=claim.claim_id)
    source = (
        claim.primary_source if isinstance(claim.primary_source, str) and claim.primary_source else "not identified"
    )
    selling = f'<span class="bb-badge bb-commercial">{escape(vocab.COMMERCIAL_LABEL)}</span>' if claim.commercial_context else ""
    return (
        f'<tr id="{EXPLORER_ID}-{escape(claim.claim_id)}" {attributes}>'
        f'<td><a href="{escape(href)}">{escape(claim.claim_id)}</a>'
        f'<span class="bb-explorer-meta">{escape(claim.outlet)}</span>'
        f'<span class="bb-explorer-meta">{escape(topic_label)} · {escape(claim.section)}</span>'
        f'<span class="bb-explorer-meta">speaker: {escape(vocab.label(claim.speaker))}</span>'
        f'<span class="bb-explorer-meta">evidence: {escape(vocab.label(claim.evidence_type))}</span>'
        f'<span class="bb-explorer-meta">primary source: {escape(source)}</span>{selling}</td>'
        f'<td class="bb-explorer-excerpt">{escape(claim.excerpt)}</td>'
        f'<td><span class="bb-badge bb-appraisal bb-appraisal-{escape(claim.appraisal)}">{escape(vocab.label(claim.appraisal, "appraisal"))}</span>'
        f'<span class="bb-explorer-meta">{escape(claim.appraisal_note)}</span>'
        + "".join(
            f'<span class="bb-explorer-meta bb-context-verdict">Wider research ({escape(q)}): '
            f'<span class="bb-badge bb-verdict bb-verdict-{escape(v)}">{escape(ctx.VERDICT_LABELS[v])}</span> '
            f"{escape(reason)}</span>"
            for q, v, reason in verdicts
        )
        + "</td></tr>"
    )


def explorer_html(ledger: Ledger, *, seed_href: str = SEED_HREF, context: ctx.Context | None = None) -> str:
    """The explorer as one self-contained HTML fragment: filters (shown only when JavaScript runs),
    a live count, and every claim as an escaped table row with stable ids. With `context`, each
    row also shows what the checked wider research says about it, and a filter selects by verdict."""
    claims = ledger.claims
    labels = ledger.topics.set_index("topic")["label"]
    options = filter_options(ledger, context)
    verdicts = _verdicts(context)
    controls = "".join(
        f'<label>{escape(label)}<select data-filter="{key}" id="{EXPLORER_ID}-{key}">'
        f"{_options(options[key], any_label)}</select></label>"
        for key, label, any_label in FILTERS
    )
    controls += (
        f'<label class="bb-explorer-search">Search the text<input type="search" id="{EXPLORER_ID}-search" '
        'placeholder="words in any column, e.g. mice osteocalcin"></label>'
        '<button type="button" class="bb-explorer-clear">Clear all filters</button>'
    )
    rows = "".join(
        _row(claim, str(labels.get(claim.topic, claim.topic)), seed_href, verdicts.get(claim.claim_id, []))
        for _, claim in claims.iterrows()
    )
    total = len(claims)
    return (
        f'<div id="{EXPLORER_ID}" class="bb-explorer"><style>{STYLE}</style>'
        f'<div class="bb-explorer-controls" role="search" aria-label="Filter the claims" hidden>{controls}</div>'
        f'<p class="bb-explorer-status" role="status" aria-live="polite">All {total} claims.</p>'
        f'<div class="bb-explorer-scroll" tabindex="0" role="region" aria-label="Claims table, scrollable">'
        f'<table class="bb-explorer-table" id="{EXPLORER_ID}-table">'
        f"<caption>Every claim in the ledger, seed by seed in reading order; each claim link opens its passage on the seed page.</caption>"
        '<thead><tr><th scope="col" class="bb-explorer-col-claim">Claim</th>'
        '<th scope="col" class="bb-explorer-col-excerpt">Excerpt (verbatim)</th>'
        '<th scope="col">Appraisal and why</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
        f"<script>{SCRIPT}</script></div>"
    )


def explorer(ledger: Ledger, *, seed_href: str = SEED_HREF, context: ctx.Context | None = None):
    """The explorer as an IPython HTML object, for a chapter's output cell."""
    from IPython.display import HTML  # only in a kernel; explorer_html itself needs no IPython

    return HTML(explorer_html(ledger, seed_href=seed_href, context=context))
