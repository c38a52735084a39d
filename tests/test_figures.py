"""Every figure function draws from the ledger, returns one closed figure, and keeps its promises."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from bookutils import ROOT  # noqa: E402
from brainbone import load_ledger  # noqa: E402
from brainbone.book import figures

LEDGER = load_ledger(ROOT)
FUNCTIONS = [
    figures.seed_comparison,
    figures.effects_dot_plot,
    figures.harvest_plot,
    figures.evidence_map,
    figures.mechanism_network,
    figures.interventions_matrix,
]


@pytest.mark.parametrize("draw", FUNCTIONS, ids=lambda f: f.__name__)
def test_figure_is_drawn_at_book_width_and_closed(draw) -> None:
    before = set(plt.get_fignums())
    fig = draw(LEDGER)
    assert fig.get_size_inches()[0] == pytest.approx(figures.BOOK_WIDTH_IN)
    assert fig.axes, "nothing was drawn"
    assert set(plt.get_fignums()) == before, "the figure must be closed so a notebook shows it once"


def test_effects_dot_plot_draws_reported_points_and_no_interval() -> None:
    fig = figures.effects_dot_plot(LEDGER)
    ax = fig.axes[0]
    whi = LEDGER.effects[LEDGER.effects.primary_source == "follis2019"]
    points = ax.collections[0].get_offsets()
    assert sorted(points[:, 0]) == sorted(whi["value"])
    assert not ax.lines or all(len(line.get_xdata()) == 0 for line in ax.lines), "no error bars or interval lines"
    texts = " ".join(t.get_text() for t in ax.texts) + ax.get_title(loc="left") + ax.get_xlabel()
    assert "n = 11,020" in texts and "6 years" in texts and "p<0.05" in texts
    assert "no confidence intervals reported" in texts
    assert "% greater BMD loss per point of social strain" in ax.get_xlabel()


def test_evidence_map_counts_every_claim_once() -> None:
    fig = figures.evidence_map(LEDGER)
    cells = [t.get_text().split() for t in fig.axes[0].texts if re.fullmatch(r"\d+ [CIOMU]", t.get_text())]
    assert sum(int(count) for count, _ in cells) == len(LEDGER.claims)
    assert {letter for _, letter in cells} <= {"C", "I", "O", "M", "U"}
