"""The claims explorer: the whole ledger as one escaped HTML table, with offline filters in a few
lines of vanilla JavaScript; no table library, no CDN, nothing fetched when the page opens."""

from __future__ import annotations

from html import escape

import pandas as pd

from brainbone import layout
from brainbone.appraisal import context as ctx
from brainbone.appraisal.badges import claim_badges
from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.loader import Ledger

EXPLORER_ID = "bb-explorer"
# The page the explorer is on: links to each claim's passage are relative to it.
EXPLORER_DOCNAME = layout.EXPLORER_DOCNAME
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

# The example in the search box: its words appear in no single column, but together in several rows.
SEARCH_EXAMPLE = "depression mice"
# (column heading, class); on a phone each row becomes a card (brainbone.css repeats the headings there).
COLUMNS = (
    ("Claim", "bb-explorer-col-claim"),
    ("Excerpt (verbatim)", "bb-explorer-col-excerpt"),
    ("Appraisal and why", ""),
)
# The explorer's styles live in sphinxext/static/brainbone.css, with the book's (both themes, phones, print).

SCRIPT = f"""(function () {{
  var root = document.getElementById("{EXPLORER_ID}");
  if (!root || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "1");
  var rows = Array.prototype.slice.call(root.querySelectorAll("tbody tr"));
  var texts = rows.map(function (row) {{ return row.textContent.toLowerCase(); }});
  var selects = Array.prototype.slice.call(root.querySelectorAll("select[data-filter]"));
  var search = root.querySelector("input[type=search]");
  var status = root.querySelector(".bb-explorer-status");
  // A row's values for one filter (a row may have several, space-separated, e.g. its context verdicts).
  function values(row, s) {{ return (row.getAttribute("data-" + s.getAttribute("data-filter")) || "").split(" "); }}
  // A row passes a filter when the filter is unset or the row has its value; `except` skips one filter.
  function passes(row, i, words, except) {{
    return selects.every(function (s) {{
      return s === except || !s.value || values(row, s).indexOf(s.value) >= 0;
    }}) && words.every(function (w) {{ return texts[i].indexOf(w) >= 0; }});
  }}
  function apply() {{
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    rows.forEach(function (row, i) {{
      var keep = passes(row, i, words, null);
      row.hidden = !keep;
      if (keep) shown += 1;
    }});
    // Each option counts the rows it would show, given every other filter and the search.
    selects.forEach(function (s) {{
      var counts = {{}};
      rows.forEach(function (row, i) {{
        if (passes(row, i, words, s)) values(row, s).forEach(function (v) {{ counts[v] = (counts[v] || 0) + 1; }});
      }});
      Array.prototype.forEach.call(s.options, function (option) {{
        if (option.value) option.textContent = option.getAttribute("data-label") + " (" + (counts[option.value] || 0) + ")";
      }});
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
  // A link can open the explorer filtered: explorer.html?topic=exercise&seed=nativepath&q=mice
  var params = new URLSearchParams(window.location.search);
  selects.forEach(function (s) {{
    var wanted = params.get(s.getAttribute("data-filter"));
    if (wanted !== null) s.value = wanted;
  }});
  if (params.get("q")) search.value = params.get("q");
  root.querySelector(".bb-explorer-controls").hidden = false;
  apply();
}})();"""


def _options(values: list[tuple[str, str, int]], any_label: str) -> str:
    options = [f'<option value="">{escape(any_label)}</option>']
    options += [
        f'<option value="{escape(value)}" data-label="{escape(label)}">{escape(label)} ({count})</option>'
        for value, label, count in values
    ]
    return "".join(options)


def _verdicts(context: ctx.Context | None) -> dict[str, list[tuple[str, str, str]]]:
    """Each linked claim's (question, verdict, reason) list."""
    if context is None:
        return {}
    verdicts: dict[str, list[tuple[str, str, str]]] = {}
    for row in context.links.itertuples():
        verdicts.setdefault(row.claim_id, []).append((row.question, row.verdict, row.verdict_reason))
    return verdicts


