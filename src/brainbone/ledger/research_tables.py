"""The GRADE tables of the wider research (`data/research_outcomes.csv`, `data/research_grade.csv`, its footnotes and
absolute effects, the blind `data/second_grade.csv` and `data/research_grade_reconciliation.csv`): their schemas and
row rules. The certainty must equal start + changes within very low..high; every change has a footnote; every
disagreement with the second rater is listed. The ledger's loader runs them; `brainbone.book.research` builds the
Synthesis chapter's summary of findings from the validated rows. Rules in `data/GRADE.md`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pandera.pandas as pa

from brainbone import layout
from brainbone.errors import Issue, IssueKind
from brainbone.ledger import schema
from brainbone.ledger.reading import read_table
from brainbone.ledger.sof_tables import DOWN_DOMAINS, LEVELS, UP_DOMAINS, graded
from brainbone.ledger.validation import did_you_mean

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger

OUTCOMES_FILE = layout.table_file("research_outcomes")
GRADE_FILE = layout.table_file("research_grade")
FOOTNOTES_FILE = layout.table_file("research_grade_footnotes")
ABSOLUTE_FILE = layout.table_file("research_grade_absolute")
SECOND_FILE = layout.table_file("second_grade")
RECONCILIATION_FILE = layout.table_file("research_grade_reconciliation")
EFFECTS_FILE = layout.table_file("context_effects")
KINDS = ("association", "causal", "intervention", "harm")
STARTS = {"high", "low"}
DOMAINS = DOWN_DOMAINS  # the five reasons to rate down, in GRADE's order
DOWN_VALUES = (0, -1, -2)
UP_VALUES = (0, 1, 2)


# ---------------------------------------------------------------------------------------
# Schemas (declared in brainbone.catalog)


def research_outcomes_schema() -> pa.DataFrameSchema:
    return schema.table(
        outcome_id=schema.pattern(schema.SLUG, unique=True),
        kind=schema.text(pa.Check.isin(KINDS)),
        question_codes=schema.text(),
        question=schema.text(),
    )


def _grade_columns() -> dict[str, pa.Column]:
    """The GRADE judgement both the ledger's and the second rater's tables hold: where the rating starts,
    the five reasons to rate down (in GRADE's order), the reasons to rate up and the certainty they give."""
    down = pa.Column(int, coerce=True, checks=[pa.Check.isin(DOWN_VALUES)])
    return {
        "start": schema.text(pa.Check.isin(sorted(STARTS))),
        **dict.fromkeys(DOWN_DOMAINS, down),
        "rate_up": pa.Column(int, coerce=True, checks=[pa.Check.isin(UP_VALUES)]),
        "certainty": schema.text(pa.Check.isin(LEVELS)),
    }


def research_grade_schema() -> pa.DataFrameSchema:
    return schema.table(
        outcome_id=schema.foreign_key(
            "research_outcomes", fix="use an outcome of data/research_outcomes.csv", unique=True
        ),
        context_ids=schema.text(),
        overlapping=schema.text(nullable=True),
        **_grade_columns(),
        threshold=schema.text(),
        subject=schema.text(),
        finding=schema.text(),
        very_uncertain_about=schema.text(),
    )


def research_grade_footnotes_schema() -> pa.DataFrameSchema:
    return schema.table(
        outcome_id=schema.foreign_key("research_outcomes", fix="use an outcome of data/research_outcomes.csv"),
        domain=schema.text(pa.Check.isin(DOWN_DOMAINS + UP_DOMAINS)),
        change=pa.Column(int, coerce=True, checks=[pa.Check.isin((-2, -1, 0, 1, 2))]),
        footnote=schema.text(),
    )


def research_grade_absolute_schema() -> pa.DataFrameSchema:
    return schema.table(
        outcome_id=schema.foreign_key("research_outcomes", fix="use an outcome of data/research_outcomes.csv"),
        context_id=schema.foreign_key("context_effects", fix="name a row of data/context_effects.csv"),
        label=schema.text(),
        quote=schema.text(),
    )


def split(value: object) -> list[str]:
    """A `;`-separated list cell as its parts."""
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def certainty_of(row: dict) -> str:
    """The certainty the recorded start and changes give: start + downgrades + upgrades, within very low..high."""
    return graded(row["start"], [int(row[d]) for d in DOMAINS] + [int(row["rate_up"])])


def beyond_floor(row: dict) -> dict[str, int]:
    """Levels rated down past the floor (very low), per domain: the last downgrades in GRADE's domain order
    are the ones that no longer change the certainty, so they are shown as comments, not as decisive."""
    rank = LEVELS.index(row["start"]) + int(row["rate_up"])
    excess = -(rank + sum(int(row[d]) for d in DOMAINS))
    out: dict[str, int] = {}
    for domain in reversed(DOMAINS):
        if excess <= 0:
            break
        taken = min(excess, -int(row[domain]))
        if taken > 0:
            out[domain] = taken
            excess -= taken
    return out


def second_grade_schema() -> pa.DataFrameSchema:
    return schema.table(
        outcome_id=schema.foreign_key(
            "research_outcomes", fix="use an outcome of data/research_outcomes.csv", unique=True
        ),
        context_lines=schema.text(),
        **_grade_columns(),
        reasons=schema.text(),
    )


def reconciliation_schema() -> pa.DataFrameSchema:
    level = schema.text(pa.Check.isin(LEVELS))
    return schema.table(
        outcome_id=schema.foreign_key(
            "research_outcomes", fix="use an outcome of data/research_outcomes.csv", unique=True
        ),
        first_certainty=level,
        second_certainty=level,
        final_certainty=level,
        resolution=schema.text(pa.Check.str_matches(r"^(left|rule \d+)$")),
        reason=schema.text(),
    )


# ---------------------------------------------------------------------------------------
# The ledger rule


def check_research_grade(ledger: Ledger) -> list[Issue]:
    """Every recorded certainty equals start + changes (floor very low, ceiling high); every change has a
    footnote whose changes sum to it; every context row, overlapping key and absolute quote exists."""
    root = ledger.root
    if not (root / GRADE_FILE).exists():
        return []
    grades = ledger.tables.get("research_grade")
    notes = ledger.tables.get("research_grade_footnotes", pd.DataFrame(columns=["outcome_id", "domain", "change"]))
    absolute = ledger.tables.get("research_grade_absolute", pd.DataFrame(columns=["outcome_id", "context_id", "quote"]))
    if grades is None or grades.empty:
        return []
    lines = read_table(root, GRADE_FILE, columns=list(grades.columns)).lines
    effects = ledger.tables["context_effects"].set_index("context_id")
    issues: list[Issue] = []
    for position, row in enumerate(grades.to_dict("records")):
        line = lines[position] if position < len(lines) else None
        outcome = row["outcome_id"]
        where = f"outcome '{outcome}'"
        ids = split(row["context_ids"])
        for context_id in ids:
            if context_id not in effects.index:
                issues.append(
                    Issue(
                        IssueKind.BAD_VALUE,
                        GRADE_FILE,
                        line,
                        f"{where}: context_ids names '{context_id}', which is not a row of "
                        f"{EFFECTS_FILE}{did_you_mean(context_id, list(effects.index))}",
                    )
                )
        keys = set(effects.loc[[i for i in ids if i in effects.index], "study_key"])
        for key in split(row["overlapping"]):
            if key not in keys:
                issues.append(
                    Issue(
                        IssueKind.BAD_VALUE,
                        GRADE_FILE,
                        line,
                        f"{where}: overlapping names '{key}', which is not a study of its context rows "
                        f"({', '.join(sorted(keys))}){did_you_mean(key, sorted(keys))}",
                    )
                )
        own = notes[notes.outcome_id == outcome]
        for domain in (*DOMAINS, "rate_up"):
            recorded = int(row[domain])
            domains = UP_DOMAINS if domain == "rate_up" else (domain,)
            noted = int(own[own.domain.isin(domains)].change.astype(int).sum())
            if recorded != noted:
                issues.append(
                    Issue(
                        IssueKind.BAD_VALUE,
                        GRADE_FILE,
                        line,
                        f"{where}: column '{domain}' is {recorded} but its footnotes in {FOOTNOTES_FILE} change it by "
                        f"{noted}; every level rated down or up needs a footnote naming its domain",
                    )
                )
        reached = certainty_of(row)
        if reached != row["certainty"]:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    GRADE_FILE,
                    line,
                    f"{where}: certainty is '{row['certainty']}' but start '{row['start']}' with the recorded changes "
                    f"gives '{reached}' (floor very low, ceiling high); fix the certainty or the changes",
                )
            )
    for row in absolute.to_dict("records"):
        grade = grades[grades.outcome_id == row["outcome_id"]]
        where = f"absolute effect of '{row['outcome_id']}' from '{row['context_id']}'"
        if not grade.empty and row["context_id"] not in split(grade.iloc[0]["context_ids"]):
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE, ABSOLUTE_FILE, None, f"{where}: the row is not among the outcome's context_ids"
                )
            )
        if row["context_id"] in effects.index:
            words = effects.at[row["context_id"], "direction_in_words"] or ""
            if row["quote"] not in words:
                issues.append(
                    Issue(
                        IssueKind.BAD_VALUE,
                        ABSOLUTE_FILE,
                        None,
                        f"{where}: the quote '{row['quote']}' is not in the checked row's direction_in_words "
                        f"('{words}'); copy the absolute effect exactly as the checked row gives it",
                    )
                )
    return issues


