"""Forest plots of the checked context rows, one figure per key question: each panel one outcome and one
effect measure, each row labelled with its study, outcome, population, exposure, direction and design,
an axis that says which side means what (from the rows' `direction_in_words`), and the rows that are not
an effect on a defined scale named below the figure with the reason. Nothing is pooled or recomputed.

`forest_data` is pure (a table, one entry per row of the question, drawn or not, with every label);
`check_rows` refuses a table that breaks a rule; `forest_plot` only draws one panel of it."""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import pandas as pd  # noqa: E402
from pybtex.database import parse_file  # noqa: E402

from brainbone.appraisal import context as ctx  # noqa: E402
from brainbone.appraisal import effectwords as ew  # noqa: E402

RATIO, DIFFERENCE = "ratio", "difference"
# The outcome each panel holds, by the first rule that matches the checked `outcome` (bone loss before bone
# density: "annual hip BMD loss rate" is a loss). An outcome no rule knows is an error naming the row.
OUTCOMES: tuple[tuple[str, str], ...] = (
    (r"\bloss\b", "bone loss"),
    (r"fracture", "fracture"),
    (r"\bBMD\b|bone density|T-score", "bone density"),
    (r"osteoporosis", "osteoporosis"),
    (r"dementia|Alzheimer", "dementia"),
    (r"relapse", "relapse of depression"),
    (r"response", "response to treatment"),
    (r"discontinuation symptom", "discontinuation symptoms"),
    (r"adverse event", "adverse events"),
    (r"antidepressant use", "antidepressant use"),
    (r"depress", "depressive symptoms"),
    (r"anxiety", "anxiety symptoms"),
    (r"magnesium", "serum magnesium"),
    (r"osteonecrosis", "osteonecrosis of the jaw"),
    (r"liver", "liver injury"),
    (r"serotonin", "serotonin syndrome"),
)
DRAWN_FAMILIES = (ew.RATIO, ew.DIFFERENCE, ew.STANDARDISED)
SUBGROUP = "subgroup n not reported"
NOT_OWN = "n for this estimate not reported"


class ForestError(ValueError):
    """A forest table that breaks a rule; the message names the row and the rule."""


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


def outcome_of(row) -> str:
    for pattern, label in OUTCOMES:
        if re.search(pattern, row.outcome or "", re.I):
            return label
    raise ForestError(
        f"{ctx.EFFECTS_FILE} row '{row.context_id}': outcome '{row.outcome}' has no rule in brainbone.forest.OUTCOMES; "
        "add one naming the outcome its panel holds"
    )


def _number(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text.rstrip("%")) if ew.NUMBER.match(text) else None


def _short(text: str, limit: int = 60) -> str:
    """A checked phrase up to its first ';' (search dates and the like follow it), whole words, ≤ limit."""
    text = re.split(r";", text or "", maxsplit=1)[0].strip()
    return text if len(text) <= limit else textwrap.shorten(text, limit, placeholder=" …")


def size_labels(rows: pd.DataFrame) -> dict[str, tuple[str, bool]]:
    """What each row's numbers of studies and participants count, and whether it is a subgroup. Counts
    that a study's rows share are the whole analysis's: a row whose population differs from the study's
    first row is a subgroup ('subgroup n not reported (whole meta-analysis: …)'); another row sharing them
    reports an estimate whose own n the abstract does not give."""
    labels = {}
    for _, group in rows.groupby("study_key", sort=False):
        # A meta-analysis lists its main pooled result first; a single study's rows on other populations are
        # all subgroups of its whole sample.
        meta = bool(group.n_studies.iloc[0]) and group.n_studies.iloc[0] != "1"
        first_population = group.population.iloc[0] or ""
        for row in group.itertuples():
            own = ctx.size_text(row)
            counted = bool(row.n_studies or row.n_participants)
            sharing = group[
                (group.n_studies.fillna("") == (row.n_studies or ""))
                & (group.n_participants.fillna("") == (row.n_participants or ""))
            ]
            shared = counted and len(sharing) > 1
            scope = "meta-analysis" if row.n_studies and row.n_studies != "1" else "study"
            populations = set(sharing.population.fillna(""))
            subgroup = shared and len(populations) > 1 and (not meta or (row.population or "") != first_population)
            if subgroup:
                labels[row.context_id] = (f"{SUBGROUP} (whole {scope}: {own})", True)
            elif shared and meta:
                labels[row.context_id] = (f"{NOT_OWN} (whole {scope}: {own})", False)
            else:
                labels[row.context_id] = (own, False)
    return labels


