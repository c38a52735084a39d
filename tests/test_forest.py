"""The forest plots' data (brainbone.forest): one figure per question, one outcome and one measure per
panel, every row labelled with its direction, subgroups never printed with whole-analysis counts
unqualified, and rows whose unit or comparator is undefined never drawn."""

from __future__ import annotations

import pandas as pd
import pytest

from bookutils import ROOT
from brainbone.book import forest
from brainbone.ledger.loader import load_ledger


@pytest.fixture(scope="module")
def ledger():
    return load_ledger(ROOT)


@pytest.fixture(scope="module")
def q1(ledger) -> pd.DataFrame:
    return forest.question_data(ledger, "Q1")


def test_wu2009_women_rows_say_their_counts_are_the_whole_meta_analysis(q1: pd.DataFrame) -> None:
    women = q1[q1.context_id.isin(["wu2009-3", "wu2009-4"])]
    assert list(women.counts) == ["subgroup n not reported (whole meta-analysis: 14 studies; 10,523 participants)"] * 2
    assert women.subgroup.all()


def test_a_subgroup_printed_with_whole_counts_and_no_qualifier_fails(q1: pd.DataFrame) -> None:
    broken = q1.copy()
    broken.loc[broken.context_id == "wu2009-3", "counts"] = "14 studies; 10,523 participants"
    with pytest.raises(
        forest.ForestError,
        match=r"^forest row 'wu2009-3': a subgroup printed with the counts '14 studies; 10,523 participants' and no "
        r"qualifier; write 'subgroup n not reported \(whole meta-analysis: …\)'$",
    ):
        forest.check_rows(broken)


def test_a_plotted_row_with_no_direction_label_fails(q1: pd.DataFrame) -> None:
    broken = q1.copy()
    broken.loc[broken.context_id == "wu2009-1", "direction"] = ""
    with pytest.raises(
        forest.ForestError,
        match=r"^forest row 'wu2009-1': drawn without a direction label; label it from direction_in_words$",
    ):
        forest.check_rows(broken)


def test_a_row_with_an_undefined_unit_drawn_as_an_effect_fails(ledger) -> None:
    q6 = forest.question_data(ledger, "Q6")
    lary = q6[q6.context_id == "lary2024-2"]
    assert not lary.drawn.iloc[0] and lary.note.iloc[0] == "the checked abstract cuts off the unit of this second scale"
    broken = q6.copy()
    broken.loc[broken.context_id == "lary2024-2", "drawn"] = True
    with pytest.raises(
        forest.ForestError,
        match=r"^forest row 'lary2024-2': its unit or comparator is undefined in the checked abstract, so it is not drawn$",
    ):
        forest.check_rows(broken)


@pytest.mark.parametrize(
    ("question", "undrawn"),
    [("Q3", "mercurio2022-1"), ("Q13", "fernandezrodriguez2021-1"), ("Q10", "appleton2016-3")],
)
def test_measures_of_unnamed_type_or_unit_are_footnoted_not_drawn(ledger, question: str, undrawn: str) -> None:
    data = forest.question_data(ledger, question)
    row = data[data.context_id == undrawn].iloc[0]
    assert not row.drawn
    assert any(note.endswith(f"Not drawn: {row.note}.") and row.words in note for note in forest.footnotes(data))


def test_every_drawn_row_of_every_question_is_labelled(ledger) -> None:
    for question in ("Q1", "Q2", "Q3", "Q4", "Q6", "Q8", "Q9", "Q10", "Q12", "Q13"):
        data = forest.question_data(ledger, question)
        drawn = data[data.drawn]
        assert len(drawn), question
        assert (drawn.direction.str.len() > 0).all() and (drawn.population.str.len() > 0).all()
        assert (drawn.design.str.len() > 0).all()
        for _, rows in drawn.groupby("panel"):
            assert rows.axis.nunique() == 1 and rows.outcome_class.nunique() == 1


def test_the_axis_says_which_side_is_which_from_the_words(ledger, q1: pd.DataFrame) -> None:
    bmd = forest.panels(q1)[0]
    assert forest.axis_sides(bmd) == ("← lower bone density with depression", "higher →")
    q2 = forest.question_data(ledger, "Q2")
    assert forest.axis_sides(forest.panels(q2)[0]) == (
        "← lower risk of fracture with depression or depressive symptoms",
        "higher risk →",
    )


def test_noetel_counts_say_what_each_number_counts(ledger) -> None:
    q8 = forest.question_data(ledger, "Q8")
    assert q8[q8.context_id == "noetel2024-1"].counts.iloc[0] == "218 studies; 1210 participants in 51 arms"


def test_i_squared_is_printed_beside_the_estimate_where_the_row_gives_it(ledger) -> None:
    q3 = forest.question_data(ledger, "Q3")
    assert q3.set_index("context_id").at["eom2012-1", "i_squared"] == "89.9%"
    figure_text = forest._right_text(q3.set_index("context_id").loc["eom2012-1"].rename("eom2012-1"))
    assert figure_text.startswith("1.69 (1.51 to 1.90)\nI² 89.9%\n")


def test_one_axes_per_panel_with_its_line_of_no_effect(q1: pd.DataFrame) -> None:
    panel = forest.panels(q1)[0]
    figure = forest.forest_plot(panel)
    assert len(figure.axes) == 1
    assert [line.get_xdata()[0] for line in figure.axes[0].lines if line.get_linestyle() == "--"] == [0.0]
    alt = forest.alt_text("Q1 depression and bone density", panel)
    assert alt.startswith("Forest plot panel, Q1 depression and bone density: bone density, mean difference (g/cm²)")
    assert "Spine bone density was 0.053 g/cm² lower" in alt
