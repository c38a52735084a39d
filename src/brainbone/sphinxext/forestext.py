"""The `{forest-plot}` directive: one numbered figure per key question, drawn by brainbone.forest from the
checked context rows at build time, one image per panel with alt text generated from the rows it draws,
the caption from the directive's content, and the rows not drawn named below it with the reason."""

from __future__ import annotations

import base64
import io

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from brainbone.appraisal import context as ctx
from brainbone.errors import IssueKind
from brainbone.ledger import context_tables
from brainbone.sphinxext.contextext import layer, warn


def svg_uri(figure) -> str:
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", facecolor="white")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")


class ForestPlotDirective(SphinxDirective):
    """```{forest-plot} Q1
    :name: fig-forest-q1

    Caption: what the figure shows.
    ```"""

    required_arguments = 1
    has_content = True
    option_spec = {"name": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        from brainbone.book import forest

        question = self.arguments[0].strip()
        context = layer(self.env.app)
        if question not in ctx.QUESTIONS or context is None:
            warn(IssueKind.BAD_VALUE, f"forest-plot: unknown question '{question}'", self.get_location())
            return []
        for path in [*context.paths, context.root / context_tables.HETEROGENEITY_FILE, context.root / "references.bib"]:
            self.env.note_dependency(str(path))
        labels = forest.study_labels(context.root / "references.bib")
        try:
            data = forest.forest_data(context, question, labels)
        except ValueError as error:
            warn(IssueKind.BAD_VALUE, f"forest-plot {question}: {error}", self.get_location())
            return []
        figure = nodes.figure(classes=["bb-forest"])
        label = f"{question} {ctx.QUESTIONS[question][0]}"
        for rows in forest.panels(data):
            drawing = forest.forest_plot(rows)
            box = nodes.container(classes=["bb-figure-scroll", "bb-forest-scroll"])
            box += nodes.image(uri=svg_uri(drawing), alt=forest.alt_text(label, rows), classes=["bb-forest-panel"])
            figure += box
        parsed = self.parse_content_to_nodes()
        if not parsed or not isinstance(parsed[0], nodes.paragraph):
            warn(
                IssueKind.BAD_VALUE,
                "forest-plot: the content must start with the caption paragraph",
                self.get_location(),
            )
            return []
        caption = nodes.caption(parsed[0].rawsource, "", *parsed[0].children)
        figure += caption
        legend = nodes.legend()
        legend.extend(parsed[1:])
        notes = forest.footnotes(data)
        if notes:
            legend += nodes.paragraph(text="Not drawn, each with the reason:")
            for note in notes:
                legend += nodes.paragraph(text=note, classes=["bb-forest-note"])
        if len(legend):
            figure += legend
        if "name" in self.options:
            self.add_name(figure)
        return [figure]


class MeasuresGlossaryDirective(SphinxDirective):
    """```{measures-glossary}``` the glossary of effect measures and GRADE's certainty levels
    (brainbone.measuresglossary), its GRADE definitions read from data/checked/instruments.md."""

    def run(self) -> list[nodes.Node]:
        from brainbone.book.measuresglossary import INSTRUMENTS, glossary_source
        from brainbone.sphinxext.domain import book_root

        root = book_root(self.env.app.config, self.env.app.srcdir)
        self.env.note_dependency(str(root / INSTRUMENTS))
        return self.parse_text_to_nodes(glossary_source(root))


def setup(app) -> None:
    app.add_directive("forest-plot", ForestPlotDirective)
    app.add_directive("measures-glossary", MeasuresGlossaryDirective)
