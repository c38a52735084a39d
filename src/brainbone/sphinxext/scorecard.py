"""Sphinx extension: the ```{scorecard} seed_id``` directive, one page's ratings on DISCERN, the JAMA benchmarks and
HealthNewsReview.org's criteria, with their totals and a link from every item to the passage it rests on.

A thin layer: the ratings come from the ledger the domain holds (read and checked by `brainbone.appraisal.ratings` when it
loads), and are scored by `brainbone.ledger.instruments`.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

from brainbone import layout
from brainbone.appraisal import exaggeration
from brainbone.appraisal.ratings import RatingTable, load_ratings, seed_labels
from brainbone.errors import IssueKind
from brainbone.ledger import instruments as inst
from brainbone.ledger.loader import Ledger
from brainbone.ledger.rating_tables import RATINGS_FILE
from brainbone.sphinxext.domain import domain_of, warn

RATING_LABELS = {
    inst.MET: "met",
    inst.NOT_MET: "not met",
    inst.SATISFACTORY: "satisfactory",
    inst.UNSATISFACTORY: "unsatisfactory",
    inst.NOT_APPLICABLE: "not applicable",
}


def anchor(seed_id: str) -> str:
    return f"scorecard-{seed_id}"


def _text(text: str, *classes: str) -> nodes.inline:
    return nodes.inline(text, text, classes=list(classes))


def totals_paragraph(scores: inst.SeedScores) -> nodes.paragraph:
    """The three results in one line; each number sits in its own classed span, which the book's tests read."""
    discern, hnr = scores.discern, scores.hnr
    line = nodes.paragraph(classes=["bb-scorecard-totals"])
    line += nodes.Text("DISCERN overall rating (question 16): ")
    line += nodes.strong("", "", _text(str(discern.overall), "bb-score-discern-overall"), nodes.Text(" of 5"))
    line += nodes.Text(". JAMA benchmarks met: ")
    line += nodes.strong("", "", _text(str(scores.jama), "bb-score-jama"), nodes.Text(" of 4"))
    line += nodes.Text(". HealthNewsReview.org: ")
    if hnr.stars is None:
        line += nodes.strong("", "", _text("no star score", "bb-score-hnr-stars"))
        line += nodes.Text(
            f" ({hnr.not_applicable} criteria not applicable, more than the {inst.HNR_MAX_NOT_APPLICABLE} the rule "
            f"allows; {hnr.satisfactory} of {hnr.applicable} applicable criteria satisfactory)."
        )
    else:
        stars = f"{hnr.stars} star" + ("" if hnr.stars == 1 else "s")
        line += nodes.strong("", "", _text(stars, "bb-score-hnr-stars"), nodes.Text(" of 5"))
        line += nodes.Text(" (")
        line += _text(f"{hnr.satisfactory} of {hnr.applicable}", "bb-score-hnr-share")
        line += nodes.Text(" applicable criteria satisfactory).")
    return line


def profile_paragraph(scores: inst.SeedScores) -> nodes.paragraph:
    """DISCERN's item profile: the ratings of section 1 and section 2, in question order."""
    discern = scores.discern
    treatment = ", ".join("n/a" if r is None else str(r) for r in discern.treatment)
    line = nodes.paragraph(classes=["bb-scorecard-profile"])
    line += nodes.Text("DISCERN profile, questions 1–8 (reliability): ")
    line += _text(", ".join(map(str, discern.reliability)), "bb-score-discern-reliability")
    line += nodes.Text("; questions 9–15 (treatment choices): ")
    line += _text(treatment, "bb-score-discern-treatment")
    if discern.not_applicable:
        line += nodes.Text(" (n/a: left out because the page presents no treatment)")
    line += nodes.Text(".")
    return line


