"""The Sphinx layer, one tiny project per scenario (tests/roots/): quotes, seed pages, warnings."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes

from bookutils import TINY, replace_in

pytestmark = pytest.mark.sphinx("html", confoverrides={"brainbone_root": str(TINY)})


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


def html(app, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")


def warnings_of(app) -> list[str]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue())
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.sphinx("html", testroot="claim-good", confoverrides={"brainbone_root": str(TINY)})
def test_good_project_builds_without_warnings_and_links_quotes_to_passages(app) -> None:
    app.build()
    assert warnings_of(app) == []
    index = html(app, "index.html")
    block = index.select_one("#cite-tiny-001-1")
    assert "Stress hormones like cortisol can interfere with bone metabolism (1)." in block.get_text()
    link = block.select_one("a.bb-source-link")
    assert link["href"] == "seeds/tiny.html#claim-tiny-001"
    assert [b.get_text() for b in block.select(".bb-badge")] == [
        "article",
        "evidence: none stated",
        "appraisal: unsupported",
    ]
    promo = index.select_one("#cite-tiny-003-1")
    assert "promotes the site's offer" in [b.get_text() for b in promo.select(".bb-badge")]
    inline = index.select_one("#cite-tiny-002-1")
    assert inline.get_text().startswith("“In a study of 1,000 women")

    seed = html(app, "seeds/tiny.html")
    target = seed.select_one("#claim-tiny-001")
    assert "bb-claim" in target["class"] and "bb-appraisal-unsupported" in target["class"]
    assert target.get_text() == "Stress hormones like cortisol can interfere with bone metabolism (1)."
    backlinks = [a["href"] for a in seed.select("a.bb-backlink")]
    assert backlinks == [
        "../index.html#cite-tiny-001-1",
        "../index.html#cite-tiny-002-1",
        "../index.html#cite-tiny-003-1",
    ]
    labels = [p.get_text() for p in seed.select(".bb-part-label")]
    assert labels[2].startswith("Reader comments — Written by readers")
    assert seed.select_one(".bb-part-reader_comments #claim-tiny-004") is not None


@pytest.mark.sphinx("html", testroot="claim-unknown", confoverrides={"brainbone_root": str(TINY)})
def test_unknown_claim_id_warns_at_the_chapter_line(app) -> None:
    app.build()
    src = Path(app.srcdir) / "index.rst"
    assert warnings_of(app) == [
        f"{src}:6: WARNING: unknown claim_id 'tiny-009': no such row in data/claims.csv (nearest: 'tiny-001'); "
        "cite an existing claim or add the row first [brainbone.unknown_claim]",
        f"{src}:8: WARNING: unknown claim_id 'tiny-0003': no such row in data/claims.csv (nearest: 'tiny-003'); "
        "cite an existing claim or add the row first [brainbone.unknown_claim]",
    ]


def _copy_tiny(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TINY, tmp_path / "ledger"))


def test_unverified_excerpt_warns_at_csv_row_and_at_the_chapter_line(make_app, rootdir, tmp_path) -> None:
    ledger = _copy_tiny(tmp_path)
    replace_in(ledger / "data/claims.csv", "can interfere with bone", "can interfere with the bone")
    srcdir = Path(shutil.copytree(rootdir / "test-claim-good", tmp_path / "src"))
    app = make_app("html", srcdir=srcdir, confoverrides={"brainbone_root": str(ledger)})
    app.build()
    warnings = warnings_of(app)
    assert warnings[0].startswith(
        f"{ledger}/data/claims.csv:2: WARNING: claim 'tiny-001': excerpt is not verbatim in seeds/tiny.txt"
    )
    assert warnings[0].endswith("[brainbone.excerpt_mismatch]")
    assert warnings[1] == (
        f"{srcdir}/index.rst:4: WARNING: claim 'tiny-001' is cited but its excerpt is not verbatim in seeds/tiny.txt "
        "(data/claims.csv line 2); run `make check` for the nearest passage [brainbone.excerpt_mismatch]"
    )
    assert len(warnings) == 2


def test_hostile_seed_text_is_escaped_and_never_markup(make_app, rootdir, tmp_path) -> None:
    ledger = _copy_tiny(tmp_path)
    payload = '<script>alert("x")</script> <img src=x onerror=alert(1)> [link](javascript:alert(1))'
    seed = ledger / "seeds/tiny.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + f"\nHostile line {payload}\n", encoding="utf-8")
    replace_in(ledger / "data/sources.csv", "A Tiny Page About Bones,", "A Tiny <script>alert(2)</script> Page,")
    sources = (ledger / "data/sources.csv").read_text(encoding="utf-8")
    old_sha = sources.strip().rsplit(",", 1)[1]
    (ledger / "data/sources.csv").write_text(
        sources.replace(old_sha, hashlib.sha256(seed.read_bytes()).hexdigest()), encoding="utf-8"
    )
    with (ledger / "data/claims.csv").open("a", encoding="utf-8") as handle:
        excerpt = f"Hostile line {payload}".replace('"', '""')
        handle.write(
            f'tiny-005,tiny,"{excerpt}",background,exercise,none,none,none,reader_comment,none_stated,,false,'
            "unsupported,Hostile test input.,none,not_applicable,none,false,,none\n"
        )
    srcdir = Path(shutil.copytree(rootdir / "test-claim-good", tmp_path / "src"))
    replace_in(srcdir / "index.rst", ".. claim:: tiny-003", ".. claim:: tiny-003\n\n.. claim:: tiny-005")
    app = make_app("html", srcdir=srcdir, confoverrides={"brainbone_root": str(ledger)})
    app.build()
    assert warnings_of(app) == []
    for page in ("index.html", "seeds/tiny.html"):
        raw = (Path(app.outdir) / page).read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<img src=x" not in raw and 'href="javascript:' not in raw
        escaped = "Hostile line &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; "
        assert escaped + "[link](javascript:alert(1))" in raw
    seed_page = html(app, "seeds/tiny.html")
    assert seed_page.select_one("h1").get_text().startswith("A Tiny <script>alert(2)</script> Page")


def test_author_year_labels_for_the_references_page() -> None:
    from pybtex.database import parse_string

    from brainbone.sphinxext.bibstyle import AuthorYearLabelStyle

    bib = parse_string(
        """
        @article{one, author = {Smith, Ann}, year = {2020}, title = {T}}
        @article{two, author = {Smith, Ann and Jones, Bo}, year = {2021}, title = {T}}
        @article{many, author = {Follis, S and Bea, J and Chen, Z}, year = {2019}, title = {T}}
        @article{etal, author = {Yirmiya, R and others}, year = {2006}, title = {T}}
        @book{particle, author = {van Praag, Henriette}, year = {1999}, title = {T}}
        """,
        "bibtex",
    )
    labels = list(AuthorYearLabelStyle().format_labels(bib.entries.values()))
    assert labels == [
        "Smith 2020",
        "Smith and Jones 2021",
        "Follis et al. 2019",
        "Yirmiya et al. 2006",
        "van Praag 1999",
    ]


def test_build_facts_tables_come_from_the_build(make_app, rootdir, tmp_path) -> None:
    srcdir = Path(shutil.copytree(rootdir / "test-claim-good", tmp_path / "src"))
    replace_in(
        srcdir / "index.rst", "Quotes\n======\n", "Quotes\n======\n\n.. build-facts:: seeds\n\n.. build-facts:: build\n"
    )
    app = make_app("html", srcdir=srcdir, confoverrides={"brainbone_root": str(TINY)})
    app.build()
    assert warnings_of(app) == []
    tables = html(app, "index.html").select("table.bb-facts")
    seeds_table, build_table = tables
    sha = hashlib.sha256((TINY / "seeds/tiny.txt").read_bytes()).hexdigest()
    assert [td.get_text() for td in seeds_table.select("tbody td")] == ["tiny", "seeds/tiny.txt", sha, "yes"]
    facts = dict(zip(*[iter(td.get_text() for td in build_table.select("tbody td"))] * 2, strict=True))
    assert facts["Claims"] == "4" and facts["Excerpts verified verbatim"] == "4" and facts["Seeds"] == "1"
    # The fixture is no git checkout of its own: no tag is claimed for it.
    assert facts["Version"].endswith(" (untagged build, not a git checkout)")


def _sphinx_build(srcdir: Path, outdir: Path, ledger: Path) -> str:
    """An incremental sphinx-build in its own process, as `make book` runs it; returns its warnings."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-n", "-D", f"brainbone_root={ledger}"]
    done = subprocess.run([*command, str(srcdir), str(outdir)], capture_output=True, text=True, check=True)
    return done.stderr


