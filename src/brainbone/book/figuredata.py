"""What each figure draws, computed from the ledger: positions, markers, colours and labels.

Pure functions with no matplotlib, each returning a small frozen record; `brainbone.book.figures` draws
a record and nothing else. Unit tests check these records against values counted by hand on the
tiny fixture, and check that the drawing shows every marker, arrow and colour a record holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from brainbone.ledger.loader import Ledger
from brainbone.ledger.vocabulary import Vocabulary

# Line style and width of each evidence family (the `family` of evidence types in
# data/vocabulary.csv), strongest first: an edge takes the strongest family among its claims.
EVIDENCE_STYLES = {
    "human": ("-", 2.2),
    "review": ("-", 1.4),
    "animal": ("--", 1.4),
    "none stated or expert opinion": (":", 1.2),
}
WEAKEST_FAMILY = "none stated or expert opinion"
# Outcome families a harvest plot gives a column to, and those each interventions column covers.
HARVEST_OUTCOME_FAMILIES = ("bone", "brain", "bone_and_brain")
INTERVENTION_COLUMNS = (("Bone", ("bone", "bone_and_brain")), ("Mood or cognition", ("brain", "bone_and_brain")))


def drawn_effects(vocabulary: Vocabulary) -> tuple[str, ...]:
    """The claimed effects a marker stands for: every one but `none`."""
    return tuple(value for value in vocabulary.values("claimed_effect") if value != "none")


def modal_appraisal(appraisals: pd.Series, vocabulary: Vocabulary) -> str:
    """The most common appraisal among some claims; ties go to the weaker grade."""
    counts = appraisals.value_counts()
    weaker_first = list(reversed(vocabulary.values("appraisal")))
    return max(weaker_first, key=lambda a: (counts.get(a, 0), -weaker_first.index(a)))


def strongest_family(evidence_types: set[str], vocabulary: Vocabulary) -> str:
    """The strongest evidence family among some evidence types (EVIDENCE_STYLES order)."""
    families = {vocabulary.term("evidence_type", e).family for e in evidence_types}
    return next((family for family in EVIDENCE_STYLES if family in families), WEAKEST_FAMILY)


# ---------------------------------------------------------------------------------------
# Harvest plot


@dataclass(frozen=True)
class Marker:
    """One marker: a claim at (x, y), its shape for the claimed effect and colour for the grade."""

    claim_id: str
    x: float
    y: float
    marker: str
    colour: str


@dataclass(frozen=True)
class Harvest:
    columns: tuple[str, ...]  # outcome labels, left to right (x = 0, 1, ...)
    rows: tuple[tuple[str, float], ...]  # (evidence label, y of the row's middle), top to bottom
    tops: tuple[float, ...]  # y of each row boundary, first and last included
    markers: tuple[Marker, ...]
    shapes: tuple[tuple[str, str], ...]  # legend: (marker, what it means)
    colours: tuple[tuple[str, str], ...]  # legend: (grade label, colour)
    height_in: float


def harvest_claims(ledger: Ledger, sections: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The claims a harvest plot shows: those stating a direction of effect on bone or the brain,
    with no size (a sized result is in effects.csv and plotted with its value instead)."""
    vocabulary = ledger.vocabulary
    claims = ledger.claims
    outcomes = vocabulary.in_family("outcome", *HARVEST_OUTCOME_FAMILIES)
    mask = (
        claims.claimed_effect.isin(drawn_effects(vocabulary))
        & claims.outcome.isin(outcomes)
        & ~claims.claim_id.isin(set(ledger.effects.claim_id))
    )
    if sections is not None:
        mask &= claims.section.isin(sections)
    return claims[mask]


