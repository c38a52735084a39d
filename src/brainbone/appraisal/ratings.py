"""The pages' ratings on the published instruments (`data/source_ratings.csv`), as the book reads them.

Pure code, no Sphinx. The table, its schema and its rules live in `brainbone.ledger.rating_tables`: `load_ledger()`
validates and locates it (items and scales, one row per seed and item, an absence stated where nothing is cited,
each `evidence` excerpt verbatim in its seed); `load_ratings()` reads the result, every problem a located `Issue`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from brainbone.errors import Issue, Validated
from brainbone.ledger import instruments
from brainbone.ledger.rating_tables import (
    LOCATED_COLUMNS,
    RATINGS_FILE,
    SECOND_RATINGS_FILE,
    locate_ratings,
    located_ratings,
    source_ratings_schema,
)

if TYPE_CHECKING:  # the ledger imports the catalog, which names this module
    from brainbone.ledger.loader import Ledger


@dataclass
class RatingTable(Validated):
    """The ratings, one row per seed × item, with each evidence excerpt's place in its seed, and their problems."""

    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    file: str = RATINGS_FILE

    def rows(self) -> list[dict]:
        return self.frame.to_dict("records")

    def rated_seeds(self, seed_ids) -> list[str]:
        """The seeds, in the order given, that have ratings."""
        present = set(self.frame.seed_id)
        return [seed_id for seed_id in seed_ids if seed_id in present]

    def scores(self, seed_id: str) -> instruments.SeedScores:
        return instruments.seed_scores(self.rows(), seed_id)


def file_issues(ledger: Ledger, rel: str) -> list[Issue]:
    """The ledger's problems in one file."""
    return [issue for issue in ledger.issues if issue.file == rel]


def load_ratings(ledger: Ledger, rel: str = RATINGS_FILE) -> RatingTable:
    """The ratings as the ledger loaded them, with evidence offsets, and every problem found in their file.
    The ledger's own table is located once, when it loads (`locate_ratings`); another file is located here."""
    frame = ledger.tables.get("source_ratings") if rel == RATINGS_FILE else None
    if frame is None or not set(LOCATED_COLUMNS) <= set(frame.columns):
        frame, _ = located_ratings(ledger, rel)
    return RatingTable(frame, file_issues(ledger, rel), rel)


def seed_labels(sources: pd.DataFrame, width: int = 14) -> dict[str, str]:
    """Column labels: each seed's outlet, wrapped, with the last part of its seed_id where two seeds share an outlet."""
    repeated = sources.outlet.duplicated(keep=False)
    labels = {}
    for seed_id, outlet, twice in zip(sources.seed_id, sources.outlet, repeated, strict=True):
        label = f"{outlet} ({seed_id.rsplit('-', 1)[-1]})" if twice else outlet
        labels[seed_id] = textwrap.fill(label, width)
    return labels


def long_table(table: RatingTable, seed_ids) -> pd.DataFrame:
    """Ratings as a seed × item matrix of strings, items in the instruments' order: what the comparison figure draws."""
    frame = table.frame.set_index(["instrument", "item", "seed_id"])["rating"].unstack("seed_id")
    order = pd.MultiIndex.from_tuples(instruments.ITEM_KEYS, names=["instrument", "item"])
    return frame.reindex(index=order, columns=list(seed_ids))


__all__ = [
    "RATINGS_FILE",
    "SECOND_RATINGS_FILE",
    "RatingTable",
    "locate_ratings",
    "file_issues",
    "load_ratings",
    "long_table",
    "seed_labels",
    "source_ratings_schema",
]
