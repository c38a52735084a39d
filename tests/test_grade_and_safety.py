"""Grades named in prose come from the ledger ({grade} role), and the Safety box lists every
safety-flagged claim: one tiny project (tests/roots/test-grade-and-safety) and the real chapters."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bookutils import TINY, replace_in

ROOT = Path(__file__).parent.parent
FLAG_TINY_003 = (",explicit,false,,none\n", ",explicit,true,Presents a tonic as rebuilding bone in weeks.,none\n")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


def _build(make_app, rootdir: Path, tmp_path: Path, *edits: tuple[str, str]):
    ledger = Path(shutil.copytree(TINY, tmp_path / "ledger"))
    for old, new in edits:
        replace_in(ledger / "data/claims.csv", old, new)
    srcdir = Path(shutil.copytree(rootdir / "test-grade-and-safety", tmp_path / "src"))
    app = make_app("html", srcdir=srcdir, confoverrides={"brainbone_root": str(ledger)})
    app.build()
    page = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    warnings = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue()).splitlines() if line.strip()]
    return page, warnings


def test_a_grade_in_prose_is_the_ledgers_and_follows_it(make_app, rootdir, tmp_path) -> None:
    page, warnings = _build(make_app, rootdir, tmp_path / "a")
    assert warnings == []
    assert [g.get_text() for g in page.select(".bb-grade")] == ["consistent with its source"]
    # Change the grade in the ledger only: the sentence changes with it.
    page, _ = _build(
        make_app, rootdir, tmp_path / "b", (",smith2020,false,consistent,", ",smith2020,false,overstated,")
    )
    assert [g.get_text() for g in page.select(".bb-grade")] == ["overstated"]


def test_a_grade_role_for_an_unknown_claim_warns_at_its_line(make_app, rootdir, tmp_path) -> None:
    ledger = Path(shutil.copytree(TINY, tmp_path / "ledger"))
    srcdir = Path(shutil.copytree(rootdir / "test-grade-and-safety", tmp_path / "src"))
    replace_in(srcdir / "index.rst", ":grade:`tiny-002`", ":grade:`tiny-02`")
    app = make_app("html", srcdir=srcdir, confoverrides={"brainbone_root": str(ledger)})
    app.build()
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue()).strip().splitlines()
    assert warnings == [
        f"{srcdir}/index.rst:6: WARNING: unknown claim_id 'tiny-02' in a grade role: no such row in "
        "data/claims.csv (nearest: 'tiny-002') [brainbone.unknown_claim]"
    ]


def test_the_safety_box_is_empty_when_nothing_is_flagged(make_app, rootdir, tmp_path) -> None:
    page, warnings = _build(make_app, rootdir, tmp_path)
    assert warnings == []
    assert page.select_one("#safety-box .admonition-title").get_text() == "Safety"
    assert page.select("#safety-box .bb-quote") == []


def test_the_safety_box_lists_exactly_the_flagged_claims(make_app, rootdir, tmp_path) -> None:
    page, warnings = _build(make_app, rootdir, tmp_path, FLAG_TINY_003)
    assert warnings == []
    quotes = page.select("#safety-box .bb-quote")
    assert [q["id"] for q in quotes] == ["cite-tiny-003-1"]
    assert "Buy our Bone Tonic — it rebuilds bone in weeks!" in quotes[0].get_text()
    assert quotes[0].select_one(".bb-safety-note").get_text() == (
        "Why this is flagged: Presents a tonic as rebuilding bone in weeks."
    )


def _with_research(ledger: Path, *, certainty: bool = True) -> None:
    """Give the tiny book's tonic claim a research verdict and a checked finding (issue 22)."""
    (ledger / "data/checked").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "data/checked/context-studies.csv", ledger / "data/checked/context-studies.csv")
    (ledger / "data/claim_context.csv").write_text(
        "claim_id,question,verdict,verdict_reason\n"
        "tiny-003,Q11,partly_agrees,One trial found a slight gain in bone density scores\n",
        encoding="utf-8",
    )
    (ledger / "data/safety_findings.csv").write_text(
        "outcome_id,finding,study_keys\ncollagen-bmd,Bone density scores rose slightly in one trial.,konig2018\n",
        encoding="utf-8",
    )
    (ledger / "data/safety_context.csv").write_text("claim_id,outcome_id\ntiny-003,collagen-bmd\n", encoding="utf-8")
    if certainty:  # the research summary of findings' own row for the outcome, as the book rates it
        header, *rows = (ROOT / "data/research_grade.csv").read_text(encoding="utf-8").splitlines()
        row = next(r for r in rows if r.startswith("collagen-bmd,"))
        (ledger / "data/research_grade.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
        shutil.copy(ROOT / "data/research_outcomes.csv", ledger / "data/research_outcomes.csv")


# The collagen outcome's certainty as data/research_grade.csv states it ("very_low" is shown as "very low").
COLLAGEN_CERTAINTY = next(
    row["certainty"]
    for row in csv.DictReader((ROOT / "data/research_grade.csv").read_text(encoding="utf-8").splitlines())
    if row["outcome_id"] == "collagen-bmd"
).replace("_", " ")


def test_the_safety_box_shows_the_research_verdict_and_finding_with_its_certainty(make_app, rootdir, tmp_path) -> None:
    ledger = Path(shutil.copytree(TINY, tmp_path / "ledger"))
    replace_in(ledger / "data/claims.csv", *FLAG_TINY_003)
    _with_research(ledger)
    srcdir = Path(shutil.copytree(rootdir / "test-grade-and-safety", tmp_path / "src"))
    app = make_app("html", srcdir=srcdir, confoverrides={"brainbone_root": str(ledger)})
    app.build()
    page = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [p.get_text() for p in page.select("#safety-box .bb-safety-research")] == [
        "Research verdict (Q11): partly agrees. One trial found a slight gain in bone density scores.",
        f"What the checked studies say: Bone density scores rose slightly in one trial. Certainty: {COLLAGEN_CERTAINTY}.",
    ]


def test_a_finding_not_yet_rated_says_so() -> None:
    from brainbone.appraisal import safety

    lines = safety.context_lines(safety.SafetyContext([], [safety.Finding("kava-liver", "Kava was linked.", None)]))
    assert lines == [("What the checked studies say: ", f"Kava was linked. Certainty: {safety.NOT_RATED}.")]


def test_a_safety_link_to_an_unflagged_claim_or_an_unchecked_study_fails(tmp_path: Path) -> None:
    from brainbone.ledger.loader import load_ledger

    ledger = Path(shutil.copytree(TINY, tmp_path / "ledger"))
    _with_research(ledger, certainty=False)
    replace_in(ledger / "data/safety_findings.csv", ",konig2018", ",konig2019")
    replace_in(ledger / "data/safety_findings.csv", "rose slightly", "rose by 5 points")
    assert [str(issue) for issue in load_ledger(ledger).issues] == [
        "data/safety_findings.csv:2: outcome 'collagen-bmd': the finding types a number ('5'); say it in words, "
        "and glue any number in a chapter from data/",
        "data/safety_findings.csv:2: outcome 'collagen-bmd': study 'konig2019' is not in "
        "data/checked/context-studies.csv (nearest: 'konig2018'); name a study_key of the checked snapshot",
        "data/safety_context.csv:2: claim 'tiny-003' is not safety-flagged in data/claims.csv, so the Safety box "
        "does not show it; flag it (data/CODING.md section 5) or remove this row",
    ]


def test_every_flagged_claim_with_a_research_verdict_shows_it() -> None:
    """The real ledger: a flagged claim that has a verdict in data/claim_context.csv shows each one, and the
    refused prescription and the herbal replacement show the checked findings on the drugs and supplements."""
    from brainbone.appraisal import safety
    from brainbone.ledger.loader import load_ledger

    ledger = load_ledger(ROOT).require_valid()
    contexts = safety.safety_context(ledger)
    links = ledger.tables["claim_context"]
    for claim_id in safety.flagged(ledger.claims).index:
        wanted = len(links[links.claim_id == claim_id])
        shown = [lead for lead, _ in safety.context_lines(contexts[claim_id]) if lead.startswith("Research verdict")]
        assert len(shown) == wanted, claim_id
    outcomes = {c: [f.outcome_id for f in contexts[c].findings] for c in contexts}
    assert {"osteoporosis-drugs-fracture", "osteoporosis-drugs-rare-harms"} <= set(outcomes["saveourbones-stress-054"])
    assert {"kava-liver", "serotonergic-supplements", "stopping-antidepressants"} <= set(
        outcomes["saveourbones-depression-037"]
    )


# A sentence (one per line in MyST) that quotes or names a claim and states its grade in words.
GRADE_WORDS = re.compile(r"\bgraded\s+\*?(consistent|indirect|overstated|unsupported|misreport\w*)\b")
CLAIM_REFERENCE = re.compile(r"\{claim\}`|```\{claim\}")


def typed_grades(text: str) -> list[str]:
    return [line for line in text.splitlines() if CLAIM_REFERENCE.search(line) and GRADE_WORDS.search(line)]


def test_typed_grades_are_caught() -> None:
    assert typed_grades("The claim {claim}`x-001` is graded consistent.\nIt is graded {grade}`x-001`.\n") == [
        "The claim {claim}`x-001` is graded consistent."
    ]


@pytest.mark.parametrize("chapter", sorted((ROOT / "chapters").glob("*.md")), ids=lambda p: p.name)
def test_no_chapter_types_the_grade_of_a_claim_it_quotes(chapter: Path) -> None:
    assert typed_grades(chapter.read_text(encoding="utf-8")) == [], "use {grade}`claim-id` instead of typing the grade"


@pytest.mark.slow
def test_every_flagged_claim_is_in_the_books_safety_box(built_book: Path) -> None:
    from brainbone.appraisal import safety
    from brainbone.ledger.loader import load_ledger

    ledger = load_ledger(built_book).require_valid()
    page = BeautifulSoup((built_book / "_build/html/chapters/intro.html").read_text(encoding="utf-8"), "html.parser")
    box = page.select_one("#safety-box")
    shown = [q["id"].removeprefix("cite-").rsplit("-", 1)[0] for q in box.select(".bb-quote")]
    assert shown == list(safety.flagged(ledger.claims).index)
    assert len(shown) > 0


def test_every_flagged_claim_is_also_quoted_where_it_is_discussed() -> None:
    from brainbone.appraisal import safety
    from brainbone.ledger.loader import load_ledger

    flagged = safety.flagged(load_ledger(ROOT).claims).index
    chapters = [p for p in (ROOT / "chapters").glob("*.md") if p.name != "intro.md"]
    quoted = set().union(*(set(CLAIM_ID.findall(p.read_text(encoding="utf-8"))) for p in chapters))
    assert [c for c in flagged if c not in quoted] == []


CLAIM_ID = re.compile(r"(?:```\{claim\}\s+|\{claim\}`)([a-z0-9-]+)")
