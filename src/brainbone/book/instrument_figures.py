"""The figure comparing the seed pages item by item on the three instruments; pure matplotlib, no Sphinx."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from brainbone.book.figures import BOOK_WIDTH_IN, _grid_only, band_label
from brainbone.ledger import instruments as inst

# Light tints with dark text in every cell (contrast above 7:1), on the figure's white card, so the figure reads the
# same in the light and the dark theme; the rating is written in each cell, so colour is never the only cue.
# DISCERN runs from a vermillion tint (1, definite no) through grey (3) to a bluish-green tint (5, definite yes).
DISCERN_TINTS = {"1": "#f4c7b3", "2": "#f9e1d6", "3": "#eeeeee", "4": "#d3ece2", "5": "#a9dcc8"}
YES_TINT, NO_TINT, NA_TINT = "#a9dcc8", "#f4c7b3", "#ffffff"
CELL_TEXT = {
    inst.MET: "met",
    inst.NOT_MET: "not met",
    inst.SATISFACTORY: "S",
    inst.UNSATISFACTORY: "U",
    inst.NOT_APPLICABLE: "n/a",
}
INK = "#1b1b1b"


def _tint(instrument: str, rating: str) -> str:
    if rating == inst.NOT_APPLICABLE:
        return NA_TINT
    if instrument == inst.DISCERN:
        return DISCERN_TINTS[rating]
    return YES_TINT if rating in (inst.MET, inst.SATISFACTORY) else NO_TINT


def item_matrix(matrix: pd.DataFrame, seed_labels: dict[str, str]) -> plt.Figure:
    """Items (rows, grouped by instrument) × seeds (columns), each cell tinted by its rating and labelled with it.

    `matrix` is `brainbone.appraisal.ratings.long_table(...)`: index (instrument, item), one column per seed_id, ratings as text.
    """
    seeds = list(matrix.columns)
    keys = list(matrix.index)
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 2.0 + 0.27 * len(keys)))
    fig.patch.set_facecolor("white")
    for row, (instrument, item) in enumerate(keys):
        for column, seed_id in enumerate(seeds):
            rating = str(matrix.loc[(instrument, item), seed_id])
            ax.add_patch(
                plt.Rectangle(
                    (column - 0.47, row - 0.44),
                    0.94,
                    0.88,
                    facecolor=_tint(instrument, rating),
                    edgecolor="#9a9a9a" if rating == inst.NOT_APPLICABLE else "none",
                    linewidth=0.6,
                )
            )
            text = CELL_TEXT.get(rating, rating)
            bold = (instrument, item) == (inst.DISCERN, "q16")
            ax.text(
                column, row, text, ha="center", va="center", fontsize=8.5, color=INK, weight="bold" if bold else None
            )
    labels = [
        inst.SHORT_LABELS[(instrument, item)]
        if instrument == inst.JAMA
        else f"{item} {inst.SHORT_LABELS[(instrument, item)]}"
        for instrument, item in keys
    ]
    ax.set_yticks(range(len(keys)), labels, fontsize=8.5)
    ax.set_xticks(range(len(seeds)), [seed_labels.get(s, s) for s in seeds], fontsize=8.5)
    ax.xaxis.tick_top()
    for row in range(1, len(keys)):
        if keys[row][0] != keys[row - 1][0]:
            ax.axhline(row - 0.5, color="#444", linewidth=0.9)
    for instrument in inst.INSTRUMENTS:
        rows = [r for r, key in enumerate(keys) if key[0] == instrument]
        if rows:
            band_label(ax, len(seeds) - 0.4, rows, inst.INSTRUMENT_NAMES[instrument])
    ax.set_xlim(-0.5, len(seeds) - 0.5)
    ax.set_ylim(len(keys) - 0.5, -0.5)
    _grid_only(ax)
    fig.text(
        0.01,
        0.005,
        "DISCERN: 1 = definite no … 5 = definite yes; q16 (bold) is the overall rating, a judgment, not a sum. "
        "S = satisfactory, U = unsatisfactory, n/a = not applicable.",
        fontsize=7.5,
        color="#333",
        wrap=True,
    )
    fig.tight_layout(rect=(0, 0.35 / fig.get_figheight(), 0.97, 1))
    plt.close(fig)
    return fig
