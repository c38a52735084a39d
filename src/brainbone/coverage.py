"""How much of each seed's substantive text the claim excerpts cover, in whitespace-collapsed characters."""

from __future__ import annotations

import numpy as np
import pandas as pd

from brainbone import vocabulary as vocab
from brainbone.ledger import Ledger
from brainbone.seeds import SeedText

COLUMNS = (
    "seed_id",
    "substantive_chars",
    "covered_chars",
    "covered_share",
    "substantive_chars_without_comments",
    "covered_chars_without_comments",
    "covered_share_without_comments",
)


def part_spans(seed: SeedText, parts: pd.DataFrame) -> list[tuple[int, int, str]]:
    """Each part as (start, end, kind) in original offsets, located as the seed pages locate them."""
    starts: list[tuple[int, str]] = []
    for row in parts.itertuples():
        found = seed.find(row.starts_with, starts[-1][0] + 1 if starts else 0)
        if found is not None:
            starts.append((found.start, row.kind))
    if not starts or starts[0][0] > 0:
        starts.insert(0, (0, "article"))
    ends = [start for start, _ in starts[1:]] + [len(seed.text)]
    return [(start, end, kind) for (start, kind), end in zip(starts, ends, strict=True)]


# Characters are counted as the verbatim check sees them: each part's text with every run of
# whitespace counted once and its ends stripped, so the indentation and blank lines of comment
# sections count for nothing. A whitespace character is covered only inside a claim's span, so the
# gap between two claimed sentences is never covered.
def counted_mask(text: str) -> np.ndarray:
    """For each character of `text`, whether it survives whitespace collapsing (and stripping)."""
    is_space = np.fromiter((c.isspace() for c in text), dtype=bool, count=len(text))
    previous_is_space = np.concatenate(([True], is_space[:-1]))
    keep = ~(is_space & previous_is_space)
    kept = np.flatnonzero(keep)
    if kept.size and is_space[kept[-1]]:
        keep[kept[-1]] = False  # a trailing run leaves no space behind
    return keep


def _share(covered: int, total: int) -> float:
    return covered / total if total else 0.0


def coverage(ledger: Ledger) -> pd.DataFrame:
    """Per seed: substantive characters, those inside a verified claim's excerpt, their share; and without comments."""
    rows = []
    for seed_id in ledger.sources.seed_id:
        seed = ledger.seed_texts[seed_id]
        covered = np.zeros(len(seed.text), dtype=bool)
        claims = ledger.claims[(ledger.claims.seed_id == seed_id) & ledger.claims.verified]
        for start, end in zip(claims.start, claims.end, strict=True):
            covered[int(start) : int(end)] = True
        totals = {"all": [0, 0], "without_comments": [0, 0]}
        for start, end, kind in part_spans(seed, ledger.parts(seed_id)):
            if kind not in vocab.SUBSTANTIVE_PART_KINDS:
                continue
            keep = counted_mask(seed.text[start:end])
            counts = (int(keep.sum()), int((keep & covered[start:end]).sum()))
            scopes = ("all",) if kind == "reader_comments" else ("all", "without_comments")
            for scope in scopes:
                totals[scope][0] += counts[0]
                totals[scope][1] += counts[1]
        (total, hit), (total_nc, hit_nc) = totals["all"], totals["without_comments"]
        rows.append((seed_id, total, hit, _share(hit, total), total_nc, hit_nc, _share(hit_nc, total_nc)))
    return pd.DataFrame(rows, columns=list(COLUMNS))


__all__ = ["COLUMNS", "counted_mask", "coverage", "part_spans"]
