"""The GRADE summary of findings of the wider research (issue 21): certainty arithmetic and its ledger rule, subgroup
counts, statement wording per level, the blind comparison's figures and the search log's facts."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bookutils import ROOT, copy_book, replace_in
from brainbone import load_ledger
from brainbone.book import research, searchlog
from brainbone.ledger import research_tables

GRADE_CSV = ROOT / "data" / "research_grade.csv"


def _row(start: str, downs: list[int], up: int = 0) -> dict:
    row = {"start": start, "rate_up": up}
    row.update(dict(zip(research_tables.DOMAINS, [*downs, 0, 0, 0, 0, 0][:5], strict=True)))
    return row


@pytest.mark.parametrize(
    ("start", "downs", "up", "expected"),
    [
        ("high", [], 0, "high"),
        ("high", [-1], 0, "moderate"),
        ("high", [-1, -1, 0, -1], 0, "very low"),
        ("high", [-2, -1, -1, -1, -1], 0, "very low"),  # floored: never below very low
        ("low", [-1, -1], 0, "very low"),
        ("low", [], 2, "high"),
        ("low", [0, 0, 0, -1], 2, "moderate"),
        ("high", [], 2, "high"),  # capped: never above high
    ],
)
def test_certainty_follows_start_and_changes_within_floor_and_ceiling(start, downs, up, expected) -> None:
    assert research_tables.certainty_of(_row(start, downs, up)) == expected


def test_downgrades_past_the_floor_are_comments_not_decisive() -> None:
    # From low, one level reaches very low; the later domains in GRADE's order are past the floor.
    assert research_tables.beyond_floor(_row("low", [-1, -1, 0, -1])) == {"inconsistency": 1, "imprecision": 1}
    assert research_tables.beyond_floor(_row("high", [-1, -1])) == {}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return copy_book(tmp_path / "book")


def _issues(root: Path) -> list[str]:
    return [str(issue) for issue in load_ledger(root).issues]


def test_the_book_rating_passes_its_rules() -> None:
    assert [str(i) for i in load_ledger(ROOT).issues] == []


def test_a_recorded_certainty_that_disagrees_with_its_changes_fails(book: Path) -> None:
    path = book / "data" / "research_grade.csv"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("vitd-fracture,"))
    replace_in(path, "0,0,0,-1,0,0,moderate,a relative change", "0,0,0,-1,0,0,high,a relative change")
    assert (
        f"data/research_grade.csv:{line}: outcome 'vitd-fracture': certainty is 'high' but start 'high' with the "
        "recorded changes gives 'moderate' (floor very low, ceiling high); fix the certainty or the changes"
    ) in _issues(book)


def test_a_change_without_its_footnote_fails(book: Path) -> None:
    path = book / "data" / "research_grade_footnotes.csv"
    text = path.read_text()
    kept = [t for t in text.splitlines() if not t.startswith("exercise-anxiety,imprecision,")]
    path.write_text("\n".join(kept) + "\n")
    assert any(
        "outcome 'exercise-anxiety': column 'imprecision' is -1 but its footnotes in data/research_grade_footnotes.csv "
        "change it by 0; every level rated down or up needs a footnote naming its domain" in issue
        for issue in _issues(book)
    )


def test_an_absolute_effect_must_be_quoted_verbatim(book: Path) -> None:
    replace_in(
        book / "data" / "research_grade_absolute.csv", "absolute risk reduction 6%", "absolute risk reduction 7%"
    )
    assert any(
        "absolute effect of 'osteoporosis-drugs-fracture' from 'wells2008-1': the quote 'absolute risk reduction 7%' "
        "is not in the checked row's direction_in_words" in issue
        for issue in _issues(book)
    )


def test_a_silently_reconciled_disagreement_fails(book: Path) -> None:
    path = book / "data" / "research_grade_reconciliation.csv"
    path.write_text("\n".join(t for t in path.read_text().splitlines() if not t.startswith("exercise-anxiety,")) + "\n")
    assert any(
        "outcome 'exercise-anxiety': the book says 'low' and the second rater 'moderate', but the disagreement is not "
        "listed" in issue
        for issue in _issues(book)
    )


# ---------------------------------------------------------------------------------------
# Subgroups never carry the whole analysis's counts unqualified


@pytest.fixture(scope="module")
def loaded() -> research.Research:
    return research.load(load_ledger(ROOT))


def test_subgroup_rows_are_found_from_the_checked_notes(loaded) -> None:
    subgroup_ids = set(loaded.effects.context_id[loaded.effects.shared_line.astype(int).isin(loaded.subgroups)])
    assert {"wu2009-3", "qiu2018-2", "wells2008-1", "wells2008-2"} <= subgroup_ids
    assert "wu2009-1" not in subgroup_ids


def test_a_subgroup_row_is_printed_with_a_qualifier_not_the_whole_counts(loaded) -> None:
    sizes = " ".join(research.table(loaded)["Studies: design, studies and participants"])
    for context_id in ("wu2009-3", "wells2008-1"):
        row = loaded.effects.loc[context_id]
        whole = f"{row.n_studies} studies; {row.n_participants} participants"
        assert f"{row.population}: subgroup n not reported (whole meta-analysis: {whole})" in sizes
        assert f"{row.population}: {whole}" not in sizes


# ---------------------------------------------------------------------------------------
# Plain-language statements (Santesso et al. 2020 in data/checked/instruments.md)


@pytest.mark.parametrize(
    ("kind", "certainty", "expected"),
    [
        ("intervention", "high", "Exercise results in a small increase in bone density."),
        ("intervention", "moderate", "Exercise likely results in a small increase in bone density."),
        ("intervention", "low", "Exercise may result in a small increase in bone density."),
        ("intervention", "very low", "The evidence is very uncertain about the effect of exercise on bone."),
        ("harm", "moderate", "Exercise likely results in a small increase in bone density."),
        ("association", "high", "Exercise is associated with a small increase in bone density."),
        ("association", "moderate", "Exercise is likely associated with a small increase in bone density."),
        ("association", "low", "Exercise may be associated with a small increase in bone density."),
        ("association", "very low", "The evidence is very uncertain about the effect of exercise on bone."),
    ],
)
def test_statement_wording_per_certainty_level(kind, certainty, expected) -> None:
    assert (
        research.statement(
            kind, certainty, "Exercise", "a small increase in bone density", "the effect of exercise on bone"
        )
        == expected
    )


def test_an_association_is_never_worded_as_an_effect_in_the_book(loaded) -> None:
    kinds = loaded.outcomes.set_index("outcome_id").kind
    for outcome in loaded.grades.outcome_id:
        text = loaded.statement(outcome)
        start = loaded.row(outcome)["start"]
        if kinds[outcome] == "association" or (kinds[outcome] == "harm" and start == "low"):
            assert "result" not in text, outcome


def test_an_observational_harm_is_worded_as_an_association() -> None:
    # Rule 10 of data/GRADE.md: cohorts show a harm goes with a treatment, not that it results from it.
    said = research.statement("harm", "low", "Long use", "more atypical fractures", "harms", start="low")
    assert said == "Long use may be associated with more atypical fractures."


def test_a_high_start_rests_on_a_design_stated_as_randomised(loaded) -> None:
    # Rule 1 of data/GRADE.md: 'intervention studies' alone do not start high.
    for _, row in loaded.grades[loaded.grades.start == "high"].iterrows():
        designs = [loaded.effects.loc[i, "design"] for i in row.context_ids.split(";")]
        assert any(re.search(r"RCT|randomi[sz]ed|trials", d) for d in designs), (row.outcome_id, designs)


def test_no_body_holds_a_row_of_the_reverse_question(loaded) -> None:
    # Rule 11 of data/GRADE.md: cognitive impairment followed by osteoporosis does not answer bone followed by dementia.
    for _, row in loaded.grades.iterrows():
        for context_id in row.context_ids.split(";"):
            assert "reverse direction" not in loaded.effects.loc[context_id, "exposure_or_intervention"], context_id


def test_publication_bias_is_judged_alike_wherever_a_meta_analysis_is_used(loaded) -> None:
    # Rule 12 of data/GRADE.md: outcomes sharing a study key get the same publication-bias change.
    notes = loaded.footnotes[loaded.footnotes.domain == "publication_bias"]
    keys = {r.outcome_id: set(str(r.overlapping).split(";")) for r in loaded.grades.itertuples()}
    changes = dict(zip(notes.outcome_id, notes.change, strict=True))
    for a in changes:
        for b in changes:
            if keys[a] & keys[b] - {"nan", ""}:
                assert changes[a] == changes[b], (a, b)


def test_an_interval_that_excludes_no_difference_is_not_rated_imprecise_without_rule_4(loaded) -> None:
    # Rule 5 of data/GRADE.md: under this threshold only a missing interval (rule 4) rates imprecision down.
    notes = loaded.footnotes[(loaded.footnotes.domain == "imprecision") & (loaded.footnotes.change < 0)]
    threshold = loaded.grades.set_index("outcome_id").threshold
    for _, note in notes.iterrows():
        if threshold[note.outcome_id] == "an interval that excludes no difference":
            assert note.footnote.startswith("Rule 4 of data/GRADE.md"), note.outcome_id


def test_a_high_statement_hedges_the_part_a_footnote_would_rate_down(loaded) -> None:
    # Rule 9 of data/GRADE.md: a part that alone would be rated down carries its own 'probably'.
    notes = loaded.footnotes[loaded.footnotes.footnote.str.contains("alone would be", regex=False)]
    for outcome in notes.outcome_id:
        row = loaded.row(outcome)
        if row["certainty"] == "high":
            assert "probably" in row["finding"], outcome


# ---------------------------------------------------------------------------------------
# The glued bottom line and the blind comparison, recomputed from the files by hand


def _csv(name: str) -> list[dict[str, str]]:
    with (ROOT / "data" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_glued_bottom_line_counts_equal_the_rating_file() -> None:
    facts = research.facts(load_ledger(ROOT))
    rows = _csv("research_grade.csv")
    assert facts["research_n_outcomes"] == len(rows) == len(_csv("research_outcomes.csv"))
    for level in ("high", "moderate", "low", "very low"):
        assert facts[f"research_n_{level.replace(' ', '_')}"] == sum(r["certainty"] == level for r in rows)
    kinds = {r["outcome_id"]: r["kind"] for r in _csv("research_outcomes.csv")}
    causal = [r for r in rows if kinds[r["outcome_id"]] == "causal"]
    assert facts["research_n_causal"] == len(causal)
    assert facts["research_n_causal_very_low"] == sum(r["certainty"] == "very low" for r in causal)


def test_agreement_figures_equal_a_hand_count() -> None:
    facts = research.facts(load_ledger(ROOT))
    second = {r["outcome_id"]: r["certainty"] for r in _csv("second_grade.csv")}
    final = {r["outcome_id"]: r["certainty"] for r in _csv("research_grade.csv")}
    first = dict(final)
    first.update({r["outcome_id"]: r["first_certainty"] for r in _csv("research_grade_reconciliation.csv")})
    agreed = sum(first[o] == second[o] for o in final)
    assert facts["research_agree_raw"] == f"{agreed / len(final):.0%}"
    assert facts["research_agree_raw_final"] == f"{sum(final[o] == second[o] for o in final) / len(final):.0%}"


def test_weighted_kappa_on_hand_worked_cases() -> None:
    assert research.weighted_kappa(["low", "high"], ["low", "high"]) == pytest.approx(1.0)
    # Two raters, 2 x 2 with one one-step disagreement on four levels: po = (1 + 1 + 2/3) / 3.
    first, second = ["low", "moderate", "high"], ["low", "high", "high"]
    po = (1 + 1 + 2 / 3) / 3
    rows, cols = [0, 1 / 3, 1 / 3, 1 / 3], [0, 1 / 3, 0, 2 / 3]
    pe = sum((1 - abs(a - b) / 3) * rows[a] * cols[b] for a in range(4) for b in range(4))
    assert research.weighted_kappa(first, second) == pytest.approx((po - pe) / (1 - pe))


# ---------------------------------------------------------------------------------------
# The search log, parsed


def test_search_log_facts_come_from_the_snapshot() -> None:
    log = searchlog.load(ROOT)
    assert log.last_date == "2026-12-07"
    assert log.n_verified == len(
        [r for r in _csv("context_effects.csv") if int(r["shared_line"]) > 108]
    )  # the rows the log describes follow line 108
    assert log.n_rows == log.n_verified + log.n_unverifiable


def test_a_search_log_without_its_tables_is_a_clear_error() -> None:
    with pytest.raises(searchlog.SearchLogError) as error:
        searchlog.parse("# A log\n\nno tables here\n", "log.md")
    assert str(error.value) == (
        "log.md: expected a date (YYYY-MM-DD) and at least one '| Qn ... | verified | unverifiable | total |' row; "
        "has the log's format changed?"
    )


def test_observational_rows_are_shown_with_association_verbs() -> None:
    # Rule 10 of data/GRADE.md: 'raised fracture risk' from a cohort is shown as 'went with a higher fracture risk'.
    from brainbone.appraisal import effectwords as ew

    rows = {r["context_id"]: r for r in _csv("context_effects.csv")}
    for context_id, row in rows.items():
        if not re.search(r"RCT|randomi[sz]ed|trial", row["design"], re.IGNORECASE):
            said = ew.shown_direction(row)
            assert not re.search(r"\b(raised|raises|raise|protects|leads to|causes)\b", said), context_id
    assert ew.shown_direction(rows["spangler2008-1"]).startswith(
        "Depressive symptoms went with a slightly higher fracture risk"
    )


def test_the_disagreement_sentence_names_every_topic_the_verdicts_disagree_on() -> None:
    # Synthesis: 'Where the research disagrees' lists the topics from data/claim_context.csv, not a typed pair.
    from brainbone.book import facts as bookfacts

    topics = bookfacts._synthesis_context(load_ledger(ROOT))["synthesis_context_disagree_topics"]
    questions = {r["question"] for r in _csv("claim_context.csv") if r["verdict"] == "disagrees"}
    assert {"Q9", "Q10", "Q13", "Q16", "Q17", "Q18"} == questions
    assert "osteoporosis drugs" in topics and "stopping antidepressants" in topics and "vitamin D" in topics


def test_what_trials_answer_holds_no_body_rated_from_cohorts() -> None:
    # Synthesis: "Trials do answer some of the pages' questions" must not introduce a cohort-based harm.
    facts = research.facts(load_ledger(ROOT))
    assert "bisphosphonates" not in facts["research_firm"]
    assert "Alendronate or denosumab results in a large reduction in vertebral fractures" in facts["research_firm"]
