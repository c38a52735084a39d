"""The book's version on every page (the footer) and its citation and licence on the About page (`{book-citation}`)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

from brainbone import version as versions
from brainbone.ledger import catalog, datapackage

FOOTER_CLASS = "bb-version"


def footer_html(version: str, release: str) -> str:
    """The version line appended to the theme's footer (its `extra_footer` is raw HTML: escaped here);
    `release` is `version.release()`: the git tag, or the untagged commit."""
    return (
        f'<p class="{FOOTER_CLASS}">Version {html.escape(version)} ({html.escape(release)}); '
        "see About this build to cite it.</p>"
    )


def set_version(app: Sphinx, config: Any) -> None:
    """Sphinx's `version`/`release` and the footer, from the one version (pyproject.toml)."""
    version = versions.book_version()
    config.version = config.release = version
    if config.html_theme != "sphinx_book_theme":  # the footer option is that theme's (other themes warn)
        return
    options = dict(config.html_theme_options or {})
    footer = options.get("extra_footer") or ""
    if FOOTER_CLASS not in footer:
        root = Path(getattr(config, "brainbone_root", None) or app.srcdir)
        options["extra_footer"] = f"{footer}{footer_html(version, versions.release(root))}"
    config.html_theme_options = options


class CitationDirective(SphinxDirective):
    """```{book-citation}``` shows how to cite the book, from CITATION.cff, and the file itself."""

    def run(self) -> list[nodes.Node]:
        root = Path(self.config.brainbone_root or self.env.srcdir)
        path = root / versions.CITATION_FILE
        self.env.note_dependency(str(path))
        try:
            citation = versions.read_citation(root)
        except (OSError, KeyError, TypeError) as error:
            raise self.error(f"{versions.CITATION_FILE}: cannot read the citation ({error!r})") from error
        text = citation.text()
        source = path.read_text(encoding="utf-8")
        # The licence, stated once in CITATION.cff, and the publishers of the quoted text, from sources.csv.
        self.env.note_dependency(str(root / catalog.spec("sources").file))
        try:
            licence = datapackage.licence_statement(root)
        except (OSError, ValueError) as error:
            raise self.error(str(error)) from error
        return [
            nodes.paragraph(text, text, classes=["bb-citation"]),
            nodes.paragraph(citation.message, citation.message),
            nodes.paragraph(licence, licence, classes=["bb-licence"]),
            nodes.literal_block(source, source, language="yaml", classes=["bb-citation-cff"]),
        ]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", set_version, priority=600)  # after jupyter-book has filled in the theme options
    app.add_directive("book-citation", CitationDirective)
    return {"version": versions.book_version(), "parallel_read_safe": True, "parallel_write_safe": True}
