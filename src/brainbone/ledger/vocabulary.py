"""The ledger's controlled vocabularies, read from one table, `data/vocabulary.csv`.

Each row is one value of one field (`section`, `speaker`, `evidence_type`, ...) with everything the
book needs to show it: label, short label, family, order, colour, marker and description. The schema
takes its enumerations from here, and figures, tables, the explorer and the quotes their words and
colours; data/README.md documents the table. Light to import: the csv module, no pandas.

The module-level names (`SECTIONS`, `APPRAISALS`, `label()`, ...) describe the book's own vocabulary
(the `data/vocabulary.csv` of the book found from here); `load_ledger()` reads the vocabulary of the
book it loads, as `ledger.vocabulary`.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from brainbone import layout

COLUMNS = ("field", "value", "label", "short_label", "family", "order", "colour", "marker", "description")
# matplotlib marker codes a figure may use; one letter or symbol each.
MARKERS = frozenset("o s ^ v < > D d P X x * p h H + 8".split())
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Term:
    """One value of one field, with how the book shows it."""

    field: str
    value: str
    label: str
    short_label: str
    family: str
    order: int
    colour: str  # "#rrggbb"
    marker: str  # a matplotlib marker code
    description: str


class VocabularyError(ValueError):
    """A malformed vocabulary table; the message names the file and line, like a ledger issue."""

    def __init__(self, file: str, line: int | None, message: str):
        self.file, self.line = file, line
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")


class Vocabulary:
    """Every term of every field, in each field's order."""

    def __init__(self, terms: list[Term], file: str = layout.VOCABULARY_FILE):
        self.file = file
        self._terms: dict[str, dict[str, Term]] = {}
        for term in sorted(terms, key=lambda t: t.order):
            self._terms.setdefault(term.field, {})[term.value] = term

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self._terms)

    def terms(self, field: str) -> tuple[Term, ...]:
        return tuple(self._field(field).values())

    def values(self, field: str) -> tuple[str, ...]:
        """The field's values in their order, e.g. `values("appraisal")`."""
        return tuple(self._field(field))

    def term(self, field: str, value: str) -> Term:
        terms = self._field(field)
        if value not in terms:
            nearest = difflib.get_close_matches(str(value), list(terms), n=1)
            hint = f" (nearest: '{nearest[0]}')" if nearest else ""
            raise KeyError(f"'{value}' is not a value of '{field}' in {self.file}{hint}; add a row there first")
        return terms[value]

    def label(self, value: str, field: str | None = None) -> str:
        """The human label of a value ('none_stated' → 'none stated'). Without `field`, the label of
        the first field that has the value (a value shared by fields has one label: a test checks);
        a value in no field reads with its underscores as spaces."""
        if field is not None:
            return self.term(field, value).label
        for terms in self._terms.values():
            if value in terms:
                return terms[value].label
        return str(value).replace("_", " ")

    def labels(self, field: str) -> dict[str, str]:
        return {t.value: t.label for t in self.terms(field)}

    def short_labels(self, field: str) -> dict[str, str]:
        return {t.value: t.short_label for t in self.terms(field)}

    def colours(self, field: str) -> dict[str, str]:
        return {t.value: t.colour for t in self.terms(field)}

    def markers(self, field: str) -> dict[str, str]:
        return {t.value: t.marker for t in self.terms(field)}

    def families(self, field: str) -> dict[str, str]:
        return {t.value: t.family for t in self.terms(field)}

    def in_family(self, field: str, *families: str) -> tuple[str, ...]:
        """The field's values whose family is one of `families`, in order."""
        return tuple(t.value for t in self.terms(field) if t.family in families)

    def _field(self, field: str) -> dict[str, Term]:
        if field not in self._terms:
            nearest = difflib.get_close_matches(field, list(self._terms), n=1)
            hint = f" (nearest: '{nearest[0]}')" if nearest else ""
            raise KeyError(f"no field '{field}' in {self.file}{hint}")
        return self._terms[field]


# Columns of the ledger whose vocabulary field has another name; every other enumerated column
# is named after its field (`speaker`, `evidence_type`, ...).
COLUMN_FIELDS = {"commercial_context": "boolean", "kind": "part_kind"}


def field_of(column: str) -> str:
    """The vocabulary field a ledger column takes its values from."""
    return COLUMN_FIELDS.get(column, column)


