"""A sixth seed, added to a copy of the tracked files with only what CONTRIBUTING.md asks for (tests/sixthseed.py):
`make check` passes and says it is "not yet rated" and "not yet second-coded"; the fast tests' data assertions
pass on the copy; and (slow) the strict build passes and the book says plainly what the seed lacks."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sixthseed import INSIDE, SEED_ID, SIXTH, add_sixth_seed, clone, make

from bookutils import jupyter_book_build
from brainbone.ledger import newseed

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
    # What the copy held before (an editor's clone may hold a seed of its own, not yet committed).
    before = {name: len(_rows(book / f"data/{name}.csv")) for name in ("sources", "claims")}
    before["file"] = newseed.next_seed_file(book, SEED_ID)
    return book, {**add_sixth_seed(book), **{k: str(v) for k, v in before.items()}}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_page_is_stored_byte_for_byte_with_its_checksum(sixth) -> None:
    book, printed = sixth
    stored = book / printed["file"]
    assert stored.read_bytes() == (SIXTH / "page.txt").read_bytes()
    assert f"wrote {printed['file']} (405 bytes, copied byte for byte; sha256 " in printed["new-seed"]
    assert "moved 4 coded claim(s) to data/claims.csv (testfixture-001 to testfixture-004)" in printed["move-claims"]


def test_make_check_passes_and_says_what_the_sixth_seed_lacks(sixth) -> None:
    book, printed = sixth
    result = make(book, "check")
    seeds, claims = int(printed["sources"]) + 1, int(printed["claims"]) + 4
    ok = f"ok: {seeds} seeds, {claims} claims ({claims} verified verbatim)"
    assert result.stdout.splitlines()[1].startswith(ok), result.stdout
    assert (
        f"  {SEED_ID}: 4 claim(s); every sentence in a claim or marked; not yet rated; "
        "not yet second-coded (0 of 4 claims)"
    ) in result.stdout.splitlines()


@pytest.mark.slow  # a second pytest run of its own, a minute or more: not for the quick loop
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
    claims = len(_rows(book / "data/claims.csv"))
    coded = len(_rows(book / "data/second_coding.csv"))
    assert f"covers {coded} of the {claims} claims in the ledger" in methods
    assert (html / f"seeds/{SEED_ID}.html").is_file()
