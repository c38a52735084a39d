"""Computed tables pasted with MyST-NB's `{glue:figure}` are numbered and captioned as Tables.

`glue:figure` is how a chapter captions and labels a pandas table computed in a cell, but it makes a
figure node, which Sphinx numbers as "Fig. N". A read-time transform turns every such figure whose
pasted output is a table (and holds no image) into a `computed_table`: a figure in every writer,
registered as an enumerable node of type "table", so it shares the Tables' counter and their
"Table %s" label in captions and in `{numref}`.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util.typing import ExtensionMetadata


class computed_table(nodes.figure):  # noqa: N801 - docutils names nodes in lower case
    """A computed table with its caption: drawn like a figure, numbered like a table."""


def holds_table(figure: nodes.figure) -> bool:
    """Whether a figure's pasted content is a table: a docutils table, or an HTML output holding a
    <table>, and no image."""
    if any(True for _ in figure.findall(nodes.image)):
        return False
    if any(True for _ in figure.findall(nodes.table)):
        return True
    return any("<table" in raw.astext() for raw in figure.findall(nodes.raw) if "html" in raw.get("format", ""))


class NumberComputedTablesAsTables(SphinxTransform):
    """Replace each captioned figure that holds a table by a `computed_table` with the same content."""

    default_priority = 400  # at read time, before Sphinx collects the numbered nodes of the page

    def apply(self, **kwargs) -> None:
        for figure in list(self.document.findall(nodes.figure)):
            if type(figure) is not nodes.figure or not holds_table(figure):
                continue
            if not any(isinstance(child, nodes.caption) for child in figure.children):
                continue  # an uncaptioned figure is not numbered anyway
            table = computed_table(figure.rawsource, *figure.children, **figure.attributes)
            table["classes"].append("bb-computed-table")
            figure.replace_self(table)
            for node_id in table["ids"]:  # labels resolve through document.ids: point them at the table
                self.document.ids[node_id] = table


def _visit(translator, node: computed_table) -> None:
    translator.visit_figure(node)


def _depart(translator, node: computed_table) -> None:
    translator.depart_figure(node)


def setup(app: Sphinx) -> ExtensionMetadata:
    handlers = (_visit, _depart)
    app.add_enumerable_node(
        computed_table, "table", html=handlers, latex=handlers, text=handlers, man=handlers, texinfo=handlers
    )
    app.add_transform(NumberComputedTablesAsTables)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
