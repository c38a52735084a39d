"""The editor's check of the frozen checked-facts snapshots (data/checked/) against a new delivery.

Not part of any build: the book builds from what is committed. `make snapshot-diff FROM=folder` lists,
file by file, what differs between the snapshot and the delivered folder (for a CSV, the rows added,
removed or changed, by line); with `UPDATE=1` it copies the changed files in and rewrites the checksum
table of data/checked/README.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from brainbone import layout


@dataclass
class FileDiff:
    """How one snapshot file differs from its delivered copy."""

    name: str
    status: str  # "same", "changed", "missing upstream", "new upstream"
    details: list[str] = field(default_factory=list)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot_files(root: Path) -> list[Path]:
    """The snapshot files: every file of data/checked/ but its note."""
    folder = Path(root) / layout.CHECKED_DIR
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name != Path(layout.CHECKED_NOTE).name)


def _records(text: str) -> list[tuple[int, tuple[str, ...]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    records, last = [], 0
    for record in reader:
        records.append((last + 1, tuple(record)))
        last = reader.line_num
    return records


def csv_details(ours: str, theirs: str) -> list[str]:
    """The rows of a delivered CSV that the snapshot lacks, and the snapshot's rows it no longer has."""
    old = _records(ours)
    new = _records(theirs)
    old_rows = {row for _, row in old}
    new_rows = {row for _, row in new}
    details = [
        f"delivered line {line}: new or changed row {', '.join(row[:2])}"
        for line, row in new
        if row not in new_rows & old_rows
    ]
    details += [
        f"snapshot line {line}: row {', '.join(row[:2])} is gone or changed" for line, row in old if row not in new_rows
    ]
    return details


def compare(root: Path, delivered: Path) -> list[FileDiff]:
    """Each snapshot file against the delivered folder, and the delivered files the snapshot lacks."""
    diffs = []
    ours = {p.name: p for p in snapshot_files(root)}
    for name, path in ours.items():
        upstream = delivered / name
        if not upstream.is_file():
            diffs.append(FileDiff(name, "missing upstream"))
        elif upstream.read_bytes() == path.read_bytes():
            diffs.append(FileDiff(name, "same"))
        else:
            details = (
                csv_details(path.read_text(encoding="utf-8"), upstream.read_text(encoding="utf-8"))
                if name.endswith(".csv")
                else []
            )
            diffs.append(FileDiff(name, "changed", details))
    wanted = {p.name for p in delivered.iterdir() if p.is_file() and p.suffix in (".csv", ".md")}
    for name in sorted(wanted - set(ours) - {"README.md", "STYLE.md", "ARCHITECTURE.md"}):
        diffs.append(FileDiff(name, "new upstream"))
    return diffs


def rewrite_note(root: Path, taken: str) -> None:
    """Put each snapshot file's sha256 into the note's table, and the date it was taken."""
    note = Path(root) / layout.CHECKED_NOTE
    text = note.read_text(encoding="utf-8")
    for path in snapshot_files(root):
        digest = sha256(path)
        text = re.sub(rf"(\| `{re.escape(path.name)}` \|[^\n]*\| `)[0-9a-f]{{64}}(` \|)", rf"\g<1>{digest}\g<2>", text)
    text = re.sub(r"Snapshot taken: [^,\n]*", f"Snapshot taken: {taken}", text)
    note.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="brainbone-snapshots", description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="delivered", type=Path, required=True, help="the delivered folder")
    parser.add_argument("--root", type=Path, default=None, help="book root (default: found from here)")
    parser.add_argument("--update", action="store_true", help="copy changed files in and rewrite the note")
    parser.add_argument("--date", default=None, help="the delivery's date for the note (default: today)")
    args = parser.parse_args(argv)
    root = (args.root or layout.find_book_root()).resolve()
    if not args.delivered.is_dir():
        print(
            f"error: {args.delivered} is not a folder; give the folder the checked files were delivered in",
            file=sys.stderr,
        )
        return 2
    diffs = compare(root, args.delivered)
    for diff in diffs:
        print(f"{layout.CHECKED_DIR}/{diff.name}: {diff.status}")
        for detail in diff.details:
            print(f"  {detail}")
    changed = [d for d in diffs if d.status == "changed"]
    if args.update and changed:
        import datetime

        for diff in changed:
            shutil.copyfile(args.delivered / diff.name, Path(root) / layout.CHECKED_DIR / diff.name)
        rewrite_note(root, args.date or datetime.date.today().isoformat())
        print(f"updated {len(changed)} file(s) and {layout.CHECKED_NOTE}; now run `make check`")
    elif changed:
        print(f"{len(changed)} file(s) differ; run again with UPDATE=1 to take the delivered copies")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
