"""How far each page's own evidence carries its claims, per key question the seeds raise: the table built from
`data/summary_of_findings.csv` and its footnotes `data/sof_footnotes.csv`.

Pure code, no Sphinx. This is NOT a GRADE rating: GRADE rates a body of studies for an outcome, and the wider research
is rated in `brainbone.book.research`. The table borrows GRADE's levels and domain names (`data/checked/instruments.md`)
to say how far the evidence the pages offer reaches, and keeps the categories honest: a number the page or abstract
does not report is a reporting gap (domain `reporting`, never a change of level), not imprecision; how a page applies a
result is the page's error, not indirectness of the evidence; levels rated down past the floor are shown as comments,
not as decisive. Every problem is a located `Issue`; the tables' schemas and GRADE's rules on their rows (every level rated down or up has a footnote naming its
domain) live in `brainbone.ledger.sof_tables`, which the ledger's loader runs.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from brainbone.appraisal.ratings import file_issues
from brainbone.errors import Issue, Validated
from brainbone.ledger.sof_tables import (
    FOOTNOTES_FILE,
    LEVELS,
    REPORTING,
    SOF_FILE,
    check_sof,
    checked_sof,
    graded,
    sof_footnotes_schema,
    split_keys,
    summary_of_findings_schema,
)

if TYPE_CHECKING:  # the ledger imports the catalog, which names this module
    from brainbone.ledger.loader import Ledger


DOMAIN_LABELS = {
    "risk_of_bias": "risk of bias",
    "inconsistency": "inconsistency",
    "indirectness": "indirectness",
    "imprecision": "imprecision",
    "publication_bias": "publication bias",
    "large_effect": "large effect",
    "dose_response": "dose–response gradient",
    "plausible_confounding": "plausible confounding",
}
SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very low": "⊕◯◯◯"}
# GRADE's symbols and levels are for bodies of studies; the pages' own evidence is shown on its own scale of reach.
REACH = {"high": "strong", "moderate": "fair", "low": "limited", "very low": "minimal"}
REACH_COLUMN = "Reach of the page's own evidence (not a GRADE level)"
DOMAIN_LABELS_PAGES = {**DOMAIN_LABELS, REPORTING: "reporting gap (not imprecision)"}


@dataclass
class SummaryOfFindings(Validated):
    questions: pd.DataFrame
    footnotes: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)


def load_sof(ledger: Ledger) -> SummaryOfFindings:
    """Both tables as the ledger loaded them, with every problem found in their files."""
    questions, footnotes, _ = checked_sof(ledger)
    return SummaryOfFindings(questions, footnotes, file_issues(ledger, SOF_FILE) + file_issues(ledger, FOOTNOTES_FILE))


def footnote_letters(sof: SummaryOfFindings) -> pd.DataFrame:
    """The footnotes in table order, lettered a, b, c … as the table cites them, each with its role: a decisive
    change of level, a change past the floor (very low) kept as a comment, or a reporting gap."""
    order = {q: i for i, q in enumerate(sof.questions.question_id)}
    notes = sof.footnotes.assign(_order=sof.footnotes.question_id.map(order)).sort_values(
        ["_order", "line"], kind="stable"
    )
    letters = [string.ascii_lowercase[i] if i < 26 else f"z{i - 25}" for i in range(len(notes))]
    notes = notes.assign(letter=letters).drop(columns="_order")
    notes["domain_label"] = notes.domain.map(DOMAIN_LABELS_PAGES)
    starts = dict(zip(sof.questions.question_id, sof.questions.start, strict=True))
    room: dict[str, int] = {}  # levels each question can still fall before the floor
    roles = []
    for note in notes.to_dict("records"):
        change = int(note["change"])
        left = room.setdefault(note["question_id"], LEVELS.index(starts.get(note["question_id"], "low")))
        if note["domain"] == REPORTING:
            roles.append("not rated down: a reporting gap, recorded as a comment")
        elif change > 0:
            roles.append(f"up {change}")
            room[note["question_id"]] = left + change
        else:
            decisive = min(left, -change)
            room[note["question_id"]] = left - decisive
            if decisive == -change:
                roles.append(f"down {decisive} (decisive)")
            elif decisive:
                roles.append(f"down {-change}: {decisive} decisive, {-change - decisive} past the floor (comment)")
            else:
                roles.append(f"down {-change} past the floor of very low: a comment, not decisive")
    notes["role"] = roles
    return notes.reset_index(drop=True)


def _effect_text(ledger: Ledger, row: dict) -> str:
    effects = ledger.effects.set_index("effect_id")
    parts = []
    chosen = [effects.loc[e] for e in split_keys(row["effect_ids"])]
    if chosen:
        units = {e.unit for e in chosen}
        if len(units) == 1:  # one unit: the values side by side, the unit once
            unit = units.pop()
            values = ", ".join(f"{e.value:g}{'%' if unit.startswith('%') else ''} ({e.outcome})" for e in chosen)
            values += " " + unit.removeprefix("%").strip()
        else:
            values = "; ".join(
                f"{e.outcome}: {e.value:g}{'' if e.unit.startswith('%') else ' '}{e.unit}" for e in chosen
            )
        p_values = {e.p_value for e in chosen if e.p_value}
        has_ci = any(pd.notna(e.ci_low) and pd.notna(e.ci_high) for e in chosen)
        parts.append(
            values
            + (f" (p{', p'.join(sorted(p_values))})" if p_values else "")
            + ("" if has_ci else "; no confidence interval reported")
        )
    for claim_id in split_keys(row["effect_claim_ids"]):
        excerpt = " ".join(str(ledger.claims.at[claim_id, "excerpt"]).split())
        parts.append(f"“{excerpt}” ({claim_id})")
    return " ".join(parts) if parts else "no effect reported"


def participants(ledger: Ledger, row: dict) -> str:
    """The participants column: as written, or the largest sample size among the question's effects."""
    if row["participants"]:
        return str(row["participants"])
    sizes = ledger.effects.set_index("effect_id").loc[split_keys(row["effect_ids"]), "n"].dropna()
    follow_up = ledger.effects.set_index("effect_id").loc[split_keys(row["effect_ids"]), "follow_up"].dropna()
    text = f"{int(sizes.max()):,}" if len(sizes) else "not reported"
    return text + (f" ({follow_up.iloc[0]})" if len(follow_up) else "")


