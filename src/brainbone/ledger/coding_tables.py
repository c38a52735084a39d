"""The blind second codings of the claims and their reconciliation (`data/second_coding*.csv`,
`data/reconciliation.csv`): their schemas, and the rule that every disagreement of the first round is
reconciled into the ledger. The ledger's loader runs them; `brainbone.appraisal.coding_agreement` measures agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import pandera.pandas as pa

from brainbone import layout
from brainbone.errors import Issue, IssueKind
from brainbone.ledger import regrades, schema
from brainbone.ledger import vocabulary as vocab

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger


SECOND_CODING_FILE = layout.SECOND_CODING_FILE
RECONCILIATION_FILE = layout.RECONCILIATION_FILE
SECOND_CODING_ROUND2_FILE = layout.SECOND_CODING_ROUND2_FILE


CLAIMS_FILE = layout.table_file("claims")
# Each column of data/claims.csv the second coders coded, and its level of measurement; appraisal is
# nominal because its grades answer different questions (data/CODING.md, section 3). The values
# each may take are those of the claims' own column (brainbone.ledger.schema.claims_schema).
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


def coded_columns(
    vocabulary: vocab.Vocabulary = vocab.DEFAULT, levels: dict[str, str] = LEVELS
) -> dict[str, pa.Column]:
    claims = schema.claims_schema(vocabulary).columns
    return {name: claims[name] for name in levels}


def second_coding_schema(vocabulary: vocab.Vocabulary = vocab.DEFAULT) -> pa.DataFrameSchema:
    """A blind coding of the claims (both rounds): one row per claim, coded on the claims' own columns."""
    claim_id = schema.foreign_key("claims", unique=True, fix="code only claims that data/claims.csv has")
    return schema.table(claim_id=claim_id, **coded_columns(vocabulary))


def reference_coding_schema(vocabulary: vocab.Vocabulary = vocab.DEFAULT) -> pa.DataFrameSchema:
    """The blind coding of `reference_target` alone: one row per claim."""
    claim_id = schema.foreign_key("claims", unique=True, fix="code only claims that data/claims.csv has")
    return schema.table(claim_id=claim_id, **coded_columns(vocabulary, REFERENCE_LEVELS))


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


def in_ledger_order(frame: pd.DataFrame, claims: pd.DataFrame, levels: dict[str, str] = LEVELS) -> pd.DataFrame:
    # Claims added after a coding was done (a new seed, say) are simply not in it: agreement is
    # measured on the claims it coded, and `uncoded` names the rest for the Methods chapter.
    coded = set(frame.claim_id)
    return frame.set_index("claim_id").loc[[c for c in claims.index if c in coded], list(levels)]


def ledger_codes(ledger: Ledger) -> pd.DataFrame:
    """The claims' codes as data/claims.csv writes them (the ledger reads `commercial_context` as a bool)."""
    codes = ledger.claims[list(LEVELS)].copy()
    codes["commercial_context"] = codes["commercial_context"].map({True: "true", False: "false"})
    return codes


def reconciled_codes(ledger: Ledger) -> pd.DataFrame:
    """The codes as the reconciliation left them: the ledger with the later regrades (data/regrades.csv) undone."""
    return regrades.reconciled_codes(ledger, ledger_codes(ledger))


@dataclass(frozen=True)
class Codings:
    first: pd.DataFrame  # before reconciliation
    second: pd.DataFrame
    final: pd.DataFrame  # the ledger as reconciled (later regrades undone), for the claims the second coding covers
    reconciliation: pd.DataFrame


def codings(final: pd.DataFrame, second: pd.DataFrame, reconciliation: pd.DataFrame) -> Codings:
    final_coded = final.loc[second.index]
    first = final_coded.copy()
    for row in reconciliation.itertuples(index=False):
        if row.claim_id in first.index and row.field in LEVELS:
            first.at[row.claim_id, row.field] = row.first_value
    return Codings(first=first, second=second, final=final_coded, reconciliation=reconciliation)


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
        if row.first_value == row.second_value:
            problem(line, f"{where}: first and second values agree ('{row.first_value}'); not a disagreement")
        final = codings.final.at[row.claim_id, row.field]
        if row.final_value != final:
            problem(
                line,
                f"{where}: final_value '{row.final_value}' but {CLAIMS_FILE} has '{final}' (with data/regrades.csv undone)",
            )
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
    final = reconciled_codes(ledger)
    second = in_ledger_order(ledger.tables["second_coding"], final)
    return reconciliation_issues(codings(final, second, ledger.tables["reconciliation"]))
