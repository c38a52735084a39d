"""What the figures draw, on the tiny fixture: positions, markers, colours and arrows counted by hand
from tests/fixtures/tiny/data/claims.csv; and drawings that show every one of them."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.markers import MarkerStyle  # noqa: E402

from bookutils import replace_in  # noqa: E402
from brainbone.book import figuredata, figures  # noqa: E402
from brainbone.book.figuredata import Cell, Edge, Marker  # noqa: E402
from brainbone.ledger.loader import Ledger, load_ledger  # noqa: E402

# Okabe–Ito, as data/vocabulary.csv gives them to the grades and directions.
VERMILLION, SKY_BLUE, BLUE = "#d55e00", "#56b4e9", "#0072b2"
CLAIMS = "data/claims.csv"


@pytest.fixture
def tiny(tiny_root: Path) -> Ledger:
    """The tiny fixture with the reader's yoga claim (tiny-004) graded indirect, so two grades show."""
    replace_in(
        tiny_root / CLAIMS,
        "reader_comment,none_stated,,false,unsupported",
        "reader_comment,none_stated,,false,indirect",
    )
    return load_ledger(tiny_root).require_valid()


def drawn_markers(fig) -> list[tuple[float, float, str, np.ndarray]]:
    """Each scatter point of the figure's first axes: x, y, face colour and marker outline."""
    points = []
    for collection in fig.axes[0].collections:
        for (x, y), colour in zip(collection.get_offsets(), collection.get_facecolor(), strict=True):
            points.append((round(float(x), 4), round(float(y), 4), to_hex(colour), collection.get_paths()[0].vertices))
    return points


def outline(marker: str) -> np.ndarray:
    style = MarkerStyle(marker)
    return style.get_path().transformed(style.get_transform()).vertices


# ---------------------------------------------------------------------------------------
# Harvest plot: tiny-002 has a sized result (effects.csv), so three claims remain, all in the
# "none stated" row and the "bone" column: tiny-001 harmful; tiny-003 and tiny-004 beneficial.


def test_harvest_data_counted_by_hand(tiny: Ledger) -> None:
    data = figuredata.harvest(tiny)
    assert data.columns == ("bone", "mental health", "cognition", "bone and brain")
    assert data.rows == (("none stated", 0.335),)
    assert data.tops == (0.0, 0.67)
    # harmful is the first of three clusters (x offset -0.3), beneficial the middle one; five to a line,
    # 0.055 apart, centred, and the indirect claim before the unsupported one.
    assert data.markers == (
        Marker("tiny-001", pytest.approx(-0.41), 0.335, "v", VERMILLION.upper()),
        Marker("tiny-004", pytest.approx(-0.11), 0.335, "^", SKY_BLUE.upper()),
        Marker("tiny-003", pytest.approx(-0.055), 0.335, "^", VERMILLION.upper()),
    )
    assert data.shapes == (("v", "worsens"), ("^", "improves"), ("D", "linked, no direction"))


def test_harvest_drawing_shows_every_marker_in_its_shape_and_colour(tiny: Ledger) -> None:
    data = figuredata.harvest(tiny)
    drawn = drawn_markers(figures.draw_harvest(data))
    assert len(drawn) == len(data.markers) == 3
    for point, (x, y, colour, vertices) in zip(data.markers, drawn, strict=True):
        assert (x, y) == (round(point.x, 4), round(point.y, 4))
        assert colour == point.colour.lower()
        assert np.allclose(vertices, outline(point.marker)), f"{point.claim_id} is not drawn as {point.marker}"


# ---------------------------------------------------------------------------------------
# Mechanism network: one mechanism claim, tiny-001 (cortisol, brain → bone, no evidence stated).


def test_network_data_counted_by_hand(tiny: Ledger) -> None:
    data = figuredata.network(tiny)
    assert data.mediators == (("cortisol_glucocorticoids", "Cortisol (1)", 0.0),)
    assert data.edges == (
        Edge(
            "cortisol_glucocorticoids",
            "brain_to_bone",
            0.0,
            -0.14,
            VERMILLION.upper(),
            ":",
            1.2,
            "none stated or expert opinion",
            ("tiny-001",),
        ),
    )


def test_a_claim_both_ways_gives_two_edges_styled_by_its_evidence(tiny_root: Path) -> None:
    replace_in(
        tiny_root / CLAIMS,
        "cortisol_glucocorticoids,brain_to_bone,bone,harmful,article,none_stated",
        "cortisol_glucocorticoids,bidirectional,bone,harmful,article,animal_experiment",
    )
    data = figuredata.network(load_ledger(tiny_root).require_valid())
    assert [(e.direction, e.colour.lower(), e.linestyle, e.linewidth) for e in data.edges] == [
        ("brain_to_bone", VERMILLION, "--", 1.4),
        ("bone_to_brain", BLUE, "--", 1.4),
    ]


def drawn_arrows(fig) -> list[tuple[str, float]]:
    return [
        (to_hex(text.arrow_patch.get_edgecolor()), round(float(text.xy[1]), 4))
        for text in fig.axes[0].texts
        if getattr(text, "arrow_patch", None) is not None
    ]


def test_network_drawing_shows_two_arrows_per_edge(tiny: Ledger) -> None:
    data = figuredata.network(tiny)
    arrows = drawn_arrows(figures.draw_network(data))
    assert arrows == [(VERMILLION, -0.14), (VERMILLION, -0.14)]  # brain → cortisol, cortisol → bone


# ---------------------------------------------------------------------------------------
# Interventions matrix: supplements (tiny-003, bone, beneficial, unsupported, sells) and exercise
# (tiny-004, bone, beneficial, indirect in this fixture); neither has a mood or cognition claim.


def test_interventions_data_counted_by_hand(tiny: Ledger) -> None:
    data = figuredata.interventions(tiny)
    assert data.rows == (("Supplements", 0.0), ("Exercise", 1.0))
    assert data.columns == (("Bone", 0.0), ("Mood or cognition", 2.2))
    assert data.cells == (
        Cell("supplements", "Bone", 0.0, 0.0, "^", VERMILLION.upper(), True, "1 · none · sells"),
        Cell("supplements", "Mood or cognition", 2.2, 0.0, None, None, False, "no claim"),
        Cell("exercise", "Bone", 0.0, 1.0, "^", SKY_BLUE.upper(), False, "1 · none"),
        Cell("exercise", "Mood or cognition", 2.2, 1.0, None, None, False, "no claim"),
    )


def test_interventions_drawing_shows_each_grade_colour_and_the_sellers_outline(tiny: Ledger) -> None:
    data = figuredata.interventions(tiny)
    fig = figures.draw_interventions(data)
    drawn = drawn_markers(fig)
    assert [(x, y, colour) for x, y, colour, _ in drawn] == [(-0.75, 0.0, VERMILLION), (-0.75, 1.0, SKY_BLUE)]
    assert all(np.allclose(vertices, outline("^")) for *_, vertices in drawn)
    widths = [float(c.get_linewidths()[0]) for c in fig.axes[0].collections]
    assert widths == [2.2, 0.5]  # a bold outline where the claim sells
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("no claim") == 2 and "1 · none · sells" in texts


def test_modal_appraisal_ties_go_to_the_weaker_grade(tiny: Ledger) -> None:
    import pandas as pd

    assert figuredata.modal_appraisal(pd.Series(["consistent", "overstated"]), tiny.vocabulary) == "overstated"
    assert figuredata.modal_appraisal(pd.Series(["consistent", "consistent", "unsupported"]), tiny.vocabulary) == (
        "consistent"
    )
