"""The version is defined once (pyproject.toml); CITATION.cff, the footer and the About page follow it."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from bookutils import ROOT, TINY, replace_in
from brainbone import version as versions
from brainbone.sphinxext.versioning import footer_html

PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_the_installed_version_is_pyprojects() -> None:
    # A stale editable install would report an old version: `make setup` reinstalls on every pyproject change.
    assert versions.book_version() == PYPROJECT_VERSION
    assert re.fullmatch(r"\d+\.\d+\.\d+", PYPROJECT_VERSION)


def test_citation_cff_has_the_citation_file_format_shape() -> None:
    # The keys CFF 1.2.0 requires, with their types, and only keys the format defines.
    assert CFF["cff-version"] == "1.2.0"
    for key in ("message", "title", "version"):
        assert isinstance(CFF[key], str) and CFF[key].strip(), key
    assert isinstance(CFF["authors"], list) and CFF["authors"]
    for author in CFF["authors"]:
        assert set(author) & {"name", "family-names"}, author
    datetime.date.fromisoformat(str(CFF["date-released"]))
    known = {
        "cff-version",
        "message",
        "title",
        "abstract",
        "authors",
        "version",
        "date-released",
        "keywords",
        "license",
    }
    assert set(CFF) <= known, set(CFF) - known


def test_citation_cff_agrees_with_pyproject_and_config() -> None:
    assert CFF["version"] == PYPROJECT_VERSION
    assert CFF["title"] == CONFIG["title"]
    assert [author["name"] for author in CFF["authors"]] == [CONFIG["author"]]


def test_citation_text_from_a_citation_file(tmp_path: Path) -> None:
    (tmp_path / "CITATION.cff").write_text(
        'cff-version: 1.2.0\nmessage: "Cite it."\ntitle: "A Book"\nversion: "1.2.3"\n'
        "date-released: 2025-03-04\nauthors:\n  - name: The Editors\n  - given-names: Ada\n    family-names: Lovelace\n",
        encoding="utf-8",
    )
    citation = versions.read_citation(tmp_path)
    assert citation.text() == (
        "The Editors; Ada Lovelace (2025). A Book, version 1.2.3 (released 2025-03-04): "
        "an executable literature review and its claims ledger."
    )


def test_release_tag_and_footer() -> None:
    assert versions.release_tag("0.2.0") == "v0.2.0"
    assert footer_html("0.2.0", "git tag v0.2.0") == (
        '<p class="bb-version">Version 0.2.0 (git tag v0.2.0); see About this build to cite it.</p>'
    )
    assert footer_html("0.2.0", "untagged build 1a2b3c4") == (
        '<p class="bb-version">Version 0.2.0 (untagged build 1a2b3c4); see About this build to cite it.</p>'
    )


def _git(root: Path, *arguments: str) -> str:
    command = ["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.org", *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def test_a_git_tag_is_named_only_where_git_finds_one_on_the_commit(tmp_path: Path) -> None:
    root = Path(shutil.copytree(TINY, tmp_path / "tiny"))
    assert versions.release(root) == "untagged build, not a git checkout"
    _git(root, "init", "-q")
    assert versions.release(root) == "untagged build, no commit yet"
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first")
    first = _git(root, "rev-parse", "--short", "HEAD")
    assert versions.release(root) == f"untagged build {first}"
    _git(root, "tag", "v9.9.9")
    assert versions.release(root) == "git tag v9.9.9"
    _git(root, "commit", "-q", "--allow-empty", "-m", "second")  # the tag is on the commit before
    assert versions.release(root) == f"untagged build {_git(root, 'rev-parse', '--short', 'HEAD')}"
    assert versions.release(root / "data") == "untagged build, not a git checkout"  # inside, not the top


def test_footer_version_and_citation_in_a_build(make_app, tmp_path: Path) -> None:
    srcdir = Path(shutil.copytree(Path(__file__).parent / "roots" / "test-claim-good", tmp_path / "src"))
    root = Path(shutil.copytree(TINY, tmp_path / "tiny"))
    shutil.copy(ROOT / "CITATION.cff", root / "CITATION.cff")
    replace_in(srcdir / "index.rst", "Quotes\n======\n", "Quotes\n======\n\n.. book-citation::\n")
    overrides = {"brainbone_root": str(root), "html_theme": "sphinx_book_theme"}
    app = make_app("html", srcdir=srcdir, confoverrides={**overrides, "html_theme_options": {"extra_footer": "X"}})
    app.build()
    assert app.config.release == PYPROJECT_VERSION
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    footer = BeautifulSoup(page, "html.parser").select_one("div.extra_footer")
    assert footer.get_text(" ", strip=True) == (
        f"X Version {PYPROJECT_VERSION} (untagged build, not a git checkout); see About this build to cite it."
    )
    assert f"{CONFIG['author']} (" in page and f"version {PYPROJECT_VERSION} (released" in page
    licence = BeautifulSoup(page, "html.parser").select_one("p.bb-licence")
    assert licence.get_text(" ", strip=True).startswith(
        "The book's own data and text are licensed under Creative Commons Attribution 4.0 "
        "(CC-BY-4.0, https://creativecommons.org/licenses/by/4.0/). It does not cover the text quoted"
    )
    assert licence.get_text().endswith("belongs to its publishers, Tiny Health.")
    cff = BeautifulSoup(page, "html.parser").select_one("div.bb-citation-cff pre")
    assert cff.get_text() == (ROOT / "CITATION.cff").read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_page_of_the_book_shows_the_version_in_its_footer(built_book: Path) -> None:
    html = built_book / "_build" / "html"
    # Every page of the book; the theme's HTML fragments in _static/ are not pages, and index.html only redirects.
    pages = sorted(
        p for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts and p.name != "index.html"
    )
    assert len(pages) > 10
    expected = (
        "Not medical advice. The seeds are quoted to appraise them, not to endorse them. "
        f"Version {PYPROJECT_VERSION} (untagged build, not a git checkout); see About this build to cite it."
    )
    for page in pages:
        footer = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("div.extra_footer")
        assert footer is not None and footer.get_text(" ", strip=True) == expected, page
