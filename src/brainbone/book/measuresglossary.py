"""The glossary of effect measures and of GRADE's certainty levels (chapters/glossary.md, `{measures-glossary}`):
plain, standard definitions of the measures the forest plots and the effect-in-words sentences use, and
GRADE's four levels with their definitions and statement wording read from data/checked/instruments.md."""

from __future__ import annotations

import re
from pathlib import Path

from brainbone import layout

INSTRUMENTS = "data/checked/instruments.md"

# (term, aliases, definition): definitions of measures, not facts about studies; no numbers from any study.
MEASURES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "hazard ratio",
        ("HR",),
        "The rate at which an event (such as a fracture) happens over time in one group, divided by the rate in a comparison group. 1 means no difference; above 1, the event happens faster in the first group; below 1, slower.",
    ),
    (
        "risk ratio",
        ("RR", "relative risk"),
        "The proportion of one group who have an event, divided by the proportion in a comparison group. 1 means no difference.",
    ),
    (
        "odds ratio",
        ("OR",),
        "The odds of an event in one group (those with it divided by those without it), divided by the odds in a comparison group. 1 means no difference; when an event is common, an odds ratio lies further from 1 than the risk ratio.",
    ),
    (
        "standardised incidence ratio",
        ("SIR",),
        "The number of events observed in a group divided by the number expected from the rates of the general population. 1 means as many as expected.",
    ),
    (
        "mean difference",
        ("raw mean difference",),
        "The average of a measurement in one group minus the average in a comparison group, in the measurement's own unit (for bone density, g/cm²). 0 means no difference.",
    ),
    (
        "standardised mean difference",
        ("SMD",),
        "A mean difference divided by the spread (standard deviation) of the measurement, so that studies using different scales can be compared; 0 means no difference, and the size is in standard deviations.",
    ),
    (
        "Cohen's d",
        ("d",),
        "A standardised mean difference that divides by the pooled standard deviation of the two groups.",
    ),
    (
        "Hedges' g",
        ("g",),
        "A standardised mean difference like Cohen's d, corrected for a slight overestimate in small samples.",
    ),
    (
        "credible interval",
        (),
        "In a Bayesian analysis, the range within which the true value lies with a stated probability (often 95 %), given the data and the model's assumptions; it plays the part a confidence interval plays in other analyses.",
    ),
    (
        "I²",
        ("I-squared",),
        "In a meta-analysis, the share of the variation between study results that reflects real differences between the studies rather than chance; higher values mean the studies disagree more.",
    ),
    (
        "T-score",
        (),
        "A bone density measurement expressed as the number of standard deviations above or below the average of healthy young adults of the same sex; negative values are below that average.",
    ),
    (
        "absolute risk difference",
        ("risk difference",),
        "The proportion of one group who have an event minus the proportion in a comparison group; unlike a ratio, it shows how many people in every hundred are affected.",
    ),
    (
        "number needed to treat",
        ("NNT",),
        "How many people would need a treatment, over a stated time, for one more of them to benefit (or, as a number needed to harm, to be harmed) than in the comparison group; it is the inverse of the absolute risk difference.",
    ),
)

LEVELS = ("high", "moderate", "low", "very low")


def grade_levels(root: Path) -> dict[str, str]:
    """GRADE's certainty levels and their definitions, as data/checked/instruments.md gives them."""
    text = (root / INSTRUMENTS).read_text(encoding="utf-8")
    match = re.search(r"High: (.*?)\. Moderate: (.*?)\. Low: (.*?)\. Very low: (.*?)\.", text)
    if match is None:
        raise ValueError(
            f"{INSTRUMENTS}: no line 'High: … Moderate: … Low: … Very low: …' with GRADE's certainty levels"
        )
    return dict(zip(LEVELS, match.groups(), strict=True))


def grade_statements(root: Path) -> dict[str, str]:
    """The statement wording for high, moderate and low certainty, as instruments.md quotes it (santesso2020)."""
    text = (root / INSTRUMENTS).read_text(encoding="utf-8")
    quoted = re.search(r'"x results in[^"]*", "x likely results in[^"]*", "x may result in[^"]*"', text)
    if quoted is None:
        raise ValueError(
            f"{INSTRUMENTS}: no quoted statement templates ('x results in…', 'x likely results in…', 'x may result in…')"
        )
    return dict(zip(LEVELS[:3], re.findall(r'"([^"]*)"', quoted.group(0)), strict=True))


def glossary_source(root: Path = layout.INSTALLED_ROOT) -> str:
    """The MyST source of a `{glossary}` of the effect measures and GRADE's certainty levels."""
    entries = []
    for term, aliases, definition in MEASURES:
        entries.append("\n".join([term, *aliases]) + f"\n  {definition}")
    levels, statements = grade_levels(root), grade_statements(root)
    for level in LEVELS:
        said = (
            f' A finding at this certainty is stated with the wording "{statements[level]}" (GRADE guidance on informative statements).'
            if level in statements
            else " The book's checked files give no verified statement wording for this level, so the book states its definition in words."
        )
        entries.append(f"{level} certainty\n  GRADE: {levels[level]}.{said}")
    return "```{glossary}\n" + "\n\n".join(entries) + "\n```\n"
