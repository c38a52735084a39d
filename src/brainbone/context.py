"""The context layer: checked findings of the wider research, the seed claims they bear on, and the
check that every copied value still equals the shared, checked file. Pure code, no Sphinx."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from brainbone import layout, reading, schema
from brainbone import vocabulary as vocab
from brainbone.errors import Issue, IssueKind

EFFECTS_TABLE = "context_effects"
LINKS_TABLE = "claim_context"
EFFECTS_FILE = layout.table_file(EFFECTS_TABLE)
LINKS_FILE = layout.table_file(LINKS_TABLE)
SHARED_FILE = layout.CONTEXT_CHECKED_FILE
# Only rows whose check ended with one of these may be used (data/checked/context-studies.md).
USABLE_SHARED_VERDICTS = ("verified", "corrected")

# The questions of data/checked/context-studies.md and the verdicts, from data/vocabulary.csv:
# question -> (short label, what it asks); data/CONTEXT.md gives the rules for a verdict.
QUESTIONS = {
    t.value: (t.label[:1].upper() + t.label[1:], t.description) for t in vocab.DEFAULT.terms("context_question")
}
QUESTION_LABELS = vocab.DEFAULT.labels("context_question")  # "vitamin D for mood and fractures": for running text
VERDICTS = vocab.DEFAULT.values("context_verdict")
VERDICT_LABELS = vocab.DEFAULT.labels("context_verdict")

# Columns copied from the shared file, compared value for value at every build.
COMPARED_COLUMNS = (
    "question",
    "study_key",
    "design",
    "population",
    "n_studies",
    "n_participants",
    "exposure_or_intervention",
    "outcome",
    "effect_measure",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "direction_in_words",
    "species",
)
EFFECT_COLUMNS = ("context_id", "shared_line", *COMPARED_COLUMNS)


# ---------------------------------------------------------------------------------------
# Schemas, declared as ledger tables in brainbone.catalog


def context_effects_schema(vocabulary: vocab.Vocabulary = vocab.DEFAULT) -> pa.DataFrameSchema:
    columns = {name: schema.text(nullable=True) for name in COMPARED_COLUMNS}
    columns.update(
        {
            "context_id": schema.pattern(schema.SLUG, unique=True),
            "shared_line": pa.Column(int, coerce=True, checks=[pa.Check.gt(1)], unique=True),
            "question": schema.enum("context_question", vocabulary),
            "study_key": schema.foreign_key(
                schema.REFERENCES, fix="add the study's checked citation to references.bib first"
            ),
        }
    )
    return pa.DataFrameSchema({name: columns[name] for name in EFFECT_COLUMNS}, strict=True)


def claim_context_schema(vocabulary: vocab.Vocabulary = vocab.DEFAULT) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "claim_id": schema.foreign_key("claims", fix="link an existing claim"),
            "question": schema.enum("context_question", vocabulary),
            "verdict": schema.enum("context_verdict", vocabulary),
            "verdict_reason": schema.text(),
        },
        strict=True,
        unique=["claim_id", "question"],
    )


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


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """A CSV's records, each with the line it starts on (1-based, header = 1)."""
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    header = next(reader, [])
    rows = []
    last = reader.line_num
    for record in reader:
        first, last = last + 1, reader.line_num
        if "".join(record).strip():
            rows.append((first, dict(zip(header, record, strict=False))))
    return rows


def shared_file_rule(ledger) -> list[Issue]:
    """The ledger rule (catalog): every row of data/context_effects.csv equals its shared row."""
    path = ledger.root / EFFECTS_FILE
    if not path.exists():
        return []
    table = reading.read_table(ledger.root, EFFECTS_FILE, columns=list(EFFECT_COLUMNS))
    effects = table.frame.assign(line=table.lines)
    return check_against_shared(effects, ledger.root / SHARED_FILE)


# ---------------------------------------------------------------------------------------
# The check against the shared, checked file


def read_shared(path: Path) -> dict[int, dict[str, str]]:
    """The shared file's rows, keyed by the line each starts on."""
    return dict(read_rows(path))


def compare_with_shared(
    effects: pd.DataFrame, shared: dict[int, dict[str, str]], shared_name: str = SHARED_FILE
) -> list[Issue]:
    """One issue for every copied value that differs from the shared row it names, and for every
    row whose shared verdict is not verified or corrected. `effects` has a `line` column."""
    issues = []
    for row in effects.to_dict("records"):
        where = f"context row '{row['context_id']}'"
        try:
            shared_line = int(row["shared_line"])
        except (TypeError, ValueError):
            continue  # the schema reports it
        source = shared.get(shared_line)
        if source is None:
            issues.append(
                Issue(
                    IssueKind.CONTEXT_MISMATCH,
                    EFFECTS_FILE,
                    row["line"],
                    f"{where}: shared_line {shared_line} is not a row of {shared_name}",
                )
            )
            continue
        verdict = source.get("verdict", "")
        if verdict not in USABLE_SHARED_VERDICTS:
            issues.append(
                Issue(
                    IssueKind.CONTEXT_UNVERIFIED,
                    EFFECTS_FILE,
                    row["line"],
                    f"{where}: {shared_name} line {shared_line} has verdict '{verdict}'; only rows whose verdict "
                    f"is {' or '.join(USABLE_SHARED_VERDICTS)} may be used, so remove this row",
                )
            )
        for column in COMPARED_COLUMNS:
            ours = row.get(column) or ""
            theirs = source.get(column, "")
            if ours != theirs:
                issues.append(
                    Issue(
                        IssueKind.CONTEXT_MISMATCH,
                        EFFECTS_FILE,
                        row["line"],
                        f"{where}, field '{column}': this file has '{ours}' but {shared_name} line {shared_line} "
                        f"has '{theirs}'; copy the checked value exactly",
                    )
                )
    return issues


def check_against_shared(effects: pd.DataFrame, shared_path: Path) -> list[Issue]:
    """Compare the book's context rows (with a `line` column) with the shared file at `shared_path`."""
    if not shared_path.exists():
        return [
            Issue(
                IssueKind.CONTEXT_MISMATCH,
                EFFECTS_FILE,
                1,
                f"the checked context file {SHARED_FILE} is missing (looked for {shared_path}); "
                "the context rows cannot be checked without it",
            )
        ]
    return compare_with_shared(effects, read_shared(shared_path))


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
