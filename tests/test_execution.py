"""Parallel execution and exact cache invalidation (brainbone.tools.execution), on a tiny synthetic book.

The fast tests key chapters without running them: they store each chapter, unexecuted, under the
key MyST-NB would compute, then ask which chapters an edit makes stale. The slow tests execute.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unittest.mock
from pathlib import Path

import pytest

from bookutils import TINY, replace_in, run_executor, strict_build
from brainbone.book import fingerprint
from brainbone.layout import execute_settings
from brainbone.tools import audit, execution, executor
from brainbone.tools.execution import chapters, declared_reads, read_notebook, stale_chapters

# Three chapters that read different inputs, and one page of prose only.
CHAPTERS = {
    "claim-counts": (
        "[claims]",
        "Counts of claims, read straight from the claims table.",
        'import pandas as pd\n\nclaims = pd.read_csv("../data/claims.csv")\nprint(len(claims), "claims")\nclaims[["claim_id", "appraisal"]]',
    ),
    "topic-list": (
        "[topics]",
        "The topics, read straight from the topic table.",
        'import pandas as pd\n\npd.read_csv("../data/topics.csv")["topic"].tolist()',
    ),
    "whole-ledger": (
        None,  # declares nothing: reads everything
        "A figure of the whole ledger, through the package.",
        "import matplotlib.pyplot as plt\nfrom myst_nb import glue\n\nfrom brainbone.book import figures, tables\n\n"
        'figures.use_book_style()\nledger = tables.ledger()\nglue("n_claims", len(ledger.claims), display=False)\n'
        "counts = ledger.claims.appraisal.value_counts().sort_index()\nfig, ax = plt.subplots(figsize=(4, 2))\n"
        "ax.barh(counts.index, counts.values)\nplt.show()",
    ),
}
CONFIG = """\
title: Tiny
only_build_toc_files: true
exclude_patterns: [_build, data, seeds]
execute:
  execute_notebooks: cache
  cache: _build/.jupyter_cache
  allow_errors: false
  run_in_temp: false
sphinx:
  extra_extensions: [brainbone.sphinxext]
  config:
    nitpicky: true
