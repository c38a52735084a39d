"""Agreement between the ledger's first coding and the blind second coding of the claims, per field:
raw agreement and Krippendorff's alpha (the `krippendorff` package), before reconciliation.

The first coding is the ledger as it stood before reconciliation: `data/claims.csv`, except where
`data/reconciliation.csv` records that a disagreement changed the value, whose `first_value` it keeps.
Pure code, no Sphinx. (Named apart from issue 10's `agreement` module, which rates whole pages.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd

from brainbone import catalog, layout
from brainbone import vocabulary as vocab

SECOND_CODING_FILE = layout.SECOND_CODING_FILE
RECONCILIATION_FILE = layout.RECONCILIATION_FILE
SECOND_CODING_ROUND2_FILE = layout.SECOND_CODING_ROUND2_FILE
CLAIMS_FILE = catalog.table_files()["claims"]
RECONCILIATION_COLUMNS = ("claim_id", "field", "first_value", "second_value", "final_value", "reason")

# Each field the second coder coded, its values in order, and its level of measurement; appraisal is
# nominal because its grades answer different questions (data/CODING.md, section 3).
FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "appraisal": (vocab.APPRAISALS, "nominal"),
    "evidence_type": (vocab.EVIDENCE_TYPES, "nominal"),
    "speaker": (vocab.SPEAKERS, "nominal"),
    "direction": (vocab.DIRECTIONS, "nominal"),
    "commercial_context": (vocab.BOOLEANS, "nominal"),
    "causal_language": (vocab.CAUSAL_LANGUAGES, "ordinal"),
    "species_dropped": (vocab.SPECIES_DROPPED, "nominal"),
    "advice": (vocab.ADVICE_LEVELS, "ordinal"),
    "safety_flag": (vocab.BOOLEANS, "nominal"),
}
# Targets set in issue 9, before the second coding: alpha on appraisal, and on every other field.
TARGET_APPRAISAL = 0.80
TARGET_OTHER = 0.67
# DISCERN's overall rating among expert raters, weighted kappa (Charnock et al. 1999), as restated in
# ../shared/instruments.md; tests/test_coding_agreement.py checks it against that file.
DISCERN_OVERALL_KAPPA_EXPERTS = 0.53


class CodingFileError(ValueError):
    """A second-coding or reconciliation file that cannot be used, with its file and line."""


def _read(path: Path, rel: str, columns: tuple[str, ...]) -> pd.DataFrame:
    if not path.exists():
        raise CodingFileError(f"{rel}: file is missing")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CodingFileError(f"{rel}:1: missing column(s): {', '.join(missing)}; expected: {','.join(columns)}")
    return frame


def read_second(root: Path, claims: pd.DataFrame, rel: str = SECOND_CODING_FILE) -> pd.DataFrame:
    """A blind coding (`rel`, by default the first-round second coding), indexed by claim_id in the
    ledger's order; every claim coded once, every value from its field's vocabulary."""
    frame = _read(root / rel, rel, ("claim_id", *FIELDS))
    for position, row in enumerate(frame.itertuples(index=False), start=2):
        if row.claim_id not in claims.index:
            raise CodingFileError(f"{rel}:{position}: unknown claim_id '{row.claim_id}'")
        for field, (values, _) in FIELDS.items():
            value = getattr(row, field)
            if value not in values:
                raise CodingFileError(
                    f"{rel}:{position}: claim '{row.claim_id}': {field} '{value}' is not allowed; "
                    f"expected one of: {', '.join(values)}"
                )
    duplicated = frame.claim_id[frame.claim_id.duplicated()]
    if len(duplicated):
        raise CodingFileError(f"{rel}: claim '{duplicated.iloc[0]}' is coded twice")
    # Claims added after a coding was done (a new seed, say) are simply not in it: agreement is
    # measured on the claims it coded, and `uncoded` names the rest for the Methods chapter.
    coded = [c for c in claims.index if c in set(frame.claim_id)]
    return frame.set_index("claim_id").loc[coded, list(FIELDS)]


def uncoded(claims: pd.DataFrame, coding: pd.DataFrame) -> list[str]:
    """The ledger's claims that a coding does not cover, in ledger order."""
    return [c for c in claims.index if c not in coding.index]


def read_reconciliation(root: Path) -> pd.DataFrame:
    rel = RECONCILIATION_FILE
    return _read(root / rel, rel, RECONCILIATION_COLUMNS)


@dataclass(frozen=True)
class Codings:
    first: pd.DataFrame  # before reconciliation
    second: pd.DataFrame
    final: pd.DataFrame  # the ledger now, for the claims the second coding covers
    reconciliation: pd.DataFrame


def load(root: Path) -> Codings:
    """Both codings and the reconciliation, from the book's `data/` folder."""
    claims = pd.read_csv(root / CLAIMS_FILE, dtype=str, keep_default_na=False).set_index("claim_id")
    final = claims[list(FIELDS)]
    second = read_second(root, claims)
    reconciliation = read_reconciliation(root)
    final_coded = final.loc[second.index]
    first = final_coded.copy()
    for row in reconciliation.itertuples(index=False):
        if row.claim_id in first.index and row.field in FIELDS:
            first.at[row.claim_id, row.field] = row.first_value
    return Codings(first=first, second=second, final=final_coded, reconciliation=reconciliation)


