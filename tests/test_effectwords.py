"""An effect in words (brainbone.effectwords): every effect measure of the checked file's verified rows
has a rule, the direction comes from the checked words, and no field name is pasted into prose."""

from __future__ import annotations

import csv
import re

import pytest

from bookutils import ROOT
from brainbone.appraisal import effectwords as ew

CHECKED = ROOT / "data" / "checked" / "context-studies.csv"


def verified_rows() -> list[dict[str, str]]:
    with CHECKED.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["verdict"] in ("verified", "corrected")]


ROWS = verified_rows()
MEASURES = sorted({row["effect_measure"] for row in ROWS})
# Abbreviations and units as the checked file writes them: never in the words a reader meets.
FIELD_NAMES = re.compile(r"\b(HR|RR|OR|SMD|MD|WMD|SIR|SRRE|SD\)|g/cm2|log RR|ANCOVA)\b")


def test_the_checked_file_has_rows_to_test() -> None:
    assert len(MEASURES) > 40 and len(ROWS) > 140


@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: m or "(empty)")
def test_every_measure_reads_as_english(measure: str) -> None:
    for row in (r for r in ROWS if r["effect_measure"] == measure):
        text = ew.effect_in_words(row)
        assert text and not text.endswith("."), text
        # What the text adds to the checked outcome and words: no abbreviation or raw field name.
        added = text.replace(row["outcome"], "").replace(row["direction_in_words"], "")
        added = added.replace(ew.subject(row), "").replace(ew.subject(row, split_comparator=True), "")
        assert not FIELD_NAMES.search(added), (row["study_key"], text)
        family = ew.measure_of(row)[0].family
        if family in (ew.NO_VALUE, ew.TEXT) or not row["estimate"]:
            continue
        if row["ci_low"] and row["ci_high"]:
            for bound in (row["ci_low"], row["ci_high"]):
                for part in bound.split(" / "):
                    assert part.lstrip("+-").rstrip("%") in text, (row["study_key"], text)
        elif family != ew.STATISTIC:
            assert "no interval reported" in text, (row["study_key"], text)
        if family in ew.SIGNED:
            assert re.search(r"\b(higher|lower)\b|did not differ clearly", text), text


def row_of(study: str, outcome: str) -> dict[str, str]:
    return next(r for r in ROWS if r["study_key"] == study and r["outcome"] == outcome)


def test_a_mean_difference_with_its_unit_and_interval_in_words() -> None:
    assert ew.effect_in_words(row_of("wu2009", "spine BMD")) == (
        "Spine bone density was 0.053 g/cm² lower (mean difference; 95% CI 0.018 to 0.087 lower)"
    )


def test_a_hazard_ratio_as_a_percentage_and_as_reported() -> None:
    assert ew.effect_in_words(row_of("wu2018", "fracture (studies reporting HR)")) == (
        "Risk of fracture (studies reporting hazard ratios) was 26% higher (hazard ratio 1.26; 95% CI 1.10 to 1.43)"
    )


def test_the_direction_comes_from_the_words_not_the_sign() -> None:
    mercurio = row_of("mercurio2022", "BMD")
    assert mercurio["estimate"] == "0.28"  # positive, and the checked words say lower
    assert ew.effect_in_words(mercurio) == (
        "Bone density was lower by 0.28 (effect size, of a type the abstract does not name; "
        "95% CI 0.08 to 0.39 lower; in this study a positive value means lower)"
    )
    assert "was higher by 0.28" in ew.effect_in_words({**mercurio, "direction_in_words": "Higher BMD with SSRI use"})


def test_a_credible_interval_and_a_comparator() -> None:
    assert ew.effect_in_words(row_of("noetel2024", "depression symptoms vs active controls")) == (
        "Depression symptoms were 0.62 standard deviations lower than with active controls "
        "(standardised mean difference (Hedges' g); 95% credible interval 0.45 to 0.80 lower)"
    )


def test_no_difference_in_the_words_and_no_interval() -> None:
    assert ew.effect_in_words(row_of("leboff2022", "total fractures")) == (
        "Risk of total fractures did not differ clearly (hazard ratio 0.98; no interval reported)"
    )


def test_an_interval_that_spans_no_difference_says_so() -> None:
    assert ew.effect_in_words(row_of("jackson2006", "hip fracture")) == (
        "Risk of hip fracture did not differ clearly (hazard ratio 0.88, intention to treat; 95% CI 0.72 to 1.08; "
        "the interval includes no difference)"
    )


def test_a_measure_without_a_rule_is_an_error_naming_the_row() -> None:
    row = {
        **row_of("wu2018", "fracture (studies reporting HR)"),
        "context_id": "wu2018-1",
        "effect_measure": "ratio of means",
    }
    with pytest.raises(
        ew.EffectWordsError,
        match=r"^context row 'wu2018-1': effect measure 'ratio of means' has no rule in brainbone\.effectwords\.MEASURES; "
        r"add one naming its family and how it reads in words$",
    ):
        ew.effect_in_words(row)


def test_a_signed_effect_whose_words_give_no_direction_is_an_error() -> None:
    row = {**row_of("wu2009", "spine BMD"), "context_id": "wu2009-1", "direction_in_words": "Spine BMD differed"}
    with pytest.raises(
        ew.EffectWordsError,
        match=r"^context row 'wu2009-1': direction_in_words 'Spine BMD differed' states no direction the rules in "
        r"brainbone\.effectwords\.DIRECTION_RULES know, and the sign of a difference is never read alone; add a rule for its wording$",
    ):
        ew.effect_in_words(row)
