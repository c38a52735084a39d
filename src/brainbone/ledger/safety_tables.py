"""The tables behind the Safety box's research lines (issue 22): data/safety_findings.csv, one plain sentence per research
outcome with the checked studies it rests on, and data/safety_context.csv, which findings stand beside which flagged
claim; their schemas and the rule that checks them against the claims, the checked snapshot and the research
summary of findings (data/research_grade.csv). `brainbone.appraisal.safety` reads them."""

from __future__ import annotations

import csv
import re
from typing import TYPE_CHECKING

import pandas as pd
import pandera.pandas as pa

from brainbone import layout
from brainbone.errors import Issue, IssueKind, did_you_mean
from brainbone.ledger import schema
from brainbone.ledger.reading import read_table

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger

FINDINGS_TABLE = "safety_findings"
LINKS_TABLE = "safety_context"
FINDINGS_FILE = layout.table_file(FINDINGS_TABLE)
LINKS_FILE = layout.table_file(LINKS_TABLE)
GRADE_FILE = layout.table_file("research_grade")
CHECKED_FILE = layout.CONTEXT_CHECKED_FILE
USABLE = ("verified", "corrected")  # data/checked/context-studies.md: only these rows may be used
# A number standing alone; digits inside a name (5-HTP, omega-3) are part of a word. Numbers are glued in
# chapters from data/, never typed in a finding (DEVELOPERS.md).
DIGIT = re.compile(r"(?<![\w-])\d+(?:[.,]\d+)*(?![\w-])")


def _flagged_ids(claims: pd.DataFrame) -> set[str]:
    return set(claims.index[claims["safety_flag"].astype(str) == "true"])


def safety_findings_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "outcome_id": schema.pattern(schema.SLUG, unique=True),
            "finding": schema.text(),
            "study_keys": schema.text(),
        },
        strict=True,
    )


def safety_context_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "claim_id": schema.foreign_key("claims", fix="link an existing claim"),
            "outcome_id": schema.foreign_key(FINDINGS_TABLE, fix=f"add the outcome's finding to {FINDINGS_FILE} first"),
        },
        strict=True,
        unique=["claim_id", "outcome_id"],
    )


def _checked_studies(root) -> dict[str, set[str]]:
    """study_key -> the verdicts its rows have in the checked snapshot."""
    found: dict[str, set[str]] = {}
    path = root / CHECKED_FILE
    if not path.exists():
        return found
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["study_key"], set()).add(row["verdict"])
    return found


def check_safety_context(ledger: Ledger) -> list[Issue]:
    """Each linked claim is flagged; each finding is words, rests on checked, usable studies, and is an
    outcome of the research summary of findings when that table exists (a `catalog` rule)."""
    issues: list[Issue] = []
    root = ledger.root
    if (root / FINDINGS_FILE).exists() and FINDINGS_TABLE in ledger.tables:
        lines = read_table(root, FINDINGS_FILE, columns=["outcome_id", "finding", "study_keys"]).lines
        studies = _checked_studies(root)
        outcomes = research_outcomes(ledger)
        for position, row in enumerate(ledger.tables[FINDINGS_TABLE].itertuples(index=False)):
            line = lines[position]
            where = f"outcome '{row.outcome_id}'"
            if DIGIT.search(row.finding):
                issues.append(
                    Issue(
                        IssueKind.BAD_VALUE,
                        FINDINGS_FILE,
                        line,
                        f"{where}: the finding types a number ('{DIGIT.search(row.finding).group()}'); "
                        "say it in words, and glue any number in a chapter from data/",
                    )
                )
            keys = [k.strip() for k in str(row.study_keys).split(";") if k.strip()]
            if not keys:
                issues.append(
                    Issue(IssueKind.BAD_VALUE, FINDINGS_FILE, line, f"{where}: no study_keys; name the checked studies")
                )
            for key in keys:
                verdicts = studies.get(key)
                if verdicts is None:
                    issues.append(
                        Issue(
                            IssueKind.UNKNOWN_REFERENCE,
                            FINDINGS_FILE,
                            line,
                            f"{where}: study '{key}' is not in {CHECKED_FILE}{did_you_mean(key, set(studies))}; "
                            "name a study_key of the checked snapshot",
                        )
                    )
                elif not verdicts & set(USABLE):
                    issues.append(
                        Issue(
                            IssueKind.CONTEXT_UNVERIFIED,
                            FINDINGS_FILE,
                            line,
                            f"{where}: study '{key}' has no row whose verdict is {' or '.join(USABLE)} in "
                            f"{CHECKED_FILE}; remove it",
                        )
                    )
            if outcomes and row.outcome_id not in outcomes:
                issues.append(
                    Issue(
                        IssueKind.UNKNOWN_KEY,
                        FINDINGS_FILE,
                        line,
                        f"{where} is not an outcome of {GRADE_FILE}{did_you_mean(row.outcome_id, list(outcomes))}; "
                        "use the summary of findings' outcome_id",
                    )
                )
    if (root / LINKS_FILE).exists() and LINKS_TABLE in ledger.tables and len(ledger.claims):
        lines = read_table(root, LINKS_FILE, columns=["claim_id", "outcome_id"]).lines
        is_flagged = _flagged_ids(ledger.claims)
        for position, row in enumerate(ledger.tables[LINKS_TABLE].itertuples(index=False)):
            if row.claim_id in ledger.claims.index and row.claim_id not in is_flagged:
                issues.append(
                    Issue(
                        IssueKind.BAD_VALUE,
                        LINKS_FILE,
                        lines[position],
                        f"claim '{row.claim_id}' is not safety-flagged in data/claims.csv, so the Safety box does "
                        "not show it; flag it (data/CODING.md section 5) or remove this row",
                    )
                )
    return issues


def research_outcomes(ledger: Ledger) -> dict[str, str]:
    """outcome_id -> its final certainty, from the research summary of findings (data/research_grade.csv),
    as the ledger loaded it, or read here while the table is not declared; empty when there is none."""
    frame = ledger.tables.get("research_grade")
    if frame is None:
        path = ledger.root / GRADE_FILE
        if not path.exists():
            return {}
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "outcome_id" not in frame.columns or "certainty" not in frame.columns:
        return {}
    return dict(zip(frame["outcome_id"].astype(str), frame["certainty"].astype(str), strict=True))


__all__ = ["check_safety_context", "research_outcomes", "safety_context_schema", "safety_findings_schema"]
