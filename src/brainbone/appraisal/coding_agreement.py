"""Agreement between the ledger's first coding and the blind second coding of the claims, per field:
raw agreement and Krippendorff's alpha (the `krippendorff` package), before reconciliation.

The first coding is the ledger as it stood before reconciliation: `data/claims.csv`, except where
`data/reconciliation.csv` records that a disagreement changed the value, whose `first_value` it keeps.
Pure code, no Sphinx. (Named apart from issue 10's `agreement` module, which rates whole pages.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from brainbone import layout
from brainbone.appraisal import reliability
from brainbone.ledger.coding_tables import (
    CLAIMS_FILE,
    LEVELS,
    REFERENCE_LEVELS,
    Codings,
    check_reconciliation,
    coded_columns,
    codings,
    in_ledger_order,
    ledger_codes,
    reconciled_codes,
    reconciliation_issues,
    reconciliation_schema,
    reference_coding_schema,
    second_coding_schema,
)

if TYPE_CHECKING:  # the ledger imports the catalog, which names this module
    from brainbone.ledger.loader import Ledger


def _fields(levels: dict[str, str]) -> dict[str, tuple[tuple[str, ...], str]]:
    return {
        name: (tuple(column.metadata["allowed"]), levels[name]) for name, column in coded_columns(levels=levels).items()
    }


# Each coded field, its values in order, and its level of measurement.
FIELDS = _fields(LEVELS)
REFERENCE_FIELDS = _fields(REFERENCE_LEVELS)
# Targets set in issue 9, before the second coding: alpha on appraisal, and on every other field.
TARGET_APPRAISAL = 0.80
TARGET_OTHER = 0.67
# DISCERN's overall rating among expert raters, weighted kappa (Charnock et al. 1999), as restated in
# data/checked/instruments.md; tests/test_coding_agreement.py checks it against that file.
DISCERN_OVERALL_KAPPA_EXPERTS = 0.53


class CodingFileError(ValueError):
    """A second-coding or reconciliation file that cannot be used, with its file and line."""


def _tables(ledger: Ledger, *names: str) -> list[pd.DataFrame]:
    """The ledger's validated coding tables `names`, or a CodingFileError naming the first problem
    the ledger found in their files or in data/claims.csv (the tables are read and validated once,
    by the ledger)."""
    files = {CLAIMS_FILE, *(ledger.table_files.get(name, layout.table_file(name)) for name in names)}
    problems = [issue for issue in ledger.issues if issue.file in files]
    if problems:
        raise CodingFileError(str(problems[0]))
    missing = [name for name in names if name not in ledger.tables]
    if missing:
        raise CodingFileError(f"{layout.table_file(missing[0])}: the file is missing; the Methods chapter needs it")
    return [ledger.tables[name] for name in names]


def uncoded(claims: pd.DataFrame, coding: pd.DataFrame) -> list[str]:
    """The ledger's claims that a coding does not cover, in ledger order."""
    return [c for c in claims.index if c not in coding.index]


def load(ledger: Ledger) -> Codings:
    """Both codings and the reconciliation, as the ledger loaded and validated them."""
    second, reconciliation = _tables(ledger, "second_coding", "reconciliation")
    final = reconciled_codes(ledger)
    return codings(final, in_ledger_order(second, final), reconciliation)


@dataclass(frozen=True)
class FieldAgreement:
    field: str
    level: str
    claims: int
    agreed: int
    alpha: float | None

    @property
    def raw(self) -> float:
        return self.agreed / self.claims if self.claims else math.nan

    @property
    def target(self) -> float:
        return TARGET_APPRAISAL if self.field == "appraisal" else TARGET_OTHER

    @property
    def meets_target(self) -> bool:
        return self.alpha is not None and self.alpha >= self.target


def field_alpha(first: pd.Series, second: pd.Series, values: tuple[str, ...], level: str) -> float | None:
    """Krippendorff's alpha for two coders, or None where it is not defined (one category only)."""
    return reliability.alpha([values.index(v) for v in first], [values.index(v) for v in second], level)


def agreement(
    first: pd.DataFrame, second: pd.DataFrame, fields: dict[str, tuple[tuple[str, ...], str]] = FIELDS
) -> list[FieldAgreement]:
    """Per field, in `fields` order: claims coded, claims on which the coders agree, and alpha."""
    results = []
    for field, (values, level) in fields.items():
        results.append(
            FieldAgreement(
                field=field,
                level=level,
                claims=len(first),
                agreed=int((first[field] == second[field]).sum()),
                alpha=field_alpha(first[field], second[field], values, level),
            )
        )
    return results


TABLE = reliability.TableLayout(
    {"field": "Field", "claims": "Claims"},
    "Identical codes",
    ".1%",
    "one category only",
    after={"target": "Target", "meets_target": "Target met"},
)


def agreement_table(results: list[FieldAgreement]) -> pd.DataFrame:
    """The agreement figures as a readable table; an undefined alpha says why."""
    return TABLE.frame(results)


def book_agreement_table(ledger: Ledger) -> pd.DataFrame:
    codings = load(ledger)
    return agreement_table(agreement(codings.first, codings.second))


def round2_agreement(ledger: Ledger) -> list[FieldAgreement]:
    """Round 2: a fresh blind coder, working from the manual as tightened after reconciliation,
    against the ledger's final (reconciled) codes. Its disagreements are reported, not reconciled,
    so the figure stays a measurement of the manual."""
    (round2,) = _tables(ledger, "second_coding_round2")
    final = ledger_codes(ledger)
    second = in_ledger_order(round2, final)
    return agreement(final.loc[second.index], second)


def reference_agreement(ledger: Ledger) -> FieldAgreement:
    """`reference_target`, added after both rounds: its own blind coder against the ledger. Like
    round 2, its disagreements are reported, not reconciled."""
    (coding,) = _tables(ledger, "second_coding_reference")
    claims = ledger.claims[list(REFERENCE_LEVELS)]
    second = in_ledger_order(coding, claims, REFERENCE_LEVELS)
    (result,) = agreement(claims.loc[second.index], second, REFERENCE_FIELDS)
    return result


def coverage_sentence(ledger: Ledger) -> str:
    """One sentence for Methods: whether the three blind codings cover every claim of the ledger."""
    final = ledger_codes(ledger)
    names = ("second_coding", "second_coding_round2", "second_coding_reference")
    codings = dict(zip(("first", "fresh", "reference"), _tables(ledger, *names), strict=True))
    missing = {name: uncoded(final, coding.set_index("claim_id")) for name, coding in codings.items()}
    if not any(missing.values()):
        return "All three blind codings cover every claim in the ledger."
    parts = [
        f"the {name} blind coding does not yet cover {len(ids)} claim(s) added since, from '{ids[0]}'"
        for name, ids in missing.items()
        if ids
    ]
    return "Agreement is measured on the claims each coding covers: " + "; ".join(parts) + "."


def book_round2_table(ledger: Ledger) -> pd.DataFrame:
    return agreement_table(round2_agreement(ledger))


__all__ = [
    "DISCERN_OVERALL_KAPPA_EXPERTS",
    "FIELDS",
    "TARGET_APPRAISAL",
    "TARGET_OTHER",
    "LEVELS",
    "CodingFileError",
    "Codings",
    "FieldAgreement",
    "agreement",
    "agreement_table",
    "book_agreement_table",
    "book_round2_table",
    "field_alpha",
    "load",
    "check_reconciliation",
    "reconciliation_issues",
    "reconciliation_schema",
    "second_coding_schema",
    "coverage_sentence",
    "reference_agreement",
    "reference_coding_schema",
    "round2_agreement",
    "uncoded",
]
