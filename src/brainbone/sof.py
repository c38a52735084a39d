"""How far each page's own evidence carries its claims, per key question the seeds raise: the table built from
`data/summary_of_findings.csv` and its footnotes `data/sof_footnotes.csv`.

Pure code, no Sphinx. This is NOT a GRADE rating: GRADE rates a body of studies for an outcome, and the wider
research is rated in `brainbone.research`. The table borrows GRADE's levels and domain names (`data/checked/
instruments.md`) to say how far the evidence the pages offer reaches, and keeps GRADE's categories honest: a number
the page or abstract does not report is a reporting gap (domain `reporting`, never a change of level), not
imprecision; how a page applies a result is the page's error, not indirectness of the evidence; and levels rated down
past the floor are shown as comments, not as decisive. Every level rated down has a footnote naming its domain.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import pandera.pandas as pa

from brainbone import layout, schema
from brainbone.errors import Issue, IssueKind, Validated
from brainbone.ratings import file_issues
from brainbone.reading import read_table
from brainbone.validation import did_you_mean

if TYPE_CHECKING:  # the ledger imports the catalog, which names this module
    from brainbone.ledger import Ledger

SOF_FILE = layout.table_file("summary_of_findings")
FOOTNOTES_FILE = layout.table_file("sof_footnotes")
SOF_COLUMNS = (
    "question_id",
    "question",
    "outcome",
    "seeds",
    "evidence",
    "studies",
    "primary_sources",
    "participants",
    "effect_ids",
    "effect_claim_ids",
    "start",
    "certainty",
    "comment",
)
FOOTNOTE_COLUMNS = ("question_id", "domain", "change", "footnote")
REQUIRED = ("question_id", "question", "outcome", "seeds", "evidence", "studies", "start", "certainty")

LEVELS = ("very low", "low", "moderate", "high")  # lowest first: a level's index is its rank
# Randomised trials start high, observational studies low (Balshem et al. 2011).
STARTS = ("high", "low")
DOWN_DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
UP_DOMAINS = ("large_effect", "dose_response", "plausible_confounding")
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
# A gap in what is reported (no interval, no numbers): recorded, never a change of level.
REPORTING = "reporting"
DOMAIN_LABELS_PAGES = {**DOMAIN_LABELS, REPORTING: "reporting gap (not imprecision)"}


def graded(start: str, changes: list[int]) -> str:
    """The certainty reached from a starting level after rating down (negative) and up (positive), within the scale."""
    rank = LEVELS.index(start) + sum(changes)
    return LEVELS[max(0, min(len(LEVELS) - 1, rank))]


@dataclass
class SummaryOfFindings(Validated):
    questions: pd.DataFrame
    footnotes: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)


def _split(value: object) -> list[str]:
    return [part.strip() for part in str(value).split(";") if part.strip()] if value is not None else []


def summary_of_findings_schema() -> pa.DataFrameSchema:
    columns = {name: schema.text(nullable=name not in REQUIRED) for name in SOF_COLUMNS}
    columns["question_id"] = schema.pattern(schema.SLUG, unique=True)
    return schema.table(**columns)


def sof_footnotes_schema() -> pa.DataFrameSchema:
    return schema.table(
        question_id=schema.foreign_key("summary_of_findings", fix="add the question there first, or fix the id"),
        domain=schema.text(),
        change=schema.text(),
        footnote=schema.text(nullable=True),  # check_sof says why an empty one is wrong
    )


def load_sof(ledger: Ledger) -> SummaryOfFindings:
    """Both tables as the ledger loaded them, with every problem found in their files."""
    questions, footnotes, _ = _checked(ledger)
    return SummaryOfFindings(questions, footnotes, file_issues(ledger, SOF_FILE) + file_issues(ledger, FOOTNOTES_FILE))


def check_sof(ledger: Ledger) -> list[Issue]:
    """GRADE's rules and the list columns' keys (a `catalog` rule); an absent table is not checked."""
    if not (ledger.root / SOF_FILE).exists():
        return []
    return _checked(ledger)[2]


def _checked(ledger: Ledger) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    issues: list[Issue] = []
    sof_file, footnotes_file = SOF_FILE, FOOTNOTES_FILE
    q_table = read_table(ledger.root, sof_file, columns=list(SOF_COLUMNS), required=False)
    f_table = read_table(ledger.root, footnotes_file, columns=list(FOOTNOTE_COLUMNS), required=False)
    questions = ledger.tables.get("summary_of_findings", q_table.frame)
    footnotes = ledger.tables.get("sof_footnotes", f_table.frame)
    q_lines, f_lines = q_table.lines, f_table.lines
    if list(questions.columns) != list(SOF_COLUMNS) or list(footnotes.columns) != list(FOOTNOTE_COLUMNS):
        return questions, footnotes, issues  # the schema has reported the header
    seed_ids = set(ledger.sources.seed_id)
    claim_ids = set(ledger.claims.index)
    effect_ids = set(ledger.effects.effect_id)
    seen: dict[str, int] = {}
    for position, row in enumerate(questions.to_dict("records")):
        line = q_lines[position]
        question_id = row["question_id"]
        seen.setdefault(question_id, line)
        for column, keys, where, kind in (
            ("seeds", seed_ids, layout.table_file("sources"), IssueKind.UNKNOWN_SEED),
            ("effect_claim_ids", claim_ids, layout.table_file("claims"), IssueKind.UNKNOWN_CLAIM),
            ("effect_ids", effect_ids, layout.table_file("effects"), IssueKind.BAD_VALUE),
            ("primary_sources", ledger.bib_keys, layout.BIB_FILE, IssueKind.UNKNOWN_REFERENCE),
        ):
            for key in _split(row[column]):
                if key not in keys:
                    issues.append(
                        Issue(
                            kind,
                            sof_file,
                            line,
                            f"column '{column}': unknown key '{key}', not in {where}{did_you_mean(key, keys)}",
                        )
                    )
        if row["studies"] is not None and not str(row["studies"]).isdigit():
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    sof_file,
                    line,
                    f"column 'studies': expected a whole number, got '{row['studies']}'",
                )
            )
        for column, allowed in (("start", STARTS), ("certainty", LEVELS)):
            if row[column] is not None and row[column] not in allowed:
                issues.append(
                    Issue(
                        IssueKind.BAD_VALUE,
                        sof_file,
                        line,
                        f"column '{column}': '{row[column]}' is not allowed; expected one of: {', '.join(allowed)}"
                        f"{did_you_mean(row[column], allowed)}",
                    )
                )
        if row["participants"] is None and not _split(row["effect_ids"]):
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    sof_file,
                    line,
                    "column 'participants' is empty and no effect_ids give a sample size; write 'not reported' if the seeds give none",
                )
            )

    changes: dict[str, list[int]] = {}
    for position, row in enumerate(footnotes.to_dict("records")):
        line = f_lines[position]
        question_id, domain, change, text = row["question_id"], row["domain"], row["change"], row["footnote"]
        if question_id not in seen:
            continue  # the schema's foreign key has reported it
        if not text:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    footnotes_file,
                    line,
                    "column 'footnote' is empty; say why the evidence is rated down or up",
                )
            )
        allowed = DOWN_DOMAINS + UP_DOMAINS + (REPORTING,)
        if domain not in allowed:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    footnotes_file,
                    line,
                    f"domain '{domain}' is not a GRADE domain or '{REPORTING}'; expected one of: {', '.join(allowed)}"
                    f"{did_you_mean(domain, allowed)}",
                )
            )
            continue
        if domain == REPORTING:
            expected: tuple[str, ...] = ("0",)
        else:
            expected = ("-1", "-2") if domain in DOWN_DOMAINS else ("1", "2", "+1", "+2")
        if change not in expected:
            if domain == REPORTING:
                way = "is a reporting gap, not imprecision: change must be 0"
            elif domain in DOWN_DOMAINS:
                way = "rates down: change must be -1 or -2"
            else:
                way = "rates up: change must be +1 or +2"
            issues.append(Issue(IssueKind.BAD_VALUE, footnotes_file, line, f"domain '{domain}' {way}, got '{change}'"))
            continue
        changes.setdefault(question_id, []).append(int(change))

    for position, row in enumerate(questions.to_dict("records")):
        start, certainty = row["start"], row["certainty"]
        if start not in STARTS or certainty not in LEVELS:
            continue
        own = changes.get(row["question_id"], [])
        reached = graded(start, own)
        if reached != certainty:
            down, up = -sum(c for c in own if c < 0), sum(c for c in own if c > 0)
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    sof_file,
                    q_lines[position],
                    f"question '{row['question_id']}': certainty is '{certainty}' from a start of '{start}', but its "
                    f"footnotes in {footnotes_file} rate it down {down} and up {up} level(s), which gives '{reached}'; "
                    "every level rated down or up needs a footnote naming its GRADE domain",
                )
            )
    questions = questions.assign(line=q_lines if len(q_lines) == len(questions) else None)
    footnotes = footnotes.assign(line=f_lines if len(f_lines) == len(footnotes) else None)
    return questions, footnotes, issues


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
    chosen = [effects.loc[e] for e in _split(row["effect_ids"])]
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
    for claim_id in _split(row["effect_claim_ids"]):
        excerpt = " ".join(str(ledger.claims.at[claim_id, "excerpt"]).split())
        parts.append(f"“{excerpt}” ({claim_id})")
    return " ".join(parts) if parts else "no effect reported"


def participants(ledger: Ledger, row: dict) -> str:
    """The participants column: as written, or the largest sample size among the question's effects."""
    if row["participants"]:
        return str(row["participants"])
    sizes = ledger.effects.set_index("effect_id").loc[_split(row["effect_ids"]), "n"].dropna()
    follow_up = ledger.effects.set_index("effect_id").loc[_split(row["effect_ids"]), "follow_up"].dropna()
    text = f"{int(sizes.max()):,}" if len(sizes) else "not reported"
    return text + (f" ({follow_up.iloc[0]})" if len(follow_up) else "")


