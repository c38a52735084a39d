"""Helpers shared by the test modules: paths, fixture edits, and building a copy of the book.

Kept out of conftest.py so that test modules can import them by a name no other conftest shadows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent
ROOT = TESTS.parent
TINY = TESTS / "fixtures" / "tiny"


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a fixture file in place, failing loudly if the text to replace is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Everything a book build needs; copied so that tests never touch the working tree's _build.
def one_page_book(folder: Path, title: str) -> Path:
    """A one-page Jupyter Book with no extension and no execution, whose page reads "First version."."""
    folder.mkdir()
    config = f'title: {title}\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: "off"\n'
    (folder / "_config.yml").write_text(config, encoding="utf-8")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: intro\n", encoding="utf-8")
    (folder / "intro.md").write_text("(intro)=\n# Intro\n\nFirst version. See {ref}`intro`.\n", encoding="utf-8")
    return folder


BOOK_FILES = ("_config.yml", "_toc.yml", "references.bib", "CITATION.cff", "chapters", "seeds", "data")


def copy_book(destination: Path) -> Path:
    """A copy of the book's sources (not .venv, _build or generated seed pages) at `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in BOOK_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                destination / name,
                ignore=shutil.ignore_patterns("seeds", "_build", ".ipynb_checkpoints") if name == "chapters" else None,
            )
        else:
            shutil.copy2(source, destination / name)
    return destination


def run_executor(book: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """`python -m brainbone.tools.execution` on a copy of the book."""
    command = [sys.executable, "-m", "brainbone.tools.execution", "--root", str(book), *arguments]
    env = {**os.environ, "BRAINBONE_ROOT": str(book)}
    return subprocess.run(command, cwd=book, env=env, capture_output=True, text=True, timeout=900)


def strict_build(book: Path) -> subprocess.CompletedProcess[str]:
    """`jupyter-book build --all -W -n --keep-going` on a copy of the book, as CI runs it."""
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        "--all",
        "-W",
        "-n",
        "--keep-going",
        str(book),
    ]
    env = {**os.environ, "BRAINBONE_ROOT": str(book)}
    return subprocess.run(command, cwd=book, env=env, capture_output=True, text=True, timeout=900)


def jupyter_book_build(book: Path) -> subprocess.CompletedProcess[str]:
    """`make book` on a copy: execute stale chapters in parallel, then the strict build."""
    executed = run_executor(book)
    if executed.returncode != 0:  # e.g. a chapter read a file it does not declare: show why
        return executed
    return strict_build(book)
