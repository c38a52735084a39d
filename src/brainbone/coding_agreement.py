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
import pandera.pandas as pa

from brainbone import catalog, layout, reliability, schema
from brainbone import vocabulary as vocab
from brainbone.errors import Issue, IssueKind

if TYPE_CHECKING:  # the ledger imports the catalog, which names this module
    from brainbone.ledger import Ledger

SECOND_CODING_FILE = layout.SECOND_CODING_FILE
RECONCILIATION_FILE = layout.RECONCILIATION_FILE
SECOND_CODING_ROUND2_FILE = layout.SECOND_CODING_ROUND2_FILE
CLAIMS_FILE = catalog.table_files()["claims"]
RECONCILIATION_COLUMNS = ("claim_id", "field", "first_value", "second_value", "final_value", "reason")

# Each column of data/claims.csv the second coders coded, and its level of measurement; appraisal is
# nominal because its grades answer different questions (data/CODING.md, section 3). The values
# each may take are those of the claims' own column (brainbone.schema.claims_schema).
LEVELS: dict[str, str] = {
    "appraisal": "nominal",
    "evidence_type": "nominal",
    "speaker": "nominal",
    "direction": "nominal",
    "commercial_context": "nominal",
    "causal_language": "ordinal",
    "species_dropped": "nominal",
    "advice": "ordinal",
    "safety_flag": "nominal",
}


# Coded after both rounds, by a blind coder of its own (data/second_coding_reference.csv).
REFERENCE_LEVELS: dict[str, str] = {"reference_target": "nominal"}


def _coded_columns(
    vocabulary: vocab.Vocabulary = vocab.DEFAULT, levels: dict[str, str] = LEVELS
) -> dict[str, pa.Column]:
    claims = schema.claims_schema(vocabulary).columns
    return {name: claims[name] for name in levels}


