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


def _legend_patches(colours: dict[str, str]):
    from matplotlib.patches import Patch

    return [Patch(facecolor=colour, edgecolor="white", label=vocab.label(name)) for name, colour in colours.items()]


def seed_comparison(ledger: Ledger) -> plt.Figure:
    """Three panels comparing the seeds: claims by speaker, by evidence type, and by appraisal."""
    panels = [
        ("speaker", vocab.SPEAKERS, "Who is speaking"),
        ("evidence_type", vocab.EVIDENCE_TYPES, "Evidence the page gives"),
        ("appraisal", vocab.APPRAISALS, "Appraisal"),
    ]
    seeds = list(ledger.sources.seed_id)
    fig, axes = plt.subplots(1, 3, figsize=(BOOK_WIDTH_IN, 0.9 + 0.42 * len(seeds)), sharey=True)
    cycle = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "reddish_purple", "sky_blue", "vermillion", "black")]
    for ax, (column, values, title) in zip(axes, panels, strict=True):
        table = pd.crosstab(ledger.claims.seed_id, ledger.claims[column]).reindex(
            index=seeds, columns=list(values), fill_value=0
        )
        colours = APPRAISAL_COLOURS if column == "appraisal" else dict(zip(values, cycle, strict=False))
        left = pd.Series(0, index=seeds)
        for value in values:
            ax.barh(seeds, table[value], left=left, color=colours[value], edgecolor="white", linewidth=0.5)
            left += table[value]
        ax.set_title(title)
        ax.set_xlabel("claims")
        ax.legend(handles=_legend_patches({v: colours[v] for v in values if table[v].sum()}),
                  loc="upper center", bbox_to_anchor=(0.5, -0.25 - 0.02 * len(seeds)), frameon=False, fontsize=8)
    axes[0].invert_yaxis()
    fig.tight_layout()
    return fig


def effects_dot_plot(ledger: Ledger, primary_source: str = "follis2019") -> plt.Figure:
    """Reported point estimates for one study, one dot per outcome, labelled with unit, sample
    size, follow-up and p-value. No interval is drawn: none is reported."""
    effects = ledger.effects[ledger.effects.primary_source == primary_source].sort_values("value")
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 1.2 + 0.55 * len(effects)))
    ax.scatter(effects["value"], effects["outcome"], s=60, color=OKABE_ITO["blue"], zorder=3)
    for row in effects.itertuples():
        ax.annotate(f"{row.value:g}%  (p{row.p_value})" if row.p_value else f"{row.value:g}%",
                    (row.value, row.outcome), xytext=(8, 0), textcoords="offset points", va="center", fontsize=9.5)
    ax.axvline(0, color="#555", linewidth=0.8)
    ax.set_xlim(0, max(effects["value"].max() * 1.45, 0.01))
    first = effects.iloc[0] if len(effects) else None
    unit = first.unit if first is not None else ""
    ax.set_xlabel(unit)
    if first is not None:
        n = f"n = {int(first.n):,}" if pd.notna(first.n) else "n not reported"
        ax.set_title(f"{first.population or ''}; {n}; follow-up {first.follow_up or 'not reported'}", fontsize=10)
    ax.margins(y=0.4)
    ax.grid(axis="x", color="#ddd", linewidth=0.6)
    fig.tight_layout()
    return fig


DIRECTION_MARKERS = {"beneficial": ("^", "improves"), "harmful": ("v", "worsens"), "association": ("D", "linked, no direction")}
OUTCOME_COLUMNS = ("bone", "mental_health", "cognition", "bone_and_brain")


