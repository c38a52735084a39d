"""Named selections of the ledger, each defined once: the chapters, figures and facts use these."""

from __future__ import annotations

import pandas as pd

from brainbone.book.figuredata import harvest_claims
from brainbone.ledger.loader import Ledger
from brainbone.ledger.rules import sells

# The claims' `reference_target` when a reference marker covers the claim but the stored page keeps no
# target for it (data/vocabulary.csv; the rule is in data/CODING.md).
UNRESOLVED = "unresolved"


# The one study behind the seeds' quantitative results: the Women's Health Initiative analysis of social
# strain and bone loss (data/effects.csv), and its results by effect_id with the key of each in the prose.
WHI_STUDY = "follis2019"
WHI_SITES = (("whi-femoral-neck", "femoral_neck"), ("whi-total-hip", "total_hip"), ("whi-lumbar-spine", "lumbar_spine"))

# The questions of the checked context file (data/checked/context-studies.csv) that each forest plot draws.
ASSOCIATION_QUESTIONS = ("Q1", "Q2", "Q4", "Q5", "Q6")
INTERVENTION_QUESTIONS = ("Q3", "Q8", "Q9", "Q10", "Q12", "Q13")


def association_effects(ledger: Ledger, context) -> pd.DataFrame:
    """What the associations forest plot draws (brainbone.book.forest.forest_data): the context rows on
    ASSOCIATION_QUESTIONS and, in a panel of their own, the seeds' estimates from WHI_STUDY."""
    from brainbone.book import forest  # matplotlib: only the chapters that draw a forest plot pay for it

    return forest.reported_effects(ledger, context, list(ASSOCIATION_QUESTIONS), seed_sources=[WHI_STUDY])


def intervention_effects(ledger: Ledger, context) -> pd.DataFrame:
    """What the interventions forest plot draws: the context rows on INTERVENTION_QUESTIONS."""
    from brainbone.book import forest

    return forest.reported_effects(ledger, context, list(INTERVENTION_QUESTIONS))


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
    "ASSOCIATION_QUESTIONS",
    "INTERVENTION_QUESTIONS",
    "WHI_SITES",
    "UNRESOLVED",
    "WHI_STUDY",
    "association_effects",
    "citing",
    "harvest_claims",
    "human_evidence",
    "in_people",
    "intervention_effects",
    "review_evidence",
    "sellers",
    "unresolved_references",
]