"""
TOC = "format: jb-book\nroot: chapters/intro\nchapters:\n" + "".join(
    f"  - file: chapters/{name}\n" for name in CHAPTERS
)


def chapter_text(name: str, reads: str | None, sentence: str, code: str) -> str:
    reads_block = f"brainbone:\n  reads: {reads}\n" if reads else ""
    return (
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n"
        f"{reads_block}---\n\n# {name.replace('-', ' ').title()}\n\n{sentence}\n\n"
        f"```{{code-cell}} ipython3\n{code}\n```\n\nA closing sentence of prose.\n"
    )


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The tiny fixture ledger, with three small notebook chapters and a prose page."""
    root = Path(shutil.copytree(TINY, tmp_path / "book"))
    for path in root.rglob("*"):
        path.chmod(path.stat().st_mode | 0o200)
    (root / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (root / "_toc.yml").write_text(TOC, encoding="utf-8")
    folder = root / "chapters"
    folder.mkdir()
    (folder / "intro.md").write_text("# Tiny\n\nA page of prose only.\n", encoding="utf-8")
    for name, (reads, sentence, code) in CHAPTERS.items():
        (folder / f"{name}.md").write_text(chapter_text(name, reads, sentence, code), encoding="utf-8")
    return root


def cache_unexecuted(root: Path) -> None:
    """Store every chapter in the cache under the key MyST-NB computes, without executing it."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(execute_settings(root).cache_dir))
    for path in chapters(root):
        cache.cache_notebook_bundle(CacheBundleIn(read_notebook(root, path), str(path)), check_validity=False)


def stale(root: Path) -> list[str]:
    return [path.stem for path in stale_chapters(root, execute_settings(root).cache_dir)]


# ---------------------------------------------------------------------------------------
# Which edits make which chapters stale (fast: nothing executes)


def test_every_chapter_is_stale_until_cached_and_none_after(book: Path) -> None:
    assert stale(book) == ["claim-counts", "topic-list", "whole-ledger"]
    cache_unexecuted(book)
    assert stale(book) == []


def test_prose_edits_make_nothing_stale(book: Path) -> None:
    cache_unexecuted(book)
    for name, (_, sentence, _) in CHAPTERS.items():
        replace_in(book / "chapters" / f"{name}.md", sentence, sentence.replace(".", ", edited for the test."))
        replace_in(book / "chapters" / f"{name}.md", "A closing sentence", "A different closing sentence")
    replace_in(book / "chapters" / "intro.md", "prose only", "prose, and only prose")
    assert stale(book) == []


def test_a_code_edit_makes_only_that_chapter_stale(book: Path) -> None:
    cache_unexecuted(book)
    replace_in(book / "chapters" / "topic-list.md", '["topic"].tolist()', '["label"].tolist()')
    assert stale(book) == ["topic-list"]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "data/claims.csv",
            "Matches the cited cohort.",
            "Matches the cited cohort well.",
            ["claim-counts", "whole-ledger"],
        ),
        ("data/topics.csv", "Movement and bone.", "Movement, and bone.", ["topic-list", "whole-ledger"]),
        ("data/effects.csv", "% greater loss per point", "% more loss per point", ["whole-ledger"]),
        ("data/sources.csv", "Tiny Health", "Tiny Health Ltd", ["whole-ledger"]),
        ("data/seed_parts.csv", "Promotion: Bone Tonic", "Promotion: the Bone Tonic", ["whole-ledger"]),
        ("references.bib", "A tiny cohort", "A tiny cohort study", ["whole-ledger"]),
        ("seeds/tiny.txt", "Thank you!", "Thanks!", ["whole-ledger"]),
    ],
)
def test_a_data_edit_makes_exactly_the_chapters_that_read_it_stale(
    book: Path, file: str, old: str, new: str, expected: list[str]
) -> None:
    cache_unexecuted(book)
    replace_in(book / file, old, new)
    assert stale(book) == expected


def test_a_new_seed_file_makes_the_chapters_that_read_seeds_stale(book: Path) -> None:
    cache_unexecuted(book)
    (book / "seeds" / "another.txt").write_text("Another page.\n", encoding="utf-8")
    assert stale(book) == ["whole-ledger"]


def test_reordering_the_declared_reads_makes_nothing_stale(book: Path) -> None:
    replace_in(book / "chapters" / "topic-list.md", "reads: [topics]", "reads: [topics, claims]")
    cache_unexecuted(book)
    replace_in(book / "chapters" / "topic-list.md", "reads: [topics, claims]", "reads: [claims, topics]")
    assert stale(book) == []


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package that the fingerprint reads instead of the installed one."""
    copy = Path(
        shutil.copytree(fingerprint.PACKAGE_DIR, tmp_path / "brainbone", ignore=shutil.ignore_patterns("__pycache__"))
    )
    monkeypatch.setattr(fingerprint, "PACKAGE_DIR", copy)
    return copy


def test_a_package_edit_makes_every_chapter_stale(book: Path, package: Path) -> None:
    cache_unexecuted(book)
    with (package / "tables.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# an edit to the package\n")
    assert stale(book) == ["claim-counts", "topic-list", "whole-ledger"]


def test_a_new_package_module_makes_every_chapter_stale(book: Path, package: Path) -> None:
    cache_unexecuted(book)
    (package / "extra.py").write_text('"""A new module."""\n', encoding="utf-8")
    assert stale(book) == ["claim-counts", "topic-list", "whole-ledger"]


def test_an_edit_to_the_sphinx_layer_makes_nothing_stale(book: Path, package: Path) -> None:
    cache_unexecuted(book)
    with (package / "sphinxext" / "render.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# an edit to the Sphinx layer only\n")
    assert stale(book) == []


def test_a_page_that_runs_on_every_read_is_left_to_mystnb(book: Path) -> None:
    """A page that sets `execution_mode: force` (it describes the build itself) is never in the
    cache, so the executor does not run it: MyST-NB does, each time the build reads it."""
    text = chapter_text("build-facts", None, "When this copy was built.", "import datetime")
    text = text.replace("---\n\n#", "mystnb:\n  execution_mode: force\n---\n\n#", 1)
    (book / "chapters" / "build-facts.md").write_text(text, encoding="utf-8")
    assert [path.stem for path in chapters(book)] == ["claim-counts", "topic-list", "whole-ledger"]
    assert stale(book) == ["claim-counts", "topic-list", "whole-ledger"]


# ---------------------------------------------------------------------------------------
# Declarations


def test_declared_reads_default_to_everything_and_keep_a_fixed_order() -> None:
    assert declared_reads("---\nkernelspec: {name: python3}\n---\n") == list(execution.READABLE)
    text = "---\nkernelspec: {name: python3}\nbrainbone:\n  reads: [seeds, claims]\n---\n"
    assert declared_reads(text) == ["claims", "seeds"]
    whole = "---\nkernelspec: {name: python3}\nbrainbone:\n  reads: [ledger]\n---\n"
    assert declared_reads(whole) == list(execution.READABLE)


def test_an_unknown_input_name_is_a_clear_error() -> None:
    text = "---\nkernelspec: {name: python3}\nbrainbone:\n  reads: [claims, topic]\n---\n"
    with pytest.raises(ValueError) as raised:
        declared_reads(text)
    assert str(raised.value) == (
        "unknown input 'topic' under `brainbone: reads` (nearest: 'topics'); "
        "expected some of: sources, topics, seed_parts, claims, effects, context_effects, claim_context, context_heterogeneity, outlet_facts, safety_findings, safety_context, source_ratings, second_ratings, summary_of_findings, sof_footnotes, research_outcomes, research_grade, research_grade_footnotes, research_grade_absolute, second_grade, research_grade_reconciliation, second_coding, reconciliation, second_coding_round2, regrades, second_coding_reference, references, seeds, checked, or ledger for all of them"
    )


def test_reads_that_are_not_a_list_are_a_clear_error() -> None:
    text = "---\nkernelspec: {name: python3}\nbrainbone:\n  reads: claims\n---\n"
    with pytest.raises(ValueError) as raised:
        declared_reads(text)
    assert str(raised.value) == "`brainbone: reads` must be a list of input names, e.g. [claims, seeds]; got 'claims'"


def test_the_executor_names_the_chapter_with_an_unknown_input(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace_in(book / "chapters" / "topic-list.md", "reads: [topics]", "reads: [topcis]")
    assert execution.main(["--root", str(book), "--list-stale"]) == 2
    assert capsys.readouterr().err == (
        "error: chapters/topic-list.md: unknown input 'topcis' under `brainbone: reads` (nearest: 'topics'); "
        "expected some of: sources, topics, seed_parts, claims, effects, context_effects, claim_context, context_heterogeneity, outlet_facts, safety_findings, safety_context, source_ratings, second_ratings, summary_of_findings, sof_footnotes, research_outcomes, research_grade, research_grade_footnotes, research_grade_absolute, second_grade, research_grade_reconciliation, second_coding, reconciliation, second_coding_round2, regrades, second_coding_reference, references, seeds, checked, or ledger for all of them\n"
    )


def test_only_notebooks_get_an_inputs_cell(book: Path) -> None:
    intro = (book / "chapters" / "intro.md").read_text(encoding="utf-8")
    assert execution.prepare(book, intro) == intro
    prepared = execution.prepare(book, (book / "chapters" / "topic-list.md").read_text(encoding="utf-8"))
    assert re.search(r"\n# brainbone inputs: topics sha256=[0-9a-f]{16}\n```\n$", prepared)


# ---------------------------------------------------------------------------------------
# Executing (slow)


def cached_outputs(book: Path) -> dict[str, list]:
    """Each chapter's code cells as the build gets them from the cache: execution counts and
    outputs, without the per-run metadata (timings) that no reader sees."""
    from jupyter_cache import get_cache

    cache = get_cache(str(execute_settings(book).cache_dir))
    result = {}
    for path in chapters(book):
        notebook = cache.merge_match_into_notebook(read_notebook(book, path))[1]
        cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        result[path.stem] = json.loads(json.dumps([[cell.execution_count, cell.outputs] for cell in cells]))
    return result


@pytest.mark.slow
def test_parallel_execution_gives_the_outputs_of_a_serial_jupyter_book_build(book: Path, tmp_path: Path) -> None:
    serial = Path(shutil.copytree(book, tmp_path / "serial"))
    built = strict_build(serial)  # MyST-NB executes each chapter itself, one after another
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert built.stdout.count("Executing notebook") == 3

    executed = run_executor(book, "--workers", "2")
    assert executed.returncode == 0, executed.stderr
    assert executed.stdout.count("executed chapters/") == 3
    built = strict_build(book)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "Executing notebook" not in built.stdout
    assert built.stdout.count("Using cached notebook") == 3

    parallel_outputs, serial_outputs = cached_outputs(book), cached_outputs(serial)
    assert parallel_outputs == serial_outputs
    assert "image/svg+xml" in json.dumps(parallel_outputs["whole-ledger"])  # the figure is compared too
    for name in CHAPTERS:
        page = f"_build/html/chapters/{name}.html"
        assert (book / page).read_text(encoding="utf-8") == (serial / page).read_text(encoding="utf-8")


@pytest.mark.slow
def test_chapters_run_in_stock_kernels_started_by_the_executor(book: Path) -> None:
    """A kernel as MyST-NB starts one: nothing of the chapter's imported before it runs, and its
    parent is the executor that talks to it."""
    probe = (
        "import os, sys\n"
        'print([name in sys.modules for name in ("pandas", "matplotlib.pyplot", "brainbone.book.figures", "brainbone.ledger.cache")])\n'
        'print(os.getppid() == int(os.environ["JPY_PARENT_PID"]))\n'
    )
    replace_in(book / "chapters" / "topic-list.md", "import pandas as pd\n", probe + "import pandas as pd\n")
    executed = run_executor(book, "--workers", "2")
    assert executed.returncode == 0, executed.stderr
    outputs = cached_outputs(book)["topic-list"][0][1]
    assert outputs[0]["text"] == "[False, False, False, False]\nTrue\n"


@pytest.mark.slow
def test_a_chapter_that_reads_an_undeclared_file_is_refused_and_not_cached(book: Path) -> None:
    replace_in(
        book / "chapters" / "topic-list.md", 'pd.read_csv("../data/topics.csv")', 'pd.read_csv("../data/claims.csv")'
    )
    executed = run_executor(book, "--workers", "2")
    assert executed.returncode == 1
    assert executed.stderr.splitlines()[-1] == (
        "error: chapters/topic-list.md read data/claims.csv, which its front matter does not declare, "
        "so its outputs would go stale when that changes; add claims to `brainbone: reads` in its front matter"
    )
    assert stale(book) == ["topic-list"]  # the other two were cached
    rerun = run_executor(book)
    assert rerun.returncode == 1
    assert [line.split()[1] for line in rerun.stdout.splitlines()] == ["chapters/topic-list.md"]


@pytest.mark.slow
def test_the_book_leaves_no_chapter_stale(built_book: Path) -> None:
    """The session's build executed every chapter of the book under the executor's watch, with no
    undeclared read, and the strict build then found each one in the cache."""
    assert stale(built_book) == []


# ---------------------------------------------------------------------------------------
# The fast path: when every chapter's code and inputs are as last found fresh


def test_the_fast_path_needs_no_jupyter_cache_and_sees_a_code_edit(book: Path) -> None:
    cache_unexecuted(book)
    assert stale(book) == []  # the slow path, which records every chapter as fresh
    assert (execute_settings(book).cache_dir / execution.FRESH_FILE).is_file()
    code = (
        "import sys\nfrom pathlib import Path\nfrom brainbone.tools import execution\nfrom brainbone.layout import execute_settings\n"
        f"root = Path({str(book)!r})\n"
        "print(execution.stale_chapters(root, execute_settings(root).cache_dir), 'jupyter_cache' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.split() == ["[]", "False"]
    fresh = execute_settings(book).cache_dir / execution.FRESH_FILE
    replace_in(book / "chapters" / "claim-counts.md", "Counts of claims", "Counts of the claims")  # prose
    assert execution.chapter_digests(book) == json.loads(fresh.read_text())["digests"]
    # The prose edit is found fresh by parsing that chapter once; then its new text is recorded, and
    # a check with nothing changed parses no chapter at all.
    assert stale(book) == []
    with unittest.mock.patch.object(executor, "code_digest", side_effect=AssertionError("parsed")):
        assert executor.stale_chapters(book, execute_settings(book).cache_dir) == []
    replace_in(book / "chapters" / "topic-list.md", '["topic"].tolist()', '["label"].tolist()')  # code
    assert stale(book) == ["topic-list"]
    replace_in(book / "data" / "claims.csv", "Matches the cited cohort.", "Matches the cohort.")  # an input
    assert stale(book) == ["claim-counts", "topic-list", "whole-ledger"]


# ---------------------------------------------------------------------------------------
# The kernel's record of what a chapter reads (brainbone.tools.audit)


def test_the_audit_records_each_file_opened_for_reading_once_and_no_file_only_written(tmp_path: Path) -> None:
    log = tmp_path / "reads.log"
    data, output = tmp_path / "data.csv", tmp_path / "out.txt"
    data.write_text("a\n", encoding="utf-8")
    recorder = audit.ReadRecorder(str(log))
    try:
        recorder("open", (str(data), "r", 0))
        recorder("open", (str(data), "rb", 0))  # the same file again
        recorder("open", (str(output), "w", 0))  # written only
        recorder("open", (str(tmp_path / "both.txt"), "r+", 0))  # read and written
        recorder("open", (str(tmp_path / "flags.txt"), None, os.O_WRONLY | os.O_CREAT))  # os.open, write only
        recorder("open", (str(tmp_path / "rdonly.txt"), None, os.O_RDONLY))  # os.open, read
        recorder("open", (3, "r", 0))  # a file descriptor, not a path
        recorder("exec", (str(output),))  # another event
    finally:
        recorder.log.close()
    assert log.read_text(encoding="utf-8").splitlines() == [
        str(data),
        str(tmp_path / "both.txt"),
        str(tmp_path / "rdonly.txt"),
    ]


def test_the_kernel_start_up_line_installs_the_audit_and_names_the_book(tmp_path: Path) -> None:
    log = tmp_path / "reads.log"
    script = (
        f"{audit.exec_line(log, tmp_path / 'book')}\nopen({str(tmp_path / 'data.csv')!r}).read()\n"
        "import os\nprint(sorted(k for k in globals() if not k.startswith('__') and k != 'os'), os.environ['BRAINBONE_ROOT'])"
    )
    (tmp_path / "data.csv").write_text("a\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"[] {tmp_path / 'book'}"  # nothing left in the chapter's namespace
    assert str(tmp_path / "data.csv") in log.read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------------------------------
# `make book`: the executor, then the build (brainbone.tools.build)


def run_make_book(book: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "brainbone.tools.build", "--root", str(book)]
    env = {**os.environ, "BRAINBONE_ROOT": str(book)}
    return subprocess.run(command, cwd=book, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_make_book_executes_then_builds_from_the_cache(book: Path) -> None:
    # MyST-NB, which reads the chapters after the executor is done, never executes one itself.
    built = run_make_book(book)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    lines = re.sub(r"\x1b\[[0-9;]*m", "", built.stdout).splitlines()
    read = [line.split()[-1] for line in lines if line.startswith("reading sources...")]
    assert sorted(read) == ["chapters/claim-counts", "chapters/intro", "chapters/topic-list", "chapters/whole-ledger"]
    executor_done = next(number for number, line in enumerate(lines) if " chapter(s) executed on " in line)
    first_read = next(number for number, line in enumerate(lines) if line.startswith("reading sources..."))
    assert executor_done < first_read
    assert "Executing notebook" not in built.stdout
    assert built.stdout.count("Using cached notebook") == 3
    assert "Tiny" in (book / "_build" / "html" / "chapters" / "topic-list.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_make_book_stops_the_build_when_the_executor_fails_and_reports_its_error(book: Path) -> None:
    replace_in(
        book / "chapters" / "topic-list.md", 'pd.read_csv("../data/topics.csv")', 'pd.read_csv("../data/claims.csv")'
    )
    built = run_make_book(book)
    assert built.returncode == 1
    assert built.stderr.rstrip().splitlines()[-3:] == [
        "Root causes (fix these first):",
        "  error: chapters/topic-list.md read data/claims.csv, which its front matter does not declare, "
        "so its outputs would go stale when that changes; add claims to `brainbone: reads` in its front matter",
        f"BUILD FAILED: 1 root cause, 0 follow-on problems; There is no earlier good build in {book / '_build/html'}.",
    ]
    assert "Using cached notebook" not in built.stdout  # the build was stopped before the chapters
    assert not (book / "_build" / "html").exists()


@pytest.mark.slow
def test_make_book_reports_a_failing_cell_by_chapter_first_line_and_exception(book: Path) -> None:
    chapter = book / "chapters" / "topic-list.md"
    replace_in(chapter, "import pandas as pd\n", "import pandas as pd\n1 / 0\n")
    lines = chapter.read_text(encoding="utf-8").splitlines()
    fence = lines.index("import pandas as pd") - lines[lines.index("import pandas as pd") :: -1].index(
        "```{code-cell} ipython3"
    )
    built = run_make_book(book)
    assert built.returncode == 1
    assert built.stderr.rstrip().splitlines()[-3:] == [
        "Root causes (fix these first):",
        f'  error: chapters/topic-list.md:{fence + 1}: the cell that begins "import pandas as pd" raised '
        "ZeroDivisionError: division by zero",
        f"BUILD FAILED: 1 root cause, 0 follow-on problems; There is no earlier good build in {book / '_build/html'}.",
    ]
    assert "CellExecutionError" not in built.stderr.rstrip().splitlines()[-1]


@pytest.mark.slow
def test_chapters_failing_on_a_broken_ledger_follow_on_from_the_ledgers_problem(book: Path) -> None:
    replace_in(book / "data" / "claims.csv", "tiny-003,", "tiny-001,")
    chapter = (book / "chapters" / "whole-ledger.md").read_text(encoding="utf-8").splitlines()
    fence = chapter.index("import matplotlib.pyplot as plt")  # the line before it, counted from 1
    built = run_make_book(book)
    assert built.returncode == 1
    closing = built.stderr.rstrip().splitlines()[-5:]
    assert closing[0] == "Root causes (fix these first):"
    assert closing[1].startswith("  error: data/claims.csv:4: duplicate claim_id 'tiny-001'")
    assert closing[1].endswith("[brainbone.duplicate_id]")
    assert closing[2:] == [
        "Follow-on problems (they may go away once the root causes are fixed):",
        f'  error: chapters/whole-ledger.md:{fence}: the cell that begins "import matplotlib.pyplot as plt" raised '
        "LedgerError: 1 problem(s) in the ledger",
        f"BUILD FAILED: 1 root cause, 1 follow-on problem; There is no earlier good build in {book / '_build/html'}.",
    ]
