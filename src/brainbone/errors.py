"""Typed, located problems found in the ledger, shared by `make check`, the tests and Sphinx."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class IssueKind(StrEnum):
    """One kind per failure; the value is also the Sphinx warning subtype (`brainbone.<value>`)."""

    LEDGER_INVALID = "ledger_invalid"
    BAD_VALUE = "bad_value"
    DUPLICATE_ID = "duplicate_id"
    UNKNOWN_SEED = "unknown_seed"
    UNKNOWN_CLAIM = "unknown_claim"
    UNKNOWN_REFERENCE = "unknown_reference"
    UNKNOWN_TOPIC = "unknown_topic"
    UNKNOWN_KEY = "unknown_key"  # a foreign key into a table other than sources, topics or claims
    MISSING_SEED = "missing_seed"
    UNREADABLE_SEED = "unreadable_seed"  # a seed file that is empty, blank or not UTF-8
    CHECKSUM_MISMATCH = "checksum_mismatch"
    EXCERPT_MISMATCH = "excerpt_mismatch"
    BAD_PART = "bad_part"
    EFFECT_MISMATCH = "effect_mismatch"
    SPEAKER_MISMATCH = "speaker_mismatch"
    CONTEXT_MISMATCH = "context_mismatch"  # data/context_effects.csv differs from data/checked/context-studies.csv
    CONTEXT_UNVERIFIED = "context_unverified"  # a context row whose shared verdict is not verified/corrected
    VOCABULARY_INVALID = "vocabulary_invalid"


@dataclass(frozen=True)
class Issue:
    """A problem at a place: `file` is relative to the book root, `line` is 1-based or None."""

    kind: IssueKind
    file: str
    line: int | None
    message: str

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class LedgerError(Exception):
    """Raised by `Ledger.require_valid()` when the ledger has problems; carries every issue."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        lines = [str(issue) for issue in self.issues]
        super().__init__(f"{len(lines)} problem(s) in the ledger:\n" + "\n".join(lines))


class Validated:
    """What every loaded table with located problems offers: `ok`, and `require_valid()`, which
    returns the object itself or raises `LedgerError` listing every issue. Needs an `issues` list."""

    issues: list[Issue]

    @property
    def ok(self) -> bool:
        return not self.issues

    def require_valid(self):
        if self.issues:
            raise LedgerError(self.issues)
        return self


# 'Did you mean' hints for messages (once brainbone.hints): the choice nearest to a value.
def nearest(value: object, choices) -> str | None:
    """The choice most similar to `value`, or None (rapidfuzz, imported on first use)."""
    from rapidfuzz import fuzz, process

    # A set has no order, so ties between equally near keys would resolve differently from run to run
    # (hash seeds): sort it. Ordered choices (a vocabulary) keep their order, and ties go to the first.
    choices = sorted(str(c) for c in choices) if isinstance(choices, set | frozenset) else [str(c) for c in choices]
    if not choices or value is None:
        return None
    match = process.extractOne(str(value), choices, scorer=fuzz.ratio)
    return match[0] if match else None


def did_you_mean(value: object, choices) -> str:
    """ " (nearest: 'x')" for a message, or "" when there is nothing near."""
    found = nearest(value, choices)
    return f" (nearest: '{found}')" if found else ""