def harvest_plot(ledger: Ledger) -> plt.Figure:
    """Effect-direction (harvest) plot, after Synthesis Without Meta-analysis: one marker per claim
    that states a direction but no size, by outcome (columns) and evidence type (rows); the marker
    shows the claimed direction and its colour the appraisal."""
    sized = set(ledger.effects.claim_id)
    claims = ledger.claims[
        ledger.claims.claimed_effect.isin(list(DIRECTION_MARKERS))
        & ledger.claims.outcome.isin(list(OUTCOME_COLUMNS))
        & ~ledger.claims.claim_id.isin(sized)
    ]
    evidence_rows = [e for e in vocab.EVIDENCE_TYPES if (claims.evidence_type == e).any()]
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 1.4 + 0.9 * max(len(evidence_rows), 1)))
    per_row = 9  # markers per line inside a cell
    for i, evidence in enumerate(evidence_rows):
        for j, outcome in enumerate(OUTCOME_COLUMNS):
            cell = claims[(claims.evidence_type == evidence) & (claims.outcome == outcome)]
            for k, direction in enumerate(DIRECTION_MARKERS):
                subset = cell[cell.claimed_effect == direction].sort_values("appraisal")
                for n, row in enumerate(subset.itertuples()):
                    x = j + (k - 1) * 0.3 + ((n % per_row) - per_row / 2) * 0.028
                    y = i - 0.25 + (n // per_row) * 0.18
                    ax.scatter(x, y, marker=DIRECTION_MARKERS[direction][0], s=28,
                               color=APPRAISAL_COLOURS[row.appraisal], edgecolor="#222", linewidth=0.3, zorder=3)
    ax.set_xticks(range(len(OUTCOME_COLUMNS)), [vocab.label(o) for o in OUTCOME_COLUMNS])
    ax.set_yticks(range(len(evidence_rows)), [vocab.label(e) for e in evidence_rows])
    for i in range(len(evidence_rows) + 1):
        ax.axhline(i - 0.5, color="#ccc", linewidth=0.6)
    for j in range(len(OUTCOME_COLUMNS) + 1):
        ax.axvline(j - 0.5, color="#ccc", linewidth=0.6)
    ax.set_xlim(-0.5, len(OUTCOME_COLUMNS) - 0.5)
    ax.set_ylim(len(evidence_rows) - 0.5, -0.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    from matplotlib.lines import Line2D

    shapes = [Line2D([], [], marker=m, linestyle="", color="#666", label=f"{text}") for m, text in DIRECTION_MARKERS.values()]
    fig.legend(handles=shapes + _legend_patches(APPRAISAL_COLOURS), loc="lower center", ncols=4, frameon=False, fontsize=8.5)
    fig.tight_layout(rect=(0, 0.14, 1, 1))
    return fig


def evidence_map(ledger: Ledger, sections: tuple[str, ...] = vocab.SECTIONS) -> plt.Figure:
    """Topic × evidence-type matrix: each cell counts the claims and is coloured by their most
    common appraisal (ties go to the weaker grade)."""
    claims = ledger.claims[ledger.claims.section.isin(sections)]
    topics = [t for t in ledger.topics.topic if (claims.topic == t).any()]
    evidence = [e for e in vocab.EVIDENCE_TYPES if (claims.evidence_type == e).any()]
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 1.6 + 0.26 * len(topics)))
    weaker_first = list(reversed(vocab.APPRAISALS))
    for i, topic in enumerate(topics):
        for j, kind in enumerate(evidence):
            cell = claims[(claims.topic == topic) & (claims.evidence_type == kind)]
            if cell.empty:
                continue
            counts = cell.appraisal.value_counts()
            modal = max(weaker_first, key=lambda a: (counts.get(a, 0), -weaker_first.index(a)))
            ax.add_patch(plt.Rectangle((j - 0.45, i - 0.42), 0.9, 0.84, color=APPRAISAL_COLOURS[modal], alpha=0.85))
            ax.text(j, i, str(len(cell)), ha="center", va="center", fontsize=8.5, color="#111")
    labels = ledger.topics.set_index("topic")["label"]
    ax.set_yticks(range(len(topics)), [labels.get(t, t) for t in topics], fontsize=8.5)
    ax.set_xticks(range(len(evidence)), [vocab.label(e) for e in evidence], rotation=30, ha="right", fontsize=8.5)
    ax.set_xlim(-0.5, len(evidence) - 0.5)
    ax.set_ylim(len(topics) - 0.5, -0.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.legend(handles=_legend_patches(APPRAISAL_COLOURS), loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncols=4, frameon=False, fontsize=8.5)
    fig.tight_layout()
    return fig


EVIDENCE_STYLES = {
    "human": ("-", 2.2),
    "review": ("-", 1.4),
    "animal": ("--", 1.4),
    "none": (":", 1.2),
}


def _evidence_family(types: set[str]) -> str:
    if types & {"human_observational", "randomized_trial"}:
        return "human"
    if types & {"systematic_review", "narrative_review"}:
        return "review"
    if "animal_experiment" in types:
        return "animal"
    return "none"


def mechanism_network(ledger: Ledger) -> plt.Figure:
    """Brain or mental state → mediator → bone, and bone → mediator → brain, drawn from the
    mechanism claims; each edge is styled by the strongest evidence any of its claims cites."""
    claims = ledger.claims[(ledger.claims.section == "mechanism") & (ledger.claims.direction != "none")]
    mediators = [t for t in ledger.topics.topic if (claims.topic == t).any()]
    labels = ledger.topics.set_index("topic")["label"]
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 1.2 + 0.42 * max(len(mediators), 3)))
    height = max(len(mediators) - 1, 1)
    brain, bone = (0.0, height / 2), (2.0, height / 2)
    box = {"boxstyle": "round,pad=0.35", "facecolor": "#f3f3f3", "edgecolor": "#444"}
    ax.text(*brain, "Brain and\nmental state", ha="center", va="center", fontsize=10, bbox=box)
    ax.text(*bone, "Bone", ha="center", va="center", fontsize=10, bbox=box)
    for i, topic in enumerate(mediators):
        subset = claims[claims.topic == topic]
        y = float(i)
        ax.text(1.0, y, f"{labels.get(topic, topic)} ({len(subset)})", ha="center", va="center", fontsize=8.5,
                bbox={**box, "facecolor": "white"})
        directions = set(subset.direction)
        for direction, colour, (start, end), offset in (
            ("brain_to_bone", OKABE_ITO["vermillion"], (brain, bone), 0.08),
            ("bone_to_brain", OKABE_ITO["blue"], (bone, brain), -0.08),
        ):
            if direction not in directions and "bidirectional" not in directions:
                continue
            used = subset[subset.direction.isin([direction, "bidirectional"])]
            style, width = EVIDENCE_STYLES[_evidence_family(set(used.evidence_type))]
            mid = (1.0, y + offset)
            for a, b in ((start, mid), (mid, end)):
                shrink_a = 38 if a in (brain, bone) else 50
                ax.annotate("", xy=b, xytext=a,
                            arrowprops={"arrowstyle": "-|>", "color": colour, "linestyle": style, "linewidth": width,
                                        "shrinkA": shrink_a, "shrinkB": 50 if b not in (brain, bone) else 30})
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color=OKABE_ITO["vermillion"], label="brain → bone"),
        Line2D([], [], color=OKABE_ITO["blue"], label="bone → brain"),
        *[Line2D([], [], color="#444", linestyle=s, linewidth=w, label=f"evidence: {k}") for k, (s, w) in EVIDENCE_STYLES.items()],
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncols=3, frameon=False, fontsize=8.5)
    ax.set_xlim(-0.45, 2.45)
    ax.set_ylim(height + 0.6, -0.6)
    ax.axis("off")
    fig.tight_layout()
    return fig


