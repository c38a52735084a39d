"""Navigation follows the set of seeds (issue 19, item 5): adding or removing a seed rewrites every
page's sidebar in an incremental build, not only the pages read again."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bookutils import TESTS, TINY, replace_in

pytestmark = pytest.mark.slow  # three sphinx-build runs of a two-page book

SECOND = "second,seeds/second.txt,A Second Page,Tiny Health,consumer-health blog,,,,{sha}\n"
# What CONTRIBUTING asks of a new seed besides its sources row: a substantive part and a claim.
SECOND_PART = "second,second-article,article,Article,A Second Page\n"
SECOND_CLAIM = (
    "second-001,second,Walking is good for bones.,intervention,exercise,none,bone,beneficial,article,none_stated,,"
    "false,unsupported,An assertion with no evidence.,causal,not_applicable,implicit,false,,none\n"
)


def build(srcdir: Path, outdir: Path, ledger: Path) -> str:
    """An incremental sphinx-build in its own process, as `make book` runs it; its output."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "-D", f"brainbone_root={ledger}"]
    done = subprocess.run([*command, str(srcdir), str(outdir)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def sidebar_links(page: Path) -> list[str]:
    """The pages the sidebar's navigation (the global table of contents) links to."""
    navigation = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("div.sphinxsidebar")
    return sorted(a["href"] for a in navigation.select("a.reference.internal"))


def test_adding_or_removing_a_seed_rewrites_every_sidebar(tmp_path: Path) -> None:
    srcdir, outdir = Path(shutil.copytree(TESTS / "roots" / "test-claim-good", tmp_path / "src")), tmp_path / "out"
    ledger = Path(shutil.copytree(TINY, tmp_path / "ledger"))
    # A page that quotes nothing and reads no ledger file, like the glossary: nothing makes Sphinx read it again.
    (srcdir / "glossary.rst").write_text("Glossary\n========\n\nWords.\n", encoding="utf-8")
    replace_in(srcdir / "index.rst", "   seeds/*", "   glossary\n   seeds/*")
    build(srcdir, outdir, ledger)
    assert sidebar_links(outdir / "glossary.html") == ["#", "seeds/tiny.html"]

    text = b"A Second Page\n\nWalking is good for bones.\n"
    (ledger / "seeds/second.txt").write_bytes(text)
    with (ledger / "data/sources.csv").open("a", encoding="utf-8") as handle:
        handle.write(SECOND.format(sha=hashlib.sha256(text).hexdigest()))
    for table, row in (("seed_parts", SECOND_PART), ("claims", SECOND_CLAIM)):
        with (ledger / f"data/{table}.csv").open("a", encoding="utf-8") as handle:
            handle.write(row)
    output = build(srcdir, outdir, ledger)
    assert "glossary" not in output.split("writing output...")[0]  # written again, not read again
    assert sidebar_links(outdir / "glossary.html") == ["#", "seeds/second.html", "seeds/tiny.html"]
    assert sidebar_links(outdir / "seeds/tiny.html") == ["#", "../glossary.html", "second.html"]

    (ledger / "seeds/second.txt").unlink()
    replace_in(ledger / "data/sources.csv", SECOND.format(sha=hashlib.sha256(text).hexdigest()), "")
    replace_in(ledger / "data/seed_parts.csv", SECOND_PART, "")
    replace_in(ledger / "data/claims.csv", SECOND_CLAIM, "")
    build(srcdir, outdir, ledger)
    assert sidebar_links(outdir / "glossary.html") == ["#", "seeds/tiny.html"]
