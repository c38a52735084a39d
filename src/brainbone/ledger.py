"""Load the claims ledger from data/, validate it, and verify every excerpt against its seed.

Everything here is pure: no Sphinx. `load_ledger()` never raises for bad data; it returns a
`Ledger` whose `issues` name the file, the line, what was expected and the nearest match.
"""

from __future__ import annotations

import csv
import gc
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pybtex.database import parse_file
from rapidfuzz import fuzz, process

from brainbone import schema
from brainbone import vocabulary as vocab
from brainbone.errors import Issue, IssueKind, LedgerError
from brainbone.paths import find_book_root
from brainbone.seeds import SeedText, read_seed, sha256_of

TABLE_FILES = {
    "sources": "data/sources.csv",
    "topics": "data/topics.csv",
    "seed_parts": "data/seed_parts.csv",
    "claims": "data/claims.csv",
    "effects": "data/effects.csv",
}
BIB_FILE = "references.bib"
_TEXT = pandas_engine.Engine.dtype(str)
SEEDS_DIR = "seeds"


@dataclass(frozen=True)
class Claim:
    """One verified row of the ledger, as the Sphinx layer and the figures need it."""

    claim_id: str
    seed_id: str
    excerpt: str
    outlet: str
    seed_file: str
    speaker: str
    evidence_type: str
    appraisal: str
    appraisal_note: str
    primary_source: str | None
    commercial_context: bool
    part_kind: str
    start: int | None
    end: int | None
    line: int

    @property
    def verified(self) -> bool:
        return self.start is not None


@dataclass(frozen=True)
class PartSpan:
    """One part of a seed page (article, promotion, reader comments…): `text[start:end]`."""

    start: int
    end: int
    kind: str
    label: str
    part_id: str | None