def interventions_matrix(ledger: Ledger) -> plt.Figure:
    """Each intervention against its claimed benefit for bone and for mood or cognition: marker
    for the claimed effect, colour for the most common appraisal, text for the evidence, and a
    bold outline where the claim sells something."""
    claims = ledger.claims[ledger.claims.section == "intervention"]
    topics = [t for t in ledger.topics.topic if (claims.topic == t).any()]
    labels = ledger.topics.set_index("topic")["label"]
    columns = [("Bone", {"bone", "bone_and_brain"}), ("Mood or cognition", {"mental_health", "cognition", "bone_and_brain"})]
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 1.3 + 0.38 * len(topics)))
    weaker_first = list(reversed(vocab.APPRAISALS))
    for i, topic in enumerate(topics):
        for j, (_, outcomes) in enumerate(columns):
            cell = claims[(claims.topic == topic) & claims.outcome.isin(outcomes)]
            if cell.empty:
                ax.text(j * 2, i, "no claim", ha="center", va="center", fontsize=8, color="#666")
                continue
            counts = cell.appraisal.value_counts()
            modal = max(weaker_first, key=lambda a: (counts.get(a, 0), -weaker_first.index(a)))
            effect = cell.claimed_effect.mode().iloc[0]
            marker = DIRECTION_MARKERS.get(effect, ("o", ""))[0]
            selling = bool(cell.commercial_context.any())
            ax.scatter(j * 2 - 0.55, i, marker=marker, s=90, color=APPRAISAL_COLOURS[modal],
                       edgecolor="#000" if selling else "#555", linewidth=2.2 if selling else 0.5, zorder=3)
            families = sorted({vocab.label(e) for e in cell.evidence_type})
            note = f"{len(cell)} claim{'s' if len(cell) > 1 else ''}; {', '.join(families)}" + ("; sells" if selling else "")
            ax.text(j * 2 - 0.35, i, note, va="center", fontsize=7.8)
    ax.set_yticks(range(len(topics)), [labels.get(t, t) for t in topics], fontsize=8.5)
    ax.set_xticks([0, 2], [name for name, _ in columns])
    ax.xaxis.tick_top()
    ax.set_xlim(-0.8, 3.9)
    ax.set_ylim(len(topics) - 0.5, -0.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    from matplotlib.lines import Line2D

    shapes = [Line2D([], [], marker=m, linestyle="", color="#666", label=t) for m, t in DIRECTION_MARKERS.values()]
    shapes.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#000",
                         markeredgewidth=2.2, label="sells a product"))
    fig.legend(handles=shapes + _legend_patches(APPRAISAL_COLOURS), loc="lower center", ncols=4, frameon=False, fontsize=8)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig
