"""`make new-seed` and `make move-claims` (brainbone.ledger.newseed), and the per-seed status `make check` prints
(brainbone.ledger.status), on the tiny fixture book and on small pages written here."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from brainbone.ledger import newseed, status
from brainbone.ledger.loader import load_ledger
from brainbone.ledger.seeds import sha256_of
from brainbone.tools.check import main as check_main

PAGE = "A Heading\n\nFirst sentence here. Second one,\nwrapped in lower case! Third?\n\nComments\n\nReader: Nice.\n"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_an_empty_page_is_refused_naming_the_file(tiny_root: Path) -> None:
    page = tiny_root / "empty.txt"
    page.write_bytes(b"")
    with pytest.raises(newseed.NewSeedError) as error:
        newseed.new_seed(tiny_root, page, "new-page")
    assert str(error.value) == f"{page}: the file is empty; save the page's text into it and run again"
    assert not (tiny_root / newseed.draft_file("new-page")).exists()


def test_a_page_of_whitespace_is_refused_as_empty(tiny_root: Path) -> None:
    page = tiny_root / "blank.txt"
    page.write_bytes(b" \n\n\t\n")
    with pytest.raises(newseed.NewSeedError, match=r"blank.txt: the file is only whitespace; save the page's text"):
        newseed.new_seed(tiny_root, page, "new-page")


def test_a_page_that_is_not_utf8_is_refused_with_its_line_and_column(tiny_root: Path) -> None:
    page = tiny_root / "latin1.txt"
    page.write_bytes("Bones\ncaf\u00e9 au lait".encode("latin-1"))
    before = (tiny_root / "data/sources.csv").read_bytes()
    with pytest.raises(newseed.NewSeedError) as error:
        newseed.new_seed(tiny_root, page, "new-page")
    assert str(error.value) == (
        f"{page}: not UTF-8: byte 0xe9 at line 2, column 4 cannot be decoded; save the page as UTF-8 text "
        "(for a Windows-1252 file: iconv -f windows-1252 -t utf-8 page.txt > page-utf8.txt)"
    )
    assert (tiny_root / "data/sources.csv").read_bytes() == before  # nothing written


def test_a_bad_or_taken_id_is_refused(tiny_root: Path) -> None:
    page = tiny_root / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    with pytest.raises(newseed.NewSeedError, match=r"^ID 'New Page': a seed id is lower case letters, digits"):
        newseed.new_seed(tiny_root, page, "New Page")
    with pytest.raises(newseed.NewSeedError) as error:
        newseed.new_seed(tiny_root, page, "tiny")
    assert str(error.value) == "ID 'tiny': data/sources.csv already has this seed; choose another id"


def test_new_seed_copies_the_page_byte_for_byte_and_writes_its_rows(tiny_root: Path) -> None:
    page = tiny_root / "page.txt"
    raw = PAGE.replace("\n", "\r\n").encode("utf-8")  # line endings kept as received
    page.write_bytes(raw)
    printed = newseed.new_seed(tiny_root, page, "new-page")
    stored = tiny_root / "seeds/000_new-page.txt"  # the tiny book's seed has no number: this is the first
    assert stored.read_bytes() == raw
    row = _rows(tiny_root / "data/sources.csv")[-1]
    assert row == {
        "seed_id": "new-page",
        "file": "seeds/000_new-page.txt",
        "title": "",
        "outlet": "",
        "kind": "",
        "published": "",
        "author": "",
        "products_promoted": "",
        "sha256": sha256_of(stored),
    }
    parts = [r for r in _rows(tiny_root / "data/seed_parts.csv") if r["seed_id"] == "new-page"]
    assert [(p["part_id"], p["kind"], p["starts_with"]) for p in parts] == [
        ("new-page-a-heading", "article", "A Heading"),
        ("new-page-comments", "reader_comments", "Comments"),
    ]
    draft = _rows(tiny_root / newseed.draft_file("new-page"))
    assert [r["excerpt"] for r in draft] == [
        "A Heading",
        "First sentence here.",
        "Second one, wrapped in lower case!",
        "Third?",
        "Comments",
        "Reader: Nice.",
    ]
    assert printed[0].startswith(f"wrote seeds/000_new-page.txt ({len(raw)} bytes, copied byte for byte")


def test_the_next_seed_file_continues_the_numbering(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    for name in ("000_a.txt", "004_b.txt", "notes.txt"):
        (tmp_path / "seeds" / name).write_text("x", encoding="utf-8")
    assert newseed.next_seed_file(tmp_path, "harvard") == "seeds/005_harvard.txt"


def test_a_page_that_opens_without_a_heading_gets_an_opening_part() -> None:
    parts = newseed.propose_parts("p", "Menu Home About\nLog in\n\nReferences\n\n1. A study.\n")
    assert [(p["label"], p["kind"], p["starts_with"]) for p in parts] == [
        ("Page opening", "article", "Menu Home About"),
        ("References", "footnotes", "References"),
    ]


def _coded(row: dict[str, str], excerpt: str) -> dict[str, str]:
    tiny = _rows(Path(__file__).parent / "fixtures/tiny/data/claims.csv")[0]
    return {**row, **{k: v for k, v in tiny.items() if k not in ("claim_id", "seed_id", "excerpt")}, "excerpt": excerpt}


def test_move_claims_moves_coded_rows_numbered_and_keeps_the_rest(tiny_root: Path) -> None:
    page = tiny_root / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    newseed.new_seed(tiny_root, page, "new-page")
    path = tiny_root / newseed.draft_file("new-page")
    draft = _rows(path)
    draft[0][newseed.NOT_A_CLAIM] = "heading"
    draft[1] = _coded(draft[1], "First sentence here.")
    draft[3] = _coded(draft[3], "Third?")
    draft[3]["appraisal"] = ""  # one field still to code: it stays in the sheet
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=newseed.DRAFT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(draft)
    printed = newseed.move_claims(tiny_root, "new-page")
    assert printed == [
        "moved 1 coded claim(s) to data/claims.csv (new-page-001 to new-page-001)",
        "data/drafts/new-page-claims.csv keeps 1 row(s) marked not_a_claim and 4 still to code",
    ]
    moved = _rows(tiny_root / "data/claims.csv")[-1]
    assert (moved["claim_id"], moved["excerpt"]) == ("new-page-001", "First sentence here.")
    assert [r["excerpt"] for r in _rows(path)] == [
        "A Heading",
        "Second one, wrapped in lower case!",
        "Third?",
        "Comments",
        "Reader: Nice.",
    ]


def test_status_says_what_a_seed_lacks_without_failing(tiny_root: Path) -> None:
    ledger = load_ledger(tiny_root)
    assert ledger.issues == []
    (line,) = [s.line() for s in status.statuses(ledger)]
    # The tiny book has no ratings and no second coding; its headline, the comments' heading, number and
    # name, and the reader's thanks are in no claim.
    assert line == (
        "tiny: 4 claim(s); 5 sentence(s) in no claim and not marked not_a_claim (first: “A Tiny Page About Bones”); "
        "not yet rated; not yet second-coded (0 of 4 claims)"
    )


def test_make_check_prints_the_status_after_its_verdict(tiny_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_main(["--root", str(tiny_root), "--no-cache"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("ok: 1 seeds, 4 claims")
    assert out[1:] == [
        "status per seed (work still to do, not errors):",
        f"  {status.statuses(load_ledger(tiny_root))[0].line()}",
    ]


def test_a_sentence_marked_not_a_claim_is_no_longer_open(tiny_root: Path) -> None:
    draft = tiny_root / newseed.draft_file("tiny")
    draft.parent.mkdir(parents=True)
    with draft.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=newseed.DRAFT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerow({newseed.NOT_A_CLAIM: "headline", "seed_id": "tiny", "excerpt": "A Tiny Page About Bones"})
    state = status.seed_status(load_ledger(tiny_root), "tiny")
    assert state.open_sentences == ["Comments", "1.", "Reader", "Thank you!"]


# ---------------------------------------------------------------------------------------
# Rules the tests once held alone, now in the ledger, so that `make check` rejects first


def _drop_line(path: Path, starts: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(starts)]
    assert len(kept) == len(lines) - 1, starts
    path.write_text("".join(kept), encoding="utf-8")


def test_a_substantive_part_without_a_claim_is_an_error_at_its_row(tiny_root: Path) -> None:
    _drop_line(tiny_root / "data/claims.csv", "tiny-003,")
    messages = [str(issue) for issue in load_ledger(tiny_root).issues]
    assert messages == [
        "data/seed_parts.csv:3: seed 'tiny': its promotion part 'tiny-promotion' contributes no claim; extract its "
        "claims into data/claims.csv, merge it into the part before it, or give it a non-substantive kind "
        "(furniture, footnotes) if it carries none"
    ]


def test_a_seed_with_no_claim_yet_is_one_error_pointing_at_its_draft_sheet(tiny_root: Path) -> None:
    claims = tiny_root / "data/claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    effects = tiny_root / "data/effects.csv"  # its effect would point at a claim no longer there
    effects.write_text(effects.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    messages = [str(issue) for issue in load_ledger(tiny_root).issues]
    assert messages == [
        "data/claims.csv: seed 'tiny' has no claim yet: code the rows of data/drafts/tiny-claims.csv and run "
        "make move-claims ID=tiny (CONTRIBUTING.md)"
    ]


def test_make_check_rejects_a_stale_data_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bookutils import copy_book, replace_in

    book = copy_book(tmp_path / "book")
    assert check_main(["--root", str(book), "--no-cache"]) == 0
    replace_in(book / "data/sources.csv", "NativePath,consumer-health blog", "NativePath Ltd,consumer-health blog")
    capsys.readouterr()
    assert check_main(["--root", str(book), "--no-cache"]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors[0] == (
        "error: data/datapackage.json is stale (it describes the ledger as it was before the last change to its "
        "tables or seeds); regenerate it with `make datapackage`  [brainbone.stale_datapackage]"
    )


def test_a_line_the_page_repeats_is_marked_where_it_stands(tiny_root: Path) -> None:
    page = tiny_root / "page.txt"
    page.write_text("Output::\n\nBones are made of living tissue.\n\nOutput::\n", encoding="utf-8")
    newseed.new_seed(tiny_root, page, "twice")
    path = tiny_root / newseed.draft_file("twice")
    draft = _rows(path)
    assert [r["excerpt"] for r in draft] == ["Output::", "Bones are made of living tissue.", "Output::"]
    draft[0][newseed.NOT_A_CLAIM] = draft[2][newseed.NOT_A_CLAIM] = "output label"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=newseed.DRAFT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(draft)
    ledger = load_ledger(tiny_root)
    assert status.seed_status(ledger, "twice").open_sentences == ["Bones are made of living tissue."]


def test_counts_in_prose_are_words_up_to_twenty() -> None:
    from brainbone import words

    assert [words.count_word(n) for n in (0, 1, 5, 20, 21, 1200)] == ["zero", "one", "five", "twenty", "21", "1,200"]
    assert (words.pages(1), words.pages(6)) == ("one popular web page", "six popular web pages")


def test_make_check_rejects_a_reader_comment_graded_above_unsupported(
    tiny_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bookutils import replace_in

    replace_in(
        tiny_root / "data/claims.csv",
        "reader_comment,none_stated,,false,unsupported",
        "reader_comment,none_stated,,false,indirect",
    )
    assert check_main(["--root", str(tiny_root), "--no-cache"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: data/claims.csv:5: claim 'tiny-004': a reader's comment is graded 'indirect', but a reader's "
        "anecdote is never evidence: grade it unsupported (data/CODING.md)  [brainbone.bad_value]"
    )


def test_the_check_verdict_key_changes_with_a_draft_sheet_and_the_data_package(tiny_root: Path) -> None:
    from brainbone.tools.check import verdict_key

    before = verdict_key(tiny_root)
    draft = tiny_root / newseed.draft_file("tiny")
    draft.parent.mkdir(parents=True)
    draft.write_text(",".join(newseed.DRAFT_COLUMNS) + "\n", encoding="utf-8")
    with_draft = verdict_key(tiny_root)
    assert with_draft != before
    (tiny_root / "data/datapackage.json").write_text("{}\n", encoding="utf-8")  # now the check compares it
    with_package = verdict_key(tiny_root)
    assert with_package != with_draft
    (tiny_root / "data/datapackage.json").write_text("{ }\n", encoding="utf-8")
    assert verdict_key(tiny_root) != with_package
