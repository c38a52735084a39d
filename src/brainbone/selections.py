"""Named selections of the ledger, each defined once: the chapters, figures and facts use these."""

from __future__ import annotations

import pandas as pd

from brainbone.figuredata import harvest_claims
from brainbone.ledger import Ledger
from brainbone.rules import sells

# The claims' `reference_target` when a reference marker covers the claim but the stored page keeps no
# target for it (data/vocabulary.csv; the rule is in data/CODING.md).
UNRESOLVED = "unresolved"


def human_evidence(ledger: Ledger) -> tuple[str, ...]:
    """Evidence types that are studies in people: the `human` family of data/vocabulary.csv."""
    return ledger.vocabulary.in_family("evidence_type", "human")


def review_evidence(ledger: Ledger) -> tuple[str, ...]:
    """Evidence types that are reviews: the `review` family of data/vocabulary.csv."""
    return ledger.vocabulary.in_family("evidence_type", "review")


def in_people(claims: pd.DataFrame, ledger: Ledger) -> pd.Series:
    """Which of `claims` the page attributes to a study in people."""
    return claims.evidence_type.isin(human_evidence(ledger))


def sellers(ledger: Ledger) -> pd.DataFrame:
    """The seeds that sell or promote something (a non-empty `products_promoted`)."""
    return ledger.sources[sells(ledger.sources)]


def unresolved_references(ledger: Ledger) -> pd.DataFrame:
    """Claims citing a numbered reference or footnote whose target the stored page no longer keeps."""
    claims = ledger.claims
    return claims[claims.reference_target == UNRESOLVED]


def citing(ledger: Ledger, *keys: str) -> pd.DataFrame:
    """Claims whose primary source is one of the references.bib `keys`."""
    return ledger.claims[ledger.claims.primary_source.isin(keys)]


__all__ = [
    "UNRESOLVED",
    "citing",
    "harvest_claims",
    "human_evidence",
    "in_people",
    "review_evidence",
    "sellers",
    "unresolved_references",
]
