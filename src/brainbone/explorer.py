"""The claims explorer: the whole ledger as one escaped HTML table, with offline filters in a few
lines of vanilla JavaScript; no table library, no CDN, nothing fetched when the page opens."""

from __future__ import annotations

from html import escape

import pandas as pd

from brainbone import vocabulary as vocab
from brainbone.ledger import Ledger

EXPLORER_ID = "bb-explorer"
# From chapters/explorer.html to the claim's highlighted passage on its generated seed page.
SEED_HREF = "seeds/{seed_id}.html#claim-{claim_id}"

# (data attribute on each row, control label, "any" wording) for every select filter, in order.
FILTERS = (
    ("section", "Section", "All sections"),
    ("topic", "Topic", "All topics"),
    ("seed", "Seed page", "All seeds"),
    ("speaker", "Speaker", "All speakers"),
    ("evidence", "Evidence given", "All evidence"),
    ("appraisal", "Appraisal", "All grades"),
    ("commercial", "Sells a product", "Either"),
)

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
  // A row passes a filter when the filter is unset or the row has its value; `except` skips one filter.
  function passes(row, i, words, except) {{
    return selects.every(function (s) {{
      return s === except || !s.value || row.getAttribute("data-" + s.getAttribute("data-filter")) === s.value;
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
      var key = "data-" + s.getAttribute("data-filter"), counts = {{}};
      rows.forEach(function (row, i) {{
        if (passes(row, i, words, s)) counts[row.getAttribute(key)] = (counts[row.getAttribute(key)] || 0) + 1;
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


def filter_options(ledger: Ledger) -> dict[str, list[tuple[str, str, int]]]:
    """For each filter, its (value, label, number of claims) options: every topic and every seed in
    the ledger's order, every vocabulary value. In the page, the counts follow the other filters."""
    claims = ledger.claims

    def counted(column: str, values, labels) -> list[tuple[str, str, int]]:
        counts = claims[column].value_counts()
        return [(str(v), str(label), int(counts.get(v, 0))) for v, label in zip(values, labels, strict=True)]

    topics = ledger.topics
    sources = ledger.sources
    commercial = claims.commercial_context.map({True: "yes", False: "no"}).value_counts()
    return {
        "section": counted("section", vocab.SECTIONS, vocab.SECTIONS),
        "topic": counted("topic", list(topics.topic), list(topics.label)),
        "seed": counted(
            "seed_id",
            list(sources.seed_id),
            [f"{o} ({s})" for s, o in zip(sources.seed_id, sources.outlet, strict=True)],
        ),
        "speaker": counted("speaker", vocab.SPEAKERS, [vocab.label(v) for v in vocab.SPEAKERS]),
        "evidence": counted("evidence_type", vocab.EVIDENCE_TYPES, [vocab.label(v) for v in vocab.EVIDENCE_TYPES]),
        "appraisal": counted("appraisal", vocab.APPRAISALS, vocab.APPRAISALS),
        "commercial": [(v, v, int(commercial.get(v, 0))) for v in ("yes", "no")],
    }


def _row(claim: pd.Series, topic_label: str, seed_href: str) -> str:
    commercial = "yes" if claim.commercial_context else "no"
    data = {
        "section": claim.section,
        "topic": claim.topic,
        "seed": claim.seed_id,
        "speaker": claim.speaker,
        "evidence": claim.evidence_type,
        "appraisal": claim.appraisal,
        "commercial": commercial,
    }
    attributes = " ".join(f'data-{key}="{escape(str(value))}"' for key, value in data.items())
    href = seed_href.format(seed_id=claim.seed_id, claim_id=claim.claim_id)
    source = (
        claim.primary_source if isinstance(claim.primary_source, str) and claim.primary_source else "not identified"
    )
    selling = '<span class="bb-badge bb-commercial">sells a product</span>' if claim.commercial_context else ""
    return (
        f'<tr id="{EXPLORER_ID}-{escape(claim.claim_id)}" {attributes}>'
        f'<td><a href="{escape(href)}">{escape(claim.claim_id)}</a>'
        f'<span class="bb-explorer-meta">{escape(claim.outlet)}</span>'
        f'<span class="bb-explorer-meta">{escape(topic_label)} · {escape(claim.section)}</span>'
        f'<span class="bb-explorer-meta">speaker: {escape(vocab.label(claim.speaker))}</span>'
        f'<span class="bb-explorer-meta">evidence: {escape(vocab.label(claim.evidence_type))}</span>'
        f'<span class="bb-explorer-meta">primary source: {escape(source)}</span>{selling}</td>'
        f'<td class="bb-explorer-excerpt">{escape(claim.excerpt)}</td>'
        f'<td><span class="bb-badge bb-appraisal bb-appraisal-{escape(claim.appraisal)}">{escape(claim.appraisal)}</span>'
        f'<span class="bb-explorer-meta">{escape(claim.appraisal_note)}</span></td>'
        "</tr>"
    )


def explorer_html(ledger: Ledger, *, seed_href: str = SEED_HREF) -> str:
    """The explorer as one self-contained HTML fragment: filters (shown only when JavaScript runs),
    a live count, and every claim as an escaped table row with stable ids."""
    claims = ledger.claims
    labels = ledger.topics.set_index("topic")["label"]
    options = filter_options(ledger)
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
    rows = "".join(_row(claim, str(labels.get(claim.topic, claim.topic)), seed_href) for _, claim in claims.iterrows())
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


def explorer(ledger: Ledger, *, seed_href: str = SEED_HREF):
    """The explorer as an IPython HTML object, for a chapter's output cell."""
    from IPython.display import HTML  # only in a kernel; explorer_html itself needs no IPython

    return HTML(explorer_html(ledger, seed_href=seed_href))
