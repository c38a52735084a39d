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
    text = path.read_text(encoding="utf-8")
    return _read_well_formed(text, file) or _read_carefully(text, file)


def _read_well_formed(text: str, file: str) -> Table | None:
    """The common case, read by pandas' C parser: one record per line, every record complete and
    none blank, so row i is on line i + 2. Anything else returns None for the careful reader below."""
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    if frame.empty or text.count("\n") != len(frame) + 1 - (not text.endswith("\n")):
        return None
    if (frame == "").all(axis=1).any() or any(str(c).startswith("Unnamed:") for c in frame.columns):
        return None  # a blank row, or a header with an empty name
    # pandas pads a short row with empty cells; a complete row whose last cell is empty ends in a comma.
    last_empty = frame.index[frame.iloc[:, -1] == ""]
    if len(last_empty):
        physical = text.splitlines()
        if any(not physical[i + 1].endswith(",") for i in last_empty):
            return None
    frame = frame.astype(object).where(frame != "", None)
    return Table(file, frame, list(range(2, len(frame) + 2)))


def _read_carefully(text: str, file: str) -> Table:
    """The csv module, record by record: skips blank rows and reports malformed ones at their line."""
    rows: list[list[str]] = []
    lines: list[int] = []
    issues: list[Issue] = []
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = records[0] if records else []
    body = records[1:]
    with io.StringIO(text if body else "", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, [])
        last_line = reader.line_num
        for row in reader:
            first_line = last_line + 1
            last_line = reader.line_num
            if not "".join(row).strip():  # a blank line, or a row of empty cells
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
        return Table(file, pd.DataFrame(columns=header, dtype=object), lines, issues)
    # Empty cells become None; done on one numpy array, as DataFrame.where was slow on large tables.
    cells = np.array(rows, dtype=object).reshape(len(rows), len(header))
    cells[cells == ""] = None
    return Table(file, pd.DataFrame(cells, columns=header, dtype=object), lines, issues)


__all__ = ["Table", "read_table"]