def table(ledger: Ledger, sof: SummaryOfFindings) -> pd.DataFrame:
    """The summary of findings in the layout of a Cochrane table: one row per question, footnote letters beside
    the certainty. The seeds give no comparison risks, so 'effect as reported' replaces Cochrane's risk columns."""
    notes = footnote_letters(sof)
    rows = []
    for row in sof.questions.to_dict("records"):
        letters = notes.loc[notes.question_id == row["question_id"], "letter"]
        certainty = f"{SYMBOLS[row['certainty']]} {row['certainty']}" + (
            f" ({', '.join(letters)})" if len(letters) else ""
        )
        sources = ", ".join(_split(row["primary_sources"])) or "none identified"
        rows.append(
            {
                "Question and outcome": f"{row['question']} Outcome: {row['outcome']}",
                "Evidence the seeds offer": f"{row['evidence']} (studies: {row['studies']}; identified: {sources})",
                "Participants": participants(ledger, row),
                "Effect as reported": _effect_text(ledger, row),
                "How far the pages' own evidence reaches (not a GRADE rating)": certainty,
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
    "SummaryOfFindings",
    "check_sof",
    "footnotes_table",
    "graded",
    "load_sof",
    "sof_footnotes_schema",
    "summary_of_findings_schema",
    "table",
]
