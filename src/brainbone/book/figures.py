"""The book's figure style and plotting functions; pure matplotlib, no Sphinx."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

from brainbone.book import figuredata
from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.loader import Ledger

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
BOOK_WIDTH_IN = 7.0


def _grid_only(ax: plt.Axes) -> None:
    """A matrix-style axes: labels without tick marks or frame, so only the cells and grid show."""
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def band_label(ax: plt.Axes, x: float, rows: list[int], text: str) -> None:
    """A label written down the right-hand edge of a band of matrix rows (a section, an instrument)."""
    ax.text(x, (rows[0] + rows[-1]) / 2, text, rotation=270, va="center", ha="left", fontsize=8.5, color="#333")


def _finished(fig: plt.Figure) -> plt.Figure:
    """Close the figure in pyplot's registry, so a notebook shows it once, as the cell's value."""
    plt.close(fig)
    return fig


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


def _legend_patches(colours: dict[str, str]):
    from matplotlib.patches import Patch

    return [Patch(facecolor=colour, edgecolor="white", label=vocab.label(name)) for name, colour in colours.items()]


def seed_comparison(ledger: Ledger) -> plt.Figure:
    """Three stacked panels comparing the seeds: claims by speaker, by evidence type, by appraisal."""
    panels = [
        ("speaker", "Who is speaking"),
        ("evidence_type", "Evidence the page gives"),
        ("appraisal", "Appraisal"),
    ]
    seeds = list(ledger.sources.seed_id)
    outlets = [f"{ledger.sources.at[s, 'outlet']}\n({s})" for s in seeds]
    fig, axes = plt.subplots(3, 1, figsize=(BOOK_WIDTH_IN, 1.2 + 3 * (0.45 + 0.36 * len(seeds))), sharex=True)
    for ax, (column, title) in zip(axes, panels, strict=True):
        values = ledger.vocabulary.values(column)
        table = pd.crosstab(ledger.claims.seed_id, ledger.claims[column]).reindex(
            index=seeds, columns=list(values), fill_value=0
        )
        colours = ledger.vocabulary.colours(column)
        left = pd.Series(0, index=seeds)
        for value in values:
            ax.barh(outlets, table[value], left=left, color=colours[value], edgecolor="white", linewidth=0.5)
            left += table[value]
        ax.set_title(title, loc="left")
        ax.invert_yaxis()
        ax.tick_params(axis="y", labelsize=8.5)
        ax.legend(
            handles=_legend_patches({v: colours[v] for v in values if table[v].sum()}),
            loc="center left",
            bbox_to_anchor=(1.01, 0.5),
            frameon=False,
            fontsize=8.5,
        )
    axes[-1].set_xlabel("number of claims")
    fig.tight_layout()
    return _finished(fig)


def effects_dot_plot(ledger: Ledger, primary_source: str | None = None) -> plt.Figure:
    """Reported point estimates for one study (by default the study most of effects.csv reports),
    one dot per outcome, labelled with unit, sample size, follow-up and p-value. No interval is
    drawn: none is reported."""
    if primary_source is None:
        primary_source = ledger.effects.primary_source.mode().iloc[0]
    effects = ledger.effects[ledger.effects.primary_source == primary_source].sort_values("value")
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 1.5 + 0.55 * len(effects)))
    ax.scatter(effects["value"], effects["outcome"], s=60, color=OKABE_ITO["blue"], zorder=3)
    for row in effects.itertuples():
        label = f"{row.value:g}%" + (f"  (p{row.p_value})" if row.p_value else "")
        ax.annotate(
            label, (row.value, row.outcome), xytext=(8, 0), textcoords="offset points", va="center", fontsize=9.5
        )
    ax.set_xlim(0, max(effects["value"].max() * 1.6, 0.01) if len(effects) else 1)
    if len(effects):
        first = effects.iloc[0]
        n = f"n = {int(first.n):,}" if pd.notna(first.n) else "n not reported"
        ax.set_xlabel(first.unit)
        ax.set_title(
            f"{first.population or 'population not reported'}\n{n}; follow-up {first.follow_up or 'not reported'}\n"
            "point estimates only (no confidence intervals reported)",
            fontsize=9.5,
            loc="left",
        )
    ax.margins(y=0.35)
    ax.grid(axis="x", color="#ddd", linewidth=0.6)
    fig.tight_layout()
    return _finished(fig)


def harvest_plot(ledger: Ledger, sections: tuple[str, ...] | None = None) -> plt.Figure:
    """Effect-direction (harvest) plot, after Synthesis Without Meta-analysis: one marker per claim
    that states a direction but no size, by outcome (columns) and evidence type (rows); the marker
    shows the claimed direction and its colour the appraisal (see `figuredata.harvest`)."""
    return draw_harvest(figuredata.harvest(ledger, sections))


def _titled_legend(fig: plt.Figure, handles: list, title: str, loc: str, x: float, *, ncols: int):
    """A frameless figure legend with a small title, anchored at (x, 0)."""
    return fig.legend(
        handles=handles,
        loc=loc,
        bbox_to_anchor=(x, 0.0),
        ncols=ncols,
        frameon=False,
        fontsize=8.5,
        title=title,
        title_fontsize=8.5,
    )


def draw_harvest(data: figuredata.Harvest) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, data.height_in))
    for point in data.markers:
        ax.scatter(
            point.x, point.y, marker=point.marker, s=18, color=point.colour, edgecolor="#222", linewidth=0.3, zorder=3
        )
    ax.set_xticks(range(len(data.columns)), list(data.columns))
    ax.xaxis.tick_top()
    ax.set_yticks([middle for _, middle in data.rows], [label for label, _ in data.rows])
    for top in data.tops:
        ax.axhline(top, color="#ccc", linewidth=0.6)
    for j in range(len(data.columns) + 1):
        ax.axvline(j - 0.5, color="#ccc", linewidth=0.6)
    ax.set_xlim(-0.5, len(data.columns) - 0.5)
    ax.set_ylim(data.tops[-1], 0)
    _grid_only(ax)
    shapes = [Line2D([], [], marker=m, linestyle="", color="#666", label=text) for m, text in data.shapes]
    fig.add_artist(_titled_legend(fig, shapes, "claimed effect (marker)", "lower left", 0.08, ncols=3))
    _titled_legend(fig, _legend_patches(dict(data.colours)), "appraisal (colour)", "lower right", 0.98, ncols=2)
    fig.tight_layout(rect=(0, 0.85 / fig.get_figheight(), 1, 1))
    return _finished(fig)


def evidence_map(ledger: Ledger, sections: tuple[str, ...] = vocab.SECTIONS) -> plt.Figure:
    """Topic × evidence-type matrix: each cell counts the claims and is coloured by their most
    common appraisal (ties go to the weaker grade)."""
    claims = ledger.claims[ledger.claims.section.isin(sections)]
    topics = [t for t in ledger.topics.topic if (claims.topic == t).any()]
    evidence = [e for e in ledger.vocabulary.values("evidence_type") if (claims.evidence_type == e).any()]
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 1.9 + 0.26 * len(topics)))
    for i, topic in enumerate(topics):
        for j, kind in enumerate(evidence):
            cell = claims[(claims.topic == topic) & (claims.evidence_type == kind)]
            if cell.empty:
                continue
            modal = _modal(cell)
            ax.add_patch(
                plt.Rectangle((j - 0.45, i - 0.42), 0.9, 0.84, color=ledger.vocabulary.term("appraisal", modal).colour)
            )
            # A letter as well as a colour, so overstated and unsupported differ without colour vision.
            ax.text(j, i, f"{len(cell)} {modal[0].upper()}", ha="center", va="center", fontsize=8.5, color="#111")
    labels = ledger.topics.set_index("topic")["label"]
    ax.set_yticks(range(len(topics)), [labels.get(t, t) for t in topics], fontsize=8.5)
    ax.set_xticks(range(len(evidence)), [vocab.label(e) for e in evidence], rotation=30, ha="right", fontsize=8.5)
    topic_sections = ledger.topics.set_index("topic")["section"]
    for i in range(1, len(topics)):
        if topic_sections[topics[i]] != topic_sections[topics[i - 1]]:
            ax.axhline(i - 0.5, color="#444", linewidth=0.8)
    for section in dict.fromkeys(topic_sections[t] for t in topics):
        rows = [i for i, t in enumerate(topics) if topic_sections[t] == section]
        band_label(ax, len(evidence) - 0.45, rows, section)
    ax.set_xlim(-0.5, len(evidence) - 0.5)
    ax.set_ylim(len(topics) - 0.5, -0.5)
    _grid_only(ax)
    fig.legend(
        handles=_legend_patches({f"{a[0].upper()} {a}": c for a, c in ledger.vocabulary.colours("appraisal").items()}),
        loc="upper center",
        ncols=4,
        frameon=False,
        fontsize=8.5,
        title="most common appraisal in the cell (ties go to the weaker grade)",
        title_fontsize=8.5,
    )
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / fig.get_figheight()))
    return _finished(fig)


def _modal(cell: pd.DataFrame) -> str:
    """The most common appraisal among some claims; ties go to the weaker grade."""
    return figuredata.modal_appraisal(cell.appraisal, vocab.DEFAULT)


EVIDENCE_STYLES = figuredata.EVIDENCE_STYLES


def mechanism_network(ledger: Ledger) -> plt.Figure:
    """Brain or mental state → mediator → bone, and bone → mediator → brain, drawn from the
    mechanism claims; each edge is styled by the strongest evidence any of its claims cites
    (see `figuredata.network`)."""
    return draw_network(figuredata.network(ledger))


def draw_network(data: figuredata.Network) -> plt.Figure:
    rows = max(len(data.mediators), 1)
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 1.4 + 0.48 * rows))
    box = {"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#444"}
    # Brain on the left and bone on the right span every row, so every edge is horizontal.
    for x, text in ((0.0, "Brain and\nmental state"), (3.0, "Bone")):
        ax.add_patch(plt.Rectangle((x - 0.35, -0.45), 0.7, rows - 0.1, facecolor="#f3f3f3", edgecolor="#444"))
        ax.text(x, (rows - 1) / 2, text, ha="center", va="center", fontsize=10, rotation=90)
    ax.set_xlim(-0.4, 3.4)
    ax.set_ylim(rows - 0.45, -0.55)
    texts = {
        topic: ax.text(1.5, y, text, ha="center", va="center", fontsize=8.5, bbox=box, zorder=5)
        for topic, text, y in data.mediators
    }
    fig.canvas.draw()  # measure each label, so arrows end at its box's edge
    to_data = ax.transData.inverted()
    for edge in data.edges:
        extent = texts[edge.topic].get_bbox_patch().get_window_extent()
        left, right = to_data.transform((extent.x0, 0))[0], to_data.transform((extent.x1, 0))[0]
        legs = ((0.35, left), (right, 2.65)) if edge.direction == "brain_to_bone" else ((2.65, right), (left, 0.35))
        for start, end in legs:
            ax.annotate(
                "",
                xy=(end, edge.y + edge.offset),
                xytext=(start, edge.y + edge.offset),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": edge.colour,
                    "linestyle": edge.linestyle,
                    "linewidth": edge.linewidth,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )
    handles = [Line2D([], [], color=colour, label=label) for label, colour in data.directions]
    handles += [
        Line2D([], [], color="#444", linestyle=style, linewidth=width, label=f"evidence: {family}")
        for family, style, width in data.styles
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=3, frameon=False, fontsize=8.5)
    ax.axis("off")
    fig.tight_layout()
    return _finished(fig)


def interventions_matrix(ledger: Ledger) -> plt.Figure:
    """Each intervention against its claimed benefit for bone and for mood or cognition: marker
    for the claimed effect, colour for the most common appraisal, text for the evidence, and a
    bold outline where the claim sells something (see `figuredata.interventions`)."""
    return draw_interventions(figuredata.interventions(ledger))


def draw_interventions(data: figuredata.Matrix) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 1.5 + 0.38 * len(data.rows)))
    for cell in data.cells:
        if cell.marker is None:
            ax.text(cell.x, cell.y, cell.text, ha="center", va="center", fontsize=8, color="#555")
            continue
        ax.scatter(
            cell.x - 0.75,
            cell.y,
            marker=cell.marker,
            s=80,
            color=cell.colour,
            edgecolor="#000" if cell.selling else "#555",
            linewidth=2.2 if cell.selling else 0.5,
            zorder=3,
        )
        ax.text(cell.x - 0.6, cell.y, cell.text, va="center", fontsize=9)
    ax.set_yticks([y for _, y in data.rows], [label for label, _ in data.rows], fontsize=9)
    ax.set_xticks([x for _, x in data.columns], [name for name, _ in data.columns])
    ax.xaxis.tick_top()
    ax.set_xlim(-0.95, 3.7)
    ax.set_ylim(len(data.rows) - 0.5, -0.5)
    _grid_only(ax)
    shapes = [Line2D([], [], marker=m, linestyle="", color="#666", label=text) for m, text in data.shapes]
    shapes.append(
        Line2D(
            [],
            [],
            marker="s",
            linestyle="",
            markerfacecolor="white",
            markeredgecolor="#000",
            markeredgewidth=2.2,
            label="thick outline: sells a product",
        )
    )
    fig.legend(
        handles=shapes + _legend_patches(dict(data.colours)), loc="lower center", ncols=3, frameon=False, fontsize=8.5
    )
    fig.tight_layout(rect=(0, 0.75 / fig.get_figheight(), 1, 1))
    return _finished(fig)
