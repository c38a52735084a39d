"""Agreement between the book's instrument ratings and a blind second rating: raw agreement and Krippendorff's alpha.

Pure code, no Sphinx. Alpha comes from the `krippendorff` package: ordinal for DISCERN's 1-5 ratings (a question
left out as not applicable counts as missing), nominal for the JAMA benchmarks and HealthNewsReview.org's criteria.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import pandera.pandas as pa

from brainbone.appraisal import reliability
from brainbone.appraisal.ratings import KEY, SECOND_RATINGS_FILE, RatingTable, file_issues, instrument_column
from brainbone.errors import Issue, IssueKind
from brainbone.ledger import instruments as inst
from brainbone.ledger import schema
from brainbone.ledger.reading import read_table
from brainbone.ledger.validation import did_you_mean

if TYPE_CHECKING:  # the ledger imports the catalog, which names this module
    from brainbone.ledger.loader import Ledger

SECOND_COLUMNS = ("seed_id", "instrument", "item", "rating", "justification")
# The blind rater's sheet, as `brainbone.ledger.instruments.blank_sheet` writes it.
SHEET_COLUMNS = ("seed_id", "seed_file", "instrument", "item", "item_text", "scale", "rating", "justification")
# DISCERN's published reliability of the overall rating (question 16), weighted kappa (Charnock et al. 1999).
DISCERN_PUBLISHED_KAPPA = {"expert raters": 0.53, "information providers": 0.40, "self-help group members": 0.23}


@dataclass
class SecondRating:
    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)


def second_ratings_schema() -> pa.DataFrameSchema:
    """The second rater's sheet as returned: the blank sheet's columns, rating and justification filled in."""
    columns = {name: schema.text() for name in SHEET_COLUMNS}
    columns["seed_id"] = schema.foreign_key("sources", fix="fix the seed_id")
    columns["instrument"] = instrument_column()
    return schema.table(**columns)


def load_second(ledger: Ledger, first: RatingTable | None = None) -> SecondRating:
    """The second rating as the ledger loaded it, with every problem found in its file."""
    frame = ledger.tables.get("second_ratings")
    if frame is None or "line" not in frame.columns:  # not checked by this ledger (an absent or broken sheet)
        frame, _ = _checked(ledger)
    return SecondRating(frame, file_issues(ledger, SECOND_RATINGS_FILE))


def check_second(ledger: Ledger) -> list[Issue]:
    """The sheet covers exactly the first rating's rows, on the same scales (a `catalog` rule). The ledger
    keeps the sheet with its file lines, so that the Sources chapter reads it without reading the file again."""
    if not (ledger.root / SECOND_RATINGS_FILE).exists():
        return []
    frame, issues = _checked(ledger)
    if "line" in frame.columns:
        ledger.tables["second_ratings"] = frame
    return issues


def _checked(ledger: Ledger) -> tuple[pd.DataFrame, list[Issue]]:
    issues: list[Issue] = []
    rel = SECOND_RATINGS_FILE
    table = read_table(ledger.root, rel, columns=list(SHEET_COLUMNS), required=False)
    frame = ledger.tables.get("second_ratings", table.frame)
    lines = table.lines
    first = ledger.tables.get("source_ratings")
    if first is None or list(frame.columns) != list(SHEET_COLUMNS) or len(lines) != len(frame):
        return frame, issues
    wanted = {tuple(k) for k in first[list(KEY)].itertuples(index=False)}
    seen = set()
    for position, row in enumerate(frame.to_dict("records")):
        key = (row["seed_id"], row["instrument"], row["item"])
        line = lines[position]
        if key not in wanted:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    rel,
                    line,
                    f"no first rating of {key[1]} {key[2]} for seed '{key[0]}'; the second rating must use the same rows",
                )
            )
            continue
        if key in seen:
            issues.append(
                Issue(IssueKind.DUPLICATE_ID, rel, line, f"{key[1]} {key[2]} for seed '{key[0]}' is rated twice")
            )
        seen.add(key)
        scale = inst.SCALES[key[1]]
        if row["rating"] not in scale:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    rel,
                    line,
                    f"{key[1]} {key[2]} for seed '{key[0]}': rating '{row['rating']}' is not on the scale; expected one "
                    f"of: {', '.join(scale)}{did_you_mean(row['rating'], scale)}",
                )
            )
    for key in sorted(wanted - seen):
        issues.append(Issue(IssueKind.LEDGER_INVALID, rel, None, f"{key[1]} {key[2]} for seed '{key[0]}' is not rated"))
    return frame.assign(line=lines), issues


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
    "check_second",
    "second_ratings_schema",
    "Agreement",
    "agreement",
    "agreement_table",
    "alpha",
    "load_second",
    "paired",
]
