"""A sixth seed, added to a copy of the tracked files with only what CONTRIBUTING.md asks for (tests/sixthseed.py):
`make check` passes and says it is "not yet rated" and "not yet second-coded"; the fast tests' data assertions
pass on the copy; and (slow) the strict build passes and the book says plainly what the seed lacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sixthseed import INSIDE, SEED_ID, SIXTH, add_sixth_seed, clone, make

from bookutils import jupyter_book_build

pytestmark = pytest.mark.skipif(bool(os.environ.get(INSIDE)), reason="already inside the sixth-seed copy")

# The fast tests that assert things about the real ledger's data, run on the copy.
DATA_TESTS = (
    "tests/test_ledger_content.py",
    "tests/test_ratings.py",
    "tests/test_coding_agreement.py",
    "tests/test_datapackage.py",
    "tests/test_facts.py",
    "tests/test_agreement.py",
    "tests/test_instruments.py",
    "tests/test_docs.py",
)


@pytest.fixture(scope="module")
def sixth(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    book = clone(tmp_path_factory.mktemp("sixth") / "clone")
    return book, add_sixth_seed(book)


def test_the_page_is_stored_byte_for_byte_with_its_checksum(sixth) -> None:
    book, printed = sixth
    stored = book / "seeds/005_testfixture.txt"
    assert stored.read_bytes() == (SIXTH / "page.txt").read_bytes()
    assert "wrote seeds/005_testfixture.txt (405 bytes, copied byte for byte; sha256 " in printed["new-seed"]
    assert "moved 4 coded claim(s) to data/claims.csv (testfixture-001 to testfixture-004)" in printed["move-claims"]


def test_make_check_passes_and_says_what_the_sixth_seed_lacks(sixth) -> None:
    book, _ = sixth
    result = make(book, "check")
    assert result.stdout.splitlines()[1].startswith("ok: 6 seeds, 244 claims (244 verified verbatim)"), result.stdout
    assert (
        f"  {SEED_ID}: 4 claim(s); every sentence in a claim or marked; not yet rated; "
        "not yet second-coded (0 of 4 claims)"
    ) in result.stdout.splitlines()


def test_the_fast_data_tests_pass_on_the_copy(sixth) -> None:
    book, _ = sixth
    env = {**os.environ, "PYTHONPATH": str(book / "src"), "BRAINBONE_ROOT": str(book), INSIDE: "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow and not browser", *DATA_TESTS],
        cwd=book,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


@pytest.mark.slow
def test_the_strict_build_passes_and_the_book_says_what_the_sixth_seed_lacks(sixth) -> None:
    book, _ = sixth
    result = jupyter_book_build(book)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    html = book / "_build/html/chapters"
    sources = BeautifulSoup((html / "sources.html").read_text(encoding="utf-8"), "html.parser")
    card = sources.find(id=f"scorecard-{SEED_ID}")
    assert card is not None and "not yet rated" in card.get_text()
    prose = sources.get_text(" ", strip=True)
    assert "Test Fixture Health's page “Calm Mind, Strong Bones?” was added after this chapter was written" in prose
    assert "it is not yet rated and not yet second-coded." in prose
    methods = BeautifulSoup((html / "methods.html").read_text(encoding="utf-8"), "html.parser").get_text(
        " ", strip=True
    )
    assert "covers 240 of the 244 claims in the ledger" in methods
    assert (html / f"seeds/{SEED_ID}.html").is_file()
