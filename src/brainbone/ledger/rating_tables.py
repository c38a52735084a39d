"""The rating tables (`data/source_ratings.csv`, `data/second_ratings.csv`): their schemas and their rules
beyond the schema, which also locate each row (its file line, its evidence excerpt in its seed). The ledger's
loader runs them and keeps the located tables; `brainbone.appraisal.ratings` and `.agreement` judge them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd
import pandera.pandas as pa

from brainbone import layout
from brainbone.errors import Issue, IssueKind
from brainbone.ledger import instruments, schema
from brainbone.ledger.reading import read_table
from brainbone.ledger.validation import did_you_mean

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger


RATINGS_FILE = layout.table_file("source_ratings")
SECOND_RATINGS_FILE = layout.table_file("second_ratings")
COLUMNS = ("seed_id", "instrument", "item", "rating", "justification", "claim_id", "evidence")
# A rating's row: one per seed, instrument and item (data/RATING.md); the key of both rating tables, which
# brainbone.ledger.catalog declares as their primary key (tests/test_catalog.py keeps the two equal).
KEY = ("seed_id", "instrument", "item")
# A rating that rests on nothing the page says rests on an absence, and its justification must say so.
ABSENCE_WORDS = re.compile(r"\b(no|not|none|nothing|never|only|without|absent|neither|nor)\b", re.IGNORECASE)


def instrument_column() -> pa.Column:
    """The instrument's name; the instruments are defined in `brainbone.ledger.instruments`, not in the vocabulary table."""
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


# The columns `locate_ratings` adds to the ledger's table: each evidence excerpt's offset and line in its
# seed, and each row's line in the file.
LOCATED_COLUMNS = ("evidence_start", "seed_line", "line")


def locate_ratings(ledger: Ledger) -> tuple[pd.DataFrame | None, list[Issue]]:
    """The table's rules beyond its schema, and the table located (the `locate` of its `catalog` entry);
    an absent table is not checked. The loader keeps the located table, so that the book (scorecards, the
    Sources chapter) reads it without reading the file again."""
    if not (ledger.root / RATINGS_FILE).exists():
        return None, []
    return located_ratings(ledger, RATINGS_FILE)


def located_ratings(ledger: Ledger, rel: str) -> tuple[pd.DataFrame, list[Issue]]:
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
                        "items are listed in brainbone/ledger/instruments.py",
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
                        + nearest.fix("evidence"),
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


SECOND_COLUMNS = ("seed_id", "instrument", "item", "rating", "justification")
# The instruments' names as the blind rater wrote them, where they differ from brainbone.ledger.instruments'.
INSTRUMENT_ALIASES = {"healthnewsreview": instruments.HNR}


def second_ratings_schema() -> pa.DataFrameSchema:
    """The blind rater's file as delivered: seed, instrument (its own spelling allowed), item, rating, justification."""
    columns = {name: schema.text() for name in SECOND_COLUMNS}
    columns["seed_id"] = schema.foreign_key("sources", fix="fix the seed_id")
    columns["instrument"] = schema.one_of((*instruments.INSTRUMENTS, *INSTRUMENT_ALIASES))
    return schema.table(**columns)


def locate_second(ledger: Ledger) -> tuple[pd.DataFrame | None, list[Issue]]:
    """The sheet covers exactly the first rating's rows, on the same scales (the `locate` of its `catalog`
    entry). The loader keeps the sheet with its file lines, so that the Sources chapter reads it without
    reading the file again."""
    if not (ledger.root / SECOND_RATINGS_FILE).exists():
        return None, []
    frame, issues = located_second(ledger)
    return (frame if "line" in frame.columns else None), issues


def located_second(ledger: Ledger) -> tuple[pd.DataFrame, list[Issue]]:
    issues: list[Issue] = []
    rel = SECOND_RATINGS_FILE
    table = read_table(ledger.root, rel, columns=list(SECOND_COLUMNS), required=False)
    frame = ledger.tables.get("second_ratings", table.frame)
    lines = table.lines
    first = ledger.tables.get("source_ratings")
    if first is None or list(frame.columns) != list(SECOND_COLUMNS) or len(lines) != len(frame):
        return frame, issues
    frame = frame.assign(instrument=frame.instrument.replace(INSTRUMENT_ALIASES))
    wanted = {tuple(k) for k in first[list(KEY)].itertuples(index=False)}
    seen = set()
    for position, row in enumerate(frame.to_dict("records")):
        key = (row["seed_id"], row["instrument"], row["item"])
        line = lines[position]
        if key not in wanted:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    rel,
                    line,
                    f"no first rating of {key[1]} {key[2]} for seed '{key[0]}'; the second rating must use the same rows",
                )
            )
            continue
        if key in seen:
            issues.append(
                Issue(IssueKind.DUPLICATE_ID, rel, line, f"{key[1]} {key[2]} for seed '{key[0]}' is rated twice")
            )
        seen.add(key)
        scale = instruments.SCALES[key[1]]
        if row["rating"] not in scale:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    rel,
                    line,
                    f"{key[1]} {key[2]} for seed '{key[0]}': rating '{row['rating']}' is not on the scale; expected one "
                    f"of: {', '.join(scale)}{did_you_mean(row['rating'], scale)}",
                )
            )
    for key in sorted(wanted - seen):
        issues.append(Issue(IssueKind.LEDGER_INVALID, rel, None, f"{key[1]} {key[2]} for seed '{key[0]}' is not rated"))
    return frame.assign(line=lines), issues
