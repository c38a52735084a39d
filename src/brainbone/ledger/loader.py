"""The claims ledger: its type, and `load_ledger()`, which reads, validates and verifies it.

Everything here is pure: no Sphinx. `load_ledger()` never raises for bad data; it returns a
`Ledger` whose `issues` name the file, the line, what was expected and the nearest match. The
work is done by `brainbone.ledger.reading` (tables with line numbers), `brainbone.ledger.validation` (pandera,
with messages), `brainbone.ledger.rules` (across tables and seeds); the tables are declared in
`brainbone.ledger.catalog`.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from brainbone import layout
from brainbone.errors import Issue, IssueKind, Validated, nearest
from brainbone.ledger import catalog, rules
from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.catalog import TableSpec
from brainbone.ledger.reading import Table, read_table
from brainbone.ledger.seeds import SeedText

# Kept for code written before brainbone.layout and brainbone.ledger.catalog.
TABLE_FILES = catalog.table_files()
BIB_FILE = layout.BIB_FILE
SEEDS_DIR = layout.SEEDS_DIR


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
class Ledger(Validated):
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
    # Every table by name, the five above included, and tables declared since (catalog.TABLES).
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    # The files the tables were read from, by name, relative to `root`.
    table_files: dict[str, str] = field(default_factory=dict)
    vocabulary: vocab.Vocabulary = field(default_factory=lambda: vocab.DEFAULT)

    def __getattr__(self, name: str) -> pd.DataFrame:
        """`ledger.source_ratings` for `ledger.tables["source_ratings"]`: declared tables as attributes."""
        tables = self.__dict__.get("tables")
        if name.startswith("__") or tables is None or name not in tables:
            raise AttributeError(f"'Ledger' object has no attribute or table '{name}'")
        return tables[name]

    def has_claim(self, claim_id: str) -> bool:
        return claim_id in self.claims.index

    def nearest_claim_id(self, claim_id: str) -> str | None:
        return nearest(claim_id, self.claims.index)

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
        files = [self.root / rel for rel in (self.table_files or TABLE_FILES).values()]
        files += [self.root / layout.BIB_FILE, layout.vocabulary_file(self.root)]
        return files + [self.root / f for f in self.sources.get("file", [])]


def read_bib_keys(path: Path) -> frozenset[str]:
    from pybtex.database import parse_file  # only when the ledger is read, not when it comes from the cache

    return frozenset(parse_file(str(path), bib_format="bibtex").entries.keys())


def load_ledger(
    root: Path | None = None, *, verify: bool = True, tables: Sequence[TableSpec] = catalog.TABLES
) -> Ledger:
    """Read, validate and (unless `verify=False`) verify the whole ledger under `root`: every table
    in `tables` (by default those `brainbone.ledger.catalog` declares), references.bib and the seeds."""
    with _collector_paused():
        return _load_ledger(Path(root) if root is not None else layout.find_book_root(), verify, tables)


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


def _load_ledger(root: Path, verify: bool, specs: Sequence[TableSpec]) -> Ledger:
    # pandera is imported only to validate: a ledger from brainbone.ledger.cache needs none of it.
    from brainbone.ledger.schema import REFERENCES
    from brainbone.ledger.validation import KeyTarget, foreign_keys, validate

    issues: list[Issue] = []
    try:
        vocabulary = vocab.load(root)
    except vocab.VocabularyError as error:
        issues.append(Issue(IssueKind.VOCABULARY_INVALID, error.file, error.line, str(error).split(": ", 1)[-1]))
        vocabulary = vocab.DEFAULT
    try:
        bib_keys = read_bib_keys(root / layout.BIB_FILE)
    except FileNotFoundError:
        issues.append(Issue(IssueKind.LEDGER_INVALID, layout.BIB_FILE, None, "file is missing"))
        bib_keys = frozenset()

    targets = {REFERENCES: KeyTarget(bib_keys, layout.BIB_FILE, IssueKind.UNKNOWN_REFERENCE)}
    read: dict[str, Table] = {}
    frames: dict[str, pd.DataFrame] = {}
    for spec in specs:
        schema_ = spec.build_schema(vocabulary)
        table = read_table(root, spec.file, columns=list(schema_.columns), required=spec.required)
        issues.extend(table.issues)
        links = foreign_keys(schema_)
        for column, target in links.items():
            if target not in targets:
                raise ValueError(
                    f"table '{spec.name}': column '{column}' is a foreign key to '{target}', which is not "
                    f"declared before it with a key column; declared so far: {', '.join(targets)}"
                )
        frame, found = validate(table, schema_, {column: targets[target] for column, target in links.items()})
        issues.extend(found)
        # A missing column is reported above; an empty one stands in, so that later rules see every column.
        missing = [column for column in schema_.columns if column not in frame.columns]
        if missing:
            frame = frame.assign(**dict.fromkeys(missing, None))
        if spec.key is not None:
            keys = frame[spec.key].dropna() if spec.key in frame else pd.Series(dtype=object)
            targets[spec.name] = KeyTarget(frozenset(keys), spec.file, spec.unknown_kind)
        read[spec.name], frames[spec.name] = table, frame

    sources, seed_parts = frames["sources"], frames["seed_parts"]
    seed_texts = rules.read_seeds(root, read["sources"], sources, issues)
    part_starts = rules.locate_parts(read["seed_parts"], seed_parts, seed_texts, issues)
    frames["claims"] = rules.enrich_claims(
        read["claims"], frames["claims"], sources, seed_texts, part_starts, verify, issues
    )
    for spec in specs:
        if spec.indexed and spec.key is not None:
            frames[spec.name] = rules.keyed(frames[spec.name], spec.key)
    rules.cross_check(read, frames["claims"], frames["sources"], issues)
    rules.part_claims(read, frames["claims"], frames["sources"], part_starts, issues)

    ledger = Ledger(
        root,
        frames["sources"],
        frames["topics"],
        frames["seed_parts"],
        frames["claims"],
        frames["effects"],
        bib_keys,
        seed_texts,
        issues,
        part_starts=part_starts,
        tables=frames,
        table_files={spec.name: spec.file for spec in specs},
        vocabulary=vocabulary,
    )
    for spec in specs:
        locate = spec.locate_function()
        if locate is not None:
            frame, found = locate(ledger)
            if frame is not None:
                frames[spec.name] = frame  # the loader keeps the located table; a rule changes nothing
            issues.extend(found)
        for rule in spec.rule_functions():
            issues.extend(rule(ledger))
    return ledger


__all__ = ["Claim", "Ledger", "PartSpan", "load_ledger", "read_bib_keys"]
