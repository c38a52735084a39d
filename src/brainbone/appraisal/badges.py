"""The badges a quoted claim carries (speaker, evidence, appraisal, commercial), as plain records:
the Sphinx quotes and the claims explorer both draw them from here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from brainbone.ledger import vocabulary as vocab


class ClaimLike(Protocol):
    speaker: str
    evidence_type: str
    appraisal: str
    commercial_context: bool


@dataclass(frozen=True)
class Badge:
    text: str
    classes: tuple[str, ...]


def claim_badges(claim: ClaimLike, vocabulary: vocab.Vocabulary = vocab.DEFAULT) -> list[Badge]:
    """Speaker, evidence, appraisal and, if the claim sells something, commercial, in that order."""
    badges = [
        Badge(vocabulary.label(claim.speaker, "speaker"), ("bb-badge", "bb-speaker", f"bb-speaker-{claim.speaker}")),
        Badge(f"evidence: {vocabulary.label(claim.evidence_type, 'evidence_type')}", ("bb-badge", "bb-evidence")),
        Badge(
            f"appraisal: {vocabulary.label(claim.appraisal, 'appraisal')}",
            ("bb-badge", "bb-appraisal", f"bb-appraisal-{claim.appraisal}"),
        ),
    ]
    if bool(claim.commercial_context):
        badges.append(Badge(vocab.COMMERCIAL_LABEL, ("bb-badge", "bb-commercial")))
    return badges


__all__ = ["Badge", "claim_badges"]
