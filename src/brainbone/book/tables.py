"""Tables of the ledger for the chapters: counts, breakdowns and readable, escaped claim lists."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import pandas as pd
from pandas.io.formats.style import Styler

from brainbone import layout
from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.cache import load_cached
from brainbone.ledger.loader import Ledger

READABLE_COLUMNS = {
    "claim_id": "Claim",
    "seed_id": "Seed",
    "outlet": "Outlet",
    "excerpt": "Excerpt (verbatim)",
    "section": "Section",
    "topic": "Topic",
    "direction": "Direction",
    "outcome": "Outcome",
    "claimed_effect": "Claimed effect",
    "speaker": "Speaker",
    "evidence_type": "Evidence the page gives",
    "primary_source": "Primary source",
    "commercial_context": vocab.COMMERCIAL_LABEL.capitalize(),
    "appraisal": "Appraisal",
    "appraisal_note": "Why",
    "verified": "Verified",
    "start": "Offset",
}
VOCABULARY_COLUMNS = ("section", "direction", "outcome", "claimed_effect", "speaker", "evidence_type")


def ledger() -> Ledger:
    """The book's ledger, found from the working directory, validated once per content (from
    `brainbone.ledger.cache` when nothing it is read from changed); raises if anything is wrong with it."""
    return load_cached().require_valid()


def per_seed(ledger: Ledger) -> pd.DataFrame:
    """One row per seed: what it is, how many claims it contributes, and how many are verified."""
    claims = ledger.claims
    counts = claims.groupby("seed_id").agg(claims=("claim_id", "size"), verified=("verified", "sum"))
    table = ledger.sources[["seed_id", "outlet", "kind"]].join(counts, on="seed_id").fillna(0)
    table["claims"] = table["claims"].astype(int)
    table["verified"] = table["verified"].astype(int)
    table["verified_share"] = (table["verified"] / table["claims"].where(table["claims"] > 0)).fillna(0.0)
    return table.reset_index(drop=True)


def breakdown(ledger: Ledger, column: str, by: str = "seed_id") -> pd.DataFrame:
    """Counts of claims by `by` (rows) and `column` (columns), every vocabulary value shown."""
    vocabulary = ledger.vocabulary
    field = vocab.field_of(column)
    table = pd.crosstab(ledger.claims[by], ledger.claims[column])
    if field in vocabulary.fields:
        table = table.reindex(columns=list(vocabulary.values(field)), fill_value=0)
    if by == "seed_id":
        table = table.reindex(list(ledger.sources.seed_id), fill_value=0)
    table.columns = [vocabulary.label(c, field if field in vocabulary.fields else None) for c in table.columns]
    table.index.name = READABLE_COLUMNS.get(by, by)
    table.columns.name = READABLE_COLUMNS.get(column, column)
    return table


def counts(ledger: Ledger, column: str) -> dict[str, int]:
    """How many claims take each value of `column`, in vocabulary order where there is one."""
    values = ledger.claims[column].value_counts()
    return {str(k): int(v) for k, v in values.items()}


def grade_table(ledger: Ledger) -> pd.DataFrame:
    """One row per appraisal, in vocabulary order: its claims, their share of all claims, and how many
    of them promote something the page itself sells or advertises (the introduction's table)."""
    claims = ledger.claims
    vocabulary = ledger.vocabulary
    grades = list(vocabulary.values("appraisal"))
    counted = claims.appraisal.value_counts().reindex(grades, fill_value=0)
    selling = claims[claims.commercial_context].appraisal.value_counts().reindex(grades, fill_value=0)
    return pd.DataFrame(
        {
            "Appraisal": [vocabulary.label(grade, "appraisal") for grade in grades],
            "Claims": [int(counted[grade]) for grade in grades],
            "Share of all claims": [f"{counted[grade] / len(claims):.0%}" for grade in grades],
            "Of which sell a product": [int(selling[grade]) for grade in grades],
        }
    )


def claims_table(
    ledger: Ledger,
    *,
    topics: Iterable[str] | None = None,
    sections: Iterable[str] | None = None,
    seeds: Iterable[str] | None = None,
    columns: Iterable[str] = (
        "claim_id",
        "outlet",
        "excerpt",
        "speaker",
        "evidence_type",
        "appraisal",
        "appraisal_note",
    ),
) -> pd.DataFrame:
    """Claims filtered by topic, section or seed, with readable values and column names."""
    claims = ledger.claims
    mask = pd.Series(True, index=claims.index)
    if topics is not None:
        mask &= claims.topic.isin(list(topics))
    if sections is not None:
        mask &= claims.section.isin(list(sections))
    if seeds is not None:
        mask &= claims.seed_id.isin(list(seeds))
    table = claims.loc[mask, list(columns)].copy()
    for column in VOCABULARY_COLUMNS:
        if column in table:
            labels = ledger.vocabulary.labels(vocab.field_of(column))
            table[column] = table[column].map(labels)
    if "commercial_context" in table:
        table["commercial_context"] = table["commercial_context"].map({True: "yes", False: "no"})
    if "primary_source" in table:
        table["primary_source"] = table["primary_source"].fillna("not identified")
    return table.rename(columns=READABLE_COLUMNS).reset_index(drop=True)


# The ledger column each explorer filter selects on (the rows' data attributes in brainbone.book.explorer).
EXPLORER_FILTER_COLUMNS = {
    "section": "section",
    "topic": "topic",
    "seed": "seed_id",
    "speaker": "speaker",
    "evidence": "evidence_type",
    "appraisal": "appraisal",
}


def explorer_selection(ledger: Ledger, **filters: str) -> pd.DataFrame:
    """The claims the explorer shows when opened with `filters` (e.g. `section="association"`)."""
    claims = ledger.claims
    mask = pd.Series(True, index=claims.index)
    for key, value in filters.items():
        if key not in EXPLORER_FILTER_COLUMNS:
            raise ValueError(
                f"explorer_selection: cannot count by '{key}'; expected one of: {', '.join(EXPLORER_FILTER_COLUMNS)}"
            )
        mask &= claims[EXPLORER_FILTER_COLUMNS[key]] == value
    return claims[mask]


def explorer_link(ledger: Ledger, words: str, *, from_docname: str, **filters: str):
    """An HTML link, for a chapter to glue, to the explorer opened with `filters`: "all N `words`", where
    N counts the claims those filters show, e.g. "all 45 association claims"."""
    from IPython.display import HTML  # only in a kernel, like brainbone.book.explorer.explorer

    href = layout.explorer_href(from_docname=from_docname, **filters)
    text = f"all {len(explorer_selection(ledger, **filters))} {words}"
    return HTML(f'<a class="reference internal bb-explorer-link" href="{escape(href)}">{escape(text)}</a>')


def styled(table: pd.DataFrame, *, caption: str | None = None, table_id: str = "t") -> Styler:
    """A pandas Styler that escapes every cell (seed text is untrusted) and hides the index
    when it is a plain row number. The id is fixed so that outputs are reproducible."""
    if not isinstance(table.index, pd.RangeIndex) and any(name is not None for name in table.index.names):
        # A named row index makes pandas write its name in a second header row beside empty cells
        # (axe: empty-table-header); the row labels become an ordinary, named first column instead.
        table = table.rename_axis(columns=None).reset_index()
    styler = (
        table.style.format(escape="html", precision=2)
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
    )
    styler = styler.set_uuid(table_id)
    if isinstance(table.index, pd.RangeIndex):
        styler = styler.hide(axis="index")
    if caption:
        styler = styler.set_caption(caption)
    # A table wider than the page scrolls in its own box; tabindex lets a keyboard scroll it too.
    return styler.set_table_attributes('class="bb-table" tabindex="0"')
