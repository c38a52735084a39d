"""Agreement between the two ratings: Krippendorff's alpha on hand-worked examples, and the second sheet's checks."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from test_ratings import write_ratings

from brainbone import load_ledger
from brainbone.appraisal import agreement as ag
from brainbone.appraisal.ratings import load_ratings
from brainbone.ledger import rating_tables
from brainbone.ledger.rating_tables import SECOND_RATINGS_FILE


def test_nominal_alpha_worked_by_hand() -> None:
    # Four units, two raters: (met, met), (met, met), (not, not), (not, met). Coincidences: o(met,met) = 4,
    # o(not,not) = 2, o(met,not) = o(not,met) = 1; n(met) = 5, n(not) = 3, n = 8.
    # D_o = 2/8; D_e = 2 * 5 * 3 / (8 * 7) = 30/56; alpha = 1 - (2/8) / (30/56) = 8/15.
    first = pd.Series(["met", "met", "not_met", "not_met"])
    second = pd.Series(["met", "met", "not_met", "met"])
    assert ag.alpha(first, second, "jama") == pytest.approx(8 / 15)


def test_ordinal_alpha_perfect_and_with_a_question_left_out() -> None:
    first = pd.Series(["1", "2", "3", "not_applicable"])
    # A question one rater leaves out is missing for alpha, so the three rated pairs agree perfectly.
    assert ag.alpha(first, pd.Series(["1", "2", "3", "4"]), "discern") == pytest.approx(1.0)


def test_ordinal_alpha_worked_by_hand() -> None:
    # Units (1,1), (1,2), (2,2): values 1 x3, 2 x3, n = 6. Ordinal distance between 1 and 2, with n1 = n2 = 3:
    # delta = (n1/2 + n2/2)^2 = 9. D_o = (o12 + o21) * 9 / n = 2 * 9 / 6 = 3.
    # D_e = 2 * n1 * n2 * 9 / (n (n - 1)) = 2 * 3 * 3 * 9 / 30 = 5.4; alpha = 1 - 3 / 5.4 = 4/9.
    first, second = pd.Series(["1", "1", "2"]), pd.Series(["1", "2", "2"])
    assert ag.alpha(first, second, "discern") == pytest.approx(4 / 9)


def test_alpha_is_not_defined_when_every_rating_is_the_same() -> None:
    same = pd.Series(["not_met"] * 5)
    assert ag.alpha(same, same, "jama") is None


def write_second(root: Path, edit=None) -> None:
    with (root / "data" / "source_ratings.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows = [{k: row[k] for k in rating_tables.SECOND_COLUMNS} for row in rows]
    if edit:
        edit(rows)
    with (root / SECOND_RATINGS_FILE).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rating_tables.SECOND_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_identical_second_rating_agrees_fully(tiny_root: Path) -> None:
    write_ratings(tiny_root)
    write_second(tiny_root)
    ledger = load_ledger(tiny_root)
    first = load_ratings(ledger)
    second = ag.load_second(ledger, first)
    assert second.issues == []
    results = {r.scope: r for r in ag.agreement(first, second)}
    assert (results["DISCERN"].items, results["DISCERN"].agreed) == (16, 16)
    assert results["HealthNewsReview.org criteria"].alpha == pytest.approx(1.0)


def test_second_sheet_must_match_the_first_rows_and_scales(tiny_root: Path) -> None:
    write_ratings(tiny_root)

    def edit(rows):
        rows[0]["rating"] = "five"
        rows[1]["item"] = "q99"

    write_second(tiny_root, edit)
    ledger = load_ledger(tiny_root)
    second = ag.load_second(ledger, load_ratings(ledger))
    assert [str(i) for i in second.issues] == [
        f"{SECOND_RATINGS_FILE}:2: discern q1 for seed 'tiny': rating 'five' is not on the scale; expected one of: "
        "1, 2, 3, 4, 5, not_applicable (nearest: 'not_applicable')",
        f"{SECOND_RATINGS_FILE}:3: no first rating of discern q99 for seed 'tiny'; the second rating must use the same rows",
        f"{SECOND_RATINGS_FILE}: discern q2 for seed 'tiny' is not rated",
    ]


def test_the_pages_agreement_table_on_hand_made_results() -> None:
    results = [
        ag.Agreement("DISCERN", "discern", 8, 3, 0.456, "ordinal"),
        ag.Agreement("JAMA benchmarks", "jama", 4, 4, None, "nominal"),
    ]
    frame = ag.agreement_table(results)
    assert list(frame.columns) == [
        "Ratings compared",
        "Seed × item pairs",
        "Identical",
        "Krippendorff's alpha",
        "Within one point",
        "Weighted kappa",
        "Target",
    ]
    assert frame.values.tolist() == [
        ["DISCERN", 8, "3 (38%)", "0.46 (ordinal)", "–", "–", "kappa ≥ 0.70: not met"],
        ["JAMA benchmarks", 4, "4 (100%)", "not defined: every rating the same", "–", "–", "≥ 90% identical: met"],
    ]


def test_alpha_is_undefined_when_every_code_given_is_the_same() -> None:
    from brainbone.appraisal import reliability

    nan = float("nan")
    assert reliability.alpha([1, 1, nan], [1, nan, 1], "nominal") is None
    # Two raters, three units, nominal: 1/1, 1/2, 2/2 -> n = 6, D_o = 2/6, D_e = 2*3*3/(6*5) = 18/30; alpha = 1 - (1/3)/(3/5)
    assert reliability.alpha([1, 1, 2], [1, 2, 2], "nominal") == pytest.approx(1 - (1 / 3) / (3 / 5))


def test_sources_reads_the_second_rating_the_ledger_checked_not_the_file_again(tmp_path: Path) -> None:
    from bookutils import copy_book
    from brainbone.book import facts

    root = copy_book(tmp_path / "book")
    ledger = load_ledger(root)
    expected = facts.sources(ledger)
    (root / SECOND_RATINGS_FILE).unlink()
    assert facts.sources(ledger) == expected
    assert ag.load_second(ledger).frame.line.tolist()[:2] == [2, 3]


def test_weighted_kappa_worked_by_hand() -> None:
    # Pairs (1,1), (1,2), (3,3), (3,1). Row totals: 1 -> 2, 3 -> 2; column totals: 1 -> 2, 2 -> 1, 3 -> 1; n = 4.
    # Linear weights |i-j|/4: observed = (0 + 1/4 + 0 + 2/4) / 4 = 3/16.
    # Expected = sum w(i,j) r_i c_j / n^2 = [w(1,2)*2*1 + w(1,3)*2*1 + w(3,1)*2*2 + w(3,2)*2*1] / 16
    #          = [1/4*2 + 2/4*2 + 2/4*4 + 1/4*2] / 16 = 4/16. Kappa = 1 - (3/16) / (4/16) = 1/4.
    first, second = pd.Series(["1", "1", "3", "3"]), pd.Series(["1", "2", "3", "1"])
    assert ag.weighted_kappa(first, second) == pytest.approx(1 / 4)
    # Quadratic weights (|i-j|/4)^2: observed = (1/16 + 4/16) / 4 = 5/64; expected = [1/16*2 + 4/16*2 + 4/16*4
    # + 1/16*2] / 16 = 28/256; kappa = 1 - (5/64) / (28/256) = 1 - 20/28 = 2/7.
    assert ag.weighted_kappa(first, second, "quadratic") == pytest.approx(2 / 7)
    assert ag.within_one(first, second) == 3


def test_weighted_kappa_drops_a_question_left_out_and_is_undefined_for_one_rating() -> None:
    assert ag.weighted_kappa(pd.Series(["2", "not_applicable"]), pd.Series(["2", "4"])) is None
    assert ag.within_one(pd.Series(["2", "not_applicable"]), pd.Series(["3", "5"])) == 1


def test_the_blind_raters_spelling_of_healthnewsreview_is_read_as_hnr(tiny_root: Path) -> None:
    write_ratings(tiny_root)

    def edit(rows):
        for row in rows:
            if row["instrument"] == "hnr":
                row["instrument"] = "healthnewsreview"

    write_second(tiny_root, edit)
    ledger = load_ledger(tiny_root)
    first = load_ratings(ledger)
    second = ag.load_second(ledger, first)
    assert second.issues == []
    results = {r.scope: r for r in ag.agreement(first, second)}
    assert (results["HealthNewsReview.org criteria"].items, results["HealthNewsReview.org criteria"].agreed) == (10, 10)
