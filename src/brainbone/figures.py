"""The book's figure style and plotting functions; pure matplotlib, no Sphinx."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

from brainbone import vocabulary as vocab
from brainbone.ledger import Ledger

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
APPRAISAL_COLOURS = {
    "consistent": OKABE_ITO["bluish_green"],
    "indirect": OKABE_ITO["sky_blue"],
    "overstated": OKABE_ITO["orange"],
    "unsupported": OKABE_ITO["vermillion"],
}
BOOK_WIDTH_IN = 7.0


def use_book_style() -> None:
    """Legible type at book width, the palette above, and compact, reproducible SVG output."""
    mpl.rcParams.update(
        {
            "figure.figsize": (BOOK_WIDTH_IN, 3.6),
            "figure.dpi": 100,
            "font.size": 10.5,
            "axes.titlesize": 11.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO.values())[1:]),
            "svg.fonttype": "none",  # text stays text: smaller files, selectable labels
            "svg.hashsalt": "brainbone",  # stable ids, so outputs are identical run to run
        }
    )
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # outside IPython there is no inline backend to configure
        return
    set_matplotlib_formats("svg", metadata={"Date": None})


def appraisal_by_seed(ledger: Ledger) -> plt.Figure:
    """Stacked bars: each seed's claims by appraisal, as shares, with counts on the bars."""
    table = pd.crosstab(ledger.claims.seed_id, ledger.claims.appraisal)
    table = table.reindex(index=list(ledger.sources.seed_id), columns=list(vocab.APPRAISALS), fill_value=0)
    shares = table.div(table.sum(axis=1).where(lambda s: s > 0, 1), axis=0)
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 0.5 + 0.55 * len(table)))
    left = pd.Series(0.0, index=table.index)
    for appraisal in vocab.APPRAISALS:
        ax.barh(table.index, shares[appraisal], left=left, color=APPRAISAL_COLOURS[appraisal], label=appraisal,
                edgecolor="white")
        for seed_id, share in shares[appraisal].items():
            if table.at[seed_id, appraisal]:
                ax.text(left[seed_id] + share / 2, seed_id, str(table.at[seed_id, appraisal]),
                        ha="center", va="center", fontsize=9)
        left += shares[appraisal]
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the seed's claims")
    ax.invert_yaxis()
    ax.legend(ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    fig.tight_layout()
    return fig