def _not_drawn_reason(row, measure: ew.Measure) -> str:
    if measure.undefined:
        return measure.undefined
    if measure.family not in DRAWN_FAMILIES:
        return {
            ew.PERCENT: "a relative change printed as a percentage, without the ratio it comes from",
            ew.PROPORTION: "a proportion of one group, not a comparison",
            ew.GROUPS: "the values of two groups, not an effect size",
            ew.STATISTIC: "a test statistic or a correlation, not an effect size",
        }.get(measure.family, "no effect size in the checked copies")
    if _number(row.estimate) is None:
        return "several results or a description in one row, not a single estimate"
    return ""


def forest_data(context: ctx.Context, question: str, labels: dict[str, str]) -> pd.DataFrame:
    """One entry per context row of `question`: drawn, with its panel (one outcome and one measure) and
    every label, or not drawn, with the reason. Checked by `check_rows` before it is returned."""
    rows = context.rows_for(question).reset_index(drop=True)
    sizes = size_labels(rows)
    entries = []
    for row in rows.itertuples():
        measure, _ = ew.measure_of(row)
        reason = _not_drawn_reason(row, measure)
        drawn = not reason
        orientation = 0
        if drawn and measure.family in ew.SIGNED:
            orientation = ew.orientation(row)
        outcome = outcome_of(row) if drawn else (row.outcome or "")
        # An adjustment or analysis set qualifies a row, not its scale: such rows share the measure's axis.
        name = re.sub(r", (fully adjusted.*|intention to treat)$", "", ew.measure_name(row))
        axis = name + (f" ({measure.unit})" if measure.unit else "")
        estimate, low, high = _number(row.estimate), _number(row.ci_low), _number(row.ci_high)
        size, subgroup = sizes[row.context_id]
        entries.append(
            {
                "question": question,
                "context_id": row.context_id,
                "study": labels.get(row.study_key, row.study_key),
                "outcome": ew.subject(row),
                "outcome_class": outcome,
                "panel": f"{outcome} · {axis}" if drawn else None,
                "axis": axis,
                "kind": RATIO if measure.family == ew.RATIO else DIFFERENCE,
                "no_effect": 1.0 if measure.family == ew.RATIO else 0.0,
                "orientation": orientation,
                "unit_defined": measure.defined,
                "population": _short(row.population or "population not stated", 70),
                "exposure": _short(row.exposure_or_intervention or "", 70),
                "direction": _short(ew.shown_direction(row), 90),
                "design": _short(row.design or "design not stated", 70),
                "estimate": estimate,
                "ci_low": low if low is not None and high is not None else None,
                "ci_high": high if low is not None and high is not None else None,
                "reported": (row.estimate or "")
                + (f" ({row.ci_low} to {row.ci_high})" if low is not None and high is not None else ""),
                "i_squared": context.i_squared(row.context_id),
                "counts": size,
                "subgroup": subgroup,
                "words": ew.effect_in_words(row),
                "drawn": drawn,
                "note": reason,
            }
        )
    frame = pd.DataFrame(entries)
    check_rows(frame)
    return frame