def _fields(levels: dict[str, str]) -> dict[str, tuple[tuple[str, ...], str]]:
    return {
        name: (tuple(column.metadata["allowed"]), levels[name])
        for name, column in _coded_columns(levels=levels).items()
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


def second_coding_schema(vocabulary: vocab.Vocabulary = vocab.DEFAULT) -> pa.DataFrameSchema:
    """A blind coding of the claims (both rounds): one row per claim, coded on the claims' own columns."""
    claim_id = schema.foreign_key("claims", unique=True, fix="code only claims that data/claims.csv has")
    return schema.table(claim_id=claim_id, **_coded_columns(vocabulary))


def reference_coding_schema(vocabulary: vocab.Vocabulary = vocab.DEFAULT) -> pa.DataFrameSchema:
    """The blind coding of `reference_target` alone: one row per claim."""
    claim_id = schema.foreign_key("claims", unique=True, fix="code only claims that data/claims.csv has")
    return schema.table(claim_id=claim_id, **_coded_columns(vocabulary, REFERENCE_LEVELS))


def reconciliation_schema() -> pa.DataFrameSchema:
    """One row per disagreement of the first-round coding: both codes, the ledger's final code and why."""
    return schema.table(
        claim_id=schema.foreign_key("second_coding", fix="reconcile only claims that data/second_coding.csv codes"),
        field=schema.one_of(LEVELS),
        first_value=schema.text(),
        second_value=schema.text(),
        final_value=schema.text(),
        reason=schema.text(),
    )


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


def _in_ledger_order(frame: pd.DataFrame, claims: pd.DataFrame, levels: dict[str, str] = LEVELS) -> pd.DataFrame:
    # Claims added after a coding was done (a new seed, say) are simply not in it: agreement is
    # measured on the claims it coded, and `uncoded` names the rest for the Methods chapter.
    coded = set(frame.claim_id)
    return frame.set_index("claim_id").loc[[c for c in claims.index if c in coded], list(levels)]


def ledger_codes(ledger: Ledger) -> pd.DataFrame:
    """The claims' codes as data/claims.csv writes them (the ledger reads `commercial_context` as a bool)."""
    codes = ledger.claims[list(LEVELS)].copy()
    codes["commercial_context"] = codes["commercial_context"].map({True: "true", False: "false"})
    return codes


def uncoded(claims: pd.DataFrame, coding: pd.DataFrame) -> list[str]:
    """The ledger's claims that a coding does not cover, in ledger order."""
    return [c for c in claims.index if c not in coding.index]


@dataclass(frozen=True)
class Codings:
    first: pd.DataFrame  # before reconciliation
    second: pd.DataFrame
    final: pd.DataFrame  # the ledger now, for the claims the second coding covers
    reconciliation: pd.DataFrame


def _codings(final: pd.DataFrame, second: pd.DataFrame, reconciliation: pd.DataFrame) -> Codings:
    final_coded = final.loc[second.index]
    first = final_coded.copy()
    for row in reconciliation.itertuples(index=False):
        if row.claim_id in first.index and row.field in LEVELS:
            first.at[row.claim_id, row.field] = row.first_value
    return Codings(first=first, second=second, final=final_coded, reconciliation=reconciliation)


def load(ledger: Ledger) -> Codings:
    """Both codings and the reconciliation, as the ledger loaded and validated them."""
    second, reconciliation = _tables(ledger, "second_coding", "reconciliation")
    final = ledger_codes(ledger)
    return _codings(final, _in_ledger_order(second, final), reconciliation)


def reconciliation_issues(codings: Codings) -> list[Issue]:
    """Every reconciliation row must be a real disagreement carried into the ledger, and every
    disagreement between the two codings must have a row: (claim_id, field) is the table's key."""
    issues: list[Issue] = []

    def problem(line: int | None, message: str, kind: IssueKind = IssueKind.BAD_VALUE) -> None:
        issues.append(Issue(kind, RECONCILIATION_FILE, line, message))

    seen = set()
    for line, row in enumerate(codings.reconciliation.itertuples(index=False), start=2):
        where = f"claim '{row.claim_id}', field '{row.field}'"
        if row.claim_id not in codings.final.index or row.field not in LEVELS:
            problem(line, f"{where}: no such claim or coded field", IssueKind.UNKNOWN_KEY)
            continue
        if (row.claim_id, row.field) in seen:
            problem(line, f"{where}: reconciled twice", IssueKind.DUPLICATE_ID)
        seen.add((row.claim_id, row.field))
        second = codings.second.at[row.claim_id, row.field]
        if row.second_value != second:
            problem(line, f"{where}: second_value '{row.second_value}' but the second coding has '{second}'")
        final = codings.final.at[row.claim_id, row.field]
        # Codings that agree are logged only when a rule added after both changed the ledger's value.
        if row.first_value == row.second_value and row.final_value == row.first_value:
            problem(
                line,
                f"{where}: first and second values agree ('{row.first_value}') and so does final_value; "
                "not a disagreement, nor a later change",
            )
        if row.final_value != final:
            problem(line, f"{where}: final_value '{row.final_value}' but {CLAIMS_FILE} has '{final}'")
        if not row.reason.strip():
            problem(line, f"{where}: no reason given")
    for field in LEVELS:
        differ = codings.first[field] != codings.second[field]
        for claim_id in codings.first.index[differ]:
            if (claim_id, field) not in seen:
                problem(
                    None,
                    f"claim '{claim_id}', field '{field}': the codings disagree "
                    f"('{codings.first.at[claim_id, field]}' vs '{codings.second.at[claim_id, field]}') but this "
                    "file has no row",
                    IssueKind.LEDGER_INVALID,
                )
    return issues


def check_reconciliation(ledger: Ledger) -> list[Issue]:
    """The reconciliation rules on the loaded ledger (a `catalog` rule); skipped while the claims,
    the coding or the reconciliation have problems of their own, or the files are absent."""
    files = {CLAIMS_FILE, SECOND_CODING_FILE, RECONCILIATION_FILE}
    if not all((ledger.root / rel).exists() for rel in files) or any(i.file in files for i in ledger.issues):
        return []
    final = ledger_codes(ledger)
    second = _in_ledger_order(ledger.tables["second_coding"], final)
    return reconciliation_issues(_codings(final, second, ledger.tables["reconciliation"]))


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
    second = _in_ledger_order(round2, final)
    return agreement(final.loc[second.index], second)


def reference_agreement(ledger: Ledger) -> FieldAgreement:
    """`reference_target`, added after both rounds: its own blind coder against the ledger. Like
    round 2, its disagreements are reported, not reconciled."""
    (coding,) = _tables(ledger, "second_coding_reference")
    claims = ledger.claims[list(REFERENCE_LEVELS)]
    second = _in_ledger_order(coding, claims, REFERENCE_LEVELS)
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
