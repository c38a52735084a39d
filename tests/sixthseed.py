"""A sixth seed added to a copy of the book exactly as CONTRIBUTING.md tells an editor to, and no more:
`make new-seed`, the sources row's fields filled in, the proposed parts corrected, the draft sheet
coded (tests/fixtures/sixth/: a small page made for the tests, not a real one), `make move-claims`.
No rating, no second rating, no second coding: the book must say "not yet" for those."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from bookutils import ROOT, TESTS

SIXTH = TESTS / "fixtures" / "sixth"
SEED_ID = "testfixture"
# Set in the copy's own test run, so that its copy of this module's tests does not add a seventh seed.
INSIDE = "BRAINBONE_SIXTH_SEED_COPY"


def working_tree() -> str:
    """The tree of the working copy as `git add -A` would stage it, untracked files included (an editor's new
    seed before its commit), in a throwaway index: the repository's own index is left as it is."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(folder) / "index")}
        subprocess.run(["git", "read-tree", "HEAD"], cwd=ROOT, env=env, check=True)
        subprocess.run(["git", "add", "-A"], cwd=ROOT, env=env, check=True)
        return subprocess.run(
            ["git", "write-tree"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout.strip()


def clone(destination: Path) -> Path:
    """The tracked files (with the working tree's edits), as `git archive` gives them, at `destination`."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", working_tree()], cwd=ROOT, capture_output=True, check=True
    )
    destination.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(destination, filter="data")
    return destination


def make(book: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`make` in the copy, with this environment's .venv running the copy's own package."""
    venv = Path(sys.executable).parent.parent
    (stamp,) = venv.glob(".installed-*")
    env = {**os.environ, "PYTHONPATH": str(book / "src"), "BRAINBONE_ROOT": str(book), INSIDE: "1"}
    result = subprocess.run(
        ["make", "--no-print-directory", *arguments, f"VENV={venv}", "-o", str(stamp)],
        cwd=book,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if check:
        assert result.returncode == 0, f"make {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def add_sixth_seed(book: Path) -> dict[str, str]:
    """Follow CONTRIBUTING.md's steps 1-2 on `book`; returns what each make command printed."""
    printed = {"new-seed": make(book, "new-seed", f"FILE={SIXTH / 'page.txt'}", f"ID={SEED_ID}").stdout}
    # Step 1: the sources row's fields the page states, and the parts as the editor corrects them.
    sources = _rows(book / "data/sources.csv")
    (filled,) = _rows(SIXTH / "sources.csv")
    for row in sources:
        if row["seed_id"] == SEED_ID:
            row.update(filled)
    _write(book / "data/sources.csv", sources)
    parts = [row for row in _rows(book / "data/seed_parts.csv") if row["seed_id"] != SEED_ID]
    _write(book / "data/seed_parts.csv", parts + _rows(SIXTH / "seed_parts.csv"))
    # Step 2: the draft sheet, trimmed and coded, or marked not_a_claim, row by row.
    shutil.copyfile(SIXTH / "draft-claims.csv", book / f"data/drafts/{SEED_ID}-claims.csv")
    printed["move-claims"] = make(book, "move-claims", f"ID={SEED_ID}").stdout
    return printed
