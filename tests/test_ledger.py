"""Loader, validator and matcher: one test per bad-input case, each checking the exact message."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from bookutils import replace_in
from brainbone import IssueKind, LedgerError, load_ledger
from brainbone.ledger.schema import KeyIn
from brainbone.ledger.seeds import SeedText, collapse_whitespace
from brainbone.tools.check import main as check_main

CLAIMS = "data/claims.csv"


def only_issue(root: Path):
    ledger = load_ledger(root)
    assert len(ledger.issues) == 1, [str(i) for i in ledger.issues]
    return ledger.issues[0]


def test_tiny_ledger_is_valid_and_located(tiny_root: Path) -> None:
    ledger = load_ledger(tiny_root)
    assert ledger.issues == []
    claim = ledger.claim("tiny-002")
    text = ledger.seed_texts["tiny"].text
    assert claim.verified
    assert text[claim.start : claim.end].startswith("In a study of 1,000 women")
    assert claim.part_kind == "article"
    assert ledger.claim("tiny-003").part_kind == "promotion"
    assert ledger.claim("tiny-004").part_kind == "reader_comments"
    assert ledger.claim("tiny-003").commercial_context is True
    assert ledger.effects.loc[0, "value"] == pytest.approx(0.5)


def test_collapse_whitespace_keeps_everything_else() -> None:
    assert collapse_whitespace("  a\n\n b\t—  ‘c’ ") == "a b — ‘c’"


def test_seed_text_maps_collapsed_matches_back_to_original_offsets() -> None:
    seed = SeedText("Title\n\n  Cortisol  harms\nbone —  ‘really’.\n")
    span = seed.find("Cortisol harms bone — ‘really’.")
    assert seed.text[span.start : span.end] == "Cortisol  harms\nbone —  ‘really’."
    assert seed.collapsed == collapse_whitespace(seed.text)
    assert seed.find("cortisol harms") is None  # case is kept
    assert seed.find("Cortisol harms bone - 'really'.") is None  # dashes and quotes are kept
    assert seed.find("Cortisol", start=span.start + 1) is None


def test_excerpt_not_verbatim_names_file_row_claim_and_nearest_passage(tiny_root: Path) -> None:
    replace_in(tiny_root / CLAIMS, "can interfere with bone metabolism", "can interfere with bone metabolsim")
    issue = only_issue(tiny_root)
    assert issue.kind is IssueKind.EXCERPT_MISMATCH
    assert str(issue) == (
        "data/claims.csv:2: claim 'tiny-001': excerpt is not verbatim in seeds/tiny.txt "
        "(only runs of whitespace may differ). "
        "Expected: “Stress hormones like cortisol can interfere with bone metabolsim (1).”. "
        "Nearest passage (98.6% similar): "
        "“Stress hormones like cortisol can interfere with bone metabolism (1).”. "
        "Fix: copy the nearest passage into the excerpt column as it is"
    )


def test_curly_quotes_and_dashes_are_not_normalised(tiny_root: Path) -> None:
    replace_in(tiny_root / CLAIMS, "Bone Tonic — it", "Bone Tonic - it")
    issue = only_issue(tiny_root)
    assert issue.kind is IssueKind.EXCERPT_MISMATCH
    assert "Nearest passage" in issue.message and "“Buy our Bone Tonic — it rebuilds bone in weeks!”" in issue.message


def test_unknown_seed(tiny_root: Path) -> None:
    replace_in(tiny_root / CLAIMS, "tiny-001,tiny,", "tiny-001,tinny,")
    issue = only_issue(tiny_root)
    assert issue.kind is IssueKind.UNKNOWN_SEED
    assert str(issue) == (
        "data/claims.csv:2: unknown seed_id 'tinny': no such key in data/sources.csv (nearest: 'tiny'); "
        "add the seed there first, or fix the seed_id"
    )


def test_duplicate_id(tiny_root: Path) -> None:
    replace_in(tiny_root / CLAIMS, "tiny-003,", "tiny-001,")
    issue = only_issue(tiny_root)
    assert issue.kind is IssueKind.DUPLICATE_ID
    assert str(issue) == (
        "data/claims.csv:4: duplicate claim_id 'tiny-001': it is already used on line 2; give this row a new claim_id"
    )


def test_value_outside_enumeration(tiny_root: Path) -> None:
    replace_in(tiny_root / CLAIMS, ",false,unsupported,Numbered", ",false,unsuported,Numbered")
    issue = only_issue(tiny_root)
    assert issue.kind is IssueKind.BAD_VALUE
    assert str(issue) == (
        "data/claims.csv:2: column 'appraisal': 'unsuported' is not allowed; expected one of: "
        "consistent, indirect, overstated, misreports_source, unsupported (nearest: 'unsupported')"
    )


def test_non_numeric_effect_value(tiny_root: Path) -> None:
    replace_in(tiny_root / "data/effects.csv", "social strain (per point),0.5,", "social strain (per point),half,")
    ledger = load_ledger(tiny_root)
    messages = [str(i) for i in ledger.issues]
    assert messages[0] == (
        "data/effects.csv:2: column 'value': expected a number, got 'half'; write digits only, e.g. 0.082"
    )
    assert ledger.issues[0].kind is IssueKind.BAD_VALUE
    # The value is also not written in its claim's excerpt.
    assert messages[1:] == [
        "data/effects.csv:2: effect 'tiny-hip': value 'half' is not written in the excerpt of claim "
        "'tiny-002'; copy the value exactly as the seed writes it"
    ]


def test_missing_seed_file(tiny_root: Path) -> None:
    (tiny_root / "seeds/tiny.txt").rename(tiny_root / "seeds/tiny-old.txt")
    ledger = load_ledger(tiny_root)
    assert [str(i) for i in ledger.issues] == [
        "data/sources.csv:2: seed file 'seeds/tiny.txt' for seed 'tiny' does not exist "
        "(nearest: 'seeds/tiny-old.txt'); copy the page byte for byte, as received, into seeds/",
        "seeds/tiny-old.txt: seed file has no row in data/sources.csv; add one (see CONTRIBUTING.md)",
    ]
    assert ledger.issues[0].kind is IssueKind.MISSING_SEED


def test_checksum_mismatch_names_the_file(tiny_root: Path) -> None:
    seed = tiny_root / "seeds/tiny.txt"
    old = hashlib.sha256(seed.read_bytes()).hexdigest()
    seed.write_text(seed.read_text(encoding="utf-8") + "\nAn edit.\n", encoding="utf-8")
    new = hashlib.sha256(seed.read_bytes()).hexdigest()
    issue = only_issue(tiny_root)
    assert issue.kind is IssueKind.CHECKSUM_MISMATCH
    assert str(issue) == (
        f"data/sources.csv:2: checksum mismatch for 'seeds/tiny.txt': the file's sha256 is {new}, "
        f"the sha256 column has {old}; seeds are never edited, so restore the file from the page as received, "
        "or, for a deliberately new seed, record its sha256"
    )


def test_unknown_bib_key(tiny_root: Path) -> None:
    replace_in(tiny_root / CLAIMS, "human_observational,smith2020,", "human_observational,smyth2020,")
    issue = only_issue(tiny_root)
    assert issue.kind is IssueKind.UNKNOWN_REFERENCE
    assert str(issue) == (
        "data/claims.csv:3: unknown primary_source 'smyth2020': no such key in references.bib "
        "(nearest: 'smith2020'); cite only studies listed in data/checked/primary-sources.md, or leave it empty"
    )


def test_effect_pointing_at_unknown_claim(tiny_root: Path) -> None:
    replace_in(tiny_root / "data/effects.csv", "tiny-hip,tiny-002,", "tiny-hip,tiny-02,")
    issue = only_issue(tiny_root)
    assert issue.kind is IssueKind.UNKNOWN_CLAIM
    assert str(issue) == (
        "data/effects.csv:2: unknown claim_id 'tiny-02': no such key in data/claims.csv (nearest: 'tiny-002'); "
        "point the effect at an existing claim"
    )


def test_a_foreign_key_check_answers_as_isin_for_columns_shorter_and_longer_than_its_keys() -> None:
    keys = {"a", "b", "c", "d"}
    short = pd.Series(["a", None, "z"], index=[7, 8, 9], name="seed_id")  # asks the key set
    long = pd.Series(["a", "z", None, "c", "b", "d"], index=[3, 1, 4, 1, 5, 9], name="seed_id")  # pandas' isin
    for column in (short, long):
        pd.testing.assert_series_equal(KeyIn(keys)(column), column.isin(keys))


def test_malformed_row(tiny_root: Path) -> None:
    with (tiny_root / CLAIMS).open("a", encoding="utf-8") as handle:
        handle.write("tiny-005,tiny,an unquoted, comma\n")
    issue = only_issue(tiny_root)
    assert issue.kind is IssueKind.LEDGER_INVALID
    assert str(issue).startswith("data/claims.csv:6: malformed row: expected 20 fields (claim_id,seed_id,")
    assert str(issue).endswith("found 4; quote any field that contains a comma")


def test_missing_column(tiny_root: Path) -> None:
    path = tiny_root / "data/topics.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(",".join(line.split(",")[:3]) for line in lines) + "\n", encoding="utf-8")
    issue = only_issue(tiny_root)
    assert (
        str(issue)
        == "data/topics.csv:1: missing column 'description'; the header must be: topic,section,label,description"
    )


def test_reader_comment_must_not_be_the_articles_claim(tiny_root: Path) -> None:
    replace_in(tiny_root / CLAIMS, "beneficial,reader_comment,", "beneficial,article,")
    issue = only_issue(tiny_root)
    assert issue.kind is IssueKind.SPEAKER_MISMATCH
    assert str(issue) == (
        "data/claims.csv:5: claim 'tiny-004': speaker is 'article' but the excerpt is in the reader comments; "
        "the comment thread's words are speaker 'reader_comment' (a reader) or 'site_reply' "
        "(the site's own reply), and only theirs"
    )


def test_commercial_context_needs_a_seller(tiny_root: Path) -> None:
    replace_in(tiny_root / "data/sources.csv", ",Bone Tonic,", ",,")
    issue = only_issue(tiny_root)
    assert str(issue) == (
        "data/claims.csv:4: claim 'tiny-003': commercial_context is true but seed 'tiny' has no "
        "products_promoted in data/sources.csv; set it to false or record the product"
    )


def test_part_start_not_found(tiny_root: Path) -> None:
    replace_in(tiny_root / "data/seed_parts.csv", "Buy our Bone Tonic", "Buy our Bone Tonik")
    issue = only_issue(tiny_root)
    assert issue.kind is IssueKind.BAD_PART
    assert str(issue).startswith("data/seed_parts.csv:3: part 'tiny-promotion': starts_with is not found verbatim")


def test_require_valid_raises_with_every_issue(tiny_root: Path) -> None:
    replace_in(tiny_root / CLAIMS, "tiny-003,", "tiny-001,")
    with pytest.raises(LedgerError, match=r"^1 problem\(s\) in the ledger:\ndata/claims.csv:4: duplicate"):
        load_ledger(tiny_root).require_valid()


def test_check_command_exit_codes(tiny_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_main(["--root", str(tiny_root)]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 seeds, 4 claims (4 verified verbatim), 1 effects")
    replace_in(tiny_root / CLAIMS, "tiny-003,", "tiny-001,")
    assert check_main(["--root", str(tiny_root)]) == 1
    err = capsys.readouterr().err
    assert "error: data/claims.csv:4: duplicate claim_id 'tiny-001'" in err
    assert "[brainbone.duplicate_id]" in err


def test_header_only_tables_are_valid(tiny_root: Path) -> None:
    for table in ("claims", "effects"):
        path = tiny_root / f"data/{table}.csv"
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    ledger = load_ledger(tiny_root)
    # Read without a problem; the one issue is the seed's, which now has no claim (brainbone.rules.part_claims).
    assert [str(issue) for issue in ledger.issues] == [
        "data/claims.csv: seed 'tiny' has no claim yet: code the rows of data/drafts/tiny-claims.csv and run "
        "make move-claims ID=tiny (CONTRIBUTING.md)"
    ]
    assert len(ledger.claims) == 0


def test_row_missing_only_its_last_field_is_malformed(tiny_root: Path) -> None:
    # pandas would pad this row with an empty cell; the loader must report it as it is.
    with (tiny_root / CLAIMS).open("a", encoding="utf-8") as handle:
        handle.write(
            "tiny-005,tiny,Stress hormones like cortisol,mechanism,cortisol_glucocorticoids,brain_to_bone,bone,"
            "harmful,article,none_stated,,false,unsupported,note,can,not_applicable,none,false,\n"
        )
    issue = only_issue(tiny_root)
    assert str(issue).startswith("data/claims.csv:6: malformed row: expected 20 fields (claim_id,seed_id,")
    assert str(issue).endswith("found 19; quote any field that contains a comma")


def test_an_empty_last_cell_is_not_a_short_row(tiny_root: Path) -> None:
    replace_in(tiny_root / "data/effects.csv", ",women,smith2020\n", ",women,\n")
    ledger = load_ledger(tiny_root)
    assert ledger.issues == []
    assert ledger.effects.loc[0, "primary_source"] is None
