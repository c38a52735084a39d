"""Errors a newcomer can act on (issue 19, item 6): an unclosed quote in a CSV, a seed that is empty or
not UTF-8, and the nearest passage offered for an excerpt that is not verbatim."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bookutils import replace_in
from brainbone.ledger.loader import load_ledger
from brainbone.ledger.reading import read_table
from brainbone.ledger.seeds import SeedText
from brainbone.tools import check

CLAIM_2 = '"In a study of 1,000 women, each point of strain was associated with 0.5% greater loss of hip BMD."'


def messages(root: Path) -> list[str]:
    return [str(issue) for issue in load_ledger(root).issues]


def test_an_unclosed_quote_is_called_one_with_its_line_and_the_rows_it_swallowed(tiny_root: Path) -> None:
    replace_in(tiny_root / "data/claims.csv", CLAIM_2, CLAIM_2[:-1])  # the closing quote lost
    ledger = load_ledger(tiny_root)
    assert [str(issue) for issue in ledger.issues][:1] == [
        "data/claims.csv:3: unclosed quote: the quote that opens field 'excerpt' on line 3 is never closed, "
        "so lines 4-5 were read into that field instead of as 2 row(s); "
        'close the quote on line 3 (a quote inside a field is written twice: "")'
    ]
    assert list(ledger.claims.index) == ["tiny-001"]  # the lost rows are named above, not silently dropped


def test_a_quote_closed_rows_later_is_found_even_when_the_record_has_every_field(tmp_path: Path) -> None:
    # The record runs on to the quote on line 4 and then has three fields, as a row should: nothing looks malformed.
    (tmp_path / "t.csv").write_text('a,b,c\n1,"x",3\n4,"5,6\n7,8,9\n10,"y",12\n', encoding="utf-8")
    table = read_table(tmp_path, "t.csv", columns=["a", "b", "c"])
    assert [str(issue) for issue in table.issues] == [
        "t.csv:3: unclosed quote: the quote that opens field 'b' on line 3 is not closed until line 5, "
        "so lines 4-5 were read into that field instead of as 2 row(s); "
        'close the quote on line 3 (a quote inside a field is written twice: "")'
    ]
    assert table.frame["a"].tolist() == ["1"]


def test_a_quoted_field_with_line_breaks_is_still_one_field(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text('a,b,c\n1,"two\nlines",3\n4,5,6\n', encoding="utf-8")
    table = read_table(tmp_path, "t.csv", columns=["a", "b", "c"])
    assert table.issues == [] and table.frame["b"].tolist() == ["two\nlines", "5"]


def record(root: Path, raw: bytes) -> None:
    """Write the tiny seed's bytes and record their checksum, as an editor adding a page would."""
    seed = root / "seeds/tiny.txt"
    old = hashlib.sha256(seed.read_bytes()).hexdigest()
    seed.write_bytes(raw)
    replace_in(root / "data/sources.csv", old, hashlib.sha256(raw).hexdigest())


def test_a_seed_that_is_not_utf8_names_its_file_line_and_byte(tiny_root: Path) -> None:
    record(tiny_root, b"A Tiny Page\n\nCaf\xe9 culture and bones.\n")
    assert messages(tiny_root)[0] == (
        "seeds/tiny.txt:3: seed file is not UTF-8: byte 0xe9 at line 3, column 4 cannot be decoded; "
        "save the page as UTF-8 text (e.g. `iconv -f windows-1252 -t utf-8`), then record its new sha256"
    )


@pytest.mark.parametrize(("raw", "what"), [(b"", "empty"), (b"\n  \n", "blank (only whitespace)")])
def test_an_empty_seed_with_its_checksum_recorded_fails_make_check(
    tiny_root: Path, raw: bytes, what: str, capsys: pytest.CaptureFixture[str]
) -> None:
    record(tiny_root, raw)
    first = (
        f"seeds/tiny.txt: seed file is {what}; save the page's text into seeds/tiny.txt (copy it byte for byte, "
        "as received), then record its sha256 in data/sources.csv"
    )
    assert messages(tiny_root)[0] == first
    assert check.main(["--root", str(tiny_root), "--no-cache"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"error: {first}  [brainbone.unreadable_seed]"


def test_the_nearest_passage_is_whole_words_never_cut_short() -> None:
    seed = SeedText("Depression is linked to lower bone density in older women. Exercise helps bones stay strong.")
    assert seed.nearest("linked to low bone density in older wom").text == (
        "linked to lower bone density in older women."
    )
    assert seed.nearest("ssion is linked to lower").text == "Depression is linked to lower"


def test_an_excerpt_like_no_passage_gets_no_passage_to_copy(tiny_root: Path) -> None:
    replace_in(
        tiny_root / "data/claims.csv", "My bones felt stronger after yoga.", "Vitamin K2 is essential for everyone"
    )
    (issue,) = messages(tiny_root)
    assert issue == (
        "data/claims.csv:5: claim 'tiny-004': excerpt is not verbatim in seeds/tiny.txt (only runs of whitespace "
        "may differ). Expected: “Vitamin K2 is essential for everyone”. Nearest passage (47.2% similar): "
        "“in weeks! Comments 1. Reader My bones”. No passage of the seed is close to it. Fix: check that the row "
        "names the right seed, and copy the sentence from the seed file into the excerpt column as it is"
    )


def test_a_close_excerpt_is_offered_its_passage_whole(tiny_root: Path) -> None:
    replace_in(tiny_root / "data/claims.csv", "Stress hormones like cortisol", "Stress hormones such as cortisol")
    (issue,) = messages(tiny_root)
    assert issue.endswith(
        "Nearest passage (90.3% similar): “Stress hormones like cortisol can interfere with bone metabolism (1).”. "
        "Fix: copy the nearest passage into the excerpt column as it is"
    )


def test_a_failing_cell_is_named_by_chapter_line_first_line_and_exception(tmp_path: Path) -> None:
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from brainbone.tools.executor import cell_error

    failing = new_code_cell("\n# the counts\ncounts = tables.claim_counts()\nprint(counts)")
    failing.outputs = [new_output("error", ename="KeyError", evalue="'seed_id'", traceback=[])]
    notebook = new_notebook(cells=[new_markdown_cell("# A"), new_code_cell("x = 1"), failing])
    notebook.metadata["source_map"] = [5, 10, 14]
    chapter = tmp_path / "chapters" / "methods.md"
    assert cell_error(tmp_path, chapter, notebook, RuntimeError("CellExecutionError")) == (
        "chapters/methods.md:14: the cell that begins \"# the counts\" raised KeyError: 'seed_id'"
    )
    failing.outputs = []  # a timeout leaves no error in any cell
    assert cell_error(tmp_path, chapter, notebook, TimeoutError("A cell timed out after 30 seconds")) == (
        "chapters/methods.md: TimeoutError: A cell timed out after 30 seconds"
    )
