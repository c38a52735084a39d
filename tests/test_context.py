"""The context layer: its tables, the check against the shared file, and the boxes that print its numbers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bookutils import ROOT, TESTS, replace_in
from brainbone.appraisal import context as ctx
from brainbone.errors import Issue, IssueKind
from brainbone.ledger.loader import load_ledger

FIXTURE = TESTS / "fixtures" / "context"


@pytest.fixture
def context_root(tmp_path: Path) -> Path:
    """A writable copy of the context fixture: a tiny book with its checked snapshot data/checked/context-studies.csv."""
    shutil.copytree(FIXTURE, tmp_path / "context")
    return tmp_path / "context" / "book"


def _issues(root: Path) -> list[Issue]:
    """What loading the book's ledger finds, the context tables and their check included."""
    return load_ledger(root).issues


def test_the_fixture_agrees_with_its_shared_file(context_root: Path) -> None:
    assert _issues(context_root) == []


def test_a_changed_value_names_the_row_the_field_and_both_values(context_root: Path) -> None:
    replace_in(context_root / "data/context_effects.csv", ",1.26,1.10,", ",1.27,1.10,")
    assert _issues(context_root) == [
        Issue(
            IssueKind.CONTEXT_MISMATCH,
            "data/context_effects.csv",
            2,
            "context row 'wu2018-1', field 'estimate': this file has '1.27' but data/checked/context-studies.csv "
            "line 2 has '1.26'; copy the checked value exactly",
        )
    ]


def test_a_changed_count_is_caught_too(context_root: Path) -> None:
    replace_in(context_root / "data/context_effects.csv", ',8,"15,442"', ',8,"15,443"')
    (issue,) = _issues(context_root)
    assert issue.line == 3
    assert issue.message.startswith("context row 'wu2018-2', field 'n_participants': this file has '15,443' but")


def test_a_row_whose_shared_verdict_is_not_verified_fails(context_root: Path) -> None:
    with (context_root / "data/context_effects.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "remodel-1,4,Q14,wu2018,report,n/a,,,,bone remodeling rate,,most of the skeleton every 10 years,,,,,\n"
        )
    issues = _issues(context_root)
    assert issues == [
        Issue(
            IssueKind.CONTEXT_UNVERIFIED,
            "data/context_effects.csv",
            4,
            "context row 'remodel-1': data/checked/context-studies.csv line 4 has verdict 'unverifiable'; only rows "
            "whose verdict is verified or corrected may be used, so remove this row",
        ),
        Issue(
            IssueKind.CONTEXT_MISMATCH,
            "data/context_effects.csv",
            4,
            "context row 'remodel-1', field 'study_key': this file has 'wu2018' but data/checked/context-studies.csv "
            "line 4 has 'remodel'; copy the checked value exactly",
        ),
    ]


def test_a_missing_shared_file_fails(context_root: Path) -> None:
    (context_root / "data/checked/context-studies.csv").unlink()
    (issue,) = _issues(context_root)
    assert issue.kind is IssueKind.CONTEXT_MISMATCH
    assert issue.message.startswith("the checked context file data/checked/context-studies.csv is missing")


def test_foreign_keys_name_the_row(context_root: Path) -> None:
    replace_in(context_root / "data/context_effects.csv", "wu2018-2,3,Q2,wu2018,", "wu2018-2,3,Q2,wu2081,")
    replace_in(context_root / "data/claim_context.csv", "tiny-002,Q2,partly_agrees", "tiny-0002,Q2,agree")
    assert _issues(context_root) == [
        Issue(
            IssueKind.UNKNOWN_REFERENCE,
            "data/context_effects.csv",
            3,
            "unknown study_key 'wu2081': no such key in references.bib (nearest: 'wu2018'); "
            "add the study's checked citation to references.bib first",
        ),
        Issue(
            IssueKind.UNKNOWN_CLAIM,
            "data/claim_context.csv",
            2,
            "unknown claim_id 'tiny-0002': no such key in data/claims.csv (nearest: 'tiny-002'); link an existing claim",
        ),
        Issue(
            IssueKind.BAD_VALUE,
            "data/claim_context.csv",
            2,
            "column 'verdict': 'agree' is not allowed; expected one of: agrees, partly_agrees, disagrees, "
            "not_addressed (nearest: 'agrees')",
        ),
        Issue(
            IssueKind.CONTEXT_MISMATCH,
            "data/context_effects.csv",
            3,
            "context row 'wu2018-2', field 'study_key': this file has 'wu2081' but data/checked/context-studies.csv "
            "line 3 has 'wu2018'; copy the checked value exactly",
        ),
    ]


def test_the_book_context_rows_equal_the_checked_snapshot() -> None:
    assert [i for i in load_ledger(ROOT).issues if i.file.startswith("data/c")] == []


