"""Each chapter's facts function (brainbone.book.facts) returns every glue key the chapter's prose uses,
with values that agree with the ledger's CSV files read directly."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bookutils import ROOT, replace_in
from brainbone.book import facts, selections
from brainbone.ledger.loader import Ledger, load_ledger

GLUE_USE = re.compile(r"\{glue(?::[a-z]+)?\}`([^`]+)`|```\{glue(?::[a-z]+)?\}\s+(\S+)")
GLUE_CALL = re.compile(r"""glue\(\s*f?["']([^"']+)["']""")


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return load_ledger(ROOT).require_valid()


def csv_rows(name: str) -> list[dict[str, str]]:
    with (ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("chapter", sorted(facts.CHAPTERS))
def test_every_key_the_prose_uses_is_a_fact_or_glued_in_a_cell(chapter: str, ledger: Ledger) -> None:
    text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    used = {key.split(":")[0] for match in GLUE_USE.finditer(text) for key in match.groups() if key}
    # A key a later cell glues, literally or as an f-string ("x_{verdict}" matches x_agrees, ...).
    # (A placeholder whose expression holds a quote is cut short by GLUE_CALL: it runs to the end.)
    patterns = [
        re.compile(re.sub(r"\\\{.*$", ".+", re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(key))) + "$")
        for key in GLUE_CALL.findall(text)
    ]
    provided = set(facts.CHAPTERS[chapter](ledger))
    assert used, f"{chapter} glues nothing: the check would be empty"
    assert sorted(k for k in used - provided if not any(p.match(k) for p in patterns)) == []


def test_chapter_glue_cells_call_their_facts_function() -> None:
    for chapter in facts.CHAPTERS:
        text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
        assert f"facts.{chapter}(ledger).items()" in text, chapter


def test_headline_counts_agree_with_the_csv(ledger: Ledger) -> None:
    claims = csv_rows("claims")
    intro = facts.intro(ledger)
    assert intro["intro_n_claims"] == len(claims)
    assert intro["intro_n_seeds"] == len(csv_rows("sources"))
    for grade in ("consistent", "indirect", "overstated", "unsupported"):
        assert intro[f"intro_n_{grade}"] == sum(row["appraisal"] == grade for row in claims)
    assert intro["intro_n_reader"] == sum(row["speaker"] == "reader_comment" for row in claims)
    assert facts.methods(ledger)["methods_n_effects"] == len(csv_rows("effects"))


def test_synthesis_gaps_agree_with_the_csv(ledger: Ledger) -> None:
    claims = csv_rows("claims")
    synthesis = facts.synthesis(ledger)
    assert synthesis["synthesis_n_unresolved"] == sum(row["reference_target"] == "unresolved" for row in claims)
    assert synthesis["synthesis_n_unidentified"] == sum(not row["primary_source"] for row in claims)
    assert synthesis["synthesis_n_trial"] == sum(row["evidence_type"] == "randomized_trial" for row in claims)
    assert synthesis["synthesis_n_effects_ci"] == sum(bool(r["ci_low"] and r["ci_high"]) for r in csv_rows("effects"))
    # Counted from the CSV: the unresolved references by seed, most first, named by outlet (and the
    # part of the seed id that tells two pages of one outlet apart).
    unresolved = [row["seed_id"] for row in claims if row["reference_target"] == "unresolved"]
    outlets = {row["seed_id"]: row["outlet"] for row in csv_rows("sources")}
    assert unresolved.count("nativepath") > unresolved.count("saveourbones-stress") > 0
    assert set(unresolved) == {"nativepath", "saveourbones-stress"}
    assert synthesis["synthesis_unresolved_by_seed"] == (
        f"{unresolved.count('nativepath')} on {outlets['nativepath']} and "
        f"{unresolved.count('saveourbones-stress')} on {outlets['saveourbones-stress']} (stress)"
    )


def test_unresolved_references_are_read_from_the_column_on_the_tiny_fixture(tiny_root: Path) -> None:
    # Hand-counted: only tiny-001 ends in a reference marker, "(1)", and the tiny seed keeps no reference list.
    assert list(selections.unresolved_references(load_ledger(tiny_root).require_valid()).index) == ["tiny-001"]
    # The column decides, not the note: a note may explain the code in any words.
    replace_in(
        tiny_root / "data/claims.csv", "Numbered reference with no target;", "Reference (1): no target in stored text;"
    )
    replace_in(
        tiny_root / "data/claims.csv",
        "can,not_applicable,none,false,,unresolved\n",
        "can,not_applicable,none,false,,resolved\n",
    )
    assert list(selections.unresolved_references(load_ledger(tiny_root).require_valid()).index) == []
    replace_in(
        tiny_root / "data/claims.csv",
        "not evidence.,causal,not_applicable,implicit,false,,none\n",
        "not evidence.,causal,not_applicable,implicit,false,,unresolved\n",
    )
    assert list(selections.unresolved_references(load_ledger(tiny_root).require_valid()).index) == ["tiny-004"]


def test_a_reference_target_outside_the_vocabulary_is_located(tiny_root: Path) -> None:
    replace_in(tiny_root / "data/claims.csv", ",false,,unresolved\n", ",false,,unresolvd\n")
    assert [str(issue) for issue in load_ledger(tiny_root).issues] == [
        "data/claims.csv:2: column 'reference_target': 'unresolvd' is not allowed; expected one of: resolved, "
        "unresolved, none (nearest: 'unresolved')"
    ]


def test_no_code_counts_claims_by_a_phrase_in_their_notes() -> None:
    # The rule used to be the phrase "no target in stored text" in appraisal_note; it is the column now.
    for path in (ROOT / "src").rglob("*.py"):
        assert "no target in" not in path.read_text(encoding="utf-8"), path


def test_interventions_selling_counts_agree_with_the_csv(ledger: Ledger) -> None:
    chosen = [row for row in csv_rows("claims") if row["section"] == "intervention"]
    found = facts.interventions(ledger)
    assert found["interventions_n_claims"] == len(chosen)
    assert found["interventions_n_selling"] == sum(row["commercial_context"] == "true" for row in chosen)
    sellers = {row["seed_id"] for row in csv_rows("sources") if row["products_promoted"]}
    assert set(selections.sellers(ledger).seed_id) == sellers


@pytest.mark.parametrize("chapter", sorted((ROOT / "chapters").glob("*.md")), ids=lambda p: p.name)
def test_no_chapter_reprints_a_claims_table_or_types_an_explorer_link(chapter) -> None:
    """The explorer lists the claims; a chapter links to it through its facts (layout.explorer_href)."""
    text = chapter.read_text(encoding="utf-8")
    assert "claims_table(" not in text
    assert "explorer.html?" not in text


@pytest.mark.parametrize(
    ("chapter", "key", "href", "words"),
    [
        ("associations", "associations_explorer_link", "explorer.html?section=association", "association claims"),
        ("mechanisms", "mechanisms_explorer_link", "explorer.html?section=mechanism", "mechanism claims"),
        ("interventions", "interventions_explorer_link", "explorer.html?section=intervention", "intervention claims"),
        ("synthesis", "synthesis_overstated_link", "explorer.html?appraisal=overstated", "overstated claims"),
    ],
)
def test_explorer_links_count_the_claims_in_the_csv(ledger: Ledger, chapter, key, href, words) -> None:
    column, value = href.split("?")[1].split("=")
    expected = sum(row[column] == value for row in csv_rows("claims"))
    link = facts.CHAPTERS[chapter](ledger)[key].data
    assert f'href="{href}"' in link
    assert f">all {expected} {words}</a>" in link


def test_the_intro_checklist_cites_the_instruments_it_is_drawn_from() -> None:
    """Every question of 'Judging a health page yourself' cites an instrument, with a key that
    references.bib holds; together they cite the five instruments the book uses."""
    text = (ROOT / "chapters" / "intro.md").read_text(encoding="utf-8")
    section = text.split("(judging-a-health-page)=", 1)[1].split("\n## ", 2)[1]  # its heading, up to the next
    questions = [line for line in section.splitlines() if line.startswith("- **")]
    bib = set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(encoding="utf-8"), flags=re.M))
    cited = set()
    for question in questions:
        keys = {key for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", question) for key in group.split(",")}
        assert keys, f"no instrument cited for: {question[:60]}"
        assert keys <= bib, f"not in references.bib: {sorted(keys - bib)}"
        cited |= keys
    assert len(questions) >= 8
    assert cited == {"charnock1999", "silberg1997", "healthnewsreview", "sumner2014", "balshem2011"}


CODE_CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)
STRING_LITERAL = re.compile(r"""(?<![\w])["']([^"'\n]+)["']""")
GLUED_LITERALLY = re.compile(r"""\bglue\(\s*["']([^"']+)["']""")


def typed_ids(text: str, ids: set[str]) -> list[str]:
    """The string literals of a chapter's code cells that are an id of the ledger, the bibliography,
    the context file or the summary of findings."""
    return [literal for cell in CODE_CELL.findall(text) for literal in STRING_LITERAL.findall(cell) if literal in ids]


@pytest.fixture(scope="module")
def known_ids(ledger: Ledger) -> set[str]:
    from brainbone.appraisal import context, sof

    bib = re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(encoding="utf-8"), flags=re.M)
    questions = context.book_context(ledger).effects.question
    sof_questions = sof.load_sof(ledger).require_valid().questions.question_id
    return {*ledger.claims.claim_id, *ledger.effects.effect_id, *bib, *questions, *sof_questions}


def test_a_typed_study_key_in_a_code_cell_is_caught(known_ids: set[str]) -> None:
    cell = '```{code-cell} ipython3\nrows = forest.reported_effects(ledger, context, ["Q1"], seed_sources=["follis2019"])\n```\n'
    prose = "The study {cite:p}`follis2019` and the claim {claim}`nativepath-008`.\n"
    assert typed_ids(prose + cell, known_ids) == ["Q1", "follis2019"]


@pytest.mark.parametrize("chapter", sorted((ROOT / "chapters").glob("*.md")), ids=lambda p: p.name)
def test_no_code_cell_types_a_claim_study_effect_or_question_id(chapter, known_ids: set[str]) -> None:
    """Named selections live in brainbone.book.selections and brainbone.book.facts; chapters name ids only in prose."""
    assert typed_ids(chapter.read_text(encoding="utf-8"), known_ids) == []


@pytest.mark.parametrize("chapter", sorted((ROOT / "chapters").glob("*.md")), ids=lambda p: p.name)
def test_what_a_cell_glues_by_name_is_a_table_or_figure_not_a_fact_in_the_prose(chapter) -> None:
    """A value the prose glues inline comes from the chapter's facts function, in its one loop; a cell
    glues by name only what a {glue:figure} shows."""
    text = chapter.read_text(encoding="utf-8")
    inline = {key.split(":")[0] for key in re.findall(r"\{glue(?::[a-z]+)?\}`([^`]+)`", text)}
    glued = {key for cell in CODE_CELL.findall(text) for key in GLUED_LITERALLY.findall(cell)}
    figures = set(re.findall(r"```\{glue:figure\}\s+(\S+)", text))
    assert sorted(glued & inline) == []
    assert sorted(glued - figures) == []


def test_moved_facts_agree_with_the_csv(ledger: Ledger) -> None:
    """Facts that Methods, Sources and Synthesis used to glue one by one, against the CSV files read directly."""
    reconciliation = csv_rows("reconciliation")
    links = csv_rows("claim_context")
    ratings = csv_rows("source_ratings")
    sof_questions = csv_rows("summary_of_findings")
    methods = facts.methods(ledger)
    assert methods["methods_n_disagreements"] == len(reconciliation)
    assert methods["methods_n_appraisal_disagreements"] == sum(row["field"] == "appraisal" for row in reconciliation)
    assert methods["methods_n_to_second"] == sum(row["final_value"] == row["second_value"] for row in reconciliation)
    assert methods["methods_context_links"] == len(links)
    sources = facts.sources(ledger)
    assert sources["sources_instruments_n_rows"] == len(ratings)
    assert sources["sources_instruments_n_claim"] == sum(bool(row["claim_id"]) for row in ratings)
    synthesis = facts.synthesis(ledger)
    assert synthesis["synthesis_context_n_links"] == len(links)
    assert synthesis["synthesis_context_n_claims"] == len({row["claim_id"] for row in links})
    for verdict in ("agrees", "partly_agrees", "disagrees", "not_addressed"):
        assert synthesis[f"synthesis_context_{verdict}"] == sum(row["verdict"] == verdict for row in links), verdict
    assert synthesis["synthesis_sof_n"] == len(sof_questions)
    assert synthesis["synthesis_sof_n_footnotes"] == len(csv_rows("sof_footnotes"))


def test_the_association_forest_draws_the_whi_results_in_the_seed_panel(ledger: Ledger) -> None:
    from brainbone.appraisal import context

    rows = selections.association_effects(ledger, context.book_context(ledger))
    whi = [row["effect_id"] for row in csv_rows("effects") if row["primary_source"] == "follis2019"]
    assert len(whi) == 3  # femoral neck, total hip, lumbar spine: data/effects.csv, counted by hand
    assert int((rows.source == "seed").sum()) == len(whi)
    assert set(rows[rows.source == "context"].question) <= {"Q1", "Q2", "Q4", "Q5", "Q6"}
    assert facts.associations(ledger)["associations_context_seed"] == len(whi)