def check_reconciliation(ledger: Ledger) -> list[Issue]:
    """Every disagreement is listed, with the second rater's certainty as recorded and the book's final one;
    an outcome not listed must agree. A listed outcome whose ratings agree is an error too."""
    grades = ledger.tables.get("research_grade")
    second = ledger.tables.get("second_grade")
    recon = ledger.tables.get("research_grade_reconciliation")
    if grades is None or second is None or second.empty or recon is None:
        return []
    book = dict(zip(grades.outcome_id, grades.certainty, strict=True))
    theirs = dict(zip(second.outcome_id, second.certainty, strict=True))
    listed = recon.set_index("outcome_id")
    issues = []
    for outcome, certainty in book.items():
        if outcome not in theirs:
            issues.append(Issue(IssueKind.BAD_VALUE, SECOND_FILE, None, f"outcome '{outcome}' has no second rating"))
            continue
        if outcome in listed.index:
            row = listed.loc[outcome]
            for column, expected in (("second_certainty", theirs[outcome]), ("final_certainty", certainty)):
                if row[column] != expected:
                    issues.append(
                        Issue(
                            IssueKind.BAD_VALUE,
                            RECONCILIATION_FILE,
                            None,
                            f"outcome '{outcome}': {column} is '{row[column]}' but it should be '{expected}' "
                            f"({SECOND_FILE if column == 'second_certainty' else GRADE_FILE})",
                        )
                    )
            # A later rule may move a certainty both raters shared; only an unchanged shared one is no disagreement.
            if row["first_certainty"] == row["second_certainty"] == row["final_certainty"]:
                issues.append(
                    Issue(
                        IssueKind.BAD_VALUE,
                        RECONCILIATION_FILE,
                        None,
                        f"outcome '{outcome}': the first and second certainty agree, so it is not a disagreement",
                    )
                )
        elif certainty != theirs[outcome]:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    RECONCILIATION_FILE,
                    None,
                    f"outcome '{outcome}': the book says '{certainty}' and the second rater '{theirs[outcome]}', but the "
                    "disagreement is not listed; add it with its resolution (a rule of data/GRADE.md, or 'left')",
                )
            )
    return issues
