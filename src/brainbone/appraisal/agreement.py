"""Agreement between the book's instrument ratings and a blind second rating: items identical, DISCERN's items within
one point and Cohen's weighted kappa (linear weights, as data/RATING.md states; quadratic beside it), and
Krippendorff's alpha.

Pure code, no Sphinx. Alpha comes from the `krippendorff` package: ordinal for DISCERN's 1-5 ratings (a question
left out as not applicable counts as missing), nominal for the JAMA benchmarks and HealthNewsReview.org's criteria.
The second rating (data/second_ratings.csv) is the blind rater's file as delivered, with `seed_id`, `instrument`,
`item`, `rating` and `justification`; the rater spelled HealthNewsReview.org `healthnewsreview`, read here as `hnr`.
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
# The weights of the DISCERN kappa the book reports against its target (data/RATING.md), and the targets.
KAPPA_WEIGHTS = "linear"
TARGET_DISCERN_KAPPA = 0.70
TARGET_IDENTICAL = 0.90


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


def weighted_kappa(first: pd.Series, second: pd.Series, weights: str = KAPPA_WEIGHTS) -> float | None:
    """Cohen's weighted kappa for two raters on DISCERN's 1-5 scale, with `linear` (|i-j|/4) or `quadratic`
    ((|i-j|/4)^2) disagreement weights; a pair with a question left out is dropped. None where it is not defined
    (no pairs, or every rating the same)."""
    power = {"linear": 1, "quadratic": 2}[weights]
    pairs = [
        (int(a), int(b))
        for a, b in zip(first, second, strict=True)
        if a in inst.DISCERN_SCALE and b in inst.DISCERN_SCALE
    ]
    if not pairs:
        return None
    n, scale = len(pairs), range(1, len(inst.DISCERN_SCALE) + 1)
    rows = {i: sum(a == i for a, _ in pairs) for i in scale}
    columns = {j: sum(b == j for _, b in pairs) for j in scale}

    def weight(i: int, j: int) -> float:
        return (abs(i - j) / (len(scale) - 1)) ** power

    observed = sum(weight(a, b) for a, b in pairs) / n
    expected = sum(weight(i, j) * rows[i] * columns[j] for i in scale for j in scale) / n**2
    return None if expected == 0 else 1 - observed / expected


def within_one(first: pd.Series, second: pd.Series) -> int:
    """DISCERN pairs, both rated 1-5, that differ by at most one point."""
    return sum(
        abs(int(a) - int(b)) <= 1
        for a, b in zip(first, second, strict=True)
        if a in inst.DISCERN_SCALE and b in inst.DISCERN_SCALE
    )


@dataclass(frozen=True)
class Agreement:
    scope: str
    instrument: str
    items: int
    agreed: int
    alpha: float | None
    level: str
    within_one: int | None = None  # DISCERN only
    kappa: float | None = None  # DISCERN only: weighted kappa, KAPPA_WEIGHTS
    kappa_quadratic: float | None = None
    has_target: bool = True  # the targets are set per instrument, not for question 16 alone

    @property
    def raw(self) -> float:
        return self.agreed / self.items if self.items else math.nan

    @property
    def within_one_cell(self) -> str:
        if self.within_one is None:
            return "–"
        return f"{self.within_one} ({self.within_one / self.items:.0%})" if self.items else "–"

    @property
    def kappa_cell(self) -> str:
        if self.kappa is None:
            return "–"
        return f"{self.kappa:.2f} ({KAPPA_WEIGHTS}); {self.kappa_quadratic:.2f} (quadratic)"

    @property
    def target_cell(self) -> str:
        if not self.has_target:
            return "–"
        if self.instrument == inst.DISCERN:
            met = self.kappa is not None and self.kappa >= TARGET_DISCERN_KAPPA
            return f"kappa ≥ {TARGET_DISCERN_KAPPA:.2f}: {'met' if met else 'not met'}"
        met = self.items > 0 and self.raw >= TARGET_IDENTICAL
        return f"≥ {TARGET_IDENTICAL:.0%} identical: {'met' if met else 'not met'}"


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
        discern = instrument == inst.DISCERN
        first_ratings, second_ratings = chosen.rating_first, chosen.rating_second
        results.append(
            Agreement(
                scope=scope,
                instrument=instrument,
                items=len(chosen),
                agreed=int((first_ratings == second_ratings).sum()),
                alpha=alpha(first_ratings, second_ratings, instrument),
                level=_level(instrument),
                within_one=within_one(first_ratings, second_ratings) if discern else None,
                kappa=weighted_kappa(first_ratings, second_ratings) if discern else None,
                kappa_quadratic=weighted_kappa(first_ratings, second_ratings, "quadratic") if discern else None,
                has_target=scope == inst.INSTRUMENT_NAMES[instrument],
            )
        )
    return results


def discern_direction(first: RatingTable, second: SecondRating) -> tuple[int, int]:
    """Of the DISCERN items both rated 1-5 and rated differently: how many the book rated higher, and how many lower."""
    pairs = paired(first, second)
    pairs = pairs[
        (pairs.instrument == inst.DISCERN)
        & pairs.rating_first.isin(inst.DISCERN_SCALE)
        & pairs.rating_second.isin(inst.DISCERN_SCALE)
    ]
    book, blind = pairs.rating_first.astype(int), pairs.rating_second.astype(int)
    return int((book > blind).sum()), int((book < blind).sum())


def disagreements(first: RatingTable, second: SecondRating, outlets: dict[str, str]) -> pd.DataFrame:
    """Every seed × item the two ratings differ on, in the instruments' order, with both ratings."""
    pairs = paired(first, second)
    differ = pairs[pairs.rating_first != pairs.rating_second]
    return pd.DataFrame(
        {
            "Page": [outlets.get(s, s) for s in differ.seed_id],
            "Instrument": [inst.INSTRUMENT_NAMES[i] for i in differ.instrument],
            "Item": [
                f"{item} ({inst.SHORT_LABELS[(i, item)]})"
                for i, item in zip(differ.instrument, differ.item, strict=True)
            ],
            "Book": differ.rating_first.str.replace("_", " ").tolist(),
            "Blind rater": differ.rating_second.str.replace("_", " ").tolist(),
        }
    ).reset_index(drop=True)


TABLE = reliability.TableLayout(
    {"scope": "Ratings compared", "items": "Seed × item pairs"},
    "Identical",
    ".0%",
    "every rating the same",
    after={"within_one_cell": "Within one point", "kappa_cell": "Weighted kappa", "target_cell": "Target"},
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
    "disagreements",
    "discern_direction",
    "load_second",
    "weighted_kappa",
    "within_one",
    "paired",
]