def harvest(ledger: Ledger, sections: tuple[str, ...] | None = None) -> Harvest:
    """One marker per harvest claim, by outcome (columns) and evidence type (rows); within a cell,
    one cluster per claimed effect, five markers to a line, in grade order."""
    vocabulary = ledger.vocabulary
    claims = harvest_claims(ledger, sections)
    outcomes = vocabulary.in_family("outcome", *HARVEST_OUTCOME_FAMILIES)
    effects = drawn_effects(vocabulary)
    grade_order = {grade: i for i, grade in enumerate(vocabulary.values("appraisal"))}
    evidence_rows = [e for e in vocabulary.values("evidence_type") if (claims.evidence_type == e).any()]
    per_line, step, line_step = 5, 0.055, 0.17
    heights = []
    for evidence in evidence_rows:
        sizes = claims[claims.evidence_type == evidence].groupby(["outcome", "claimed_effect"]).size()
        heights.append(max(1, -(-int(sizes.max()) // per_line)) if len(sizes) else 1)
    tops = [0.0]
    for height in heights:
        tops.append(tops[-1] + 0.5 + line_step * height)
    markers = []
    rows = []
    for i, evidence in enumerate(evidence_rows):
        middle = (tops[i] + tops[i + 1]) / 2
        rows.append((vocabulary.label(evidence, "evidence_type"), middle))
        for j, outcome in enumerate(outcomes):
            cell = claims[(claims.evidence_type == evidence) & (claims.outcome == outcome)]
            for k, effect in enumerate(effects):
                subset = cell[cell.claimed_effect == effect]
                subset = subset.iloc[sorted(range(len(subset)), key=lambda n: grade_order[subset.appraisal.iloc[n]])]
                lines = -(-len(subset) // per_line)
                for n, row in enumerate(subset.itertuples()):
                    markers.append(
                        Marker(
                            claim_id=row.claim_id,
                            x=j + (k - (len(effects) - 1) / 2) * 0.3 + ((n % per_line) - (per_line - 1) / 2) * step,
                            y=middle + ((n // per_line) - (lines - 1) / 2) * line_step,
                            marker=vocabulary.term("claimed_effect", effect).marker,
                            colour=vocabulary.term("appraisal", row.appraisal).colour,
                        )
                    )
    return Harvest(
        columns=tuple(vocabulary.label(o, "outcome") for o in outcomes),
        rows=tuple(rows),
        tops=tuple(tops),
        markers=tuple(markers),
        shapes=tuple(
            (vocabulary.term("claimed_effect", e).marker, vocabulary.term("claimed_effect", e).short_label)
            for e in effects
        ),
        colours=tuple((t.label, t.colour) for t in vocabulary.terms("appraisal")),
        height_in=1.8 + sum(0.3 + 0.2 * h for h in heights),
    )


# ---------------------------------------------------------------------------------------
# Mechanism network


@dataclass(frozen=True)
class Edge:
    """Claims that a mediator carries influence one way: drawn as two arrows (brain → mediator →
    bone, or bone → mediator → brain) in the lane `offset` above or below the mediator's row."""

    topic: str
    direction: str
    y: float
    offset: float
    colour: str
    linestyle: str
    linewidth: float
    family: str
    claim_ids: tuple[str, ...]


@dataclass(frozen=True)
class Network:
    mediators: tuple[tuple[str, str, float], ...]  # (topic, box text, y)
    edges: tuple[Edge, ...]
    directions: tuple[tuple[str, str], ...]  # legend: (label, colour)
    styles: tuple[tuple[str, str, float], ...]  # legend: (evidence family, linestyle, linewidth)


def mechanism_claims(ledger: Ledger) -> pd.DataFrame:
    """The claims a mechanism network draws: mechanism claims under a mechanism topic that state a direction."""
    topics = set(ledger.topics.topic[ledger.topics.section == "mechanism"])
    claims = ledger.claims
    return claims[(claims.section == "mechanism") & claims.topic.isin(topics) & (claims.direction != "none")]


LANES = (("brain_to_bone", -0.14), ("bone_to_brain", 0.14))  # (direction, offset from the row)


def network(ledger: Ledger) -> Network:
    """One row per mediator topic with mechanism claims; one edge per direction its claims state
    (a claim said to run both ways gives both), styled by the strongest evidence any of them has."""
    vocabulary = ledger.vocabulary
    claims = mechanism_claims(ledger)
    labels = ledger.topics.set_index("topic")["label"]
    colours = vocabulary.colours("direction")
    topics = [t for t in ledger.topics.topic if (claims.topic == t).any()]
    mediators, edges = [], []
    for i, topic in enumerate(topics):
        subset = claims[claims.topic == topic]
        mediators.append((topic, f"{labels.get(topic, topic)} ({len(subset)})", float(i)))
        for direction, offset in LANES:
            used = subset[subset.direction.isin([direction, "bidirectional"])]
            if used.empty:
                continue
            family = strongest_family(set(used.evidence_type), vocabulary)
            style, width = EVIDENCE_STYLES[family]
            edges.append(
                Edge(topic, direction, float(i), offset, colours[direction], style, width, family, tuple(used.claim_id))
            )
    return Network(
        mediators=tuple(mediators),
        edges=tuple(edges),
        directions=tuple((vocabulary.label(d, "direction"), colours[d]) for d, _ in LANES),
        styles=tuple((family, style, width) for family, (style, width) in EVIDENCE_STYLES.items()),
    )


# ---------------------------------------------------------------------------------------
# Interventions matrix


@dataclass(frozen=True)
class Cell:
    """One topic's claims about one outcome column: a marker (shape for the most common claimed
    effect, colour for the most common grade, a bold outline if any sells) and a line of text;
    or, with no claim, `marker` None and the text "no claim"."""

    topic: str
    column: str
    x: float
    y: float
    marker: str | None
    colour: str | None
    selling: bool
    text: str


@dataclass(frozen=True)
class Matrix:
    rows: tuple[tuple[str, float], ...]  # (topic label, y)
    columns: tuple[tuple[str, float], ...]  # (column name, x)
    cells: tuple[Cell, ...]
    shapes: tuple[tuple[str, str], ...]  # legend: (marker, claimed effect)
    colours: tuple[tuple[str, str], ...]  # legend: (grade label, colour)


def intervention_claims(ledger: Ledger) -> pd.DataFrame:
    topics = set(ledger.topics.topic[ledger.topics.section == "intervention"])
    claims = ledger.claims
    return claims[(claims.section == "intervention") & claims.topic.isin(topics)]


def interventions(ledger: Ledger) -> Matrix:
    """Each intervention topic against its claimed effect on bone and on mood or cognition."""
    vocabulary = ledger.vocabulary
    claims = intervention_claims(ledger)
    labels = ledger.topics.set_index("topic")["label"]
    topics = [t for t in ledger.topics.topic if (claims.topic == t).any()]
    short = vocabulary.short_labels("evidence_type")
    columns = [
        (name, j * 2.2, vocabulary.in_family("outcome", *families))
        for j, (name, families) in enumerate(INTERVENTION_COLUMNS)
    ]
    cells = []
    for i, topic in enumerate(topics):
        for name, x, outcomes in columns:
            cell = claims[(claims.topic == topic) & claims.outcome.isin(outcomes)]
            if cell.empty:
                cells.append(Cell(topic, name, x, float(i), None, None, False, "no claim"))
                continue
            effect = cell.claimed_effect.mode().iloc[0]
            selling = bool(cell.commercial_context.any())
            evidence = "/".join(sorted({short[e] for e in cell.evidence_type}))
            text = f"{len(cell)} · {evidence}" + (" · sells" if selling else "")
            grade = modal_appraisal(cell.appraisal, vocabulary)
            marker = vocabulary.term("claimed_effect", effect).marker
            cells.append(
                Cell(topic, name, x, float(i), marker, vocabulary.term("appraisal", grade).colour, selling, text)
            )
    return Matrix(
        rows=tuple((labels.get(t, t), float(i)) for i, t in enumerate(topics)),
        columns=tuple((name, x) for name, x, _ in columns),
        cells=tuple(cells),
        shapes=tuple((t.marker, t.short_label) for t in vocabulary.terms("claimed_effect")),
        colours=tuple((t.label, t.colour) for t in vocabulary.terms("appraisal")),
    )


__all__ = [
    "EVIDENCE_STYLES",
    "Cell",
    "Edge",
    "Harvest",
    "Marker",
    "Matrix",
    "Network",
    "harvest",
    "harvest_claims",
    "intervention_claims",
    "interventions",
    "mechanism_claims",
    "modal_appraisal",
    "network",
    "strongest_family",
]