def check_rows(frame: pd.DataFrame) -> None:
    """The rules a forest table keeps, whatever drew it: every drawn row has a direction label; a subgroup
    row never prints the whole analysis's counts without saying so; a row whose unit or comparator the
    checked abstract leaves undefined is never drawn; the rows of a signed panel agree on which side is
    which."""
    for row in frame.itertuples():
        where = f"forest row '{row.context_id}'"
        if row.drawn and not str(row.direction).strip():
            raise ForestError(f"{where}: drawn without a direction label; label it from direction_in_words")
        if row.subgroup and not str(row.counts).startswith(SUBGROUP):
            raise ForestError(
                f"{where}: a subgroup printed with the counts '{row.counts}' and no qualifier; "
                f"write '{SUBGROUP} (whole meta-analysis: …)'"
            )
        if row.drawn and not row.unit_defined:
            raise ForestError(
                f"{where}: its unit or comparator is undefined in the checked abstract, so it is not drawn"
            )
    drawn = frame[frame.drawn] if len(frame) else frame
    for panel, rows in drawn.groupby("panel", sort=False):
        sides = set(rows.orientation) - {0}
        if len(sides) > 1:
            raise ForestError(f"forest panel '{panel}': its rows put higher values on opposite sides; split it")
        if rows.kind.iloc[0] == DIFFERENCE and not sides:
            raise ForestError(f"forest panel '{panel}': no row's checked words say which side is higher")


def _exposure_phrase(rows: pd.DataFrame) -> str:
    exposures = list(dict.fromkeys(re.split(r"\s+vs\s+|,|\(", e)[0].strip() for e in rows.exposure))
    exposures = [re.sub(r"\bBMD\b", "bone density", e) for e in exposures]
    return " or ".join(exposures) if len(exposures) <= 2 else "the exposure or treatment"


def axis_sides(rows: pd.DataFrame) -> tuple[str, str]:
    """What the left and the right of a panel's line of no effect mean, in words, from the rows' checked
    direction (never from the sign alone): ('← lower bone density with depression', 'higher →')."""
    outcome, exposure = rows.outcome_class.iloc[0], _exposure_phrase(rows)
    if rows.kind.iloc[0] == RATIO:
        noun = "odds" if "odds" in rows.axis.iloc[0] else "incidence" if "incidence" in rows.axis.iloc[0] else "risk"
        return f"← lower {noun} of {outcome} with {exposure}", f"higher {noun} →"
    right = ew.HIGHER if (set(rows.orientation) - {0}).pop() > 0 else ew.LOWER
    left = ew.LOWER if right == ew.HIGHER else ew.HIGHER
    return f"← {left} {outcome} with {exposure}", f"{right} →"


def panels(data: pd.DataFrame) -> list[pd.DataFrame]:
    drawn = data[data.drawn]
    return [drawn[drawn.panel == p].reset_index(drop=True) for p in dict.fromkeys(drawn.panel)]


def _ticks(low: float, high: float) -> list[float]:
    if high / low > 300:  # over two decades: powers of ten, so labels do not run together
        return [c for c in (0.01, 0.1, 1, 10, 100, 1000) if low <= c <= high]
    for candidates in (
        [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200],
        [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4],
        [0.8, 0.9, 1, 1.1, 1.25],
    ):
        inside = [c for c in candidates if low <= c <= high]
        if len(inside) >= 3:
            return inside
    return sorted({round(low * 1.01, 2), 1.0, round(high * 0.99, 2)})


FONT = 9.5
INK, BLUE, ORANGE = "#111111", "#0072B2", "#D55E00"


def _row_text(row) -> str:
    lines = [
        textwrap.fill(f"{row.study} · {row.outcome}", 38),
        textwrap.fill(f"{row.population} · {row.exposure}", 40),
        textwrap.fill(f"Direction: {row.direction}", 40),
        textwrap.fill(row.design, 40),
    ]
    return "\n".join(lines)


def _right_text(row) -> str:
    estimate = row.reported + ("" if pd.notna(row.ci_low) else "; no interval reported")
    heterogeneity = [f"I² {row.i_squared}"] if row.i_squared else []
    return "\n".join([textwrap.fill(estimate, 28), *heterogeneity, textwrap.fill(row.counts, 28)])


