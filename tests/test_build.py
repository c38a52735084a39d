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
    assert closing[-3:] == [
        "Root causes (fix these first):",
        f"  {book / 'intro.md'}:4: WARNING: undefined label: 'no-such-label'",
        f"BUILD FAILED: 1 root cause, 0 follow-on problems; {book / '_build/html'} still holds the last good build "
        f"(finished {good}); it was not touched.",
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
    assert failed.stderr.rstrip().splitlines()[-1] == (
        f"BUILD FAILED: 1 root cause, 0 follow-on problems; There is no earlier good build in {book / '_build/html'}."
    )
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


def test_a_failed_build_lists_its_root_causes_first_and_ends_with_the_counts(tmp_path: Path) -> None:
    problems = [
        "/b/chapters/a.md:3: WARNING: undefined label: 'fig-a' [ref.ref]",
        "/b/data/claims.csv:4: WARNING: duplicate claim_id 'c-1'; claim ids are unique [brainbone.duplicate_id]",
        "/b/chapters/b.md: WARNING: Executing notebook failed: CellExecutionError [mystnb.exec]",
        *(f"/b/chapters/c.md:{n}: WARNING: undefined label: 'tbl-{n}' [ref.ref]" for n in range(11)),
    ]
    report = atomic.report(atomic.BuildResult(False, problems), tmp_path).splitlines()
    assert report[:4] == [
        "Root causes (fix these first):",
        "  /b/data/claims.csv:4: WARNING: duplicate claim_id 'c-1'; claim ids are unique [brainbone.duplicate_id]",
        "Follow-on problems (they may go away once the root causes are fixed):",
        "  /b/chapters/a.md:3: WARNING: undefined label: 'fig-a' [ref.ref]",
    ]
    assert report[-2:] == [
        "  ... and 3 more, each in the build's output above",
        f"BUILD FAILED: 1 root cause, 13 follow-on problems; There is no earlier good build in {tmp_path / '_build/html'}.",
    ]
    assert len(report) == 2 + 1 + 10 + 2


def test_a_reference_is_a_root_cause_when_nothing_else_failed() -> None:
    problems = [
        "/b/a.md:3: WARNING: undefined label: 'x' [ref.ref]",
        "/b/a.md:4: WARNING: undefined label: 'y' [ref.ref]",
    ]
    assert atomic.split_problems(problems) == (problems, [])
    assert atomic.count_phrase(problems, []) == "2 root causes, 0 follow-on problems"