def test_sizes_say_what_each_number_counts() -> None:
    context = ctx.from_ledger(load_ledger(FIXTURE / "book"))
    assert ctx.size_text(context.effect("wu2018-1")) == "9 studies; 309,862 participants"
    described = context.effect("wu2018-1").copy()
    described["n_studies"], described["n_participants"] = None, "93,676 enrolled; 82,410 analysed"
    assert ctx.size_text(described) == "93,676 enrolled; 82,410 analysed"
    arms = context.effect("wu2018-1").copy()
    arms["n_studies"], arms["n_participants"] = "218", "1210 (51 arms)"
    assert ctx.size_text(arms) == "218 studies; 1210 participants in 51 arms"


def test_a_single_participant_is_singular() -> None:
    one = ctx.from_ledger(load_ledger(FIXTURE / "book")).effect("wu2018-1").copy()
    one["n_studies"], one["n_participants"] = "1", "1"
    assert ctx.size_text(one) == "1 study; 1 participant"


def test_a_review_total_is_not_printed_as_the_pooled_estimate_n() -> None:
    # mercurio2022: 42,656 is the total across the 18-study review, not the 5 pooled studies (checked note).
    review = ctx.from_ledger(load_ledger(FIXTURE / "book")).effect("wu2018-1").copy()
    review["design"] = "systematic review (18 studies); meta-analysis of 5"
    review["n_studies"], review["n_participants"] = "5", "42,656"
    assert ctx.size_text(review) == "5 studies pooled; 42,656 participants across all 18 studies of the review"


# ---------------------------------------------------------------------------------------
# The Sphinx layer


def _warnings(app) -> list[str]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue())
    return [line for line in text.splitlines() if line.strip()]


def _build(make_app, tmp_path: Path, book: Path):
    srcdir = Path(shutil.copytree(TESTS / "roots" / "test-context-box", tmp_path / "src"))
    replace_in(
        srcdir / "conf.py", 'Path(__file__).parents[2] / "fixtures" / "context" / "book"', f"Path({str(book)!r})"
    )
    app = make_app("html", srcdir=srcdir, confoverrides={"brainbone_root": str(book)})
    app.build()
    return app, BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_box_prints_the_data_numbers_and_cites_the_study(make_app, tmp_path, context_root) -> None:
    app, page = _build(make_app, tmp_path, context_root)
    assert _warnings(app) == []
    box = page.select_one("#context-q2")
    assert box.select_one(".admonition-title").get_text() == "What the wider research says: depression and fractures"
    numbers = [n.get_text() for n in box.select(".bb-context-number")]
    assert numbers == [
        "Risk of fracture (studies reporting hazard ratios) was 26% higher (hazard ratio 1.26; 95% CI 1.10 to 1.43)",
        "9 studies; 309,862 participants",
    ]
    assert box.select_one("li .bibtex-citation").get_text() == "Wu et al. [2018]"
    assert (
        box.select_one("li")
        .get_text()
        .endswith(": meta-analysis of 23 cohort studies; 9 studies; 309,862 participants")
    )
    assert "Verdicts on the 1 seed claims linked to this question: 1 partly agrees" in box.get_text()
    empty = page.select_one("#context-q11")
    assert "found no checked evidence here; that is not the same as there being none" in empty.get_text()
    verdict = page.select_one("#cite-tiny-002-1 .bb-context-verdict")
    assert verdict.get_text() == (
        "Wider research (Q2, depression and fractures): partly agrees — "
        "Pooled cohorts find an association with fractures but cannot show cause."
    )


def test_the_box_follows_a_change_in_the_data(make_app, tmp_path, context_root) -> None:
    for name in ("data/context_effects.csv",):
        replace_in(context_root / name, ",1.26,1.10,1.43,", ",1.31,1.12,1.50,")
    replace_in(context_root / "data/checked/context-studies.csv", ",1.26,1.10,1.43,", ",1.31,1.12,1.50,")
    app, page = _build(make_app, tmp_path, context_root)
    assert _warnings(app) == []
    assert page.select_one("#context-q2 .bb-context-number").get_text() == (
        "Risk of fracture (studies reporting hazard ratios) was 31% higher (hazard ratio 1.31; 95% CI 1.12 to 1.50)"
    )


def test_a_changed_value_fails_the_build_at_its_row(make_app, tmp_path, context_root) -> None:
    replace_in(context_root / "data/context_effects.csv", ",1.26,1.10,", ",1.27,1.10,")
    app, _ = _build(make_app, tmp_path, context_root)
    assert _warnings(app) == [
        f"{context_root}/data/context_effects.csv:2: WARNING: context row 'wu2018-1', field 'estimate': this file has "
        "'1.27' but data/checked/context-studies.csv line 2 has '1.26'; copy the checked value exactly "
        "[brainbone.context_mismatch]"
    ]


def test_a_non_verified_row_fails_the_build(make_app, tmp_path, context_root) -> None:
    replace_in(context_root / "data/checked/context-studies.csv", ",human,,,verified,", ",human,,,wrong,")
    app, _ = _build(make_app, tmp_path, context_root)
    assert _warnings(app) == [
        f"{context_root}/data/context_effects.csv:2: WARNING: context row 'wu2018-1': data/checked/context-studies.csv "
        "line 2 has verdict 'wrong'; only rows whose verdict is verified or corrected may be used, so remove this row "
        "[brainbone.context_unverified]"
    ]
