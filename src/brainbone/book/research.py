"""GRADE summary of findings of the wider research itself: one row per outcome of `data/research_outcomes.csv`,
rated from the checked context rows only (`data/research_grade.csv`, its footnotes and its absolute effects), the
blind comparison, and the glue for the chapters' bottom line.

Pure code, no Sphinx. Levels, starting points, domains and statement wording follow `data/checked/instruments.md`
(Balshem et al. 2011; Santesso et al. 2020); the rules for each judgment are in `data/GRADE.md`; the tables' schemas and
row rules are in `brainbone.ledger.research_tables`. Unlike `brainbone.appraisal.sof`, which measures how far each
page's own evidence carries its claims, this rates bodies of studies.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from brainbone import layout
from brainbone.appraisal import context as contextlayer
from brainbone.appraisal.effectwords import effect_in_words, shown_direction
from brainbone.appraisal.sof import DOMAIN_LABELS, SYMBOLS
from brainbone.ledger import context_tables
from brainbone.ledger.research_tables import (
    DOMAINS,
    beyond_floor,
    split,
)
from brainbone.ledger.sof_tables import DOWN_DOMAINS, LEVELS, UP_DOMAINS

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger

AGREEMENT_TARGET = 0.8  # raw agreement on the final certainty, set before the blind rating (issue 21)
NOT_AVAILABLE = "not available from the checked studies"
# A checked row's notes say when its counts are the whole analysis's, not its subgroup's.
SUBGROUP_NOTE = re.compile(r"refer to the whole meta-analysis|for the whole review, not this subgroup")

# Santesso et al. 2020: the hedge grows as certainty falls; very low uses GRADE's definition in words.
VERBS = {
    "effect": {"high": "results in", "moderate": "likely results in", "low": "may result in"},
    "association": {
        "high": "is associated with",
        "moderate": "is likely associated with",
        "low": "may be associated with",
    },
}
VERY_LOW = "The evidence is very uncertain about {about}."


def statement(kind: str, certainty: str, subject: str, finding: str, about: str, start: str = "high") -> str:
    """One plain-language sentence combining the size of the effect (the finding) with its certainty;
    a harm resting on observational studies (start low) is worded as an association (rule 10)."""
    if certainty not in LEVELS:
        raise ValueError(f"certainty '{certainty}' is not one of: {', '.join(LEVELS)}")
    if certainty == "very low":
        return VERY_LOW.format(about=about)
    observed = kind == "association" or (kind == "harm" and start == "low")
    verbs = VERBS["association" if observed else "effect"]
    return f"{subject} {verbs[certainty]} {finding}."


# ---------------------------------------------------------------------------------------
# Words and numbers for the table, always from the rows


@lru_cache(maxsize=4)
def _bib_labels(path: Path, mtime: float) -> dict[str, str]:
    from brainbone.book.forest import study_labels  # one label per study across the book's tables and figures

    return study_labels(path)


def bib_labels(root: Path) -> dict[str, str]:
    """'Wu et al. 2009' for every key of references.bib, as the forest plots label them."""
    path = root / layout.BIB_FILE
    return _bib_labels(path, path.stat().st_mtime)


def subgroup_lines(root: Path) -> set[int]:
    """Lines of the checked file whose counts are the whole analysis's, not the row's subgroup's."""
    rows = context_tables.read_rows(root / context_tables.SHARED_FILE)
    return {line for line, row in rows if SUBGROUP_NOTE.search(row.get("notes", ""))}


def size_text(row: pd.Series, subgroup: bool) -> str:
    """Studies and participants; a subgroup's own counts are not in the checked row, so the whole analysis's
    counts are never printed as if they were the subgroup's."""
    whole = contextlayer.size_text(row)
    if subgroup:
        return f"subgroup n not reported (whole meta-analysis: {whole})"
    return whole


def effect_words(row: pd.Series) -> str:
    """The effect as reported, in words (brainbone.appraisal.effectwords.effect_in_words)."""
    text = effect_in_words(row)
    return text if text else "no number in the checked abstract"


def _row_label(row: pd.Series) -> str:
    return f"{row.outcome} ({row.population})" if row.population else str(row.outcome)


