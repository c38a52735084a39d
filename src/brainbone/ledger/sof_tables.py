"""The summary-of-findings tables (`data/summary_of_findings.csv`, `data/sof_footnotes.csv`): their schemas and
GRADE's rules on their rows (every level rated down or up has a footnote naming its domain). The ledger's loader
runs them; `brainbone.appraisal.sof` builds the Synthesis chapter's table from the validated rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pandera.pandas as pa

from brainbone import layout
from brainbone.errors import Issue, IssueKind
from brainbone.ledger import schema
from brainbone.ledger.reading import read_table
from brainbone.ledger.validation import did_you_mean

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger


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
# A gap in what is reported (no interval, no numbers): recorded, never a change of level, never imprecision.
REPORTING = "reporting"


def graded(start: str, changes: list[int]) -> str:
    """The certainty reached from a starting level after rating down (negative) and up (positive), within the scale."""
    rank = LEVELS.index(start) + sum(changes)
    return LEVELS[max(0, min(len(LEVELS) - 1, rank))]


def split_keys(value: object) -> list[str]:
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


def check_sof(ledger: Ledger) -> list[Issue]:
    """GRADE's rules and the list columns' keys (a `catalog` rule); an absent table is not checked."""
    if not (ledger.root / SOF_FILE).exists():
        return []
    return checked_sof(ledger)[2]


def checked_sof(ledger: Ledger) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
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
            for key in split_keys(row[column]):
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
        if row["participants"] is None and not split_keys(row["effect_ids"]):
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
