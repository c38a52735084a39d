"""Two raters' agreement, as both blind re-ratings report it: Krippendorff's alpha (the `krippendorff`
package) and the table that shows it. Pure code, no Sphinx; `brainbone.appraisal.agreement` (the pages' ratings)
and `brainbone.appraisal.coding_agreement` (the claims' codes) each say what is compared and at which level."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import krippendorff
import numpy as np
import pandas as pd

ALPHA_COLUMN = "Krippendorff's alpha"


class Agreed(Protocol):
    """What a table row needs from a result: codes alike, their share, alpha and its level."""

    agreed: int
    alpha: float | None
    level: str

    @property
    def raw(self) -> float: ...


def alpha(first: Sequence[float], second: Sequence[float], level: str) -> float | None:
    """Krippendorff's alpha for two raters' numeric codes of the same units (NaN where a unit is not
    rated), or None where it is not defined: every code given is the same."""
    data = np.array([first, second], dtype=float)
    if len(np.unique(data[~np.isnan(data)])) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def _cell(value: object) -> object:
    """A table cell: a yes/no for a truth value, two decimals for a fraction, anything else as it is."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.2f}" if isinstance(value, float) else value


@dataclass(frozen=True)
class TableLayout:
    """How an agreement table shows its results: first the `before` attributes (what was compared)
    under their headings, then the `identical` count with its share (formatted by `percent`, e.g.
    ".0%"), then alpha with its level (`undefined` says why there is none), then the `after` attributes."""

    before: Mapping[str, str]  # attribute -> heading
    identical: str
    percent: str
    undefined: str
    after: Mapping[str, str] = field(default_factory=dict)

    def row(self, result: Agreed) -> dict[str, object]:
        alpha = result.alpha
        return {
            **{heading: _cell(getattr(result, name)) for name, heading in self.before.items()},
            self.identical: f"{result.agreed} ({result.raw:{self.percent}})",
            ALPHA_COLUMN: f"{alpha:.2f} ({result.level})" if alpha is not None else f"not defined: {self.undefined}",
            **{heading: _cell(getattr(result, name)) for name, heading in self.after.items()},
        }

    def frame(self, results: Iterable[Agreed]) -> pd.DataFrame:
        headings = [*self.before.values(), self.identical, ALPHA_COLUMN, *self.after.values()]
        return pd.DataFrame([self.row(result) for result in results], columns=headings)


__all__ = ["ALPHA_COLUMN", "Agreed", "TableLayout", "alpha"]
