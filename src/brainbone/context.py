"""The context layer: checked findings of the wider research, the seed claims they bear on, and the
check that every copied value still equals the shared, checked file. Pure code, no Sphinx."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from brainbone.errors import Issue, IssueKind

EFFECTS_FILE = "data/context_effects.csv"
LINKS_FILE = "data/claim_context.csv"
# The checked, read-only input, relative to the book root (CI keeps it at the same place).
SHARED_FILE = "../shared/context-studies.csv"
# Only rows whose check ended with one of these may be used (../shared/context-studies.md).
USABLE_SHARED_VERDICTS = ("verified", "corrected")

# The questions of ../shared/context-studies.md: (short label, what it asks).
QUESTIONS = {
    "Q1": ("Depression and bone density", "depression and bone mineral density"),
    "Q2": ("Depression and fractures", "depression and fracture risk"),
    "Q3": ("Antidepressants and bone", "antidepressants (mainly SSRIs) and fracture or bone density"),
    "Q4": ("Anxiety, PTSD and bone", "anxiety or PTSD and bone density or fracture"),
    "Q5": ("Social stress and bone", "psychosocial stress and bone density or fracture"),
    "Q6": ("Bone density and dementia", "low bone density or osteoporosis and dementia or cognitive decline"),
    "Q7": ("Osteocalcin and the brain", "osteocalcin and the brain, in animals and in people"),
    "Q8": ("Exercise for mood and bone", "exercise for depression or anxiety, and for bone density"),
    "Q9": ("Vitamin D for mood and fractures", "vitamin D, with or without calcium, for depression and for fractures"),
    "Q10": ("Omega-3 for mood and bone", "omega-3 fatty acids for depression and for bone"),
    "Q11": ("Collagen and bone", "collagen peptide supplements and bone density"),
    "Q12": ("Magnesium, bone and mood", "magnesium and bone, and magnesium and depression"),
    "Q13": ("Yoga, tai chi, meditation and bone", "yoga, tai chi or meditation and bone density"),
    "Q14": ("How fast bone is renewed", "how fast the adult skeleton is renewed"),
}

# How the checked research bears on one claim; data/CONTEXT.md gives the rules.
VERDICTS = ("agrees", "partly_agrees", "disagrees", "not_addressed")
VERDICT_LABELS = {
    "agrees": "agrees",
    "partly_agrees": "partly agrees",
    "disagrees": "disagrees",
    "not_addressed": "not addressed",
}

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
LINK_COLUMNS = ("claim_id", "question", "verdict", "verdict_reason")


# ---------------------------------------------------------------------------------------
# Schemas (pandera); foreign keys are `isin` checks built from references.bib and the claims


def _text(*checks: pa.Check, nullable: bool = True) -> pa.Column:
    return pa.Column(str, checks=list(checks), nullable=nullable)


def _key_check(keys: Collection[str], name: str) -> pa.Check:
    """A foreign key: each value must be one of `keys` (named, so the message can say where to add it)."""
    allowed = frozenset(keys)
    return pa.Check(lambda series: series.isna() | series.isin(allowed), name=name, error=name)


def context_effects_schema(bib_keys: Collection[str]) -> pa.DataFrameSchema:
    columns = {name: _text() for name in COMPARED_COLUMNS}
    columns.update(
        {
            "context_id": _text(pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$"), nullable=False),
            "shared_line": pa.Column(int, coerce=True, checks=[pa.Check.gt(1)], unique=True),
            "question": _text(pa.Check.isin(list(QUESTIONS)), nullable=False),
            "study_key": _text(_key_check(bib_keys, "study_key_in_bib"), nullable=False),
        }
    )
    return pa.DataFrameSchema(columns, strict=True, unique=["context_id"])


def claim_context_schema(claim_ids: Collection[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "claim_id": _text(_key_check(claim_ids, "claim_id_in_claims"), nullable=False),
            "question": _text(pa.Check.isin(list(QUESTIONS)), nullable=False),
            "verdict": _text(pa.Check.isin(list(VERDICTS)), nullable=False),
            "verdict_reason": _text(nullable=False),
        },
        strict=True,
        unique=["claim_id", "question"],
    )


# ---------------------------------------------------------------------------------------
# Reading


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """A CSV's header and its records, each with the line it starts on (1-based, header = 1)."""
    text = path.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    rows = []
    last = reader.line_num
    for record in reader:
        first, last = last + 1, reader.line_num
        if "".join(record).strip():
            rows.append((first, dict(zip(header, record, strict=False))))
    return header, rows


