"""`make book` is atomic: _build/html is replaced only by a clean strict build; a failed one lists its
located errors and leaves the last good book readable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bookutils import one_page_book, replace_in
from brainbone.tools import build as atomic

pytestmark = pytest.mark.slow  # three jupyter-book builds of a one-page book


def make_book(tmp_path: Path) -> Path:
    return one_page_book(tmp_path / "book", "Atomic")


def run_build(book: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "brainbone.tools.build", "--root", str(book)]
    return subprocess.run(command, cwd=book, capture_output=True, text=True, timeout=600)


def test_a_failed_build_keeps_the_last_good_book_and_lists_its_errors(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    html = book / "_build" / "html" / "intro.html"

    first = run_build(book)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "First version." in html.read_text(encoding="utf-8")
    assert first.stdout.rstrip().splitlines()[-1].startswith(f"The book is built: {book / '_build/html/index.html'} (")
    good = atomic.last_good_build(book / "_build" / "html")
    assert good is not None

    replace_in(book / "intro.md", "First version. See {ref}`intro`.", "Broken version. See {ref}`no-such-label`.")
    failed = run_build(book)
    assert failed.returncode == 1
    closing = failed.stderr.rstrip().splitlines()
    assert closing[-2:] == [
        f"BUILD FAILED with 1 problem(s); {book / '_build/html'} still holds the last good build (finished {good}); "
        "it was not touched.",
        f"{book / 'intro.md'}:4: WARNING: undefined label: 'no-such-label'",
    ]
    assert "First version." in html.read_text(encoding="utf-8")  # the last good book, still readable
    assert "Broken version" in (book / "_build/staging/_build/html/intro.html").read_text(encoding="utf-8")
    assert not (book / "_build" / "html.new").exists() and not (book / "_build" / "html.old").exists()

    replace_in(book / "intro.md", "Broken version. See {ref}`no-such-label`.", "Fixed version. See {ref}`intro`.")
    fixed = run_build(book)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Fixed version." in html.read_text(encoding="utf-8")


def test_a_first_build_that_fails_says_there_is_no_good_build(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    replace_in(book / "intro.md", "{ref}`intro`", "{ref}`nowhere`")
    failed = run_build(book)
    assert failed.returncode == 1
    assert f"BUILD FAILED with 1 problem(s); There is no earlier good build in {book / '_build/html'}." in failed.stderr
    assert not (book / "_build" / "html").exists()


def test_located_problems_strips_colour_and_repeats() -> None:
    lines = [
        "\x1b[91m/b/intro.md:4: WARNING: undefined label: 'x' [ref.ref]\x1b[39;49;00m\n",
        "reading sources... [100%] intro\n",
        "/b/intro.md:4: WARNING: undefined label: 'x' [ref.ref]\n",
        "error: chapters/a.md read data/x.csv without declaring it\n",
    ]
    assert atomic.located_problems(lines) == [
        "/b/intro.md:4: WARNING: undefined label: 'x' [ref.ref]",
        "error: chapters/a.md read data/x.csv without declaring it",
    ]
