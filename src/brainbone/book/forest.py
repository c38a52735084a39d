"""A forest plot of reported effects: the checked context rows, one panel per question and effect
measure, and the seeds' own point estimates in a panel of their own. Nothing is pooled or recomputed.
`forest_data` is pure (a table, one entry per row used); `forest_plot` only draws it."""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import pandas as pd
from pybtex.database import parse_file

from brainbone.appraisal import context as ctx
from brainbone.ledger import context_tables

RATIO, DIFFERENCE = "ratio", "difference"
# Each effect measure as the shared file writes it -> (axis label, kind). Rows on one axis share a label.
MEASURES = {
    "mean difference g/cm2": ("mean difference in BMD (g/cm²)", DIFFERENCE),
    "weighted mean effect size d": ("standardised mean difference d", DIFFERENCE),
    "HR": ("hazard ratio", RATIO),
    "pooled HR": ("hazard ratio", RATIO),
    "pooled HR (random effects)": ("hazard ratio", RATIO),
    "RR": ("risk ratio", RATIO),
    "pooled RR (random effects)": ("risk ratio", RATIO),
    "difference in mean annual bone loss rate (%)": ("difference in annual bone loss (% per year)", DIFFERENCE),
    "difference in annualised bone loss rate (%)": ("difference in annual bone loss (% per year)", DIFFERENCE),
    "adjusted OR": ("odds ratio", RATIO),
    "pooled OR": ("odds ratio", RATIO),
    "OR": ("odds ratio", RATIO),
    "mean effect": ("mean effect (type not named in the abstract)", DIFFERENCE),
    "SIR": ("standardised incidence ratio", RATIO),
    "HR per g/cm2 higher BMD": ("hazard ratio per g/cm² higher BMD", RATIO),
    "HR (second scaling; unit cut off, probably per SD)": ("hazard ratio (unit not given in the abstract)", RATIO),
    "Hedges' g (95% credible interval)": ("Hedges' g (95% credible interval)", DIFFERENCE),
    "SMD": ("standardised mean difference", DIFFERENCE),
    "MD": ("mean difference in symptom score", DIFFERENCE),
    "Hedges' g": ("Hedges' g", DIFFERENCE),
    "WMD g/cm2": ("weighted mean difference in BMD (g/cm²)", DIFFERENCE),
    "pooled effect size": ("pooled effect size (type not named in the abstract)", DIFFERENCE),
    # Rows added with Q5, Q6, Q9, Q10 and Q12 on 2026-12-07 (issue 21).
    "MD g/cm2": ("mean difference in BMD (g/cm²)", DIFFERENCE),
    "HR (fully adjusted)": ("hazard ratio", RATIO),
    "HR (fully adjusted, model 3)": ("hazard ratio", RATIO),
    "HR (intention to treat)": ("hazard ratio", RATIO),
    "HR, quintile 5 vs quintile 1 of magnesium intake": ("hazard ratio", RATIO),
    "summary relative risk estimate (SRRE)": ("risk ratio", RATIO),
    "log RR (as printed; do not exponentiate)": ("log risk ratio (as printed)", DIFFERENCE),
}
# A measure whose unit the checked abstract leaves undefined is named, not drawn as an effect.
UNDEFINED_UNIT = ("units not stated",)
# Reported numbers that are not effect sizes, and so are never drawn.
NOT_EFFECTS = ("t (mixed model)", "t (linear model)", "r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")


def _number(text: str | None) -> float | None:
    """A reported value as a number, if it is one plain number ('1.26', '0.35%'); else None."""
    if text is None or not NUMBER.match(str(text).strip()):
        return None
    return float(str(text).strip().rstrip("%"))


def study_labels(bib_path: Path) -> dict[str, str]:
    """'Wu et al. 2018' for every key of references.bib."""
    labels = {}
    for key, entry in parse_file(str(bib_path), bib_format="bibtex").entries.items():
        people = [p for p in entry.persons.get("author", []) if str(p) != "others"]
        others = len(entry.persons.get("author", [])) > 1
        if people:
            surname = " ".join(people[0].prelast_names + people[0].last_names).strip("{}")
            name = surname + (" et al." if others else "")
        else:
            name = key
        labels[key] = f"{name} {entry.fields.get('year', '')}".strip()
    return labels


