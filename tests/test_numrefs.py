"""A `{numref}` to a figure or table of its own page resolves against the page being written
(brainbone.sphinxext.numrefs): the same HTML as Sphinx's own resolver, without unpickling the page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PAGES = {
    "index": (
        "Front\n=====\n\n.. _fig-front:\n\n.. figure:: pic.png\n\n   A figure on the front page.\n\n"
        "See :numref:`fig-front`.\n\n.. toctree::\n\n   first\n   second\n"
    ),
    "first": (
        "First\n=====\n\n.. _fig-here:\n\n.. figure:: pic.png\n\n   A figure on this page.\n\n"
        ".. _table-here:\n\n.. table:: A table on this page.\n\n   ===  ===\n   a    b\n   ===  ===\n   1    2\n   ===  ===\n\n"
        "See :numref:`fig-here`, :numref:`table-here`, :numref:`Figure {number}: {name} <fig-here>` "
        "and :numref:`fig-there`; and :numref:`nowhere`.\n"
    ),
    "second": "Second\n======\n\n.. _fig-there:\n\n.. figure:: pic.png\n\n   A figure on the other page.\n",
}


# Run in a process of its own: a second Sphinx application in the test process would register
# docutils nodes again and make the in-process Sphinx tests warn.
BUILD = """
import json, sys, unittest.mock
from pathlib import Path
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

folder, builder = Path(sys.argv[1]), sys.argv[2]
unpickled = []
original = BuildEnvironment.get_doctree

def counting(env, docname):
    unpickled.append(docname)
    return original(env, docname)

with (folder / "warnings.txt").open("w", encoding="utf-8") as stream:
    with unittest.mock.patch.object(BuildEnvironment, "get_doctree", counting):
        Sphinx(folder, folder, folder / "_build", folder / "_doctrees", builder, status=None, warning=stream).build()
print(json.dumps(unpickled))
"""


def build(folder: Path, extensions: list[str], builder: str = "html") -> tuple[dict[str, str], list[str], str]:
    """Build the three pages; their HTML, the pages whose doctree was unpickled, and the warnings."""
    (folder / "conf.py").write_text(f"extensions = {extensions!r}\nnumfig = True\n", encoding="utf-8")
    for name, text in PAGES.items():
        (folder / f"{name}.rst").write_text(text, encoding="utf-8")
    (folder / "pic.png").write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(folder), builder], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    unpickled = json.loads(result.stdout)
    pages = PAGES if builder == "html" else ["index"]
    html = {name: (folder / "_build" / f"{name}.html").read_text(encoding="utf-8") for name in pages}
    warnings = (folder / "warnings.txt").read_text(encoding="utf-8").replace(str(folder), "")
    return html, unpickled, warnings


@pytest.fixture
def both(tmp_path: Path):
    (tmp_path / "stock").mkdir()
    (tmp_path / "ours").mkdir()
    return build(tmp_path / "stock", []), build(tmp_path / "ours", ["brainbone.sphinxext.numrefs"])


def test_numrefs_read_as_sphinx_writes_them(both) -> None:
    (stock_html, _, stock_warnings), (html, _, warnings) = both
    assert html == stock_html
    first = html["first"]
    assert "Fig. 2" in first and "Table 1" in first and "Figure 2: A figure on this page." in first
    assert "Fig. 3" in first  # the figure on the other page
    assert warnings == stock_warnings
    assert "undefined label: 'nowhere'" in warnings


def test_a_numref_to_its_own_page_does_not_unpickle_that_page(both) -> None:
    (_, stock_unpickled, _), (_, unpickled, _) = both
    # Sphinx's resolver unpickles the first page once for each of its three references to itself.
    assert stock_unpickled.count("first") - unpickled.count("first") == 3
    assert stock_unpickled.count("index") - unpickled.count("index") == 1
    assert unpickled.count("second") == stock_unpickled.count("second")  # the other page, as before


def test_the_single_page_build_numbers_as_sphinx_does(tmp_path: Path) -> None:
    (tmp_path / "stock").mkdir()
    (tmp_path / "ours").mkdir()
    stock = build(tmp_path / "stock", [], "singlehtml")
    ours = build(tmp_path / "ours", ["brainbone.sphinxext.numrefs"], "singlehtml")
    assert ours[0] == stock[0] and ours[2] == stock[2]
    assert all(f"Fig. {number}" in ours[0]["index"] for number in (1, 2, 3))
