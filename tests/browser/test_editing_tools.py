"""The editors' tools around the browser tests: `make serve`'s command line and Sphinx config, the
About page's facts, and what happens when the browser is missing. None of these needs a browser."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bookutils import ROOT, replace_in
from brainbone.book import about
from brainbone.ledger.loader import load_ledger
from brainbone.tools.serve import server as serve
from brainbone.tools.serve.worker import sphinx_config

# ---------------------------------------------------------------------------------------
# make serve


def test_serve_banner_escapes_the_problems() -> None:
    banner = serve.banner_html(["chapters/a.md:3: WARNING: unknown claim_id '<b>x</b>'"])
    assert banner.startswith('<div role="alert" class="bb-build-failed" style="position:fixed;')
    assert banner.endswith(
        "<strong>The latest build failed: 1 root cause, 0 follow-on problems; this is the last good build.</strong>"
        '<ul style="margin:.3rem 0 0 1.2rem;padding:0">'
        "<li>chapters/a.md:3: WARNING: unknown claim_id &#x27;&lt;b&gt;x&lt;/b&gt;&#x27;</li></ul></div>"
    )


def test_serve_uses_jupyter_books_config() -> None:
    config = sphinx_config(ROOT)
    assert config["bibtex_bibfiles"] == ["references.bib"]
    assert config["external_toc_path"] == "_toc.yml"
    assert config["nb_execution_cache_path"] == "_build/.jupyter_cache"
    assert "brainbone.sphinxext" in config["extensions"]
    assert config["html_theme"] == "sphinx_book_theme"
    assert config["myst_disable_syntax"] == ["html_block", "html_inline"]


# ---------------------------------------------------------------------------------------
# The About page


def git(folder: Path, *arguments: str) -> str:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    return subprocess.run(
        ["git", *identity, "-C", str(folder), *arguments], check=True, capture_output=True, text=True
    ).stdout


def test_commit_outside_a_checkout_says_so(tmp_path: Path) -> None:
    assert str(about.commit(tmp_path)) == "not a git checkout"


def test_commit_names_the_checkout_and_its_uncommitted_changes(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "chapter.md").write_text("one\n", encoding="utf-8")
    git(tmp_path, "add", "chapter.md")
    git(tmp_path, "commit", "-q", "-m", "first")
    sha = git(tmp_path, "rev-parse", "HEAD").strip()
    assert str(about.commit(tmp_path)) == sha
    (tmp_path / "chapter.md").write_text("two\n", encoding="utf-8")
    assert str(about.commit(tmp_path)) == f"{sha} (with uncommitted changes)"


def test_a_copy_inside_another_checkout_is_not_that_checkout(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "outer")
    (tmp_path / "book").mkdir()
    assert str(about.commit(tmp_path / "book")) == "not a git checkout"


def test_commit_without_git_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder with no git in it
    assert str(about.commit(ROOT)) == "not a git checkout"


def test_build_date_is_utc_and_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    assert about.build_date(datetime(2026, 1, 2, 3, 4, tzinfo=UTC)) == "2026-01-02 03:04 UTC"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert about.build_date() == "1970-01-02 00:00 UTC"


def test_seed_checksums_are_computed_from_the_files(tiny_root: Path) -> None:
    table = about.seed_checksums(load_ledger(tiny_root))
    assert table.to_dict("records") == [
        {
            "Seed": "tiny",
            "File": "seeds/tiny.txt",
            "SHA-256": "c3343f3b58081e974bdb143a8af95c7e1040625d64efb9afed9b8df27fd7036a",
            "Matches data/sources.csv": "yes",
        }
    ]
    replace_in(tiny_root / "seeds" / "tiny.txt", "Comments", "Comments!")
    assert about.seed_checksums(load_ledger(tiny_root)).loc[0, "Matches data/sources.csv"] == "no"


def test_build_facts_count_the_ledger(tiny_root: Path) -> None:
    facts = about.build_facts(load_ledger(tiny_root), now=datetime(2026, 5, 6, 7, 8, tzinfo=UTC))
    rows = dict(zip(facts["What"], facts["This build"], strict=True))
    assert rows["Commit"] == "not a git checkout"
    assert rows["Built"] == "2026-05-06 07:08 UTC"
    assert rows["Built with"].startswith("jupyter-book 1.0.4.post1, sphinx 7.4.7, myst-nb 1.4.0, sphinx-book-theme ")
    assert (rows["Seeds"], rows["Claims"], rows["Excerpts verified verbatim"], rows["Quantitative results"]) == (
        "1",
        "4",
        "4",
        "1",
    )


# ---------------------------------------------------------------------------------------
# A missing browser: skipped loudly on a developer's machine, a failure in CI


BROWSER_TEST = "tests/browser/test_pages.py::test_the_front_door_leads_to_the_first_chapter"
MISSING = (
    "BROWSER TESTS NOT RUN: /nonexistent/chromium is missing. Install Debian's Chromium with "
    "`sudo apt-get install chromium` (or run `make test` as root, which installs it)."
)


def run_without_browser(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["BRAINBONE_CHROMIUM"] = "/nonexistent/chromium"
    env["COLUMNS"] = "400"  # no wrapping of the long notice
    if ci is not None:
        env["CI"] = ci
    command = [sys.executable, "-m", "pytest", BROWSER_TEST, "-p", "no:cacheprovider", "-rs"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_missing_browser_is_skipped_loudly_on_a_developer_machine() -> None:
    result = run_without_browser(ci=None)
    assert result.returncode == 0, result.stdout[-3000:]
    assert f"SKIPPED [1] {BROWSER_TEST.split('::')[0]}:" in result.stdout
    # Said as soon as it happens, in the skip reason, and again as the run's last line.
    assert result.stdout.count(MISSING) == 3, result.stdout[-3000:]
    assert result.stdout.rstrip().splitlines()[-1].strip("! ") == MISSING


def test_a_missing_browser_fails_in_ci() -> None:
    result = run_without_browser(ci="true")
    assert result.returncode == 1, result.stdout[-3000:]
    assert f"{MISSING} CI=true, so a missing browser is a failure, never a skip." in result.stdout
    assert "1 error" in result.stdout