def read_vocabulary(path: Path, file: str = layout.VOCABULARY_FILE) -> Vocabulary:
    """Read and check a vocabulary table; raise `VocabularyError` naming the line of the first problem."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if tuple(header) != COLUMNS:
            raise VocabularyError(file, 1, f"the header must be: {','.join(COLUMNS)}; found: {','.join(header)}")
        terms, seen = [], {}
        line = reader.line_num
        for row in reader:
            first, line = line + 1, reader.line_num
            if not "".join(row).strip():
                continue
            if len(row) != len(COLUMNS):
                raise VocabularyError(file, first, f"expected {len(COLUMNS)} fields, found {len(row)}")
            cells = dict(zip(COLUMNS, row, strict=True))
            empty = [name for name in COLUMNS if not cells[name].strip()]
            if empty:
                raise VocabularyError(
                    file, first, f"'{cells['value']}' has no {', '.join(empty)}; every cell is required"
                )
            key = (cells["field"], cells["value"])
            if key in seen:
                raise VocabularyError(file, first, f"{key[0]} '{key[1]}' is already defined on line {seen[key]}")
            seen[key] = first
            if not cells["order"].isdigit():
                raise VocabularyError(file, first, f"order must be a whole number, got '{cells['order']}'")
            if not _COLOUR.match(cells["colour"]):
                raise VocabularyError(file, first, f"colour must be #rrggbb, got '{cells['colour']}'")
            if cells["marker"] not in MARKERS:
                raise VocabularyError(
                    file, first, f"marker '{cells['marker']}' is not one of: {' '.join(sorted(MARKERS))}"
                )
            terms.append(Term(**{**cells, "order": int(cells["order"])}))
    return Vocabulary(terms, file)


def load(root: Path) -> Vocabulary:
    """The vocabulary of the book at `root` (see `layout.vocabulary_file`), re-read when it changes."""
    path = layout.vocabulary_file(root).resolve()
    file = layout.VOCABULARY_FILE if path == (Path(root).resolve() / layout.VOCABULARY_FILE) else str(path)
    return _load(path, file, path.stat().st_mtime_ns)


@cache
def _load(path: Path, file: str, _mtime: int) -> Vocabulary:
    return read_vocabulary(path, file)


def _default_root() -> Path:
    try:
        return layout.find_book_root()
    except FileNotFoundError:
        return layout.INSTALLED_ROOT


DEFAULT = load(_default_root())

# The names other modules have always used, now derived from the table.
SECTIONS = DEFAULT.values("section")
DIRECTIONS = DEFAULT.values("direction")
SPEAKERS = DEFAULT.values("speaker")
EVIDENCE_TYPES = DEFAULT.values("evidence_type")
APPRAISALS = DEFAULT.values("appraisal")
# Parts whose text carries claims; the rest is page furniture or reference lists.
SUBSTANTIVE_PART_KINDS = DEFAULT.in_family("part_kind", "substantive")
# Speakers in a comment thread: readers, and the site owner replying to them (issue 9).
COMMENT_THREAD_SPEAKERS = DEFAULT.in_family("speaker", "reader")
# Sumner et al.'s exaggeration codes (data/CODING.md, section 4); causal language and advice are ordinal.
CAUSAL_LANGUAGES = DEFAULT.values("causal_language")
SPECIES_DROPPED = DEFAULT.values("species_dropped")
ADVICE_LEVELS = DEFAULT.values("advice")
# The badge and column label for commercial_context: the claim promotes, or sits in a passage
# promoting, what the page itself says it sells or advertises (data/CODING.md).
COMMERCIAL_LABEL = "promotes the site's offer"


def label(value: str, field: str | None = None) -> str:
    """The human label of a vocabulary value ('none_stated' → 'none stated')."""
    return DEFAULT.label(value, field)


__all__ = [
    "ADVICE_LEVELS",
    "APPRAISALS",
    "CAUSAL_LANGUAGES",
    "COMMENT_THREAD_SPEAKERS",
    "COMMERCIAL_LABEL",
    "COLUMNS",
    "DEFAULT",
    "DIRECTIONS",
    "EVIDENCE_TYPES",
    "SECTIONS",
    "SPEAKERS",
    "SPECIES_DROPPED",
    "SUBSTANTIVE_PART_KINDS",
    "Term",
    "Vocabulary",
    "VocabularyError",
    "field_of",
    "label",
    "load",
    "read_vocabulary",
]
