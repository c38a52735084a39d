"""The pages' ratings on the published instruments (`data/source_ratings.csv`), declared as a ledger table.

Pure code, no Sphinx. `brainbone.catalog` declares the table with `source_ratings_schema()` (columns, foreign keys
to sources and claims), and `load_ledger()` runs `check_ratings()` on it: items and scales, one row per seed and
item, an absence stated where nothing is cited, and each `evidence` excerpt verbatim in its seed, checked exactly
as claims' excerpts are (nearest passage on failure). Every problem is a located `Issue` in `ledger.issues`.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import pandera.pandas as pa

from brainbone import catalog, instruments, layout, schema
from brainbone.errors import Issue, IssueKind, Validated
from brainbone.reading import read_table
from brainbone.validation import did_you_mean

if TYPE_CHECKING:  # the ledger imports the catalog, which names this module
    from brainbone.ledger import Ledger

RATINGS_FILE = layout.table_file("source_ratings")
SECOND_RATINGS_FILE = layout.table_file("second_ratings")
COLUMNS = ("seed_id", "instrument", "item", "rating", "justification", "claim_id", "evidence")
KEY = catalog.RATING_KEY
# A rating that rests on nothing the page says rests on an absence, and its justification must say so.
ABSENCE_WORDS = re.compile(r"\b(no|not|none|nothing|never|only|without|absent|neither|nor)\b", re.IGNORECASE)


def instrument_column() -> pa.Column:
    """The instrument's name; the instruments are defined in `brainbone.instruments`, not in the vocabulary table."""
    return schema.one_of(instruments.INSTRUMENTS)


def source_ratings_schema() -> pa.DataFrameSchema:
    return schema.table(
        seed_id=schema.foreign_key("sources", fix="fix the seed_id"),
        instrument=instrument_column(),
        item=schema.text(),
        rating=schema.text(),
        justification=schema.text(),
        claim_id=schema.foreign_key(
            "claims", nullable=True, fix="cite an existing claim or quote the page in the evidence column"
        ),
        evidence=schema.quoted(nullable=True),
    )


@dataclass
class RatingTable(Validated):
    """The ratings, one row per seed × item, with each evidence excerpt's place in its seed, and their problems."""

    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    file: str = RATINGS_FILE

    def rows(self) -> list[dict]:
        return self.frame.to_dict("records")

    def rated_seeds(self, seed_ids) -> list[str]:
        """The seeds, in the order given, that have ratings."""
        present = set(self.frame.seed_id)
        return [seed_id for seed_id in seed_ids if seed_id in present]

    def scores(self, seed_id: str) -> instruments.SeedScores:
        return instruments.seed_scores(self.rows(), seed_id)


def file_issues(ledger: Ledger, rel: str) -> list[Issue]:
    """The ledger's problems in one file."""
    return [issue for issue in ledger.issues if issue.file == rel]


# The columns `check_ratings` adds to the ledger's table: each evidence excerpt's offset and line in its
# seed, and each row's line in the file.
LOCATED_COLUMNS = ("evidence_start", "seed_line", "line")


def load_ratings(ledger: Ledger, rel: str = RATINGS_FILE) -> RatingTable:
    """The ratings as the ledger loaded them, with evidence offsets, and every problem found in their file.
    The ledger's own table is located once, when it loads (`check_ratings`); another file is located here."""
    frame = ledger.tables.get("source_ratings") if rel == RATINGS_FILE else None
    if frame is None or not set(LOCATED_COLUMNS) <= set(frame.columns):
        frame, _ = _located(ledger, rel)
    return RatingTable(frame, file_issues(ledger, rel), rel)


def check_ratings(ledger: Ledger) -> list[Issue]:
    """The table's rules beyond its schema (a `catalog` rule); an absent table is not checked. The ledger
    keeps the located table, so that the book (scorecards, the Sources chapter) reads it without reading
    the file again."""
    if not (ledger.root / RATINGS_FILE).exists():
        return []
    frame, issues = _located(ledger, RATINGS_FILE)
    ledger.tables["source_ratings"] = frame
    return issues


