"""The ledger's controlled vocabularies, defined once; data/README.md documents each value."""

from __future__ import annotations

SECTIONS = ("mechanism", "association", "intervention", "background")
DIRECTIONS = ("brain_to_bone", "bone_to_brain", "bidirectional", "none")
OUTCOMES = ("bone", "mental_health", "cognition", "bone_and_brain", "other", "none")
CLAIMED_EFFECTS = ("harmful", "beneficial", "association", "none")
SPEAKERS = ("article", "quoted_researcher", "reproduced_abstract", "ai_summary", "reader_comment", "site_reply")
# Speakers in a comment thread: readers, and the site owner replying to them.
COMMENT_THREAD_SPEAKERS = ("reader_comment", "site_reply")
EVIDENCE_TYPES = (
    "animal_experiment",
    "human_observational",
    "randomized_trial",
    "systematic_review",
    "narrative_review",
    "expert_opinion",
    "cited_unspecified",
    "none_stated",
)
APPRAISALS = ("consistent", "indirect", "overstated", "misreports_source", "unsupported")
# Sumner et al.'s three exaggeration codes (data/CODING.md, section 4); the first and last are ordinal.
CAUSAL_LANGUAGES = ("none", "correlational", "conditional", "can", "causal")
SPECIES_DROPPED = ("true", "false", "not_applicable")
ADVICE_LEVELS = ("none", "implicit", "explicit")
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

# The badge and column label for commercial_context: the claim promotes, or sits in a passage
# promoting, what the page itself says it sells or advertises (data/CODING.md).
COMMERCIAL_LABEL = "promotes the site's offer"

# Human labels for badges and tables.
LABELS = {
    "brain_to_bone": "brain → bone",
    "bone_to_brain": "bone → brain",
    "bidirectional": "both ways",
    "quoted_researcher": "quoted researcher",
    "reproduced_abstract": "reproduced abstract",
    "ai_summary": "AI summary",
    "reader_comment": "reader comment",
    "site_reply": "site's reply",
    "cited_unspecified": "cited, unspecified",
    # Grade labels say what a grade measures, so that "consistent" is not read as "true" (data/CODING.md).
    "consistent": "matches its checked source",
    "indirect": "indirect evidence only",
    "overstated": "goes beyond its evidence",
    "misreports_source": "misreports its source",
    "unsupported": "no checkable evidence",
    "not_applicable": "not applicable",
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


# Shorter labels that read as adjectives in prose ("3 overstated and 1 consistent with its source").
SHORT_LABELS = {
    "consistent": "consistent with its source",
    "indirect": "indirect",
    "overstated": "overstated",
    "misreports_source": "misreporting its source",
    "unsupported": "unsupported",
}


def label(value: str) -> str:
    """The human label of a vocabulary value ('none_stated' → 'none stated')."""
    return LABELS.get(value, value.replace("_", " "))


def short_label(value: str) -> str:
    """The prose label of a vocabulary value: the short label where there is one, else the label."""
    return SHORT_LABELS.get(value, label(value))
