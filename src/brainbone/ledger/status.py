"""What each seed still lacks, for `make check`'s status summary: not errors, the work still to do.

Per seed: the sentences of its substantive parts that no claim covers and its draft sheet
(data/drafts/<seed-id>-claims.csv, brainbone.newseed) does not mark `not_a_claim`; the draft rows
still to code; its ratings on the instruments (data/source_ratings.csv) and their blind second
rating; and how many of its claims the blind second coding covers. A seed added after the ratings
or the codings were done is "not yet rated" or "not yet second-coded", which the book says too.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from brainbone.ledger import newseed
from brainbone.ledger import vocabulary as vocab

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger

NOT_YET_RATED = "not yet rated"
NOT_YET_SECOND_CODED = "not yet second-coded"
NOT_YET_SECOND_RATED = "not yet second-rated"


@dataclass(frozen=True)
class SeedStatus:
    seed_id: str
    claims: int
    open_sentences: list[str]  # in no claim and not marked not_a_claim, in reading order
    draft_rows_to_code: int
    draft_fields_to_code: int
    rated_items: int
    second_rated_items: int
    second_coded: int

    @property
    def done(self) -> bool:
        return (
            not (self.open_sentences or self.draft_rows_to_code)
            and self.rated_items
            and self.second_rated_items
            and (self.second_coded == self.claims)
        )

    def line(self) -> str:
        parts = [f"{self.claims} claim(s)"]
        if self.open_sentences:
            first = self.open_sentences[0]
            first = first if len(first) <= 60 else first[:57] + "…"
            parts.append(
                f"{len(self.open_sentences)} sentence(s) in no claim and not marked {newseed.NOT_A_CLAIM} "
                f"(first: “{first}”)"
            )
        else:
            parts.append("every sentence in a claim or marked")
        if self.draft_rows_to_code:
            parts.append(
                f"{self.draft_rows_to_code} draft row(s) still to code ({self.draft_fields_to_code} empty field(s)); "
                f"then make move-claims ID={self.seed_id}"
            )
        parts.append(f"rated on {self.rated_items} items" if self.rated_items else NOT_YET_RATED)
        if self.rated_items:
            parts.append("second-rated" if self.second_rated_items else NOT_YET_SECOND_RATED)
        if not self.second_coded:
            parts.append(f"{NOT_YET_SECOND_CODED} (0 of {self.claims} claims)")
        else:
            parts.append(f"second-coded {self.second_coded} of {self.claims} claims")
        return f"{self.seed_id}: " + "; ".join(parts)


def draft_rows(root: Path, seed_id: str) -> list[dict[str, str]]:
    path = Path(root) / newseed.draft_file(seed_id)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_status(ledger: Ledger, seed_id: str, *, read_drafts: bool = True) -> SeedStatus:
    """What seed `seed_id` lacks. A chapter passes `read_drafts=False`: the book never reads the draft sheets, which
    its chapters do not declare (brainbone.frontmatter), so its open sentences and draft rows are not counted."""
    seed = ledger.seed_texts.get(seed_id) if read_drafts else None
    claims = ledger.claims[ledger.claims.seed_id == seed_id]
    drafts = draft_rows(ledger.root, seed_id) if read_drafts else []
    open_sentences: list[str] = []
    if seed is not None:
        covered = np.zeros(len(seed.text) + 1, dtype=bool)
        for start, end in zip(claims.start, claims.end, strict=True):
            if start == start and start is not None:  # a verified claim (NaN / NA otherwise)
                covered[int(start) : int(end)] = True
        # The sheet is in reading order: a line the page repeats ("{", "Output::") is found after the last one.
        after = 0
        for row in drafts:
            excerpt = (row.get("excerpt") or "").strip()
            if excerpt:
                span = seed.find(excerpt, after) or seed.find(excerpt)
                if span is not None:
                    after = span.start + 1
                    if (row.get(newseed.NOT_A_CLAIM) or "").strip():
                        covered[span.start : span.end] = True
        substantive = np.zeros(len(seed.text) + 1, dtype=bool)
        for part in ledger.part_spans(seed_id):
            if part.kind in vocab.SUBSTANTIVE_PART_KINDS:
                substantive[part.start : part.end] = True
        for sentence in newseed.sentences(seed.text):
            if substantive[sentence.start] and not covered[sentence.start : sentence.end].any():
                open_sentences.append(sentence.text)
    to_code = [row for row in drafts if not (row.get(newseed.NOT_A_CLAIM) or "").strip()]
    ratings = ledger.tables.get("source_ratings")
    second_ratings = ledger.tables.get("second_ratings")
    second = ledger.tables.get("second_coding")
    return SeedStatus(
        seed_id=seed_id,
        claims=len(claims),
        open_sentences=open_sentences,
        draft_rows_to_code=len(to_code),
        draft_fields_to_code=sum(len(newseed.incomplete(row)) for row in to_code),
        rated_items=0 if ratings is None else int((ratings.seed_id == seed_id).sum()),
        second_rated_items=0 if second_ratings is None else int((second_ratings.seed_id == seed_id).sum()),
        second_coded=0 if second is None else int(second.claim_id.isin(claims.index).sum()),
    )


def statuses(ledger: Ledger) -> list[SeedStatus]:
    return [seed_status(ledger, seed_id) for seed_id in ledger.sources.seed_id]


def summary_lines(ledger: Ledger) -> list[str]:
    """The per-seed status block `make check` prints after its verdict."""
    return ["status per seed (work still to do, not errors):"] + [f"  {s.line()}" for s in statuses(ledger)]


__all__ = ["NOT_YET_RATED", "NOT_YET_SECOND_CODED", "SeedStatus", "seed_status", "statuses", "summary_lines"]
