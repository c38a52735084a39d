"""The claims that could lead a reader to harm (safety_flag, data/CODING.md section 5), selected in one place,
and what the checked research says beside each: the verdict on the claim (data/claim_context.csv), and one
plain sentence per research outcome (data/safety_findings.csv, linked by data/safety_context.csv) with its
certainty from the research summary of findings (data/research_grade.csv)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.safety_tables import FINDINGS_TABLE, LINKS_TABLE, research_outcomes

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger

NOT_RATED = "not yet rated in the research summary of findings"


def flagged(claims: pd.DataFrame) -> pd.DataFrame:
    """The safety-flagged claims, in ledger order, with their notes."""
    return claims[claims["safety_flag"].astype(str) == "true"]


def certainty_label(value: str) -> str:
    """'very_low' -> 'very low'; GRADE's four levels, as words."""
    return value.replace("_", " ")


@dataclass(frozen=True)
class Finding:
    outcome_id: str
    finding: str
    certainty: str | None  # None: the summary of findings has not rated the outcome


@dataclass(frozen=True)
class SafetyContext:
    """What the checked research says beside one flagged claim."""

    verdicts: list[tuple[str, str, str]] = field(default_factory=list)  # (question, verdict label, reason)
    findings: list[Finding] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.verdicts and not self.findings


def safety_context(ledger: Ledger) -> dict[str, SafetyContext]:
    """For every flagged claim, in ledger order: the research verdicts on it and the findings linked to it."""
    links = ledger.tables.get("claim_context", pd.DataFrame(columns=["claim_id", "question", "verdict"]))
    findings = ledger.tables.get(FINDINGS_TABLE, pd.DataFrame(columns=["outcome_id", "finding", "study_keys"]))
    linked = ledger.tables.get(LINKS_TABLE, pd.DataFrame(columns=["claim_id", "outcome_id"]))
    by_outcome = findings.set_index("outcome_id")["finding"].to_dict() if len(findings) else {}
    certainties = research_outcomes(ledger)
    labels = vocab.DEFAULT.labels("context_verdict")
    result = {}
    for claim_id in flagged(ledger.claims).index:
        verdicts = [
            (r.question, labels.get(r.verdict, r.verdict), r.verdict_reason)
            for r in links[links.claim_id == claim_id].itertuples()
        ]
        found = [
            Finding(o, by_outcome[o], certainties.get(o))
            for o in linked.loc[linked.claim_id == claim_id, "outcome_id"]
            if o in by_outcome
        ]
        result[claim_id] = SafetyContext(verdicts, found)
    return result


def context_lines(context: SafetyContext) -> list[tuple[str, str]]:
    """The box's lines under one claim, as (lead, text): each verdict, then each finding with its certainty."""
    lines = [
        (f"Research verdict ({question}): {label}. ", reason if reason.endswith(".") else reason + ".")
        for question, label, reason in context.verdicts
    ]
    for finding in context.findings:
        certainty = certainty_label(finding.certainty) if finding.certainty else NOT_RATED
        lines.append(("What the checked studies say: ", f"{finding.finding} Certainty: {certainty}."))
    return lines


__all__ = ["NOT_RATED", "Finding", "SafetyContext", "context_lines", "flagged", "safety_context"]
