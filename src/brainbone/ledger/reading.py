"""Reading a ledger table: a CSV file as a frame of text cells, with each row's line number.

Pure and light: pandas and the csv module, no validation. Empty cells become None.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from brainbone.errors import Issue, IssueKind


@dataclass
class Table:
    """A table as read: `frame` (text cells or None), the first line of each row, and the problems
    found while reading (a missing file, a malformed row). `file` is relative to the book root."""

    file: str
    frame: pd.DataFrame
    lines: list[int]
    issues: list[Issue] = field(default_factory=list)

    def line(self, index: object) -> int | None:
        """The line of the row with frame index `index` (a row number), or None."""
        try:
            return self.lines[int(index)]  # type: ignore[arg-type]
        except (TypeError, ValueError, IndexError):
            return None


def read_table(root: Path, file: str, *, columns: Sequence[str], required: bool = True) -> Table:
    """Read `root / file`, keeping each row's first line number. A missing file is an issue that
    gives the header to create it with, or, when not `required`, an empty table with `columns`."""
    path = Path(root) / file
    if not path.exists():
        issues = []
        if required:
            message = f"file is missing; create it with the header: {','.join(columns)}"
            issues.append(Issue(IssueKind.LEDGER_INVALID, file, None, message))
        return Table(file, pd.DataFrame(columns=list(columns), dtype=object), [], issues)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (as spreadsheets write) is not part of the header
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = (
            f"not UTF-8: byte 0x{raw[error.start]:02x} at line {line}, column {column} cannot be decoded; "
            "save the file as UTF-8 (CSV UTF-8)"
        )
        issue = Issue(IssueKind.LEDGER_INVALID, file, line, message)
        return Table(file, pd.DataFrame(columns=list(columns), dtype=object), [], [issue])
    return _read_well_formed(raw, text, file) or _read_carefully(text, file)


def _read_well_formed(raw: bytes, text: str, file: str) -> Table | None:
    """The common case, read by pandas' C parser: one record per line, every record complete and
    none blank, so row i is on line i + 2. Anything else returns None for the careful reader below.

    The parser reads the bytes (`raw`, already decoded once as `text` to check they are UTF-8): given
    the text it would encode it back first. Empty cells are read as missing, not as "" objects, which
    is a third faster on the claims; no other value is missing (keep_default_na=False)."""
    try:
        frame = pd.read_csv(
            io.BytesIO(raw),
            encoding="utf-8-sig",
            dtype=object,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    if frame.empty or raw.count(b"\n") != len(frame) + 1 - (not raw.endswith(b"\n")):
        return None
    if not isinstance(frame.index, pd.RangeIndex):
        return None  # rows longer than the header: pandas took a column as the index (hypothesis found it)
    empty = frame.isna()
    if empty.all(axis=1).any() or any(str(c).startswith("Unnamed:") for c in frame.columns):
        return None  # a blank row, or a header with an empty name
    # pandas pads a short row with empty cells; a complete row whose last k cells are empty ends in k
    # commas (a short row ends in fewer, even when the cells before the missing ones are empty too).
    last_empty = frame.index[empty.iloc[:, -1]]
    if len(last_empty):
        physical = text.splitlines()
        trailing = empty.loc[last_empty].iloc[:, ::-1].cumprod(axis=1).sum(axis=1)
        if any(not physical[i + 1].endswith("," * int(k)) for i, k in trailing.items()):
            return None
    # Empty cells become None (the parser's NaN); done on one numpy array, as DataFrame.where is slower.
    cells = frame.to_numpy(dtype=object, copy=True)  # a copy: a one-column frame gives a read-only view
    cells[empty.to_numpy()] = None
    frame = pd.DataFrame(cells, columns=frame.columns, dtype=object, copy=False)
    return Table(file, frame, list(range(2, len(frame) + 2)))


def _read_carefully(text: str, file: str) -> Table:
    """The csv module, record by record: skips blank rows and reports malformed ones at their line."""
    rows: list[list[str]] = []
    lines: list[int] = []
    issues: list[Issue] = []
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:  # e.g. a field over the csv module's size limit (hypothesis found it)
        line = _error_line(text, error)
        message = f"unreadable CSV: {error}; check the quoting around line {line}"
        return Table(file, pd.DataFrame(dtype=object), [], [Issue(IssueKind.LEDGER_INVALID, file, line, message)])
    header = records[0] if records else []
    body = records[1:]
    if body and not "".join(header).strip():  # a blank first line (hypothesis found "expected 0 fields")
        message = "the first line is blank; the header row must be the first line of the file"
        return Table(file, pd.DataFrame(dtype=object), [], [Issue(IssueKind.LEDGER_INVALID, file, 1, message)])
    physical = text.splitlines()
    with io.StringIO(text if body else "", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, [])
        last_line = reader.line_num
        for row in reader:
            first_line = last_line + 1
            last_line = reader.line_num
            if not "".join(row).strip():  # a blank line, or a row of empty cells
                continue
            swallowed = _unclosed_quote(row, header, first_line, last_line, physical)
            if swallowed is not None:
                issues.append(Issue(IssueKind.LEDGER_INVALID, file, swallowed[0], swallowed[1]))
                continue
            if len(row) != len(header):
                issues.append(
                    Issue(
                        IssueKind.LEDGER_INVALID,
                        file,
                        first_line,
                        f"malformed row: expected {len(header)} fields ({','.join(header)}), "
                        f"found {len(row)}; quote any field that contains a comma",
                    )
                )
                continue
            rows.append(row)
            lines.append(first_line)
    if not rows:  # a header-only table is valid
        return _unique_columns(Table(file, pd.DataFrame(columns=header, dtype=object), lines, issues), header)
    # Empty cells become None; done on one numpy array, as DataFrame.where was slow on large tables.
    cells = np.array(rows, dtype=object).reshape(len(rows), len(header))
    cells[cells == ""] = None
    return _unique_columns(Table(file, pd.DataFrame(cells, columns=header, dtype=object), lines, issues), header)


def _unclosed_quote(
    row: list[str], header: list[str], first_line: int, last_line: int, physical: list[str]
) -> tuple[int, str] | None:
    """A record that an unbalanced quote ran on over the rows after it: a field spanning lines, one of
    which reads as a whole row of the table. The line where the quote opened, and the message; else
    None (a quoted field may hold line breaks)."""
    if last_line == first_line:
        return None
    line = first_line
    for column, value in enumerate(row):
        inner = value.split("\n")
        rows_inside = [part for part in inner[1:] if len(next(csv.reader([part]), [])) >= max(len(header), 2)]
        if rows_inside:
            name = header[column] if column < len(header) else f"column {column + 1}"
            closed = (
                "is never closed"
                if _ends_in_quote(physical[first_line - 1 :])
                else f"is not closed until line {last_line}"
            )
            return line, (
                f"unclosed quote: the quote that opens field '{name}' on line {line} {closed}, so lines "
                f"{line + 1}-{last_line} were read into that field instead of as {last_line - line} row(s); "
                f'close the quote on line {line} (a quote inside a field is written twice: "")'
            )
        line += len(inner) - 1
    return None


def _ends_in_quote(lines: list[str]) -> bool:
    """Whether the text of `lines` ends inside a quoted field (the csv module's strict mode says so)."""
    try:
        for _ in csv.reader(io.StringIO("\n".join(lines), newline=""), strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _unique_columns(table: Table, header: list[str]) -> Table:
    """A header naming a column twice is an issue; only the first such column is kept, as every later
    step expects one column per name (hypothesis found four crashes from repeated columns)."""
    repeated = sorted({name for name in header if header.count(name) > 1})
    for name in repeated:
        message = f"column '{name}' appears {header.count(name)} times in the header; keep one"
        table.issues.append(Issue(IssueKind.LEDGER_INVALID, table.file, 1, message))
    if repeated:
        table.frame = table.frame.loc[:, ~table.frame.columns.duplicated()]
    return table


def _error_line(text: str, error: csv.Error) -> int:
    """The line at which the csv module stopped, found by reading again up to the error."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for _ in reader:
            pass
    except csv.Error:
        return max(reader.line_num, 1)
    return 1


__all__ = ["Table", "read_table"]
