"""Validating a table read by `brainbone.ledger.reading` against its pandera schema, with located messages.

Uses pandera's public API only: each failure's check is found by its `check_number` among the
column's `checks`, and what a message quotes (allowed values, a pattern, a foreign key's target)
comes from the column's `metadata`, set by the builders in `brainbone.ledger.schema`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

from brainbone.errors import Issue, IssueKind, did_you_mean, nearest
from brainbone.ledger import schema
from brainbone.ledger.reading import Table

_TEXT = pandas_engine.Engine.dtype(str)


@dataclass(frozen=True)
class KeyTarget:
    """What a foreign-key column must point at: the `keys` of a table (or of references.bib), the
    `file` that holds them, and the kind of issue an unknown key is."""

    keys: Collection[str]
    file: str
    kind: IssueKind


def foreign_keys(schema_: pa.DataFrameSchema) -> dict[str, str]:
    """Each foreign-key column of a schema and the table it points at."""
    return {
        name: column.metadata["foreign_key"]
        for name, column in schema_.columns.items()
        if (column.metadata or {}).get("foreign_key")
    }


def validate(
    table: Table, schema_: pa.DataFrameSchema, targets: Mapping[str, KeyTarget] | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """The validated (and coerced) frame, and every problem as a located issue. `targets` gives, for
    each foreign-key column, the keys it may take; a failed table comes back as read."""
    targets = targets or {}
    updates: dict[str, dict] = {}
    for name, column in schema_.columns.items():
        # Every cell the reader makes is a str or None, so a `str` dtype check cannot fail; pandera
        # would still run it cell by cell on object columns, half the time of validating the claims.
        if column.dtype == _TEXT:
            updates[name] = {"dtype": None}
        if name in targets:
            updates.setdefault(name, {})["checks"] = [*column.checks, schema.key_check(targets[name].keys)]
    checked = schema_.update_columns(updates) if updates else schema_
    try:
        return checked.validate(table.frame, lazy=True), []
    except pa.errors.SchemaErrors as err:
        return table.frame, translate(table, checked, err.failure_cases, targets)


def translate(
    table: Table, schema_: pa.DataFrameSchema, failures: pd.DataFrame, targets: Mapping[str, KeyTarget]
) -> list[Issue]:
    """pandera's failure cases as issues that name the file, the line and how to fix the value."""
    issues: list[Issue] = []
    expected_columns = ",".join(schema_.columns)
    for failure in failures.itertuples(index=False):
        column_name, case, index = failure.column, failure.failure_case, failure.index
        column = schema_.columns.get(column_name) if column_name is not None else None
        check = _check(column, failure.check_number)
        name = check.name if check is not None else str(failure.check)
        line = table.line(index)
        metadata = (column.metadata or {}) if column is not None else {}
        if name == "column_in_dataframe":
            kind, line = IssueKind.LEDGER_INVALID, 1
            message = f"missing column '{case}'; the header must be: {expected_columns}"
        elif name == "column_in_schema":
            kind, line = IssueKind.LEDGER_INVALID, 1
            message = (
                f"unexpected column '{case}'; the header must be: {expected_columns} "
                "(add a new column to its schema and to data/README.md first)"
            )
        elif name == "not_nullable":
            kind = IssueKind.BAD_VALUE
            message = f"column '{column_name}' is empty; a value is required (see data/README.md)"
        elif name == "field_uniqueness":
            kind = IssueKind.DUPLICATE_ID
            first = table.frame.index[table.frame[column_name] == case]
            first_line = table.line(first[0]) if len(first) else None
            if first_line == line:
                continue  # report the repeats, not the first use
            message = (
                f"duplicate {column_name} '{case}': it is already used on line {first_line}; "
                f"give this row a new {column_name}"
            )
        elif name.startswith(("coerce_dtype", "dtype(")):
            kind = IssueKind.BAD_VALUE
            message = f"column '{column_name}': expected a number, got '{case}'; write digits only, e.g. 0.082"
        elif name == schema.FOREIGN_KEY and column_name in targets:
            target = targets[column_name]
            fix = metadata.get("fix") or f"use a key from {target.file}"
            kind = target.kind
            message = (
                f"unknown {column_name} '{case}': no such key in {target.file}{did_you_mean(case, target.keys)}; {fix}"
            )
        elif name in (schema.ENUM, "isin") and "allowed" in metadata:
            allowed = metadata["allowed"]
            kind = IssueKind.BAD_VALUE
            message = (
                f"column '{column_name}': '{case}' is not allowed; expected one of: {', '.join(allowed)}"
                f"{did_you_mean(case, allowed)}"
            )
        elif name in (schema.PATTERN, "str_matches") and "pattern" in metadata:
            kind = IssueKind.BAD_VALUE
            message = f"column '{column_name}': '{case}' does not have the expected form {metadata['pattern']}"
        else:
            kind = IssueKind.LEDGER_INVALID
            message = f"column '{column_name}': '{case}' fails check {failure.check}"
        issue = Issue(kind, table.file, line, message)
        if issue not in issues:  # pandera may report one bad cell under two checks
            issues.append(issue)
    return issues


def _check(column: pa.Column | None, number: object) -> pa.Check | None:
    if column is None or number is None or pd.isna(number):
        return None
    checks = column.checks
    position = int(number)
    return checks[position] if 0 <= position < len(checks) else None


__all__ = ["KeyTarget", "did_you_mean", "foreign_keys", "nearest", "translate", "validate"]