def _located(ledger: Ledger, rel: str) -> tuple[pd.DataFrame, list[Issue]]:
    """The table with each evidence excerpt's offset and seed line, and the problems its schema cannot see."""
    issues: list[Issue] = []
    table = read_table(ledger.root, rel, columns=list(COLUMNS))  # read again for the rows' line numbers
    frame = (
        ledger.tables["source_ratings"] if rel == RATINGS_FILE and "source_ratings" in ledger.tables else table.frame
    )
    lines = table.lines
    if list(frame.columns) != list(COLUMNS) or len(lines) != len(frame):
        return frame.assign(evidence_start=pd.NA, seed_line=pd.NA, line=None), issues
    seed_ids, claim_ids = set(ledger.sources.seed_id), set(ledger.claims.index)
    starts: list[int | None] = []
    seed_lines: list[int | None] = []
    seen: dict[tuple, int] = {}
    for position, row in enumerate(frame.to_dict("records")):
        line = lines[position]
        seed_id, instrument, item_id, rating = row["seed_id"], row["instrument"], row["item"], row["rating"]
        start = seed_line = None
        if instrument in instruments.INSTRUMENTS and item_id is not None:
            items = instruments.item_ids(instrument)
            if item_id not in items:
                issues.append(
                    Issue(
                        IssueKind.BAD_VALUE,
                        rel,
                        line,
                        f"item '{item_id}' is not an item of {instrument}{did_you_mean(item_id, items)}; "
                        "items are listed in brainbone/instruments.py",
                    )
                )
            elif rating is not None:
                scale = instruments.SCALES[instrument]
                allowed_na = instrument != instruments.DISCERN or item_id in instruments.DISCERN_TREATMENT_ITEMS
                if rating not in scale or (rating == instruments.NOT_APPLICABLE and not allowed_na):
                    shown = [s for s in scale if allowed_na or s != instruments.NOT_APPLICABLE]
                    issues.append(
                        Issue(
                            IssueKind.BAD_VALUE,
                            rel,
                            line,
                            f"{instrument} {item_id}: rating '{rating}' is not on the scale; expected one of: "
                            f"{', '.join(shown)}{did_you_mean(rating, shown)}",
                        )
                    )
        key = (seed_id, instrument, item_id)
        if key in seen:
            issues.append(
                Issue(
                    IssueKind.DUPLICATE_ID,
                    rel,
                    line,
                    f"duplicate rating of {instrument} {item_id} for seed '{seed_id}': it is already rated on line "
                    f"{seen[key]}; keep one row",
                )
            )
        else:
            seen[key] = line
        claim_id, evidence = row["claim_id"], row["evidence"]
        if claim_id is not None and evidence is not None:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    rel,
                    line,
                    "give a claim_id or an evidence excerpt, not both; a claim already carries its own excerpt",
                )
            )
        if claim_id in claim_ids and seed_id in seed_ids and ledger.claims.at[claim_id, "seed_id"] != seed_id:
            issues.append(
                Issue(
                    IssueKind.UNKNOWN_CLAIM,
                    rel,
                    line,
                    f"claim '{claim_id}' belongs to seed '{ledger.claims.at[claim_id, 'seed_id']}', not '{seed_id}'; "
                    "a rating rests only on its own page",
                )
            )
        seed = ledger.seed_texts.get(seed_id)
        hard = (
            instruments.hard_anchor_problem(seed.text, instrument, item_id, rating)
            if seed is not None and rating is not None and item_id is not None
            else None
        )
        if hard:
            issues.append(Issue(IssueKind.BAD_VALUE, rel, line, f"{instrument} {item_id} for seed '{seed_id}': {hard}"))
        if evidence is not None and seed is not None:
            span = seed.find(evidence)
            if span is None:
                nearest = seed.nearest(evidence)
                issues.append(
                    Issue(
                        IssueKind.EXCERPT_MISMATCH,
                        rel,
                        line,
                        f"{instrument} {item_id} for seed '{seed_id}': evidence is not verbatim in "
                        f"{ledger.sources.at[seed_id, 'file']} (only runs of whitespace may differ). "
                        f"Expected: “{evidence}”. Nearest passage ({nearest.score:g}% similar): “{nearest.text}”. "
                        "Fix: copy the nearest passage into the evidence column as it is",
                    )
                )
            else:
                start, seed_line = span.start, seed.line_of(span.start)
        justification = row["justification"]
        if (
            claim_id is None
            and evidence is None
            and justification is not None
            and not ABSENCE_WORDS.search(justification)
        ):
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    rel,
                    line,
                    f"{instrument} {item_id} for seed '{seed_id}' rests on nothing the page says, so it rests on an "
                    "absence: say so in the justification (e.g. 'no date is given'), or give a claim_id or evidence",
                )
            )
        starts.append(start)
        seed_lines.append(seed_line)

    # A seed that is rated at all is rated whole; a seed added since (a living review) may wait for its rating.
    rated = set(frame.seed_id.dropna())
    for seed_id in (s for s in ledger.sources.seed_id if s in rated):
        absent = [f"{i.instrument} {i.item}" for i in instruments.ITEMS if (seed_id, i.instrument, i.item) not in seen]
        if absent:
            issues.append(
                Issue(
                    IssueKind.LEDGER_INVALID,
                    rel,
                    None,
                    f"seed '{seed_id}' is not rated on every item; missing: {', '.join(absent)}",
                )
            )
    frame = frame.assign(evidence_start=pd.array(starts, dtype="Int64"), seed_line=pd.array(seed_lines, dtype="Int64"))
    frame["line"] = lines
    return frame, issues


def seed_labels(sources: pd.DataFrame, width: int = 14) -> dict[str, str]:
    """Column labels: each seed's outlet, wrapped, with the last part of its seed_id where two seeds share an outlet."""
    repeated = sources.outlet.duplicated(keep=False)
    labels = {}
    for seed_id, outlet, twice in zip(sources.seed_id, sources.outlet, repeated, strict=True):
        label = f"{outlet} ({seed_id.rsplit('-', 1)[-1]})" if twice else outlet
        labels[seed_id] = textwrap.fill(label, width)
    return labels


def long_table(table: RatingTable, seed_ids) -> pd.DataFrame:
    """Ratings as a seed × item matrix of strings, items in the instruments' order: what the comparison figure draws."""
    frame = table.frame.set_index(["instrument", "item", "seed_id"])["rating"].unstack("seed_id")
    order = pd.MultiIndex.from_tuples(instruments.ITEM_KEYS, names=["instrument", "item"])
    return frame.reindex(index=order, columns=list(seed_ids))


__all__ = [
    "RATINGS_FILE",
    "SECOND_RATINGS_FILE",
    "RatingTable",
    "check_ratings",
    "file_issues",
    "load_ratings",
    "long_table",
    "seed_labels",
    "source_ratings_schema",
]