def exaggeration_paragraph(counts: dict) -> nodes.paragraph:
    """The page's claims showing each of Sumner et al.'s three types of exaggeration (brainbone.appraisal.exaggeration),
    each count in its own classed span, which the book's tests read."""
    line = nodes.paragraph(classes=["bb-scorecard-exaggeration"])
    line += nodes.Text("Exaggeration, of its ")
    line += _text(str(counts["claims"]), "bb-score-claims")
    line += nodes.Text(" claims (Sumner et al.'s types; data/CODING.md): ")
    for position, (kind, name) in enumerate(exaggeration.TYPES.items()):
        if position:
            line += nodes.Text("; ")
        line += nodes.Text(f"{name.lower()}, ")
        line += nodes.strong("", "", _text(str(counts[kind]), f"bb-score-exaggeration-{kind}"))
    line += nodes.Text(".")
    return line


def _xref(label: str, reftype: str, target: str, docname: str) -> addnodes.pending_xref:
    """A link through the std domain (a claim's label, or a document), warning if it does not resolve."""
    return addnodes.pending_xref(
        "",
        nodes.inline(label, label),
        refdomain="std",
        reftype=reftype,
        reftarget=target,
        refexplicit=True,
        refwarn=True,
        refdoc=docname,
    )


def _support(row: dict, ledger: Ledger, docname: str, seed_docname: str) -> list[nodes.Node]:
    """The cell saying what a rating rests on: a link to the claim's passage, to the evidence's line, or the absence."""
    if row.get("claim_id"):
        return [_xref(row["claim_id"], "ref", layout.claim_anchor(row["claim_id"]), docname)]
    if row.get("evidence"):
        ref = _xref(f"seed page, line {row['seed_line']}", "doc", "/" + seed_docname, docname)
        excerpt = " ".join(str(row["evidence"]).split())
        return [nodes.Text(f"“{excerpt}” ("), ref, nodes.Text(")")]
    return [nodes.emphasis("an absence", "an absence")]


def ratings_list(
    rows: list[dict], instrument: str, ledger: Ledger, docname: str, seed_docname: str, *, guide: bool = False
) -> list[nodes.Node]:
    """One instrument's items for one page, as a heading and a definition list (it reflows at phone width, where a
    four-column table would not): each item with its rating, its reason and what the rating rests on."""
    title = inst.INSTRUMENT_NAMES[instrument]
    items = nodes.definition_list(classes=["bb-scorecard-items"])
    by_item = {row["item"]: row for row in rows if row["instrument"] == instrument}
    for item in (i for i in inst.ITEMS if i.instrument == instrument):
        row = by_item[item.item]
        rating = RATING_LABELS.get(row["rating"], row["rating"])
        term = nodes.term(ids=[f"{anchor(row['seed_id'])}-{instrument}-{item.item}"])
        term += nodes.Text(f"{item.item}: {item.text} — rating: ")
        term += nodes.strong("", "", _text(rating, "bb-rating", f"bb-rating-{row['rating']}"))
        definition = nodes.definition()
        definition += nodes.paragraph(row["justification"], row["justification"])
        if guide:  # the rule this rating follows, in the rating guide's appendix (brainbone.book.manuals)
            rule = nodes.paragraph(classes=["bb-scorecard-support"])
            rule += nodes.Text("Rated by: ")
            rule += _xref(f"the rating guide on {item.item}", "ref", f"rating-{instrument}-{item.item}", docname)
            definition += rule
        rests = nodes.paragraph(classes=["bb-scorecard-support"])
        rests += nodes.Text("Rests on: ")
        rests.extend(_support(row, ledger, docname, seed_docname))
        definition += rests
        items += nodes.definition_list_item("", term, definition)
    return [nodes.rubric(title, title), items]


