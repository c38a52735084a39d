"""The ledger's controlled vocabularies, defined once; data/README.md documents each value."""

from __future__ import annotations

SECTIONS = ("mechanism", "association", "intervention", "background")
DIRECTIONS = ("brain_to_bone", "bone_to_brain", "bidirectional", "none")
OUTCOMES = ("bone", "mental_health", "cognition", "bone_and_brain", "other", "none")
CLAIMED_EFFECTS = ("harmful", "beneficial", "association", "none")
SPEAKERS = ("article", "quoted_researcher", "reproduced_abstract", "ai_summary", "reader_comment")
EVIDENCE_TYPES = (
    "animal_experiment",
    "human_observational",
    "randomized_trial",
    "systematic_review",
    "narrative_review",
    "expert_opinion",
    "none_stated",
)
APPRAISALS = ("consistent", "indirect", "overstated", "unsupported")
BOOLEANS = ("true", "false")
PART_KINDS = (
    "article",
    "summary_box",
    "reproduced_abstract",
    "footnotes",
    "promotion",
    "reader_comments",
    "furniture",
)
# Parts whose text carries claims; the rest is page furniture or reference lists.
SUBSTANTIVE_PART_KINDS = ("article", "summary_box", "reproduced_abstract", "promotion", "reader_comments")

# Human labels for badges and tables.
LABELS = {
    "brain_to_bone": "brain → bone",
    "bone_to_brain": "bone → brain",
    "bidirectional": "both ways",
    "quoted_researcher": "quoted researcher",
    "reproduced_abstract": "reproduced abstract",
    "ai_summary": "AI summary",
    "reader_comment": "reader comment",
    "animal_experiment": "animal experiment",
    "human_observational": "human observational",
    "randomized_trial": "randomised trial",
    "systematic_review": "systematic review",
    "narrative_review": "narrative review",
    "expert_opinion": "expert opinion",
    "none_stated": "none stated",
    "mental_health": "mental health",
    "bone_and_brain": "bone and brain",
    "summary_box": "summary box",
    "reader_comments": "reader comments",
}


def label(value: str) -> str:
    """The human label of a vocabulary value ('none_stated' → 'none stated')."""
    return LABELS.get(value, value.replace("_", " "))