@pytest.mark.slow  # sphinx-build in a process of its own, twice
def test_an_inline_quote_links_to_the_one_quote_box_and_follows_it_when_it_moves(rootdir, tmp_path) -> None:
    srcdir, outdir = Path(shutil.copytree(rootdir / "test-claim-good", tmp_path / "src")), tmp_path / "out"
    ledger = _copy_tiny(tmp_path)  # lacks optional tables, which must not make every build re-read everything
    replace_in(srcdir / "index.rst", ".. claim:: tiny-001\n", "")
    replace_in(srcdir / "index.rst", "   seeds/*", "   seeds/*\n   first\n   inline\n   moved")
    pages = {"first": ".. claim:: tiny-001", "inline": "Again: :claim:`tiny-001`.", "moved": "Nothing boxed yet."}
    for name, body in pages.items():
        (srcdir / f"{name}.rst").write_text(f"{name.title()}\n======\n\n{body}\n", encoding="utf-8")
    assert _sphinx_build(srcdir, outdir, ledger) == ""
    inline = BeautifulSoup((outdir / "inline.html").read_text(encoding="utf-8"), "html.parser")
    link = inline.select_one("#cite-tiny-001-1 a.bb-quote-ref")
    assert (link.get_text(), link["href"]) == ("quoted in First", "first.html#cite-tiny-001-1")
    # tiny-002 is quoted inline only: no box to point to.
    index = BeautifulSoup((outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.select("#cite-tiny-002-1 a.bb-quote-ref") == []

    # The box moves to another page; the page quoting it inline is not read again, yet its link follows.
    (srcdir / "first.rst").write_text("First\n======\n\nNo box now.\n", encoding="utf-8")
    (srcdir / "moved.rst").write_text("Moved\n======\n\n.. claim:: tiny-001\n", encoding="utf-8")
    assert _sphinx_build(srcdir, outdir, ledger) == ""
    inline = BeautifulSoup((outdir / "inline.html").read_text(encoding="utf-8"), "html.parser")
    link = inline.select_one("#cite-tiny-001-1 a.bb-quote-ref")
    assert (link.get_text(), link["href"]) == ("quoted in Moved", "moved.html#cite-tiny-001-1")


@pytest.mark.sphinx("html", testroot="claim-good", confoverrides={"brainbone_root": str(TINY)})
def test_a_seed_page_is_written_again_only_when_its_back_links_change(app) -> None:
    """After a page is read again: the seed pages to write again, as Sphinx's env-get-updated asks."""
    from brainbone.sphinxext import seedpages
    from brainbone.sphinxext.domain import domain_of

    app.build()
    env, citations = app.env, domain_of(app.env).citations

    seedpages.note_purge(app, env, "index")  # read again with the same quotes and title: a prose edit
    assert seedpages.pages_to_rewrite(app, env) == []

    seedpages.note_purge(app, env, "index")
    citations["tiny-001"].append({"docname": "index", "cite_id": "cite-tiny-001-2", "block": True})  # a second box
    assert seedpages.pages_to_rewrite(app, env) == ["seeds/tiny"]

    seedpages.note_purge(app, env, "index")
    citations["tiny-001"].pop()  # the quote removed again
    assert seedpages.pages_to_rewrite(app, env) == ["seeds/tiny"]

    seedpages.note_purge(app, env, "index")
    env.titles["index"] = nodes.title("", "Quotes, renamed")  # every back-link shows the title
    assert seedpages.pages_to_rewrite(app, env) == ["seeds/tiny"]
    del env.titles["index"]  # as Sphinx's own env-purge-doc handler does, before ours
    seedpages.note_purge(app, env, "index")
    env.titles["index"] = nodes.title("", "Quotes, renamed")  # read again, the same title
    assert seedpages.pages_to_rewrite(app, env) == []

    seedpages.note_purge(app, env, "seeds/tiny")  # a page that quotes nothing
    assert seedpages.pages_to_rewrite(app, env) == []
