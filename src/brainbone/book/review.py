"""Pure helpers for the review chapters: counts of claims turned into short phrases and overview tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from brainbone.ledger import vocabulary as vocab

# How a direction reads in prose and in tables; `vocab.label` alone would print "none".
DIRECTION_LABELS = {**{d: vocab.label(d) for d in vocab.DIRECTIONS}, "none": "no direction stated"}
OVERVIEW_COLUMNS = {
    "topic": "Topic",
    "claims": "Claims",
    "direction": "Direction claimed",
    "evidence_type": "Evidence the pages give",
    "appraisal": "Appraisal",
}


def listing(items: Sequence[str], conjunction: str = "and") -> str:
    """Phrases joined as prose: 'a', 'a and b', 'a, b and c'; empty input gives 'none'."""
    items = [str(item) for item in items]
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun: '1 claim', '4 claims'."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def tally(values: Iterable[str], order: Sequence[str] = ()) -> dict[str, int]:
    """How often each value occurs, non-zero only: values in `order` first, then the rest by frequency."""
    counts = pd.Series(list(values), dtype=object).value_counts()
    ordered = [value for value in order if value in counts.index]
    ordered += [value for value in counts.index if value not in ordered]
    return {str(value): int(counts[value]) for value in ordered}


def tally_phrase(
    values: Iterable[str],
    order: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    *,
    count_first: bool = True,
) -> str:
    """A tally as prose: '3 overstated and 1 consistent', or with `count_first=False`
    'brain → bone (3) and no direction stated (1)'. When every value is the same, `count_first`
    gives the label alone ('indirect'), so that 'both claims are graded indirect' reads right."""
    counts = tally(values, order)
    if count_first and len(counts) == 1:
        (value,) = counts
        return labels.get(value, vocab.label(value)) if labels else vocab.label(value)
    parts = []
    for value, n in counts.items():
        label = labels.get(value, vocab.label(value)) if labels else vocab.label(value)
        parts.append(f"{n} {label}" if count_first else f"{label} ({n})")
    return listing(parts)


def summarise(claims: pd.DataFrame) -> dict[str, int | str]:
    """What a chapter's prose says about a set of claims: how many, from how many seeds, and how
    they divide by appraisal, by the evidence the pages give and by direction."""
    return {
        "n": len(claims),
        "claims": counted(len(claims), "claim"),
        "seeds": int(claims["seed_id"].nunique()),
        "appraisal": tally_phrase(claims["appraisal"], vocab.APPRAISALS),
        "evidence": tally_phrase(claims["evidence_type"], vocab.EVIDENCE_TYPES, count_first=False),
        "direction": tally_phrase(claims["direction"], vocab.DIRECTIONS, DIRECTION_LABELS, count_first=False),
    }


def topic_overview(claims: pd.DataFrame, topics: pd.DataFrame, section: str) -> pd.DataFrame:
    """One row per topic with claims in `section`, in the order of `topics` (topics.csv): the number
    of claims and short tallies of direction, evidence and appraisal, under readable column names."""
    in_section = claims[claims["section"] == section]
    rows = []
    for topic, label in zip(topics["topic"], topics["label"], strict=True):
        subset = in_section[in_section["topic"] == topic]
        if subset.empty:
            continue
        rows.append(
            {
                "topic": label,
                "claims": len(subset),
                "direction": tally_phrase(subset["direction"], vocab.DIRECTIONS, DIRECTION_LABELS, count_first=False),
                "evidence_type": tally_phrase(subset["evidence_type"], vocab.EVIDENCE_TYPES, count_first=False),
                "appraisal": tally_phrase(subset["appraisal"], vocab.APPRAISALS),
            }
        )
    return pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS)).rename(columns=OVERVIEW_COLUMNS)
