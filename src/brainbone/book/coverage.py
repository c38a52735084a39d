"""How much of each seed's substantive text the claim excerpts cover, in whitespace-collapsed characters."""

from __future__ import annotations

import numpy as np
import pandas as pd

from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.loader import Ledger
from brainbone.ledger.seeds import collapse_mask

COLUMNS = (
    "seed_id",
    "substantive_chars",
    "covered_chars",
    "covered_share",
    "substantive_chars_without_comments",
    "covered_chars_without_comments",
    "covered_share_without_comments",
)


# Characters are counted as the verbatim check sees them: each part's text with every run of
# whitespace counted once and its ends stripped, so the indentation and blank lines of comment
# sections count for nothing. A whitespace character is covered only inside a claim's span, so the
# gap between two claimed sentences is never covered.


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
        for part in ledger.part_spans(seed_id):
            start, end, kind = part.start, part.end, part.kind
            if kind not in vocab.SUBSTANTIVE_PART_KINDS:
                continue
            keep = collapse_mask(seed.text[start:end])
            counts = (int(keep.sum()), int((keep & covered[start:end]).sum()))
            scopes = ("all",) if kind == "reader_comments" else ("all", "without_comments")
            for scope in scopes:
                totals[scope][0] += counts[0]
                totals[scope][1] += counts[1]
        (total, hit), (total_nc, hit_nc) = totals["all"], totals["without_comments"]
        rows.append((seed_id, total, hit, _share(hit, total), total_nc, hit_nc, _share(hit_nc, total_nc)))
    return pd.DataFrame(rows, columns=list(COLUMNS))


__all__ = ["COLUMNS", "coverage"]
