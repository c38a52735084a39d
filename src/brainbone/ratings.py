"""Read and validate `data/source_ratings.csv`, the pages' ratings on the published instruments, against the ledger.

Pure code, no Sphinx. `load_ratings()` never raises for bad data: like the ledger, it returns every problem as a
located `Issue` (file, line, what was expected, the nearest match), and each `evidence` excerpt is checked verbatim
against its seed exactly as claims' excerpts are.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from rapidfuzz import fuzz, process

from brainbone import instruments
from brainbone.errors import Issue, IssueKind, LedgerError
from brainbone.ledger import Ledger
from brainbone.schema import FOREIGN_KEY, KeyIn

RATINGS_FILE = "data/source_ratings.csv"
SECOND_RATINGS_FILE = "data/second_ratings.csv"
COLUMNS = ("seed_id", "instrument", "item", "rating", "justification", "claim_id", "evidence")
KEY = ("seed_id", "instrument", "item")
# A rating that rests on nothing the page says rests on an absence, and its justification must say so.
ABSENCE_WORDS = re.compile(r"\b(no|not|none|nothing|never|only|without|absent|neither|nor)\b", re.IGNORECASE)


def ratings_schema(seed_ids, claim_ids) -> pa.DataFrameSchema:
    """The table's columns and their checks; the foreign keys are built from the ledger's data."""
    text = {"dtype": str, "nullable": False}
    return pa.DataFrameSchema(
        {
            "seed_id": pa.Column(checks=[pa.Check(KeyIn(seed_ids), name=FOREIGN_KEY, error=FOREIGN_KEY)], **text),
            "instrument": pa.Column(checks=[pa.Check.isin(list(instruments.INSTRUMENTS))], **text),
            "item": pa.Column(**text),
            "rating": pa.Column(**text),
            "justification": pa.Column(**text),
            "claim_id": pa.Column(
                str, nullable=True, checks=[pa.Check(KeyIn(claim_ids), name=FOREIGN_KEY, error=FOREIGN_KEY)]
            ),
            "evidence": pa.Column(str, nullable=True),
        },
        strict=True,
    )


@dataclass
class RatingTable:
    """The ratings, one row per seed × item, with each evidence excerpt's place in its seed, and every problem."""

    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    file: str = RATINGS_FILE

    @property
    def ok(self) -> bool:
        return not self.issues

    def require_valid(self):
        """The table itself, or `LedgerError` listing every located problem."""
        if self.issues:
            raise LedgerError(self.issues)
        return self

    def rows(self) -> list[dict]:
        return self.frame.to_dict("records")

    def scores(self, seed_id: str) -> instruments.SeedScores:
        return instruments.seed_scores(self.rows(), seed_id)


def _nearest(value: object, choices) -> str | None:
    choices = [str(c) for c in choices]
    if not choices or value is None:
        return None
    match = process.extractOne(str(value), choices, scorer=fuzz.ratio)
    return match[0] if match else None


def did_you_mean(value: object, choices) -> str:
    nearest = _nearest(value, choices)
    return f" (nearest: '{nearest}')" if nearest else ""


def read_table(path: Path, rel: str, issues: list[Issue]) -> tuple[pd.DataFrame, list[int]]:
    """A CSV as text cells (empty cells become None), with the line on which each row starts."""
    text = path.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    rows, lines = [], []
    last = reader.line_num
    for row in reader:
        first, last = last + 1, reader.line_num
        if not "".join(row).strip():
            continue
        if len(row) != len(header):
            issues.append(
                Issue(
                    IssueKind.LEDGER_INVALID,
                    rel,
                    first,
                    f"malformed row: expected {len(header)} fields ({','.join(header)}), found {len(row)}; "
                    "quote any field that contains a comma",
                )
            )
            continue
        rows.append([cell if cell != "" else None for cell in row])
        lines.append(first)
    return pd.DataFrame(rows, columns=header, dtype=object), lines


def load_ratings(ledger: Ledger, rel: str = RATINGS_FILE) -> RatingTable:
    """Read `rel` under the ledger's root and check it against the ledger: keys, scales, excerpts, completeness."""
    issues: list[Issue] = []
    path = ledger.root / rel
    if not path.exists():
        issues.append(
            Issue(
                IssueKind.LEDGER_INVALID, rel, None, f"file is missing; create it with the header: {','.join(COLUMNS)}"
            )
        )
        return RatingTable(pd.DataFrame(columns=list(COLUMNS)), issues, rel)
    frame, lines = read_table(path, rel, issues)
    missing = [c for c in COLUMNS if c not in frame.columns]
    unexpected = [c for c in frame.columns if c not in COLUMNS]
    if missing or unexpected:
        what = [f"missing column '{c}'" for c in missing] + [f"unexpected column '{c}'" for c in unexpected]
        issues.append(
            Issue(IssueKind.LEDGER_INVALID, rel, 1, f"{'; '.join(what)}; the header must be: {','.join(COLUMNS)}")
        )
        return RatingTable(frame, issues, rel)

    seed_ids, claim_ids = set(ledger.sources.seed_id), set(ledger.claims.index)
    try:
        ratings_schema(seed_ids, claim_ids).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        for failure in err.failure_cases.itertuples(index=False):
            line = lines[int(failure.index)] if failure.index is not None and not pd.isna(failure.index) else None
            column, case, check = failure.column, failure.failure_case, str(failure.check)
            if check == "not_nullable":
                kind, message = (
                    IssueKind.BAD_VALUE,
                    f"column '{column}' is empty; a value is required (see data/README.md)",
                )
            elif check == FOREIGN_KEY and column == "seed_id":
                kind = IssueKind.UNKNOWN_SEED
                message = f"unknown seed_id '{case}': no such key in data/sources.csv{did_you_mean(case, seed_ids)}; fix the seed_id"
            elif check == FOREIGN_KEY:
                kind = IssueKind.UNKNOWN_CLAIM
                message = (
                    f"unknown claim_id '{case}': no such key in data/claims.csv{did_you_mean(case, claim_ids)}; "
                    "cite an existing claim or quote the page in the evidence column"
                )
            elif check.startswith("isin("):
                kind = IssueKind.BAD_VALUE
                message = (
                    f"column '{column}': '{case}' is not allowed; expected one of: "
                    f"{', '.join(instruments.INSTRUMENTS)}{did_you_mean(case, instruments.INSTRUMENTS)}"
                )
            else:
                kind, message = IssueKind.LEDGER_INVALID, f"column '{column}': '{case}' fails check {check}"
            issue = Issue(kind, rel, line, message)
            if issue not in issues:
                issues.append(issue)

    starts: list[int | None] = []
    seed_lines: list[int | None] = []
    seen: dict[tuple, int] = {}
    for position, row in enumerate(frame.to_dict("records")):
        line = lines[position]
        seed_id, instrument, item_id, rating = row["seed_id"], row["instrument"], row["item"], row["rating"]
        start = seed_line = None
        if instrument in instruments.INSTRUMENTS and item_id is not None:
            items = [i.item for i in instruments.ITEMS if i.instrument == instrument]
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

    for seed_id in ledger.sources.seed_id:
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
    return RatingTable(frame, issues, rel)


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
    "did_you_mean",
    "read_table",
    "SECOND_RATINGS_FILE",
    "RatingTable",
    "load_ratings",
    "long_table",
    "ratings_schema",
]
