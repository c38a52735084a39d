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
    return Context(ledger.root, ledger.tables[EFFECTS_TABLE], ledger.tables[LINKS_TABLE])


def book_context(ledger) -> Context:
    """The context layer of a valid ledger's book, for a chapter."""
    return from_ledger(ledger.require_valid())


# ---------------------------------------------------------------------------------------
# The check against the shared, checked file


# ---------------------------------------------------------------------------------------
# Words and numbers for the chapters, always from the rows


def interval_name(row: pd.Series) -> str:
    return "95% credible interval" if "credible" in (row.effect_measure or "") else "95% CI"


def effect_text(row: pd.Series) -> str:
    """The estimate as reported, with its interval or a note that none was reported."""
    measure = re.sub(r"\s*\(95% credible interval\)", "", row.effect_measure or "").strip()
    estimate = row.estimate or ""
    text = f"{measure} {estimate}".strip()
    if row.ci_low and row.ci_high:
        return f"{text} ({interval_name(row)} {row.ci_low} to {row.ci_high})"
    if re.fullmatch(r"-?\d+(\.\d+)?%?", estimate.strip()):
        return f"{text} (no interval in the checked copies)"
    return text  # group means or a description, reported as a whole


def size_text(row: pd.Series) -> str:
    """How many studies and participants the estimate rests on, as the abstract gives them."""
    parts = []
    if row.n_studies:
        parts.append(f"{row.n_studies} {'study' if row.n_studies == '1' else 'studies'}")
    if row.n_participants:
        # "10,523" is a count of participants; "93,676 enrolled; 82,410 analysed" already says what it counts.
        described = re.search(r"[a-z]", row.n_participants)
        parts.append(row.n_participants if described else f"{row.n_participants} participants")
    return ", ".join(parts) if parts else "size not given in the checked copies"


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
