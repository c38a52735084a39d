"""The context tables (`data/context_effects.csv`, `data/claim_context.csv`): their schemas, and the rule that
every context row equals its row of the frozen checked file (`data/checked/context-studies.csv`). The ledger's
loader runs them; `brainbone.appraisal.context` reads the validated rows.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from brainbone import layout
from brainbone.errors import Issue, IssueKind
from brainbone.ledger import reading, schema
from brainbone.ledger import vocabulary as vocab

EFFECTS_TABLE = "context_effects"
LINKS_TABLE = "claim_context"
EFFECTS_FILE = layout.table_file(EFFECTS_TABLE)
LINKS_FILE = layout.table_file(LINKS_TABLE)
SHARED_FILE = layout.CONTEXT_CHECKED_FILE
# Only rows whose check ended with one of these may be used (data/checked/context-studies.md).
USABLE_SHARED_VERDICTS = ("verified", "corrected")
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