def forest_data(
    context: ctx.Context,
    seed_effects: pd.DataFrame,
    questions: list[str],
    labels: dict[str, str],
    *,
    seed_panel: bool = True,
) -> pd.DataFrame:
    """One entry per context row of `questions` (drawn or, with the reason, not), then one per seed
    effect. `panel` groups rows that share a question and an effect measure, and so one axis."""
    seed_studies = set(seed_effects.primary_source.dropna())
    entries = []
    for row in context.effects[context.effects.question.isin(questions)].itertuples():
        estimate, low, high = _number(row.estimate), _number(row.ci_low), _number(row.ci_high)
        measure = row.effect_measure or ""
        note = ""
        if row.study_key in seed_studies:
            note = "reported by a seed: drawn in the seeds' own panel"
        elif not measure or measure in NOT_EFFECTS or measure.startswith(("mean (SD)", "mean % loss")):
            note = "not an effect size on a common scale (a test statistic, correlation, group means or text)"
        elif estimate is None:
            note = "the estimate is not a single number"
        elif any(words in measure for words in UNDEFINED_UNIT):
            note = "its unit is not defined in the checked abstract"
        elif measure not in MEASURES:
            raise ValueError(
                f"{context_tables.EFFECTS_FILE} row '{row.context_id}': effect measure '{measure}' has no axis in brainbone.book.forest.MEASURES; "
                "add it there, with its kind (ratio or difference)"
            )
        axis, kind = MEASURES.get(measure, (measure, DIFFERENCE))
        drawn = not note
        entries.append(
            {
                "source": "context",
                "question": row.question,
                "panel": f"{row.question} · {axis}" if drawn else None,
                "axis": axis,
                "kind": kind,
                "no_effect": 1.0 if kind == RATIO else 0.0,
                "context_id": row.context_id,
                "study": labels.get(row.study_key, row.study_key),
                "outcome": row.outcome or "",
                "population": row.population or "",
                "exposure": row.exposure_or_intervention or "",
                "estimate": estimate,
                "ci_low": low if low is not None and high is not None else None,
                "ci_high": high if low is not None and high is not None else None,
                "interval": ctx.interval_name(row) if low is not None and high is not None else "",
                "reported": f"{row.estimate}"
                + (f" [{row.ci_low}, {row.ci_high}]" if low is not None and high is not None else ""),
                "studies_and_participants": ctx.size_text(row),
                "drawn": drawn,
                "note": note,
            }
        )
    if seed_panel:
        for row in seed_effects.itertuples():
            entries.append(
                {
                    "source": "seed",
                    "question": "seeds",
                    "panel": f"The seeds' own estimates · {row.unit}",
                    "axis": row.unit,
                    "kind": DIFFERENCE,
                    "no_effect": 0.0,
                    "context_id": row.effect_id,
                    "study": labels.get(row.primary_source, row.primary_source or "study not identified"),
                    "outcome": row.outcome,
                    "population": row.population or "",
                    "exposure": row.exposure,
                    "estimate": float(row.value),
                    "ci_low": None,
                    "ci_high": None,
                    "interval": "",
                    "reported": f"{row.value:g}",
                    "studies_and_participants": f"n = {int(row.n):,}" if pd.notna(row.n) else "n not reported",
                    "drawn": True,
                    "note": "point estimate only: the source reports no interval",
                }
            )
    order = {q: i for i, q in enumerate(ctx.QUESTIONS)}
    frame = pd.DataFrame(entries)
    if frame.empty:
        return frame
    rank = frame.question.map(order).fillna(len(order))  # the seeds' panel last
    return frame.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)


def _ticks(low: float, high: float) -> list[float]:
    for candidates in (
        [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200],
        [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4],
        [0.8, 0.9, 1, 1.1, 1.25],
    ):
        inside = [c for c in candidates if low <= c <= high]
        if len(inside) >= 3:
            return inside
    return sorted({round(low * 1.01, 2), 1.0, round(high * 0.99, 2)})  # a narrow axis around 1


def _label(row: pd.Series, rows: pd.DataFrame) -> str:
    """Study and outcome; the population only where it tells rows of one study apart, and the
    exposure where it carries a unit ("per SD decrease")."""
    label = f"{row.study} · {row.outcome}"
    same_study = rows[rows.study == row.study]
    if row.source == "context" and same_study.population.nunique() > 1:
        label += f" ({row.population.split(';')[0]})"  # the subgroup, without the search dates
    if row.source == "context" and (" per " in f" {row.exposure} " or same_study.exposure.nunique() > 1):
        label += f"; exposure {row.exposure}"
    return textwrap.fill(label, 50)