def table(ledger: Ledger, sof: SummaryOfFindings) -> pd.DataFrame:
    """The summary of findings in the layout of a Cochrane table: one row per question, footnote letters beside
    the certainty. The seeds give no comparison risks, so 'effect as reported' replaces Cochrane's risk columns."""
    notes = footnote_letters(sof)
    rows = []
    for row in sof.questions.to_dict("records"):
        letters = notes.loc[notes.question_id == row["question_id"], "letter"]
        certainty = REACH[row["certainty"]] + (f" ({', '.join(letters)})" if len(letters) else "")
        sources = ", ".join(split_keys(row["primary_sources"])) or "none identified"
        rows.append(
            {
                "Question and outcome": f"{row['question']} Outcome: {row['outcome']}",
                "Evidence the seeds offer": f"{row['evidence']} (studies: {row['studies']}; identified: {sources})",
                "Participants": participants(ledger, row),
                "Effect as reported": _effect_text(ledger, row),
                REACH_COLUMN: certainty,
                "Comments": row["comment"] or "",
            }
        )
    return pd.DataFrame(rows)


def footnotes_table(sof: SummaryOfFindings) -> pd.DataFrame:
    notes = footnote_letters(sof)
    question = dict(zip(sof.questions.question_id, sof.questions.question, strict=True))
    return pd.DataFrame(
        {
            "Footnote": notes.letter,  # a named column: an empty header cell fails axe (empty-table-header)
            "Question": notes.question_id.map(question),
            "Domain": notes.domain_label,
            "Rated": notes.role,
            "Why": notes.footnote,
        }
    )


__all__ = [
    "LEVELS",
    "REACH",
    "REACH_COLUMN",
    "SummaryOfFindings",
    "check_sof",
    "footnotes_table",
    "graded",
    "load_sof",
    "sof_footnotes_schema",
    "summary_of_findings_schema",
    "table",
]
