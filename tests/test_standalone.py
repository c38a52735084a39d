"""The repository stands alone: a copy of its tracked files, with nothing beside it, passes `make check`;
no tracked file names the delivery folder; the checked-facts snapshots are an input of every cache."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

from sixthseed import working_tree

from bookutils import ROOT, replace_in
from brainbone import layout
from brainbone.book.fingerprint import input_files
from brainbone.ledger import cache
from brainbone.tools import snapshots

# Spelled in two pieces, so that this file does not name it itself.
DELIVERY_FOLDER = ".." + "/shared"


def _tracked_tree() -> str:
    """The tree to archive: the working copy with its untracked files (an editor's new seed before its
    commit; tests/sixthseed.py)."""
    return working_tree()


def test_no_tracked_file_names_the_delivery_folder() -> None:
    found = subprocess.run(
        ["git", "grep", "-n", "-F", DELIVERY_FOLDER, _tracked_tree()], cwd=ROOT, capture_output=True, text=True
    )
    assert found.returncode == 1, f"tracked files name {DELIVERY_FOLDER}:\n{found.stdout}"


def test_a_copy_of_the_tracked_files_with_nothing_beside_it_passes_make_check(tmp_path: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", _tracked_tree()], cwd=ROOT, capture_output=True, check=True
    )
    clone = tmp_path / "empty" / "clone"
    clone.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(clone, filter="data")
    assert sorted(p.name for p in clone.parent.iterdir()) == ["clone"]
    # This environment's .venv runs the copy's own package (PYTHONPATH); naming its stamp as STAMP and `-o`
    # keep make from reinstalling into it (which would point its editable install at the copy), even when
    # the copy's requirements or pyproject differ from those the stamp was made from.
    venv = Path(sys.executable).parent.parent
    (stamp,) = venv.glob(".installed-*")
    env = {**os.environ, "PYTHONPATH": str(clone / "src")}
    env.pop("BRAINBONE_ROOT", None)
    result = subprocess.run(
        ["make", "--no-print-directory", "check", f"VENV={venv}", f"STAMP={stamp}", "-o", str(stamp)],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: " in result.stdout and " 0 problem(s)" in result.stdout
    assert (clone / layout.LEDGER_CACHE_DIR).is_dir()  # it validated the copy, not this checkout


def test_an_edit_to_the_checked_snapshot_changes_the_ledger_key_and_every_chapter_input(tiny_root: Path) -> None:
    checked = tiny_root / layout.CONTEXT_CHECKED_FILE
    checked.parent.mkdir(parents=True, exist_ok=True)
    checked.write_text("question,study_key\nQ1,wu2009\n", encoding="utf-8")
    before = cache.key(tiny_root)
    text = "---\nbrainbone:\n  reads: [ledger]\n---\n"
    assert checked in input_files(tiny_root, text)
    replace_in(checked, "wu2009", "wu2010")
    assert cache.key(tiny_root) != before


def test_snapshot_diff_names_a_changed_row_and_update_rewrites_the_checksum(tmp_path: Path) -> None:
    book = tmp_path / "book"
    (book / layout.CHECKED_DIR).mkdir(parents=True)
    (book / layout.CHECKED_NOTE).write_text(
        "| `context-studies.csv` | rows | `" + "0" * 64 + "` |\n\nSnapshot taken: 2026-12-07, from a folder.\n",
        encoding="utf-8",
    )
    ours = book / layout.CONTEXT_CHECKED_FILE
    ours.write_text("question,study_key,estimate\nQ1,wu2009,1.1\nQ2,wu2018,1.2\n", encoding="utf-8")
    delivered = tmp_path / "delivered"
    delivered.mkdir()
    (delivered / "context-studies.csv").write_text(
        "question,study_key,estimate\nQ1,wu2009,1.1\nQ2,wu2018,1.3\nQ3,kumar2020,1.6\n", encoding="utf-8"
    )
    (delivered / "outlets.md").write_text("# Outlets\n", encoding="utf-8")
    diffs = snapshots.compare(book, delivered)
    assert [(d.name, d.status, d.details) for d in diffs] == [
        (
            "context-studies.csv",
            "changed",
            [
                "delivered line 3: new or changed row Q2, wu2018",
                "delivered line 4: new or changed row Q3, kumar2020",
                "snapshot line 3: row Q2, wu2018 is gone or changed",
            ],
        ),
        ("outlets.md", "new upstream", []),
    ]
    assert snapshots.main(["--from", str(delivered), "--root", str(book), "--update", "--date", "2027-01-02"]) == 0
    assert ours.read_bytes() == (delivered / "context-studies.csv").read_bytes()
    note = (book / layout.CHECKED_NOTE).read_text(encoding="utf-8")
    assert f"`{snapshots.sha256(ours)}`" in note and "Snapshot taken: 2027-01-02, from a folder." in note


def test_the_note_lists_each_snapshot_file_with_its_checksum() -> None:
    note = (ROOT / layout.CHECKED_NOTE).read_text(encoding="utf-8")
    for path in snapshots.snapshot_files(ROOT):
        assert f"| `{path.name}` |" in note and f"`{snapshots.sha256(path)}`" in note, path.name
