"""Each chapter's facts function (brainbone.facts) returns every glue key the chapter's prose uses,
with values that agree with the ledger's CSV files read directly."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bookutils import ROOT, replace_in
from brainbone import facts, selections
from brainbone.ledger import Ledger, load_ledger

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
