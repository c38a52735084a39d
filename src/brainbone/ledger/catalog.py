"""The ledger's tables, declared once each: file, pandera schema, key column and foreign keys.

`load_ledger()` reads every table listed in `TABLES`, in order, validates it against its schema
(foreign keys included, with located messages), and exposes it as `ledger.tables[name]` and
`ledger.<name>`. To add a table, write its schema function and add one `TableSpec` here (see
CONTRIBUTING.md, "Adding a table"). Light to import: schemas are named, and imported on load.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from brainbone import layout
from brainbone.errors import Issue, IssueKind

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa

    from brainbone.ledger.loader import Ledger
    from brainbone.ledger.vocabulary import Vocabulary

Rule = Callable[["Ledger"], Iterable[Issue]]
# A table's rules that also locate its rows (file lines, excerpt offsets): the table as the book reads it
# (None: keep it as validated) and the problems found; the loader, not the rule, stores the table.
Locate = Callable[["Ledger"], tuple["pd.DataFrame | None", list[Issue]]]
# A rating's row: one per seed, instrument and item (data/RATING.md); the key of both rating tables,
# as brainbone.ledger.rating_tables.KEY (the catalog names the table modules and never imports them).
RATING_KEY = ("seed_id", "instrument", "item")


@dataclass(frozen=True)
class TableSpec:
    """One ledger table.

    name: the table's name: `ledger.tables[name]`, `brainbone: reads: [name]` in a chapter.
    schema: the function returning its pandera schema, as "module:function" (imported when the
        ledger loads) or the function itself; it may take a `vocabulary` argument. Declare foreign
        keys in it with `schema.foreign_key("sources")` (or `schema.REFERENCES` for references.bib).
    key: its id column, which other tables' foreign keys point at; None if nothing points at it.
    primary_key: the columns that identify a row, when they are not `key` alone (the data
        package's primaryKey; a rule of the table enforces a key of several columns).
    indexed: index the loaded frame by `key` (the column is kept), so `table.loc[key]` works.
    required: a missing file is an issue; when False, a missing file is an empty table.
    file: defaults to `data/<name>.csv`.
    unknown_kind: the issue kind when another table names a key this table does not have.
    rules: checks across tables, each a function (or "module:function") taking the loaded
        `Ledger` and returning issues; they run once every table is loaded. A rule never changes the ledger.
    locate: a function (or "module:function") taking the loaded `Ledger` and returning the table with the
        columns the book needs besides the file's (its rows' lines, its excerpts' offsets) and its problems;
        it runs before the table's rules, and the loader keeps the table it returns.
    """

    name: str
    schema: str | Callable[..., pa.DataFrameSchema]
    key: str | None = None
    primary_key: tuple[str, ...] = ()
    indexed: bool = False
    required: bool = True
    file: str = ""
    unknown_kind: IssueKind = IssueKind.UNKNOWN_KEY
    rules: tuple[str | Rule, ...] = field(default=())
    locate: str | Locate | None = None

    def __post_init__(self) -> None:
        if not self.file:
            object.__setattr__(self, "file", layout.table_file(self.name))
        if not self.primary_key and self.key:
            object.__setattr__(self, "primary_key", (self.key,))

    def build_schema(self, vocabulary: Vocabulary) -> pa.DataFrameSchema:
        function = _resolve(self.schema)
        if "vocabulary" in inspect.signature(function).parameters:
            return function(vocabulary=vocabulary)
        return function()

    def rule_functions(self) -> list[Rule]:
        return [_resolve(rule) for rule in self.rules]

    def locate_function(self) -> Locate | None:
        return None if self.locate is None else _resolve(self.locate)


def _resolve(target: str | Callable[..., Any]) -> Callable[..., Any]:
    if callable(target):
        return target
    module, _, name = target.partition(":")
    return getattr(import_module(module), name)


def optional(name: str, schema: str, *, rule: str | None = None, **spec: Any) -> TableSpec:
    """A table a book may leave out (a missing file is an empty table), with at most one rule (and a
    `locate`), which skip an absent file."""
    return TableSpec(name, schema, required=False, rules=(rule,) if rule else (), **spec)


def indexed(name: str, key: str, unknown_kind: IssueKind, rules: tuple[str | Rule, ...] = ()) -> TableSpec:
    """A core table (schema `<name>_schema` in brainbone.ledger.schema) looked up by its key column,
    whose unknown keys elsewhere are `unknown_kind` issues, with its `rules` across tables."""
    return TableSpec(
        name,
        f"brainbone.ledger.schema:{name}_schema",
        key=key,
        indexed=True,
        unknown_kind=unknown_kind,
        rules=rules,
    )


# In dependency order: a table's foreign keys point at tables above it.
TABLES: tuple[TableSpec, ...] = (
    indexed("sources", "seed_id", IssueKind.UNKNOWN_SEED),
    indexed("topics", "topic", IssueKind.UNKNOWN_TOPIC),
    TableSpec("seed_parts", "brainbone.ledger.schema:seed_parts_schema", key="part_id"),
    # Rule `added-strength` of data/CODING.md, as far as a closed word list can check it.
    indexed("claims", "claim_id", IssueKind.UNKNOWN_CLAIM, rules=("brainbone.ledger.regrades:check_hype",)),
    TableSpec("effects", "brainbone.ledger.schema:effects_schema", key="effect_id"),
    # The context layer (brainbone.ledger.context_tables, data/CONTEXT.md): checked rows of data/checked/context-studies.csv,
    # compared with it on every load, and the verdicts on the seed claims they bear on.
    optional(
        "context_effects",
        "brainbone.ledger.context_tables:context_effects_schema",
        key="context_id",
        rule="brainbone.ledger.context_tables:shared_file_rule",
    ),
    optional("claim_context", "brainbone.ledger.context_tables:claim_context_schema"),
    # I² as the checked rows' notes give it, copied for the forest plots and checked against the notes.
    optional(
        "context_heterogeneity",
        "brainbone.ledger.context_tables:context_heterogeneity_schema",
        key="context_id",
        rule="brainbone.ledger.context_tables:heterogeneity_rule",
    ),
    # Issue 22: checked facts about the outlets, each tied to a line of data/checked/outlets.md.
    optional(
        "outlet_facts",
        "brainbone.ledger.outlet_tables:outlet_facts_schema",
        key="fact_id",
        rule="brainbone.ledger.outlet_tables:check_outlet_facts",
    ),
    # Issue 22: beside each safety-flagged claim, what the checked studies say (brainbone.appraisal.safety).
    optional("safety_findings", "brainbone.ledger.safety_tables:safety_findings_schema", key="outcome_id"),
    optional(
        "safety_context",
        "brainbone.ledger.safety_tables:safety_context_schema",
        primary_key=("claim_id", "outcome_id"),
        rule="brainbone.ledger.safety_tables:check_safety_context",
    ),
    # Issue 10: the pages on the published instruments, a blind second rating, and GRADE per key question.
    # Optional, so that a book (or a test fixture) without them still loads.
    optional(
        "source_ratings",
        "brainbone.ledger.rating_tables:source_ratings_schema",
        primary_key=RATING_KEY,
        locate="brainbone.ledger.rating_tables:locate_ratings",
    ),
    optional(
        "second_ratings",
        "brainbone.ledger.rating_tables:second_ratings_schema",
        primary_key=RATING_KEY,
        locate="brainbone.ledger.rating_tables:locate_second",
    ),
    optional(
        "summary_of_findings",
        "brainbone.ledger.sof_tables:summary_of_findings_schema",
        key="question_id",
        rule="brainbone.ledger.sof_tables:check_sof",
    ),
    optional("sof_footnotes", "brainbone.ledger.sof_tables:sof_footnotes_schema"),
    # Issue 21: GRADE of the wider research itself, one row per outcome (brainbone.book.research, data/GRADE.md).
    optional("research_outcomes", "brainbone.ledger.research_tables:research_outcomes_schema", key="outcome_id"),
    optional(
        "research_grade",
        "brainbone.ledger.research_tables:research_grade_schema",
        key="outcome_id",
        rule="brainbone.ledger.research_tables:check_research_grade",
    ),
    optional("research_grade_footnotes", "brainbone.ledger.research_tables:research_grade_footnotes_schema"),
    optional("research_grade_absolute", "brainbone.ledger.research_tables:research_grade_absolute_schema"),
    optional("second_grade", "brainbone.ledger.research_tables:second_grade_schema", key="outcome_id"),
    optional(
        "research_grade_reconciliation",
        "brainbone.ledger.research_tables:reconciliation_schema",
        key="outcome_id",
        rule="brainbone.ledger.research_tables:check_reconciliation",
    ),
    # Issue 9: the blind second coding of the claims, the reconciliation of its disagreements, and a fresh
    # blind coding with the tightened manual (brainbone.ledger.coding_tables, data/CODING.md).
    optional("second_coding", "brainbone.ledger.coding_tables:second_coding_schema", key="claim_id"),
    optional(
        "reconciliation",
        "brainbone.ledger.coding_tables:reconciliation_schema",
        primary_key=("claim_id", "field"),
        rule="brainbone.ledger.coding_tables:check_reconciliation",
    ),
    optional("second_coding_round2", "brainbone.ledger.coding_tables:second_coding_schema", primary_key=("claim_id",)),
    # Grades changed after the reconciliation, each with the rule of data/CODING.md that changed it.
    optional(
        "regrades",
        "brainbone.ledger.regrades:regrades_schema",
        primary_key=("claim_id", "field"),
        rule="brainbone.ledger.regrades:check_regrades",
    ),
    # `reference_target`, added after both rounds, coded blind by a coder of its own.
    optional(
        "second_coding_reference",
        "brainbone.ledger.coding_tables:reference_coding_schema",
        primary_key=("claim_id",),
    ),
)


def spec(name: str, tables: Iterable[TableSpec] = TABLES) -> TableSpec:
    """The declared table `name`."""
    for table in tables:
        if table.name == name:
            return table
    raise KeyError(f"no table '{name}' in brainbone.ledger.catalog; declared: {', '.join(t.name for t in tables)}")


def table_files(tables: Iterable[TableSpec] = TABLES) -> dict[str, str]:
    """Each table's name and file (claims: data/claims.csv, ...)."""
    return {spec.name: spec.file for spec in tables}


__all__ = ["RATING_KEY", "TABLES", "Locate", "Rule", "TableSpec", "optional", "spec", "table_files"]