@dataclass
class Research:
    outcomes: pd.DataFrame
    grades: pd.DataFrame
    footnotes: pd.DataFrame
    absolute: pd.DataFrame
    effects: pd.DataFrame
    labels: dict[str, str]
    subgroups: set[int]

    def row(self, outcome_id: str) -> dict:
        return self.grades[self.grades.outcome_id == outcome_id].iloc[0].to_dict()

    def kind(self, outcome_id: str) -> str:
        return str(self.outcomes.set_index("outcome_id").at[outcome_id, "kind"])

    def statement(self, outcome_id: str) -> str:
        row = self.row(outcome_id)
        return statement(
            self.kind(outcome_id),
            row["certainty"],
            row["subject"],
            row["finding"],
            row["very_uncertain_about"],
            row["start"],
        )


def load(ledger: Ledger) -> Research:
    ledger = ledger.require_valid()
    effects = ledger.tables["context_effects"].set_index("context_id", drop=False)
    return Research(
        ledger.tables["research_outcomes"],
        ledger.tables["research_grade"],
        ledger.tables["research_grade_footnotes"],
        ledger.tables["research_grade_absolute"],
        effects,
        bib_labels(ledger.root),
        subgroup_lines(ledger.root),
    )


def footnote_letters(research: Research) -> pd.DataFrame:
    """Footnotes in table order, lettered a, b, c …, with whether each change is decisive or beyond the floor."""
    order = {o: i for i, o in enumerate(research.grades.outcome_id)}
    domain_order = {d: i for i, d in enumerate(DOWN_DOMAINS + UP_DOMAINS)}
    notes = research.footnotes.assign(
        _o=research.footnotes.outcome_id.map(order), _d=research.footnotes.domain.map(domain_order)
    ).sort_values(["_o", "_d"], kind="stable")
    letters = [string.ascii_lowercase[i % 26] * (i // 26 + 1) for i in range(len(notes))]
    notes = notes.assign(letter=letters).drop(columns=["_o", "_d"]).reset_index(drop=True)
    role = []
    for note in notes.to_dict("records"):
        beyond = beyond_floor(research.row(note["outcome_id"]))
        change = int(note["change"])
        if change == 0:
            role.append("considered, not rated down")
        elif change > 0:
            role.append(f"rated up {change}")
        elif note["domain"] in beyond:
            role.append(f"rated down {-change}, beyond the floor (a comment, not decisive)")
        else:
            role.append(f"rated down {-change} (decisive)")
    return notes.assign(role=role)


def _domain_cell(row: dict, domain: str, letters: pd.DataFrame) -> str:
    own = letters[(letters.outcome_id == row["outcome_id"]) & (letters.domain == domain)]
    refs = f" ({', '.join(own.letter)})" if len(own) else ""
    value = int(row[domain])
    if value == 0:
        return f"no change{refs}"
    beyond = beyond_floor(row).get(domain, 0)
    text = f"−{-value}"
    if beyond:
        text += f", of which {beyond} beyond the floor"
    return text + refs


def studies_text(research: Research, ids: list[str]) -> str:
    """Each study once: its label, design, and the studies and participants its rows rest on (a subgroup's
    row is qualified, never given the whole analysis's counts as its own)."""
    parts = []
    for key in dict.fromkeys(research.effects.loc[ids, "study_key"]):
        rows = research.effects.loc[[i for i in ids if research.effects.at[i, "study_key"] == key]]
        sizes: list[str] = []
        for _, row in rows.iterrows():
            subgroup = int(row.shared_line) in research.subgroups
            text = size_text(row, subgroup)
            text = f"{row.population}: {text}" if subgroup else text
            if text not in sizes:
                sizes.append(text)
        label = research.labels.get(key, key)
        parts.append(f"{label}, {rows.iloc[0].design} ({'; '.join(sizes)})")
    return " | ".join(parts)


def effects_text(research: Research, ids: list[str]) -> str:
    parts = []
    for context_id in ids:
        row = research.effects.loc[context_id]
        label = research.labels.get(row.study_key, row.study_key)
        parts.append(f"{label}, {_row_label(row)}: {effect_words(row)}; {shown_direction(row)}")
    return " | ".join(parts)


def absolute_text(research: Research, outcome_id: str) -> str:
    rows = research.absolute[research.absolute.outcome_id == outcome_id]
    if rows.empty:
        return NOT_AVAILABLE
    parts = []
    for row in rows.to_dict("records"):
        key = research.effects.at[row["context_id"], "study_key"]
        parts.append(f"{row['label']}: {row['quote']} ({research.labels.get(key, key)})")
    return "; ".join(parts)


def overlap_text(research: Research, row: dict) -> str:
    keys = split(row["overlapping"])
    if len(keys) < 2:
        return ""
    names = ", ".join(research.labels.get(k, k) for k in keys)
    return f"Overlapping: {names} address the same question over overlapping periods or cohorts and are read as one body of evidence, not as independent confirmation."


def certainty_text(row: dict, letters: pd.DataFrame) -> str:
    """The certainty with how it was reached: start, each domain's judgment with its footnotes, rating up."""
    outcome = row["outcome_id"]
    ups = letters[(letters.outcome_id == outcome) & (letters.change > 0)]
    up = "; ".join(f"{DOMAIN_LABELS[d]} ({n})" for d, n in zip(ups.domain, ups.letter, strict=True))
    design = "randomised trials" if row["start"] == "high" else "observational studies or reports"
    domains = "; ".join(
        f"{DOMAIN_LABELS[d].capitalize()}{' (threshold: ' + row['threshold'] + ')' if d == 'imprecision' else ''}: "
        f"{_domain_cell(row, d, letters)}"
        for d in DOMAINS
    )
    return (
        f"{SYMBOLS[row['certainty']]} {row['certainty']}. Start: {row['start']} ({design}). {domains}. "
        f"Rated up: {up or 'no (large effect, dose–response and confounding considered)'}."
    )


def table(research: Research) -> pd.DataFrame:
    """The summary of findings, one row per outcome, in the order of data/research_outcomes.csv."""
    letters = footnote_letters(research)
    questions = research.outcomes.set_index("outcome_id")
    rows = []
    for row in research.grades.to_dict("records"):
        outcome = row["outcome_id"]
        ids = split(row["context_ids"])
        plain = [research.statement(outcome), overlap_text(research, row)]
        rows.append(
            {
                "Outcome": f"{questions.at[outcome, 'question']} ({questions.at[outcome, 'kind']})",
                "Studies: design, studies and participants": studies_text(research, ids),
                "Effect as reported (95% interval)": effects_text(research, ids),
                "Absolute effect": absolute_text(research, outcome),
                "Certainty (GRADE) and how it was reached": certainty_text(row, letters),
                "In plain language": " ".join(part for part in plain if part),
            }
        )
    return pd.DataFrame(rows)


def footnotes_table(research: Research) -> pd.DataFrame:
    letters = footnote_letters(research)
    return pd.DataFrame(
        {
            "Footnote": letters.letter,
            "Outcome": letters.outcome_id,
            "GRADE domain": letters.domain.map(DOMAIN_LABELS),
            "Judgment": letters.role,
            "Why": letters.footnote,
        }
    )


def book_table(ledger: Ledger) -> pd.DataFrame:
    return table(load(ledger))


def book_footnotes(ledger: Ledger) -> pd.DataFrame:
    return footnotes_table(load(ledger))


def weighted_kappa(first: list[str], second: list[str], levels: tuple[str, ...] = LEVELS) -> float:
    """Cohen's kappa with linear weights on ordered levels: 1 - |i - j| / (k - 1)."""
    k, n = len(levels), len(first)
    index = {level: i for i, level in enumerate(levels)}
    pairs = [(index[a], index[b]) for a, b in zip(first, second, strict=True)]

    def weight(i: int, j: int) -> float:
        return 1 - abs(i - j) / (k - 1)

    observed = sum(weight(i, j) for i, j in pairs) / n
    rows = [sum(1 for i, _ in pairs if i == a) / n for a in range(k)]
    cols = [sum(1 for _, j in pairs if j == b) / n for b in range(k)]
    expected = sum(weight(a, b) * rows[a] * cols[b] for a in range(k) for b in range(k))
    return (observed - expected) / (1 - expected)


@dataclass
class Agreement:
    n: int
    raw: float
    kappa: float
    raw_final: float
    kappa_final: float
    disagreements: pd.DataFrame


def agreement(ledger: Ledger) -> Agreement:
    """Agreement on the final certainty: the book's first ratings (before it saw the second rating: the
    reconciliation's first_certainty where listed, else the recorded certainty) against the second rater's,
    and again after the stated rules."""
    ledger = ledger.require_valid()
    grades = ledger.tables["research_grade"]
    second = dict(zip(ledger.second_grade.outcome_id, ledger.second_grade.certainty, strict=True))
    recon = ledger.tables["research_grade_reconciliation"].set_index("outcome_id")
    outcomes = list(grades.outcome_id)
    final = dict(zip(grades.outcome_id, grades.certainty, strict=True))
    first = {o: recon.at[o, "first_certainty"] if o in recon.index else final[o] for o in outcomes}
    theirs = [second[o] for o in outcomes]
    n = len(outcomes)
    return Agreement(
        n,
        sum(first[o] == second[o] for o in outcomes) / n,
        weighted_kappa([first[o] for o in outcomes], theirs),
        sum(final[o] == second[o] for o in outcomes) / n,
        weighted_kappa([final[o] for o in outcomes], theirs),
        recon.reset_index(),
    )


def agreement_table(ledger: Ledger) -> pd.DataFrame:
    """Each disagreement on the final certainty, with its resolution."""
    rows = agreement(ledger).disagreements
    return pd.DataFrame(
        {
            "Outcome": rows.outcome_id,
            "Book (first)": rows.first_certainty,
            "Second rater": rows.second_certainty,
            "Book (final)": rows.final_certainty,
            "Resolution": rows.resolution,
            "Why": rows.reason,
        }
    )


# ---------------------------------------------------------------------------------------
# Glue for the chapters: the bottom line comes from the summary of findings, never typed


def _join(items: list[str]) -> str:
    return " ".join(items) if items else "none"


def _list(items: list[str]) -> str:
    items = [item.split(";")[0] for item in items]  # the topic, without a very-low statement's second clause
    if len(items) <= 1:
        return "".join(items) or "none"
    return ", ".join(items[:-1]) + " and " + items[-1]


def facts(ledger: Ledger) -> dict[str, object]:
    """Counts, statements and agreement figures of the research summary, keyed for glue."""
    research = load(ledger)
    grades = research.grades
    kinds = research.outcomes.set_index("outcome_id").kind
    kind = grades.outcome_id.map(kinds)
    certain = grades.certainty
    out: dict[str, object] = {"research_n_outcomes": len(grades)}
    for level in LEVELS:
        out[f"research_n_{level.replace(' ', '_')}"] = int((certain == level).sum())

    def statements(mask) -> list[str]:
        return [research.statement(o) for o in grades.outcome_id[mask]]

    out["research_associations"] = _join(statements((kind == "association") & (certain != "very low")))
    out["research_associations_very_uncertain"] = _list(
        list(grades.very_uncertain_about[(kind == "association") & (certain == "very low")])
    )
    causal = kind == "causal"
    out["research_n_causal"] = int(causal.sum())
    out["research_n_causal_very_low"] = int((causal & (certain == "very low")).sum())
    out["research_causal_topics"] = _list(list(grades.very_uncertain_about[causal]))
    acting = kind.isin(["intervention", "harm"])
    # Only bodies of trials (start high): a harm rated from cohorts is not something "trials answer".
    out["research_firm"] = _join(statements(acting & (grades.start == "high") & certain.isin(["high", "moderate"])))
    out["research_tentative"] = _join(statements(acting & (certain == "low")))
    out["research_very_uncertain"] = _list(list(grades.very_uncertain_about[acting & (certain == "very low")]))
    out["research_n_very_uncertain_acting"] = int((acting & (certain == "very low")).sum())
    for outcome in grades.outcome_id:
        key = outcome.replace("-", "_")
        out[f"research_statement_{key}"] = research.statement(outcome)
        out[f"research_certainty_{key}"] = research.row(outcome)["certainty"]
        out[f"research_absolute_{key}"] = absolute_text(research, outcome)
    result = agreement(ledger)
    recon = result.disagreements
    out.update(
        {
            "research_agree_n": result.n,
            "research_agree_raw": f"{result.raw:.0%}",
            "research_agree_kappa": f"{result.kappa:.2f}",
            "research_agree_raw_final": f"{result.raw_final:.0%}",
            "research_agree_kappa_final": f"{result.kappa_final:.2f}",
            "research_agree_target": f"{AGREEMENT_TARGET:.0%}",
            "research_agree_short": "met" if result.raw >= AGREEMENT_TARGET else "fell short of",
            "research_agree_n_disagreements": len(recon),
            "research_agree_n_rule": int((recon.resolution != "left").sum()),
            "research_agree_n_left": int((recon.resolution == "left").sum()),
            "research_agree_n_adjacent": int(
                sum(
                    abs(LEVELS.index(a) - LEVELS.index(b)) == 1
                    for a, b in zip(recon.first_certainty, recon.second_certainty, strict=True)
                )
            ),
        }
    )
    return out


__all__ = [
    "AGREEMENT_TARGET",
    "NOT_AVAILABLE",
    "Research",
    "agreement",
    "facts",
    "load",
    "size_text",
    "statement",
    "table",
    "weighted_kappa",
]
