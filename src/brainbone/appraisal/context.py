"""The context layer: checked findings of the wider research and the seed claims they bear on, as the book
reads them. Pure code, no Sphinx. The tables, their schemas and the check that every copied value still equals
the frozen checked file live in `brainbone.ledger.context_tables`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.context_tables import (
    EFFECTS_FILE,
    EFFECTS_TABLE,
    HETEROGENEITY_TABLE,
    LINKS_FILE,
    LINKS_TABLE,
)

# The questions of data/checked/context-studies.md and the verdicts, from data/vocabulary.csv:
# question -> (short label, what it asks); data/CONTEXT.md gives the rules for a verdict.
QUESTIONS = {
    t.value: (t.label[:1].upper() + t.label[1:], t.description) for t in vocab.DEFAULT.terms("context_question")
}
QUESTION_LABELS = vocab.DEFAULT.labels("context_question")  # "vitamin D for mood and fractures": for running text
VERDICTS = vocab.DEFAULT.values("context_verdict")
VERDICT_LABELS = vocab.DEFAULT.labels("context_verdict")


# ---------------------------------------------------------------------------------------
# Schemas, declared as ledger tables in brainbone.ledger.catalog


@dataclass
class Context:
    """The two context tables of one book, as the ledger loaded and validated them."""

    root: Path
    effects: pd.DataFrame
    links: pd.DataFrame
    heterogeneity: pd.DataFrame | None = None

    def i_squared(self, context_id: str) -> str:
        """I² as the checked notes give it ("89.9%"), or "" where they give none."""
        if self.heterogeneity is None or self.heterogeneity.empty:
            return ""
        rows = self.heterogeneity[self.heterogeneity.context_id == context_id]
        return "" if rows.empty else str(rows.i_squared.iloc[0])

    @property
    def paths(self) -> list[Path]:
        return [self.root / EFFECTS_FILE, self.root / LINKS_FILE]

    def effect(self, context_id: str) -> pd.Series | None:
        rows = self.effects[self.effects.context_id == context_id]
        return None if rows.empty else rows.iloc[0]

    def verdicts(self, claim_id: str) -> list[tuple[str, str, str]]:
        """(question, verdict, reason) for every question the claim is linked to, in file order."""
        rows = self.links[self.links.claim_id == claim_id]
        return [(r.question, r.verdict, r.verdict_reason) for r in rows.itertuples()]

    def rows_for(self, question: str) -> pd.DataFrame:
        return self.effects[self.effects.question == question]


def from_ledger(ledger) -> Context:
    """The context layer of a loaded ledger (empty tables when the book has none)."""
    return Context(
        ledger.root, ledger.tables[EFFECTS_TABLE], ledger.tables[LINKS_TABLE], ledger.tables.get(HETEROGENEITY_TABLE)
    )


def book_context(ledger) -> Context:
    """The context layer of a valid ledger's book, for a chapter."""
    return from_ledger(ledger.require_valid())


# ---------------------------------------------------------------------------------------
# Words and numbers for the chapters, always from the rows


def size_text(row: pd.Series) -> str:
    """How many studies and participants the estimate rests on, as the abstract gives them, each number
    saying what it counts: '218 studies; 1210 participants in 51 arms'."""
    parts = []
    studies = (row.n_studies or "").strip()
    if studies:
        plain = re.fullmatch(r"(\d[\d,]*)( \(.*\))?", studies)
        one = studies == "1"
        parts.append(f"{plain.group(1)} {'study' if one else 'studies'}{plain.group(2) or ''}" if plain else studies)
    people = (row.n_participants or "").strip()
    # A review that pools only some of its studies gives its participants for all of them, not for the pooled estimate.
    review = re.search(r"review \((\d+) studies\); meta-analysis of (\d+)", str(getattr(row, "design", "") or ""))
    if people:
        arms = re.fullmatch(r"(\d[\d,\s]*) \((\d+) arms\)", people)
        bare = re.fullmatch(r"((?:about )?\d[\d,\s]*\d|\d)( \(.*\))?", people)
        noun = "participant" if people == "1" else "participants"
        if arms:
            parts.append(f"{arms.group(1)} participants in {arms.group(2)} arms")
        elif bare and review and review.group(1) != review.group(2):
            parts[-1:] = [f"{review.group(2)} studies pooled"] if studies else []
            parts.append(f"{bare.group(1)} participants across all {review.group(1)} studies of the review")
        elif bare:
            parts.append(f"{bare.group(1)} {noun}{bare.group(2) or ''}")
        else:  # "93,676 enrolled; 82,410 analysed" already says what it counts
            parts.append(people)
    return "; ".join(parts) if parts else "size not given in the checked copies"


def verdict_table(context: Context, claims: pd.DataFrame) -> pd.DataFrame:
    """One row per linked claim and question, with the verdict, its reason and the appraisal."""
    links = context.links
    table = pd.DataFrame(
        {
            "Claim": links.claim_id,
            "Question": [f"{q} {QUESTIONS[q][0]}" for q in links.question],
            "Verdict of the wider research": links.verdict.map(VERDICT_LABELS),
            "Why": links.verdict_reason,
            "Appraisal (the page against its own evidence)": links.claim_id.map(claims["appraisal"]),
        }
    )
    order = {q: i for i, q in enumerate(QUESTIONS)}
    table = table.assign(_q=links.question.map(order)).sort_values("_q", kind="stable").drop(columns="_q")
    return table.reset_index(drop=True)


def verdict_counts(context: Context) -> dict[str, int]:
    counts = context.links.verdict.value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICTS}