def filter_options(ledger: Ledger, context: ctx.Context | None = None) -> dict[str, list[tuple[str, str, int]]]:
    """For each filter, its (value, label, number of claims) options: every topic and every seed in
    the ledger's order, every vocabulary value. In the page, the counts follow the other filters."""
    claims = ledger.claims
    verdicts = _verdicts(context)
    with_verdict = {v: sum(1 for links in verdicts.values() if any(x[1] == v for x in links)) for v in ctx.VERDICTS}
    unlinked = int((~claims.claim_id.isin(list(verdicts))).sum())

    def counted(column: str, values, labels) -> list[tuple[str, str, int]]:
        counts = claims[column].value_counts()
        return [(str(v), str(label), int(counts.get(v, 0))) for v, label in zip(values, labels, strict=True)]

    topics = ledger.topics
    sources = ledger.sources
    commercial = claims.commercial_context.map({True: "yes", False: "no"}).value_counts()
    vocabulary = ledger.vocabulary

    def field(column: str, name: str) -> list[tuple[str, str, int]]:
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
        "commercial": [(v, v, int(commercial.get(v, 0))) for v in ("yes", "no")],
        "context": [(v, ctx.VERDICT_LABELS[v], with_verdict[v]) for v in ctx.VERDICTS]
        + [(NOT_LINKED, "no linked question", unlinked)],
    }


def _badges(claim: pd.Series, vocabulary: vocab.Vocabulary) -> str:
    """The claim's badges, as the book's quotes show them (brainbone.appraisal.badges), as escaped HTML."""
    return "".join(
        f'<span class="{escape(" ".join(badge.classes))}">{escape(badge.text)}</span>'
        for badge in claim_badges(claim, vocabulary)
    )


def _row(
    claim: pd.Series,
    topic_label: str,
    seed_href: str,
    vocabulary: vocab.Vocabulary,
    verdicts: list[tuple[str, str, str]] = (),
) -> str:
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
    return (
        f'<tr id="{EXPLORER_ID}-{escape(claim.claim_id)}" {attributes}>'
        f'<td><a href="{escape(href)}">{escape(claim.claim_id)}</a>'
        f"<small>{escape(claim.outlet)}</small>"
        f"<small>{escape(topic_label)} · {escape(vocabulary.label(claim.section, 'section'))}</small>"
        f"<small>primary source: {escape(source)}</small></td>"
        f'<td class="bb-explorer-excerpt">{escape(claim.excerpt)}</td>'
        f"<td>{_badges(claim, vocabulary)}"
        f"<small>{escape(claim.appraisal_note)}</small>"
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
        f'placeholder="words in any order, e.g. {escape(SEARCH_EXAMPLE)}"></label>'
        '<button type="button" class="bb-explorer-clear">Clear all filters</button>'
    )
    rows = "".join(
        _row(
            claim,
            str(labels.get(claim.topic, claim.topic)),
            seed_href,
            ledger.vocabulary,
            verdicts.get(claim.claim_id, []),
        )
        for _, claim in claims.iterrows()
    )
    total = len(claims)
    headings = "".join(
        f'<th scope="col" class="{css}">{heading}</th>' if css else f'<th scope="col">{heading}</th>'
        for heading, css in COLUMNS
    )
    return (
        f'<div id="{EXPLORER_ID}" class="bb-explorer">'
        f'<div class="bb-explorer-controls" role="search" aria-label="Filter the claims" hidden>{controls}</div>'
        f'<p class="bb-explorer-status" role="status" aria-live="polite">All {total} claims.</p>'
        f'<div class="bb-explorer-scroll" tabindex="0" role="region" aria-label="Claims table, scrollable">'
        f'<table class="bb-explorer-table" id="{EXPLORER_ID}-table">'
        f"<caption>Every claim in the ledger, seed by seed in reading order; each claim link opens its passage on the seed page.</caption>"
        f"<thead><tr>{headings}</tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
        f"<script>{SCRIPT}</script></div>"
    )


def explorer(ledger: Ledger, *, seed_href: str = SEED_HREF, context: ctx.Context | None = None):
    """The explorer as an IPython HTML object, for a chapter's output cell."""
    from IPython.display import HTML  # only in a kernel; explorer_html itself needs no IPython

    return HTML(explorer_html(ledger, seed_href=seed_href, context=context))
