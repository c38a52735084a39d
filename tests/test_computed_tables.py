"""Computed tables pasted with `{glue:figure}` are numbered and captioned as Tables, not Figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docutils import nodes

from brainbone.sphinxext.computedtables import holds_table


def _figure(*children: nodes.Node) -> nodes.figure:
    return nodes.figure("", *children, nodes.caption("A caption", "A caption"))


def test_a_figure_holding_an_html_table_is_a_table() -> None:
    assert holds_table(_figure(nodes.raw("", "<style></style><table><tr><td>1</td></tr></table>", format="html")))


def test_a_figure_holding_an_image_or_other_html_is_not() -> None:
    assert not holds_table(_figure(nodes.image(uri="plot.svg")))
    assert not holds_table(_figure(nodes.raw("", "<p>no table here</p>", format="html")))
    table_and_image = _figure(nodes.image(uri="plot.svg"), nodes.raw("", "<table></table>", format="html"))
    assert not holds_table(table_and_image)


@pytest.mark.slow
def test_every_glued_table_is_numbered_as_a_table_and_every_plot_as_a_figure(built_book: Path) -> None:
    from bs4 import BeautifulSoup

    seen_tables = 0
    for page in sorted((built_book / "_build/html/chapters").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("figure"):
            caption = figure.select_one("figcaption")
            if caption is None:
                continue
            number = re.sub(r"\s+", " ", caption.get_text(" ")).strip()
            if figure.select_one("table") is not None and figure.select_one("img") is None:
                seen_tables += 1
                assert number.startswith("Table "), f"{page.name}: a glued table is captioned “{number[:60]}”"
                assert "bb-computed-table" in figure.get("class", [])
            elif figure.select_one("img") is not None:
                assert number.startswith("Fig. "), f"{page.name}: a plot is captioned “{number[:60]}”"
    assert seen_tables >= 15  # the chapters glue at least this many computed tables