def scorecard_nodes(
    table: RatingTable, ledger: Ledger, seed_id: str, docname: str, seed_docname: str, *, guide: bool = False
) -> list[nodes.Node]:
    """The scorecard: totals and DISCERN profile in the text, every item in a collapsible table per instrument."""
    scores = table.scores(seed_id)
    rows = [row for row in table.rows() if row["seed_id"] == seed_id]
    box = nodes.container(classes=["bb-scorecard"], ids=[anchor(seed_id)])
    box += totals_paragraph(scores)
    box += profile_paragraph(scores)
    counts = exaggeration.per_seed(ledger).set_index("seed_id").loc[seed_id]
    box += exaggeration_paragraph({"claims": int(counts["claims"]), **{k: int(counts[k]) for k in exaggeration.TYPES}})
    heading = "How the instruments were adapted"
    box += nodes.rubric(heading, heading, classes=["bb-scorecard-adaptations-title"])
    adapted = nodes.bullet_list(classes=["bb-scorecard-adaptations"])
    for line in inst.adaptations(rows, seed_id):
        adapted += nodes.list_item("", nodes.paragraph(line, line))
    box += adapted
    details = nodes.admonition(classes=["dropdown", "bb-scorecard-details"])
    label = seed_labels(ledger.sources, width=200)[seed_id]
    heading = f"Every item for {label}, with its reason and the passage it rests on"
    details += nodes.title(heading, heading)
    for instrument in inst.INSTRUMENTS:
        details.extend(ratings_list(rows, instrument, ledger, docname, seed_docname, guide=guide))
    box += details
    return [box]


class ScorecardDirective(SphinxDirective):
    """```{scorecard} nativepath``` renders the seed's ratings, totals and supporting passages."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from brainbone.sphinxext import seed_docname  # the main extension owns where seed pages live

        ledger: Ledger = domain_of(self.env).ledger
        table = load_ratings(ledger)  # located when the ledger loaded (brainbone.ledger.rating_tables.locate_ratings)
        for path in [*ledger.paths, ledger.root / RATINGS_FILE]:
            self.env.note_dependency(str(path))
        seed_id = self.arguments[0].strip()
        if seed_id not in set(ledger.sources.seed_id):
            message = f"unknown seed '{seed_id}' in scorecard: no such row in data/sources.csv"
            warn(IssueKind.UNKNOWN_SEED, message, self.get_location())
            return []
        if not (ledger.root / RATINGS_FILE).exists():
            message = f"scorecard for '{seed_id}': {RATINGS_FILE} is missing; create it (see data/README.md)"
            warn(IssueKind.LEDGER_INVALID, message, self.get_location())
            return []
        if not table.ok:  # the ledger's issues are already warnings, each at its row
            return [nodes.paragraph(text=f"[scorecard for {seed_id} not shown: {table.file} has problems]")]
        guide = any(name.endswith("rating-guide") for name in self.env.found_docs)  # not in a test project
        return scorecard_nodes(
            table, ledger, seed_id, self.env.docname, seed_docname(self.config, seed_id), guide=guide
        )


class ScorecardsDirective(SphinxDirective):
    """```{scorecards}``` renders one section per seed, in data/sources.csv's order: its scorecard, or, for a
    seed added since the ratings were made, a plain statement that it is not yet rated."""

    def run(self) -> list[nodes.Node]:
        from brainbone.ledger import status
        from brainbone.sphinxext import seed_docname

        ledger: Ledger = domain_of(self.env).ledger
        table = load_ratings(ledger)
        for path in [*ledger.paths, ledger.root / RATINGS_FILE]:
            self.env.note_dependency(str(path))
        if not table.ok:
            return [nodes.paragraph(text=f"[scorecards not shown: {table.file} has problems]")]
        rated = set(table.rated_seeds(ledger.sources.seed_id))
        labels = seed_labels(ledger.sources, width=200)
        sections: list[nodes.Node] = []
        for seed_id in ledger.sources.seed_id:
            title = labels[seed_id]
            section = nodes.section(names=[nodes.fully_normalize_name(title)])
            section += nodes.title(title, title)
            self.state.document.note_implicit_target(section, section)
            if seed_id in rated:
                section.extend(
                    scorecard_nodes(table, ledger, seed_id, self.env.docname, seed_docname(self.config, seed_id))
                )
            else:
                text = f"This page is {status.NOT_YET_RATED} on the three instruments: it was added after the ratings were made."
                section += nodes.paragraph(text, text, classes=["bb-scorecard-not-yet"], ids=[anchor(seed_id)])
            sections.append(section)
        return sections


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("scorecard", ScorecardDirective)
    app.add_directive("scorecards", ScorecardsDirective)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
