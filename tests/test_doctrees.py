"""Doctree snapshots: what each directive and role of the extension puts in the page, as docutils
nodes, compared with a stored snapshot (tests/test_doctrees/). Each tiny project under tests/roots/
is built once, cleanly; a snapshot that changes on purpose is rewritten with --force-regen.

The doctree is the one Sphinx stores after reading (before cross-references resolve), with the
temporary folders replaced by placeholders, so a snapshot changes only when the nodes do.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_ratings import write_ratings

from bookutils import TINY

ROOTS = Path(__file__).parent / "roots"
CONTEXT_BOOK = Path(__file__).parent / "fixtures" / "context" / "book"
# Each directive and role, and the page of tests/roots/test-directives that uses it alone.
PAGES = [
    "claim-directive",
    "claim-role",
    "grade-role",
    "safety-box",
    "seed-text",
    "build-facts",
    "book-table",
    "book-citation",
    "book-pdf",
    "whats-new",
    "scorecard",
]


def build(srcdir: Path, ledger: Path) -> object:
    import io

    from sphinx.testing.util import SphinxTestApp

    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides={"brainbone_root": str(ledger)}, warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    assert re.sub(r"\x1b\[[0-9;]*m", "", warnings.getvalue()).strip() == ""
    return app


@pytest.fixture(scope="module")
def directives_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, list[str]]]:
    """tests/roots/test-directives, built from a copy of the tiny ledger with a complete rating."""
    folder = tmp_path_factory.mktemp("doctrees")
    ledger = Path(shutil.copytree(TINY, folder / "ledger"))
    write_ratings(ledger)
    srcdir = Path(shutil.copytree(ROOTS / "test-directives", folder / "src"))
    yield build(srcdir, ledger), [str(srcdir), str(ledger), str(folder)]


@pytest.fixture(scope="module")
def context_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, list[str]]]:
    """tests/roots/test-context-box, on the context fixture's ledger and checked snapshot."""
    folder = tmp_path_factory.mktemp("context")
    ledger = Path(shutil.copytree(CONTEXT_BOOK, folder / "book"))
    srcdir = Path(shutil.copytree(ROOTS / "test-context-box", folder / "src"))
    conf = srcdir / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            'Path(__file__).parents[2] / "fixtures" / "context" / "book"', f"Path({str(ledger)!r})"
        ),
        encoding="utf-8",
    )
    yield build(srcdir, ledger), [str(srcdir), str(ledger), str(folder)]


def snapshot(app, docname: str, places: list[str]) -> str:
    text = app.env.get_doctree(docname).pformat()
    for number, place in enumerate(places):
        text = text.replace(place, f"<place{number}>")
    return text


@pytest.mark.parametrize("page", PAGES)
def test_directive_and_role_doctrees(directives_app, page: str, file_regression) -> None:
    app, places = directives_app
    file_regression.check(snapshot(app, page, places), basename=page, extension=".xml")


def test_context_box_and_roles_doctree(context_app, file_regression) -> None:
    app, places = context_app
    file_regression.check(snapshot(app, "index", places), basename="context-box", extension=".xml")
