"""Agreement between the book's instrument ratings and a blind second rating: raw agreement and Krippendorff's alpha.

Pure code, no Sphinx. Alpha comes from the `krippendorff` package: ordinal for DISCERN's 1-5 ratings (a question
left out as not applicable counts as missing), nominal for the JAMA benchmarks and HealthNewsReview.org's criteria.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from brainbone.appraisal import reliability
from brainbone.appraisal.ratings import RatingTable, file_issues
from brainbone.errors import Issue
from brainbone.ledger import instruments as inst
from brainbone.ledger.rating_tables import (
    KEY,
    SECOND_RATINGS_FILE,
    locate_second,
    located_second,
    second_ratings_schema,
)

if TYPE_CHECKING:  # the ledger imports the catalog, which names this module
    from brainbone.ledger.loader import Ledger

# DISCERN's published reliability of the overall rating (question 16), weighted kappa (Charnock et al. 1999).
DISCERN_PUBLISHED_KAPPA = {"expert raters": 0.53, "information providers": 0.40, "self-help group members": 0.23}


@dataclass
class SecondRating:
    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)


def load_second(ledger: Ledger, first: RatingTable | None = None) -> SecondRating:
    """The second rating as the ledger loaded it, with every problem found in its file."""
    frame = ledger.tables.get("second_ratings")
    if frame is None or "line" not in frame.columns:  # not checked by this ledger (an absent or broken sheet)
        frame, _ = located_second(ledger)
    return SecondRating(frame, file_issues(ledger, SECOND_RATINGS_FILE))


def paired(first: RatingTable, second: SecondRating) -> pd.DataFrame:
    """One row per seed × item with both ratings, in the first rating's order."""
    return first.frame[[*KEY, "rating"]].merge(
        second.frame[[*KEY, "rating"]], on=list(KEY), suffixes=("_first", "_second"), how="inner", validate="1:1"
    )


def _codes(values: pd.Series, instrument: str) -> list[float]:
    """Ratings as numbers for `krippendorff.alpha`: DISCERN's own 1-5 (not applicable is missing), others by category."""
    if instrument == inst.DISCERN:
        return [float(v) if v in inst.DISCERN_SCALE else math.nan for v in values]
    categories = inst.SCALES[instrument]
    return [float(categories.index(v)) if v in categories else math.nan for v in values]


def alpha(first: pd.Series, second: pd.Series, instrument: str) -> float | None:
    """Krippendorff's alpha for two raters, or None where it is not defined (every rating the same category)."""
    return reliability.alpha(_codes(first, instrument), _codes(second, instrument), _level(instrument))


def _level(instrument: str) -> str:
    return "ordinal" if instrument == inst.DISCERN else "nominal"


@dataclass(frozen=True)
class Agreement:
    scope: str
    instrument: str
    items: int
    agreed: int
    alpha: float | None
    level: str

    @property
    def raw(self) -> float:
        return self.agreed / self.items if self.items else math.nan


def agreement(first: RatingTable, second: SecondRating) -> list[Agreement]:
    """Per instrument, and for DISCERN's overall rating (question 16) alone: raw agreement and alpha."""
    pairs = paired(first, second)
    results = []
    scopes = [(inst.INSTRUMENT_NAMES[i], i, pairs.instrument == i) for i in inst.INSTRUMENTS]
    scopes.insert(
        1,
        (
            "DISCERN question 16 (overall rating)",
            inst.DISCERN,
            (pairs.instrument == inst.DISCERN) & (pairs.item == "q16"),
        ),
    )
    for scope, instrument, mask in scopes:
        chosen = pairs[mask]
        results.append(
            Agreement(
                scope=scope,
                instrument=instrument,
                items=len(chosen),
                agreed=int((chosen.rating_first == chosen.rating_second).sum()),
                alpha=alpha(chosen.rating_first, chosen.rating_second, instrument),
                level=_level(instrument),
            )
        )
    return results


TABLE = reliability.TableLayout(
    {"scope": "Ratings compared", "items": "Seed × item pairs"}, "Identical", ".0%", "every rating the same"
)


def agreement_table(results: list[Agreement]) -> pd.DataFrame:
    """The agreement figures as a readable table; an undefined alpha says why."""
    return TABLE.frame(results)


__all__ = [
    "DISCERN_PUBLISHED_KAPPA",
    "locate_second",
    "second_ratings_schema",
    "Agreement",
    "agreement",
    "agreement_table",
    "alpha",
    "load_second",
    "paired",
]
