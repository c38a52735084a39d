"""The book-wide counts that more than one page states, one function each, with the unit each counts (claims,
seed pages, studies, results, links), so that a page cannot count the same thing another way
(tests/test_counts.py compares every page that states one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from brainbone.book import selections
from brainbone.ledger import vocabulary as vocab

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger


@dataclass(frozen=True)
class Count:
    """What a count counts: its unit in words ("claims") and what is counted ("claims from readers' comments")."""

    unit: str
    what: str
    compute: Callable[[Ledger], int]


COUNTS: dict[str, Count] = {
    "seeds": Count("seed pages", "seed pages", lambda ledger: len(ledger.sources)),
    "claims": Count("claims", "claims in the ledger", lambda ledger: len(ledger.claims)),
    "verified": Count(
        "claims",
        "claims whose excerpt the build found verbatim in its seed",
        lambda ledger: int(ledger.claims.verified.sum()),
    ),
    "commercial": Count(
        "claims",
        "claims that promote, or sit in a passage promoting, what the page sells or advertises",
        lambda ledger: int(ledger.claims.commercial_context.sum()),
    ),
    "reader_comments": Count(
        "claims", "claims from readers' comments", lambda ledger: int((ledger.claims.speaker == "reader_comment").sum())
    ),
    "comment_threads": Count(
        "claims",
        "claims from comment sections: readers' comments and the site's replies",
        lambda ledger: int(ledger.claims.speaker.isin(vocab.COMMENT_THREAD_SPEAKERS).sum()),
    ),
    "unresolved": Count(
        "claims",
        "claims whose numbered reference or footnote leads nowhere in the stored page",
        lambda ledger: len(selections.unresolved_references(ledger)),
    ),
    "references": Count(
        "studies",
        "studies the ledger ties claims to",
        lambda ledger: int(ledger.claims.primary_source.dropna().nunique()),
    ),
    "effects": Count("results", "quantitative results the seeds report", lambda ledger: len(ledger.effects)),
    "flagged": Count(
        "claims", "safety-flagged claims", lambda ledger: int((ledger.claims.safety_flag.astype(str) == "true").sum())
    ),
}


def count(ledger: Ledger, name: str) -> int:
    """The count `name` of COUNTS; a KeyError names the counts there are."""
    if name not in COUNTS:
        raise KeyError(f"no count '{name}'; counts: {', '.join(COUNTS)}")
    return COUNTS[name].compute(ledger)


def with_unit(ledger: Ledger, name: str) -> str:
    """'240 claims', '1 claim': the count with its unit, for prose that does not name it."""
    value = count(ledger, name)
    unit = COUNTS[name].unit
    return f"{value} {unit[:-1] if value == 1 and unit.endswith('s') else unit}"


__all__ = ["COUNTS", "Count", "count", "with_unit"]