@dataclass
class Ledger:
    """The validated tables, the seed texts, and every problem found on the way."""

    root: Path
    sources: pd.DataFrame
    topics: pd.DataFrame
    seed_parts: pd.DataFrame
    claims: pd.DataFrame
    effects: pd.DataFrame
    bib_keys: frozenset[str]
    seed_texts: dict[str, SeedText]
    issues: list[Issue] = field(default_factory=list)
    # Each seed's parts, located once when the ledger loads: (start offset, part_id, kind, label).
    part_starts: dict[str, list[tuple[int, str, str, str]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.issues

    def require_valid(self) -> Ledger:
        if self.issues:
            raise LedgerError(self.issues)
        return self

    def has_claim(self, claim_id: str) -> bool:
        return claim_id in self.claims.index

    def nearest_claim_id(self, claim_id: str) -> str | None:
        return _nearest(claim_id, self.claims.index)

    def claim(self, claim_id: str) -> Claim:
        row = self.claims.loc[claim_id]
        return Claim(
            claim_id=claim_id,
            seed_id=row.seed_id,
            excerpt=row.excerpt,
            outlet=row.outlet,
            seed_file=row.seed_file,
            speaker=row.speaker,
            evidence_type=row.evidence_type,
            appraisal=row.appraisal,
            appraisal_note=row.appraisal_note,
            primary_source=row.primary_source,
            commercial_context=bool(row.commercial_context),
            part_kind=row.part_kind,
            start=None if pd.isna(row.start) else int(row.start),
            end=None if pd.isna(row.end) else int(row.end),
            line=int(row.line),
        )

    def source(self, seed_id: str) -> pd.Series:
        return self.sources.loc[seed_id]

    def part_spans(self, seed_id: str) -> list[PartSpan]:
        """The seed's parts in reading order, each with its span of the original text. Text before
        the first located part (or a whole seed with no parts) counts as the article."""
        starts = list(self.part_starts.get(seed_id, []))
        if not starts or starts[0][0] > 0:
            starts.insert(0, (0, None, "article", "Article"))
        length = len(self.seed_texts[seed_id].text)
        ends = [start[0] for start in starts[1:]] + [length]
        return [
            PartSpan(start, end, kind, label, part_id)
            for (start, part_id, kind, label), end in zip(starts, ends, strict=True)
        ]

    @property
    def paths(self) -> list[Path]:
        """Every file the ledger was read from: what a page that quotes it depends on."""
        files = [self.root / rel for rel in TABLE_FILES.values()] + [self.root / BIB_FILE]
        return files + [self.root / f for f in self.sources.get("file", [])]


# ---------------------------------------------------------------------------------------
# Reading


@dataclass
class _Table:
    name: str
    file: str
    frame: pd.DataFrame
    lines: list[int]

    def line(self, index: object) -> int | None:
        try:
            return self.lines[int(index)]  # type: ignore[arg-type]
        except (TypeError, ValueError, IndexError):
            return None


def _read_well_formed(text: str, name: str, rel: str) -> _Table | None:
    """The common case, read by pandas' C parser: one record per line, every record complete and
    none blank, so row i is on line i + 2. Anything else returns None for the careful reader below."""
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    if frame.empty or text.count("\n") != len(frame) + 1 - (not text.endswith("\n")):
        return None
    if (frame == "").all(axis=1).any() or any(str(c).startswith("Unnamed:") for c in frame.columns):
        return None  # a blank row, or a header with an empty name
    # pandas pads a short row with empty cells; a complete row whose last cell is empty ends in a comma.
    last_empty = frame.index[frame.iloc[:, -1] == ""]
    if len(last_empty):
        physical = text.splitlines()
        if any(not physical[i + 1].endswith(",") for i in last_empty):
            return None
    frame = frame.astype(object).where(frame != "", None)
    return _Table(name, rel, frame, list(range(2, len(frame) + 2)))


def _read_table(root: Path, name: str, columns: list[str], issues: list[Issue]) -> _Table:
    """Read a CSV as text, keeping each row's first line number; empty cells become NA."""
    rel = TABLE_FILES[name]
    path = root / rel
    if not path.exists():
        issues.append(
            Issue(
                IssueKind.LEDGER_INVALID, rel, None, f"file is missing; create it with the header: {','.join(columns)}"
            )
        )
        return _Table(name, rel, pd.DataFrame(columns=columns), [])
    rows: list[list[str]] = []
    lines: list[int] = []
    text = path.read_text(encoding="utf-8")
    fast = _read_well_formed(text, name, rel)
    if fast is not None:
        return fast
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = records[0] if records else []
    body = records[1:]
    with io.StringIO(text if body else "", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, [])
        last_line = reader.line_num
        for row in reader:
            first_line = last_line + 1
            last_line = reader.line_num
            if not "".join(row).strip():  # a blank line, or a row of empty cells
                continue
            if len(row) != len(header):
                issues.append(
                    Issue(
                        IssueKind.LEDGER_INVALID,
                        rel,
                        first_line,
                        f"malformed row: expected {len(header)} fields ({','.join(header)}), "
                        f"found {len(row)}; quote any field that contains a comma",
                    )
                )
                continue
            rows.append(row)
            lines.append(first_line)
    if not rows:  # a header-only table is valid; give its columns the text dtype pandera expects
        return _Table(name, rel, pd.DataFrame(columns=header, dtype=object).astype(str), lines)
    # Empty cells become None; done on one numpy array, as DataFrame.where was slow on large tables.
    cells = np.array(rows, dtype=object).reshape(len(rows), len(header))
    cells[cells == ""] = None
    return _Table(name, rel, pd.DataFrame(cells, columns=header, dtype=object), lines)


def read_bib_keys(path: Path) -> frozenset[str]:
    return frozenset(parse_file(str(path), bib_format="bibtex").entries.keys())


def _nearest(value: object, choices) -> str | None:
    choices = [str(c) for c in choices]
    if not choices or value is None:
        return None
    match = process.extractOne(str(value), choices, scorer=fuzz.ratio)
    return match[0] if match else None


def _did_you_mean(value: object, choices) -> str:
    nearest = _nearest(value, choices)
    return f" (nearest: '{nearest}')" if nearest else ""


# ---------------------------------------------------------------------------------------
# Validation: pandera checks, translated into located messages that say how to fix them


def _validate(
    table: _Table, schema_: pa.DataFrameSchema, issues: list[Issue], fk_hint: dict[str, tuple]
) -> pd.DataFrame:
    # Every cell _read_table makes is a str or None, so a `str` dtype check cannot fail; pandera
    # would still run it cell by cell on object columns, half the time of validating the claims.
    for column in schema_.columns.values():
        if column.dtype == _TEXT:
            column.dtype = None
    try:
        return schema_.validate(table.frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        issues.extend(_translate(table, schema_, err.failure_cases, fk_hint))
        return table.frame


def _translate(
    table: _Table, schema_: pa.DataFrameSchema, failures: pd.DataFrame, fk_hint: dict[str, tuple]
) -> list[Issue]:
    issues = []
    expected_columns = ",".join(schema_.columns)
    for failure in failures.itertuples(index=False):
        column, check, case, index = failure.column, str(failure.check), failure.failure_case, failure.index
        line = table.line(index)
        if check == "column_in_dataframe":
            kind, line = IssueKind.LEDGER_INVALID, 1
            message = f"missing column '{case}'; the header must be: {expected_columns}"
        elif check == "column_in_schema":
            kind, line = IssueKind.LEDGER_INVALID, 1
            message = (
                f"unexpected column '{case}'; the header must be: {expected_columns} "
                "(add a new column to brainbone/schema.py and data/README.md first)"
            )
        elif check == "not_nullable":
            kind = IssueKind.BAD_VALUE
            message = f"column '{column}' is empty; a value is required (see data/README.md)"
        elif check == "field_uniqueness":
            kind = IssueKind.DUPLICATE_ID
            first = table.frame.index[table.frame[column] == case]
            first_line = table.line(first[0]) if len(first) else None
            if first_line == line:
                continue  # report the repeats, not the first use
            message = (
                f"duplicate {column} '{case}': it is already used on line {first_line}; give this row a new {column}"
            )
        elif check.startswith(("coerce_dtype", "dtype(")) and "string" not in str(schema_.columns[column].dtype):
            kind = IssueKind.BAD_VALUE
            message = f"column '{column}': expected a number, got '{case}'; write digits only, e.g. 0.082"
        elif check == schema.FOREIGN_KEY:
            kind, where, fix = fk_hint[column]
            allowed = schema_.columns[column].checks[0]._check_fn.keys  # the KeyIn the schema was built with
            message = f"unknown {column} '{case}': no such key in {where}{_did_you_mean(case, allowed)}; {fix}"
        elif check.startswith("isin("):
            allowed = schema_.columns[column].checks[0].statistics["allowed_values"]
            kind = IssueKind.BAD_VALUE
            message = (
                f"column '{column}': '{case}' is not allowed; expected one of: {', '.join(allowed)}"
                f"{_did_you_mean(case, allowed)}"
            )
        elif check.startswith("str_matches("):
            kind = IssueKind.BAD_VALUE
            regex = schema_.columns[column].checks[0].statistics["pattern"]
            message = f"column '{column}': '{case}' does not have the expected form {regex}"
        else:
            kind = IssueKind.LEDGER_INVALID
            message = f"column '{column}': '{case}' fails check {check}"
        issue = Issue(kind, table.file, line, message)
        if issue not in issues:  # pandera may report one bad cell under two checks
            issues.append(issue)
    return issues


# ---------------------------------------------------------------------------------------
# The loader


def load_ledger(root: Path | None = None, *, verify: bool = True) -> Ledger:
    """Read, validate and (unless `verify=False`) verify the whole ledger under `root`."""
    with _collector_paused():
        return _load_ledger(root, verify)


@contextmanager
def _collector_paused():
    """Reading a large ledger allocates millions of cells, and the cyclic garbage collector
    would scan them again and again for cycles that rows never form; it resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_ledger(root: Path | None, verify: bool) -> Ledger:
    root = Path(root) if root is not None else find_book_root()
    issues: list[Issue] = []

    try:
        bib_keys = read_bib_keys(root / BIB_FILE)
    except FileNotFoundError:
        issues.append(Issue(IssueKind.LEDGER_INVALID, BIB_FILE, None, "file is missing"))
        bib_keys = frozenset()

    tables = {
        name: _read_table(root, name, list(make().columns), issues)
        for name, make in (
            ("sources", schema.sources_schema),
            ("topics", schema.topics_schema),
            ("seed_parts", lambda: schema.seed_parts_schema(())),
            ("claims", lambda: schema.claims_schema((), (), ())),
            ("effects", lambda: schema.effects_schema((), ())),
        )
    }

    sources = _validate(tables["sources"], schema.sources_schema(), issues, {})
    seed_ids = set(sources.get("seed_id", pd.Series(dtype=object)).dropna())
    topics = _validate(tables["topics"], schema.topics_schema(), issues, {})
    topic_ids = set(topics.get("topic", pd.Series(dtype=object)).dropna())

    seed_hint = (IssueKind.UNKNOWN_SEED, TABLE_FILES["sources"], "add the seed there first, or fix the seed_id")
    seed_parts = _validate(tables["seed_parts"], schema.seed_parts_schema(seed_ids), issues, {"seed_id": seed_hint})
    claims = _validate(
        tables["claims"],
        schema.claims_schema(seed_ids, topic_ids, bib_keys),
        issues,
        {
            "seed_id": seed_hint,
            "topic": (IssueKind.UNKNOWN_TOPIC, TABLE_FILES["topics"], "use a listed topic or add it there"),
            "primary_source": (
                IssueKind.UNKNOWN_REFERENCE,
                BIB_FILE,
                "cite only studies listed in ../shared/primary-sources.md, or leave it empty",
            ),
        },
    )
    claim_ids = set(claims.get("claim_id", pd.Series(dtype=object)).dropna())
    effects = _validate(
        tables["effects"],
        schema.effects_schema(claim_ids, bib_keys),
        issues,
        {
            "claim_id": (IssueKind.UNKNOWN_CLAIM, TABLE_FILES["claims"], "point the effect at an existing claim"),
            "primary_source": (
                IssueKind.UNKNOWN_REFERENCE,
                BIB_FILE,
                "leave it empty or use a key from references.bib",
            ),
        },
    )

    seed_texts = _read_seeds(root, tables["sources"], sources, issues)
    part_starts = _locate_parts(tables["seed_parts"], seed_parts, seed_texts, issues)
    claims = _enrich_claims(tables["claims"], claims, sources, seed_texts, part_starts, verify, issues)
    _cross_check(tables, claims, sources, issues)

    sources = _keyed(sources, "seed_id")
    topics = _keyed(topics, "topic")
    return Ledger(
        root, sources, topics, seed_parts, claims, effects, bib_keys, seed_texts, issues, part_starts=part_starts
    )


def _rows(frame: pd.DataFrame):
    """(index, row as a dict) for each row: what `iterrows()` gives, without building a Series per
    row, which dominated `make check` on large ledgers."""
    if not frame.columns.is_unique:  # records would drop the repeats; keep iterrows' behaviour
        return frame.iterrows()
    return zip(frame.index, frame.to_dict("records"), strict=True)


def _columns(frame: pd.DataFrame, *names: str) -> pd.DataFrame:
    """Only the named columns that exist: `itertuples()` boxes every cell of every column it gets."""
    return frame[[name for name in names if name in frame]]


def _keyed(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Index a table by its id column, keeping the column (and leaving the index unnamed)."""
    if column not in frame:
        return frame
    frame = frame.set_index(column, drop=False)
    frame.index.name = None
    return frame


def _read_seeds(root: Path, table: _Table, sources: pd.DataFrame, issues: list[Issue]) -> dict[str, SeedText]:
    texts: dict[str, SeedText] = {}
    present = sorted(p.relative_to(root).as_posix() for p in (root / SEEDS_DIR).glob("*.txt"))
    listed = set()
    for index, row in _rows(sources):
        if row.get("seed_id") is None or row.get("file") is None:
            continue
        listed.add(row["file"])
        path = root / row["file"]
        line = table.line(index)
        if not path.is_file():
            issues.append(
                Issue(
                    IssueKind.MISSING_SEED,
                    table.file,
                    line,
                    f"seed file '{row['file']}' for seed '{row['seed_id']}' does not exist"
                    f"{_did_you_mean(row['file'], present)}; copy it byte for byte from ../shared/seeds",
                )
            )
            continue
        actual = sha256_of(path)
        if row.get("sha256") is not None and actual != row["sha256"]:
            issues.append(
                Issue(
                    IssueKind.CHECKSUM_MISMATCH,
                    table.file,
                    line,
                    f"checksum mismatch for '{row['file']}': the file's sha256 is {actual}, the sha256 column has "
                    f"{row['sha256']}; seeds are never edited, so restore the file from ../shared/seeds, "
                    "or, for a deliberately new seed, record its sha256",
                )
            )
        texts[row["seed_id"]] = read_seed(path)
    for rel in present:
        if rel not in listed:
            issues.append(
                Issue(
                    IssueKind.LEDGER_INVALID,
                    rel,
                    None,
                    f"seed file has no row in {TABLE_FILES['sources']}; add one (see CONTRIBUTING.md)",
                )
            )
    return texts


def _locate_parts(
    table: _Table, parts: pd.DataFrame, seed_texts: dict[str, SeedText], issues: list[Issue]
) -> dict[str, list[tuple[int, str, str, str]]]:
    """For each seed, its parts in reading order as (start offset, part_id, kind, label)."""
    located: dict[str, list[tuple[int, str, str, str]]] = {}
    for index, row in _rows(parts):
        seed = seed_texts.get(row.get("seed_id"))
        if seed is None or row.get("starts_with") is None:
            continue
        previous = located.setdefault(row["seed_id"], [])
        after = previous[-1][0] + 1 if previous else 0
        span = seed.find(row["starts_with"], after)
        if span is None:
            nearest = seed.nearest(row["starts_with"])
            issues.append(
                Issue(
                    IssueKind.BAD_PART,
                    table.file,
                    table.line(index),
                    f"part '{row.get('part_id')}': starts_with is not found verbatim in seed '{row['seed_id']}' after the "
                    f"previous part; nearest passage ({nearest.score:g}% similar): “{nearest.text}”",
                )
            )
            continue
        if not previous and seed.collapsed and span.start != int(seed.find(seed.collapsed[:1]).start):
            issues.append(
                Issue(
                    IssueKind.BAD_PART,
                    table.file,
                    table.line(index),
                    f"part '{row.get('part_id')}' is the first part of seed '{row['seed_id']}' but does not start at the "
                    "beginning of the seed; make starts_with the seed's first words",
                )
            )
        previous.append((span.start, row.get("part_id"), row.get("kind"), row.get("label")))
    return located


def _enrich_claims(
    table: _Table,
    claims: pd.DataFrame,
    sources: pd.DataFrame,
    seed_texts: dict[str, SeedText],
    part_starts: dict[str, list[tuple[int, str, str]]],
    verify: bool,
    issues: list[Issue],
) -> pd.DataFrame:
    claims = claims.copy()
    claims["line"] = table.lines[: len(claims)]
    outlets = dict(zip(sources.get("seed_id", []), sources.get("outlet", []), strict=False))
    files = dict(zip(sources.get("seed_id", []), sources.get("file", []), strict=False))
    count = len(claims)
    starts = np.full(count, -1, dtype=np.int64)
    ends = np.full(count, -1, dtype=np.int64)
    part_ids = np.full(count, None, dtype=object)
    part_kinds = np.full(count, "article", dtype=object)
    excerpts = claims["excerpt"].tolist() if count else []
    # Claims are matched seed by seed, each seed's excerpts in one batch (fast on large ledgers).
    groups = claims.groupby("seed_id", sort=False).indices if count else {}
    for seed_id, positions in groups.items():
        seed = seed_texts.get(seed_id)
        if seed is None or not verify:
            continue
        found_starts, found_ends = seed.find_many([excerpts[i] for i in positions])
        starts[positions], ends[positions] = found_starts, found_ends
        parts = part_starts.get(seed_id)
        if parts:
            offsets = np.array([part[0] for part in parts])
            which = np.searchsorted(offsets, found_starts, side="right") - 1  # last part starting at or before
            for position, index, start in zip(positions, which, found_starts, strict=True):
                if start >= 0 and index >= 0:
                    part_ids[position], part_kinds[position] = parts[index][1], parts[index][2]
        for position in positions[found_starts < 0]:
            excerpt = excerpts[position]
            if not excerpt:
                continue
            row = claims.iloc[position]
            nearest = seed.nearest(excerpt)
            issues.append(
                Issue(
                    IssueKind.EXCERPT_MISMATCH,
                    table.file,
                    row.line,
                    f"claim '{row.claim_id}': excerpt is not verbatim in {files.get(seed_id)} "
                    f"(only runs of whitespace may differ). Expected: “{excerpt}”. "
                    f"Nearest passage ({nearest.score:g}% similar): “{nearest.text}”. "
                    "Fix: copy the nearest passage into the excerpt column as it is",
                )
            )
    starts = [int(v) if v >= 0 else None for v in starts]
    ends = [int(v) if v >= 0 else None for v in ends]
    claims["start"] = pd.array(starts, dtype="Int64")
    claims["end"] = pd.array(ends, dtype="Int64")
    claims["verified"] = claims["start"].notna()
    claims["part_id"] = part_ids
    claims["part_kind"] = part_kinds
    claims["outlet"] = claims["seed_id"].map(outlets)
    claims["seed_file"] = claims["seed_id"].map(files)
    claims["commercial_context"] = claims["commercial_context"] == "true"
    return _keyed(claims, "claim_id")


def _cross_check(tables: dict[str, _Table], claims: pd.DataFrame, sources: pd.DataFrame, issues: list[Issue]) -> None:
    """Rules that span tables: who speaks where, what sells, and effects quoted in their claims."""
    claims_file = tables["claims"].file
    sellers = set(sources.loc[sources.get("products_promoted").notna(), "seed_id"]) if len(sources) else set()
    if len(claims) and {"start", "part_kind", "speaker", "commercial_context", "seed_id"} <= set(claims.columns):
        # Vectorised masks pick the few rows that break a rule; only those are looped over.
        located = claims["start"].notna()
        in_comments = claims["part_kind"] == "reader_comments"
        speaker_wrong = located & (in_comments != claims["speaker"].isin(vocab.COMMENT_THREAD_SPEAKERS))
        selling_wrong = located & claims["commercial_context"].astype(bool) & ~claims["seed_id"].isin(sellers)
        for row in claims[speaker_wrong | selling_wrong].itertuples():
            if speaker_wrong[row.Index]:
                where = "in the reader comments" if in_comments[row.Index] else f"in a '{row.part_kind}' part"
                issues.append(
                    Issue(
                        IssueKind.SPEAKER_MISMATCH,
                        claims_file,
                        row.line,
                        f"claim '{row.claim_id}': speaker is '{row.speaker}' but the excerpt is {where}; "
                        "the comment thread's words are speaker 'reader_comment' (a reader) or 'site_reply' "
                        "(the site's own reply), and only theirs",
                    )
                )
            if selling_wrong[row.Index]:
                issues.append(
                    Issue(
                        IssueKind.BAD_VALUE,
                        claims_file,
                        row.line,
                        f"claim '{row.claim_id}': commercial_context is true but seed '{row.seed_id}' has no "
                        "products_promoted in data/sources.csv; set it to false or record the product",
                    )
                )
    if len(claims) and {"safety_flag", "safety_note"} <= set(claims.columns):
        flagged = claims["safety_flag"] == "true"
        noted = claims["safety_note"].fillna("").str.strip() != ""
        for row in claims[flagged != noted].itertuples():
            wanted = "a safety_note saying what the harm could be" if flagged[row.Index] else "an empty safety_note"
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    claims_file,
                    row.line,
                    f"claim '{row.claim_id}': safety_flag is '{row.safety_flag}', so it needs {wanted} "
                    "(data/CODING.md, section 5)",
                )
            )
    effects = tables["effects"]
    for index, row in _rows(effects.frame):
        claim_id, value = row.get("claim_id"), row.get("value")
        if claim_id not in claims.index or value is None:
            continue
        excerpt = claims.at[claim_id, "excerpt"]
        if str(value) not in excerpt:
            issues.append(
                Issue(
                    IssueKind.EFFECT_MISMATCH,
                    effects.file,
                    effects.line(index),
                    f"effect '{row.get('effect_id')}': value '{value}' is not written in the excerpt of claim "
                    f"'{claim_id}'; copy the value exactly as the seed writes it",
                )
            )


__all__ = ["Claim", "Ledger", "load_ledger", "read_bib_keys"]