def _frame(rows: list[tuple[int, dict[str, str]]], columns: Collection[str]) -> pd.DataFrame:
    frame = pd.DataFrame([row for _, row in rows], columns=list(columns) if not rows else None, dtype=object)
    frame = frame.astype(object).where(frame != "", None)
    frame["line"] = [line for line, _ in rows]
    return frame


def _validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str, issues: list[Issue]) -> None:
    body = frame.drop(columns=["line"])
    try:
        schema.validate(body, lazy=True)
    except pa.errors.SchemaErrors as err:
        for failure in err.failure_cases.itertuples(index=False):
            index = failure.index
            line = int(frame["line"].iloc[int(index)]) if index is not None and not pd.isna(index) else 1
            check = str(failure.check)
            column = failure.column
            if check == "study_key_in_bib":
                kind = IssueKind.UNKNOWN_REFERENCE
                message = f"unknown study_key '{failure.failure_case}': no such key in references.bib; add the study's checked citation there first"
            elif check == "claim_id_in_claims":
                kind = IssueKind.UNKNOWN_CLAIM
                message = f"unknown claim_id '{failure.failure_case}': no such row in data/claims.csv"
            elif check.startswith("isin("):
                kind = IssueKind.BAD_VALUE
                allowed = ", ".join(map(str, schema.columns[column].checks[0].statistics["allowed_values"]))
                message = f"column '{column}': '{failure.failure_case}' is not allowed; expected one of: {allowed}"
            elif check == "not_nullable":
                kind = IssueKind.BAD_VALUE
                message = f"column '{column}' is empty; a value is required (see data/README.md)"
            elif check in ("column_in_schema", "column_in_dataframe"):
                kind, line = IssueKind.LEDGER_INVALID, 1
                message = f"column '{failure.failure_case}': the header must be {','.join(schema.columns)}"
            else:
                kind = IssueKind.BAD_VALUE
                message = f"column '{column}': '{failure.failure_case}' fails check {check}"
            issue = Issue(kind, file, line, message)
            if issue not in issues:
                issues.append(issue)


@dataclass
class Context:
    """The two context tables of one book, validated, and every problem found on the way."""

    root: Path
    effects: pd.DataFrame
    links: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)

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


def has_context(root: Path) -> bool:
    """A book uses the context layer when it has data/context_effects.csv."""
    return (Path(root) / EFFECTS_FILE).exists()


def load_context(root: Path, bib_keys: Collection[str], claim_ids: Collection[str]) -> Context:
    """Read and validate both context tables under `root`; never raises for bad data."""
    root = Path(root)
    issues: list[Issue] = []
    frames = {}
    for file, columns, schema in (
        (EFFECTS_FILE, EFFECT_COLUMNS, context_effects_schema(bib_keys)),
        (LINKS_FILE, LINK_COLUMNS, claim_context_schema(claim_ids)),
    ):
        path = root / file
        if not path.exists():
            issues.append(
                Issue(IssueKind.LEDGER_INVALID, file, None, f"file is missing; create it with the header: {','.join(columns)}")
            )
            frames[file] = _frame([], columns)
            continue
        _, rows = read_rows(path)
        frame = _frame(rows, columns)
        _validate(frame, schema, file, issues)
        frames[file] = frame
    return Context(root, frames[EFFECTS_FILE], frames[LINKS_FILE], issues)


def book_context(ledger) -> Context:
    """The context layer of a valid ledger's book, for a chapter; raises if a table has problems."""
    context = load_context(ledger.root, ledger.bib_keys, set(ledger.claims.index))
    if context.issues:
        raise ValueError("problems in the context tables:\n" + "\n".join(map(str, context.issues)))
    return context


# ---------------------------------------------------------------------------------------
# The check against the shared, checked file


def read_shared(path: Path) -> dict[int, dict[str, str]]:
    """The shared file's rows, keyed by the line each starts on."""
    _, rows = read_rows(path)
    return dict(rows)


def compare_with_shared(effects: pd.DataFrame, shared: dict[int, dict[str, str]], shared_name: str = SHARED_FILE) -> list[Issue]:
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


def check_against_shared(context: Context, shared_path: Path | None = None) -> list[Issue]:
    """Compare the book's context rows with the shared file (default: SHARED_FILE under the root)."""
    path = Path(shared_path) if shared_path is not None else (context.root / SHARED_FILE)
    if not path.exists():
        return [
            Issue(
                IssueKind.CONTEXT_MISMATCH,
                EFFECTS_FILE,
                None,
                f"the checked context file {SHARED_FILE} is missing (looked for {path}); "
                "the context rows cannot be checked without it",
            )
        ]
    return compare_with_shared(context.effects, read_shared(path))


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
        parts.append(f"{row.n_participants} participants")
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