def forest_plot(data: pd.DataFrame, *, width: float = 7.4) -> plt.Figure:
    """Draw `forest_data`: a panel per question and measure, each with its own axis and line of no
    effect (1 on a log axis for ratios, 0 for differences). Squares with lines have a reported
    interval; hollow diamonds have none. On a light, bordered panel, legible in either theme."""
    drawn = data[data.drawn]
    panels = list(dict.fromkeys(drawn.panel))
    heights = [0.6 + 0.46 * int((drawn.panel == p).sum()) for p in panels]
    fig = plt.figure(figsize=(width, sum(heights) + 0.5), facecolor="white", edgecolor="#888", linewidth=1.0)
    grid = fig.add_gridspec(
        len(panels),
        1,
        height_ratios=heights,
        left=0.40,
        right=0.66,
        top=1 - 0.3 / sum(heights),
        bottom=0.2 / sum(heights),
        hspace=0.9,
    )
    for index, panel in enumerate(panels):
        ax = fig.add_subplot(grid[index])
        ax.set_facecolor("white")
        rows = drawn[drawn.panel == panel].reset_index(drop=True)
        kind, no_effect = rows.kind.iloc[0], rows.no_effect.iloc[0]
        values = [v for v in [*rows.estimate, *rows.ci_low.dropna(), *rows.ci_high.dropna(), no_effect] if pd.notna(v)]
        low, high = min(values), max(values)
        if kind == RATIO:
            ax.set_xscale("log")
            span = math.log(high / low) or 0.2
            ax.set_xlim(low / math.exp(0.08 * span + 0.03), high * math.exp(0.08 * span + 0.03))
            ticks = _ticks(*ax.get_xlim())
            ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
            ax.xaxis.set_minor_locator(plt.NullLocator())
        else:
            pad = (high - low) * 0.08 or abs(high) * 0.2 or 0.1
            ax.set_xlim(low - pad, high + pad)
        ax.axvline(no_effect, color="#444", linewidth=0.9, linestyle="--", zorder=1)
        label_transform = mtransforms.blended_transform_factory(ax.transAxes, ax.transData)
        for y, row in rows.iterrows():
            if pd.notna(row.ci_low):
                ax.plot([row.ci_low, row.ci_high], [y, y], color="#0072B2", linewidth=1.6, zorder=2)
                ax.plot(row.estimate, y, marker="s", markersize=5, color="#0072B2", zorder=3)
            else:
                ax.plot(
                    row.estimate,
                    y,
                    marker="D",
                    markersize=5.5,
                    markerfacecolor="white",
                    markeredgecolor="#D55E00",
                    markeredgewidth=1.4,
                    zorder=3,
                )
            ax.text(
                -0.03,
                y,
                _label(row, rows),
                transform=label_transform,
                ha="right",
                va="center",
                fontsize=7,
                color="#111",
            )
            reported = row.reported + ("" if pd.notna(row.ci_low) else "  no interval reported")
            ax.text(
                1.03,
                y,
                f"{reported}\n{textwrap.fill(row.studies_and_participants, 58)}",
                transform=label_transform,
                ha="left",
                va="center",
                fontsize=7,
                color="#111",
            )
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks([])
        ax.tick_params(axis="x", labelsize=7.5, colors="#111")
        for spine in ("top", "right", "left"):
            ax.spines[spine].set_visible(False)
        question = rows.question.iloc[0]
        where = "The seeds' own estimates, " if question == "seeds" else f"{question} {ctx.QUESTIONS[question][0]}: "
        scale = " (log scale; 1 = no difference)" if kind == RATIO else " (0 = no difference)"
        ax.set_title(
            f"{where}{rows.axis.iloc[0]}{scale}", loc="left", fontsize=8.5, color="#111", x=(0.02 - 0.40) / 0.26
        )
    return _finished(fig)


def _finished(fig: plt.Figure) -> plt.Figure:
    plt.close(fig)  # shown once, as the cell's value
    return fig


def reported_effects(
    ledger, context: ctx.Context, questions: list[str], *, seed_sources: list[str] | None = None
) -> pd.DataFrame:
    """`forest_data` for a book: its context rows on `questions`, and the seeds' own estimates from
    the studies in `seed_sources` (none when it is None)."""
    labels = study_labels(ledger.root / "references.bib")
    effects = ledger.effects
    seed_effects = effects[effects.primary_source.isin(seed_sources or [])]
    return forest_data(context, seed_effects, questions, labels, seed_panel=bool(seed_sources))