def reconciliation_problems(codings: Codings) -> list[str]:
    """Every reconciliation row must be a real disagreement carried into the ledger, and every
    disagreement between the two codings must have a row."""
    problems = []
    seen = set()
    for line, row in enumerate(codings.reconciliation.itertuples(index=False), start=2):
        where = f"{RECONCILIATION_FILE}:{line}: claim '{row.claim_id}', field '{row.field}'"
        if row.claim_id not in codings.final.index or row.field not in FIELDS:
            problems.append(f"{where}: no such claim or coded field")
            continue
        if (row.claim_id, row.field) in seen:
            problems.append(f"{where}: reconciled twice")
        seen.add((row.claim_id, row.field))
        second = codings.second.at[row.claim_id, row.field]
        if row.second_value != second:
            problems.append(f"{where}: second_value '{row.second_value}' but the second coding has '{second}'")
        if row.first_value == row.second_value:
            problems.append(f"{where}: first and second values agree ('{row.first_value}'); not a disagreement")
        if row.final_value != codings.final.at[row.claim_id, row.field]:
            problems.append(
                f"{where}: final_value '{row.final_value}' but data/claims.csv has "
                f"'{codings.final.at[row.claim_id, row.field]}'"
            )
        if not row.reason.strip():
            problems.append(f"{where}: no reason given")
    for field in FIELDS:
        differ = codings.first[field] != codings.second[field]
        for claim_id in codings.first.index[differ]:
            if (claim_id, field) not in seen:
                problems.append(
                    f"claim '{claim_id}', field '{field}': the codings disagree ('{codings.first.at[claim_id, field]}' "
                    f"vs '{codings.second.at[claim_id, field]}') but {RECONCILIATION_FILE} has no row"
                )
    return problems


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
    data = np.array([[values.index(v) for v in first], [values.index(v) for v in second]], dtype=float)
    if len(np.unique(data)) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def agreement(first: pd.DataFrame, second: pd.DataFrame) -> list[FieldAgreement]:
    """Per field, in FIELDS order: claims coded, claims on which the coders agree, and alpha."""
    results = []
    for field, (values, level) in FIELDS.items():
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


def agreement_table(results: list[FieldAgreement]) -> pd.DataFrame:
    """The agreement figures as a readable table; an undefined alpha says why."""
    return pd.DataFrame(
        {
            "Field": [r.field for r in results],
            "Claims": [r.claims for r in results],
            "Identical codes": [f"{r.agreed} ({r.raw:.1%})" for r in results],
            "Krippendorff's alpha": [
                f"{r.alpha:.2f} ({r.level})" if r.alpha is not None else "not defined: one category only"
                for r in results
            ],
            "Target": [f"{r.target:.2f}" for r in results],
            "Target met": ["yes" if r.meets_target else "no" for r in results],
        }
    )


def book_agreement_table(root: Path) -> pd.DataFrame:
    codings = load(root)
    return agreement_table(agreement(codings.first, codings.second))


def round2_agreement(root: Path) -> list[FieldAgreement]:
    """Round 2: a fresh blind coder, working from the manual as tightened after reconciliation,
    against the ledger's final (reconciled) codes. Its disagreements are reported, not reconciled,
    so the figure stays a measurement of the manual."""
    final = _ledger_codes(root)
    second = read_second(root, final, SECOND_CODING_ROUND2_FILE)
    return agreement(final.loc[second.index], second)


def _ledger_codes(root: Path) -> pd.DataFrame:
    claims = pd.read_csv(root / CLAIMS_FILE, dtype=str, keep_default_na=False).set_index("claim_id")
    return claims[list(FIELDS)]


def coverage_sentence(root: Path) -> str:
    """One sentence for Methods: whether both blind codings cover every claim of the ledger."""
    final = _ledger_codes(root)
    missing = {
        name: uncoded(final, read_second(root, final, rel))
        for name, rel in (("first", SECOND_CODING_FILE), ("fresh", SECOND_CODING_ROUND2_FILE))
    }
    if not any(missing.values()):
        return "Both blind codings cover every claim in the ledger."
    parts = [
        f"the {name} blind coding does not yet cover {len(ids)} claim(s) added since, from '{ids[0]}'"
        for name, ids in missing.items()
        if ids
    ]
    return "Agreement is measured on the claims each coding covers: " + "; ".join(parts) + "."


def book_round2_table(root: Path) -> pd.DataFrame:
    return agreement_table(round2_agreement(root))


__all__ = [
    "DISCERN_OVERALL_KAPPA_EXPERTS",
    "FIELDS",
    "TARGET_APPRAISAL",
    "TARGET_OTHER",
    "CodingFileError",
    "Codings",
    "FieldAgreement",
    "agreement",
    "agreement_table",
    "book_agreement_table",
    "book_round2_table",
    "field_alpha",
    "load",
    "reconciliation_problems",
    "coverage_sentence",
    "round2_agreement",
    "uncoded",
]
