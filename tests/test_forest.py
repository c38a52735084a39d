"""The forest plot's data: one entry per context row used, intervals as reported, one measure per axis."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from bookutils import TESTS
from brainbone.appraisal import context as ctx
from brainbone.book import forest
from brainbone.ledger.loader import load_ledger

FIXTURE = TESTS / "fixtures" / "context" / "book"


@pytest.fixture
def data() -> pd.DataFrame:
    ledger = load_ledger(FIXTURE)
    context = ctx.from_ledger(ledger)
    labels = forest.study_labels(FIXTURE / "references.bib")
    return forest.forest_data(context, ledger.effects, ["Q2"], labels)


def test_one_entry_per_row_with_the_reported_interval(data: pd.DataFrame) -> None:
    context_rows = data[data.source == "context"]
    assert list(context_rows.context_id) == ["wu2018-1", "wu2018-2"]
    assert list(context_rows.estimate) == [1.26, 0.35]
    assert list(context_rows.ci_low) == [1.10, 0.18]
    assert list(context_rows.ci_high) == [1.43, 0.53]
    assert list(context_rows.reported) == ["1.26 [1.10, 1.43]", "0.35% [0.18%, 0.53%]"]
    assert list(context_rows.studies_and_participants) == [
        "9 studies, 309,862 participants",
        "8 studies, 15,442 participants",
    ]
    assert list(context_rows.study) == ["Wu et al. 2018", "Wu et al. 2018"]


def test_measures_never_share_an_axis(data: pd.DataFrame) -> None:
    drawn = data[data.drawn]
    assert drawn.groupby("panel").axis.nunique().max() == 1
    assert list(drawn.panel) == [
        "Q2 · hazard ratio",
        "Q2 · difference in annual bone loss (% per year)",
        "The seeds' own estimates · % greater loss per point",
    ]
    assert list(drawn.no_effect) == [1.0, 0.0, 0.0]


def test_the_seeds_own_estimate_has_its_own_panel_and_no_interval(data: pd.DataFrame) -> None:
    seed = data[data.source == "seed"]
    assert list(seed.context_id) == ["tiny-hip"]
    assert seed.ci_low.isna().all() and seed.ci_high.isna().all()
    assert list(seed.note) == ["point estimate only: the source reports no interval"]


def test_an_unknown_measure_is_an_error_naming_the_line(tmp_path: Path) -> None:
    root = Path(shutil.copytree(FIXTURE, tmp_path / "book"))
    path = root / "data/context_effects.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",HR,1.26,", ",ratio of means,1.26,"), encoding="utf-8")
    ledger = load_ledger(root)
    context = ctx.from_ledger(ledger)
    with pytest.raises(
        ValueError, match=r"^data/context_effects.csv row 'wu2018-1': effect measure 'ratio of means' has no axis"
    ):
        forest.forest_data(context, ledger.effects, ["Q2"], {})


def test_the_plot_draws_one_axes_per_panel(data: pd.DataFrame) -> None:
    figure = forest.forest_plot(data)
    assert len(figure.axes) == 3
    assert figure.axes[0].get_xscale() == "log"
    assert [line.get_xdata()[0] for line in figure.axes[0].lines if line.get_linestyle() == "--"] == [1.0]
