"""The instruments' scoring rules, on hand-worked examples (each expected value worked out by hand, not by the code)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from brainbone.ledger import instruments as inst
from brainbone.ledger.instruments import ScoringError


def discern(**overrides: object) -> dict[str, object]:
    ratings: dict[str, object] = {f"q{n}": "3" for n in range(1, 17)}
    ratings.update(overrides)
    return ratings


def hnr(*ratings: str) -> dict[str, str]:
    assert len(ratings) == 10
    return {f"c{n}": rating for n, rating in enumerate(ratings, start=1)}


S, U, NA = "satisfactory", "unsatisfactory", "not_applicable"


def test_items_are_the_published_ones() -> None:
    counts = {name: sum(i.instrument == name for i in inst.ITEMS) for name in inst.INSTRUMENTS}
    assert counts == {"discern": 16, "jama": 4, "hnr": 10}
    assert [i.item for i in inst.ITEMS if i.section == "Section 1: reliability"] == [f"q{n}" for n in range(1, 9)]
    assert inst.item("discern", "q16").text.startswith("Overall rating")


def test_discern_overall_is_question_16_not_the_sum() -> None:
    # Fifteen questions at 5 and an overall of 2: the overall stays 2 (a judgment, not a sum or mean).
    summary = inst.discern_summary(discern(**{f"q{n}": "5" for n in range(1, 16)}, q16="2"))
    assert summary.overall == 2
    assert summary.reliability == (5, 5, 5, 5, 5, 5, 5, 5)
    assert summary.rated == 15


def test_discern_treatment_questions_may_be_left_out_where_they_do_not_apply() -> None:
    summary = inst.discern_summary(discern(q9=NA, q12=NA, q16="2"))
    assert summary.treatment == (None, 3, 3, None, 3, 3, 3)
    assert summary.not_applicable == ("q9", "q12")
    assert summary.rated == 13


def test_discern_refuses_not_applicable_outside_the_treatment_questions() -> None:
    with pytest.raises(ScoringError) as error:
        inst.discern_summary(discern(q4=NA))
    assert str(error.value) == (
        "DISCERN q4: not_applicable is allowed only for the treatment questions q9-q15; rate it 1-5"
    )


def test_discern_refuses_a_missing_or_off_scale_question() -> None:
    ratings = discern()
    del ratings["q16"]
    with pytest.raises(ScoringError) as error:
        inst.discern_summary(ratings)
    assert str(error.value) == "DISCERN needs exactly q1-q16; missing: q16"
    with pytest.raises(ScoringError) as error:
        inst.discern_summary(discern(q3="6"))
    assert str(error.value) == "DISCERN q3: '6' is not a rating; expected 1, 2, 3, 4 or 5"


def test_jama_counts_the_benchmarks_met() -> None:
    ratings = {"authorship": "met", "attribution": "not_met", "disclosure": "met", "currency": "not_met"}
    assert inst.jama_count(ratings) == 2
    assert inst.jama_count(dict.fromkeys(ratings, "not_met")) == 0
    assert inst.jama_count(dict.fromkeys(ratings, "met")) == 4


def test_jama_refuses_a_partial_set() -> None:
    with pytest.raises(ScoringError) as error:
        inst.jama_count({"authorship": "met", "currency": "yes", "attribution": "met", "disclosure": "met"})
    assert str(error.value) == "JAMA currency: 'yes' is not a rating; expected met or not_met"
    with pytest.raises(ScoringError) as error:
        inst.jama_count({"authorship": "met"})
    assert str(error.value) == (
        "JAMA needs exactly authorship, attribution, disclosure and currency; missing: attribution, disclosure, currency"
    )


@pytest.mark.parametrize(
    ("ratings", "satisfactory", "applicable", "stars"),
    [
        # 0 of 10 satisfactory: 0 % is 0 stars.
        ((U,) * 10, 0, 10, 0),
        # 2 of 10 = 20 %: the top of the 1-20 % band, 1 star.
        ((S, S) + (U,) * 8, 2, 10, 1),
        # 3 of 10 = 30 %: 21-40 %, 2 stars.
        ((S,) * 3 + (U,) * 7, 3, 10, 2),
        # 1 of 9 (one not applicable) = 11.1 %: 1 star.
        ((NA, S) + (U,) * 8, 1, 9, 1),
        # 5 of 8 (two not applicable, the most allowed) = 62.5 %: 61-80 %, 4 stars.
        ((NA, NA) + (S,) * 5 + (U,) * 3, 5, 8, 4),
        # 4 of 10 = 40 %: the top of 21-40 %, 2 stars, not 3.
        ((S,) * 4 + (U,) * 6, 4, 10, 2),
        # 9 of 10 = 90 %: 5 stars.
        ((S,) * 9 + (U,), 9, 10, 5),
    ],
)
def test_hnr_stars_by_the_published_bands(ratings, satisfactory, applicable, stars) -> None:
    score = inst.hnr_score(hnr(*ratings))
    assert (score.satisfactory, score.applicable, score.stars) == (satisfactory, applicable, stars)


def test_hnr_gives_no_total_with_more_than_two_criteria_not_applicable() -> None:
    # Three not applicable: 7 of 7 satisfactory would be 100 %, but no total is given at all.
    score = inst.hnr_score(hnr(NA, NA, NA, S, S, S, S, S, S, S))
    assert score.not_applicable == 3
    assert score.stars is None
    assert score.share == 1


def test_star_bands_at_their_edges() -> None:
    assert inst.stars_for_share(Fraction(0)) == 0
    assert inst.stars_for_share(Fraction(1, 100)) == 1
    assert inst.stars_for_share(Fraction(201, 1000)) == 2
    assert inst.stars_for_share(Fraction(3, 5)) == 3
    assert inst.stars_for_share(Fraction(81, 100)) == 5
    assert inst.stars_for_share(Fraction(1)) == 5
    with pytest.raises(ScoringError) as error:
        inst.stars_for_share(Fraction(3, 2))
    assert str(error.value) == "a share of criteria must lie between 0 and 1, got 3/2"


def test_hnr_refuses_a_rating_off_its_scale() -> None:
    with pytest.raises(ScoringError) as error:
        inst.hnr_score(hnr(S, S, S, S, S, S, S, S, S, "n/a"))
    assert str(error.value) == (
        "HealthNewsReview.org c10: 'n/a' is not a rating; expected satisfactory, unsatisfactory or not_applicable"
    )


def test_blank_sheet_has_one_empty_row_per_seed_and_item() -> None:
    sheet = inst.blank_sheet([("a", "seeds/a.txt"), ("b", "seeds/b.txt")])
    assert len(sheet) == 60
    assert {row["rating"] for row in sheet} == {""}
    assert sheet[0]["item_text"] == "Are its aims clear?"


def test_adaptations_state_the_three_general_ones_and_each_item_not_applicable() -> None:
    rows = [
        {
            "seed_id": "a",
            "instrument": "hnr",
            "item": "c10",
            "rating": "not_applicable",
            "justification": "No release.",
        },
        {"seed_id": "a", "instrument": "discern", "item": "q9", "rating": "not_applicable", "justification": "None"},
        {"seed_id": "a", "instrument": "hnr", "item": "c1", "rating": "unsatisfactory", "justification": "No cost"},
        {"seed_id": "b", "instrument": "hnr", "item": "c2", "rating": "not_applicable", "justification": "Other page"},
    ]
    assert inst.adaptations(rows, "a") == [
        inst.ADAPTATION_STORED_TEXT,
        inst.ADAPTATION_TREATMENTS,
        inst.ADAPTATION_NEWS,
        "Not applicable: HealthNewsReview.org criterion 10 (beyond a release), because no release.",
        "Not applicable: DISCERN question 9 (how it works), because none.",
    ]