def forest_plot(rows: pd.DataFrame, *, width: float = 7.0) -> plt.Figure:
    """Draw one panel of `forest_data`: its rows, their intervals as reported (a hollow diamond where none
    was reported), the line of no effect (1 on a log axis for ratios, 0 for differences) and what each side
    means. On white, legible in either theme."""
    line_counts = [max(_row_text(r).count("\n"), _right_text(r).count("\n")) + 1 for r in rows.itertuples()]
    heights = [0.175 * n + 0.16 for n in line_counts]
    total = sum(heights) + 1.35
    fig = plt.figure(figsize=(width, total), facecolor="white")
    ax = fig.add_axes((0.405, 1.05 / total, 0.29, (total - 1.35) / total))
    ax.set_facecolor("white")
    centres, y = [], 0.0
    for h in heights:
        centres.append(y + h / 2)
        y += h
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
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=4, min_n_ticks=3))
    ax.axvline(no_effect, color="#444444", linewidth=0.9, linestyle="--", zorder=1)
    for centre, row in zip(centres, rows.itertuples(), strict=True):
        if pd.notna(row.ci_low):
            ax.plot([row.ci_low, row.ci_high], [centre, centre], color=BLUE, linewidth=1.8, zorder=2)
            ax.plot(row.estimate, centre, marker="s", markersize=6, color=BLUE, zorder=3)
        else:
            ax.plot(
                row.estimate,
                centre,
                marker="D",
                markersize=6,
                markerfacecolor="white",
                markeredgecolor=ORANGE,
                markeredgewidth=1.5,
                zorder=3,
            )
        blend = ax.get_yaxis_transform()
        ax.text(
            -0.04,
            centre,
            _row_text(row),
            transform=blend,
            ha="right",
            va="center",
            fontsize=FONT - 1,
            color=INK,
            linespacing=1.15,
        )
        ax.text(
            1.04,
            centre,
            _right_text(row),
            transform=blend,
            ha="left",
            va="center",
            fontsize=FONT - 1,
            color=INK,
            linespacing=1.15,
        )
    for edge in [0.0, *[sum(heights[: i + 1]) for i in range(len(heights) - 1)]]:
        if edge:
            ax.axhline(edge, color="#dddddd", linewidth=0.6, zorder=0, xmin=-1.4, xmax=2.05, clip_on=False)
    ax.set_ylim(sum(heights), 0)
    ax.set_yticks([])
    ax.tick_params(axis="x", labelsize=FONT, colors=INK)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    left, right = axis_sides(rows)
    left, right = textwrap.fill(left, 30), textwrap.fill(right, 30)
    ax.annotate(
        left,
        xy=(no_effect, 0),
        xycoords=("data", "axes fraction"),
        xytext=(-4, -26),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=FONT,
        color=INK,
        fontweight="bold",
    )
    ax.annotate(
        right,
        xy=(no_effect, 0),
        xycoords=("data", "axes fraction"),
        xytext=(4, -26),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=FONT,
        color=INK,
        fontweight="bold",
    )
    scale = "log scale; 1 = no difference" if kind == RATIO else "0 = no difference"
    title = textwrap.fill(f"{rows.outcome_class.iloc[0].capitalize()}: {rows.axis.iloc[0]} ({scale})", 78)
    fig.text(0.01, 1 - 0.12 / total, title, ha="left", va="top", fontsize=FONT + 1, color=INK, fontweight="bold")
    plt.close(fig)
    return fig


def alt_text(question_label: str, rows: pd.DataFrame) -> str:
    """The alt text of one panel, from the same rows the panel draws."""
    left, right = axis_sides(rows)
    scale = (
        "a log scale with 1 marking no difference"
        if rows.kind.iloc[0] == RATIO
        else "a scale with 0 marking no difference"
    )
    parts = [
        f"Forest plot panel, {question_label}: {rows.outcome_class.iloc[0]}, {rows.axis.iloc[0]}, on {scale}; "
        f"left means {left.strip('← ')}, right means {right.strip(' →')}."
    ]
    for row in rows.itertuples():
        parts.append(
            f"{row.study}, {row.population}: {row.words}; {row.counts}"
            + (f"; I² {row.i_squared}" if row.i_squared else "")
            + "."
        )
    return " ".join(parts)


def footnotes(data: pd.DataFrame) -> list[str]:
    """The rows not drawn, each in words with the reason."""
    return [f"{row.study}: {row.words}. Not drawn: {row.note}." for row in data[~data.drawn].itertuples()]


def question_data(ledger, question: str) -> pd.DataFrame:
    """`forest_data` for a book's question."""
    labels = study_labels(ledger.root / "references.bib")
    return forest_data(ctx.from_ledger(ledger), question, labels)
