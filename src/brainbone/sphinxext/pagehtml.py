"""Page-level HTML: static assets, icons, favicon, meta descriptions, the front door (index.html),
the link to the book's PDF, and the fixes to the page around each chapter's content."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
FAVICON = STATIC / "favicon.svg"
# Where `make pdf` puts the whole book, relative to the HTML build's root (see brainbone.tools.pdf).
BOOK_PDF = "book.pdf"
# A drawn figure (matplotlib SVG) directly inside a <figure>: on a phone it keeps a readable size and scrolls sideways.
SVG_FIGURE = re.compile(r'(<figure\b[^>]*>\s*)(<img\b[^>]*\bsrc="[^"]+\.svg"[^>]*>)')
FIGURE_SCROLL = (
    r'\1<div class="bb-figure-scroll" tabindex="0" role="group" aria-label="Figure (scrolls sideways on narrow screens)">'
    r"\2</div>"
)
DESCRIPTION_CHARS = 160  # search engines show about this many characters
# Scripts and stylesheets a page needs only when its body holds what they act on: (file name, marker in the body).
ONLY_WHEN_USED = (
    ("clipboard.min.js", '<div class="highlight'),
    ("copybutton.js", '<div class="highlight'),
    ("copybutton.css", '<div class="highlight'),
    ("togglebutton.js", "toggle"),
    ("togglebutton.css", "toggle"),
    ("design-tabs.js", "sd-tab"),
    ("sphinx-design.min.css", ' class="sd-'),
)
# Loaded with `defer`: none of them is needed before the page is drawn, and order is kept.
DEFERRED = (
    "doctools.js",
    "sphinx_highlight.js",
    "clipboard.min.js",
    "copybutton.js",
    "sphinx-book-theme.js",
    "togglebutton.js",
    "design-tabs.js",
)


def _filename(asset: Any) -> str:
    return posixpath.basename(getattr(asset, "filename", None) or "")


def _is_used(name: str, body: str) -> bool:
    return all(marker in body for file, marker in ONLY_WHEN_USED if file == name)


def describe(doctree: nodes.document | None, fallback: str) -> str:
    """One line about the page for search engines: its "Key points" list if it has one, else its first
    paragraph of prose (outside notes and warnings), shortened at a word to DESCRIPTION_CHARS."""
    text = ""
    if doctree is not None:
        for admonition in doctree.findall(nodes.admonition):
            titles = [t.astext() for t in admonition.findall(nodes.title)]
            if titles and titles[0].strip().lower() == "key points":
                text = " ".join(item.astext() for item in admonition.findall(nodes.list_item))
                break
        if not text:
            for paragraph in doctree.findall(nodes.paragraph):
                inside = any(isinstance(a, nodes.Admonition) for a in _ancestors(paragraph))
                words = paragraph.astext().strip()
                if not inside and len(words) >= 40:
                    text = words
                    break
    text = re.sub(r"\s+", " ", text or fallback).strip()
    if len(text) > DESCRIPTION_CHARS:
        text = text[: DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def _ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def tidy_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Fixes to the page around the content, each found by the browser tests."""
    # sphinx-book-theme 1.3.0 prints the page title unescaped in its print header
    # (<h1>{{ pagetitle }}</h1>); a seed's headline is untrusted, so it is escaped here.
    if context.get("pagetitle"):
        context["pagetitle"] = html.escape(context["pagetitle"], quote=False)
    # jupyter-book 1.0.4 always loads sphinx-thebe, whose inline config is added twice (a console
    # error) and names a CDN; launch buttons are off in this offline book, so thebe is dropped.
    context["script_files"] = [
        script
        for script in context.get("script_files", [])
        if "thebe" not in (getattr(script, "filename", None) or "")
        and "THEBE_JS_URL" not in str(getattr(script, "attributes", {}).get("body", ""))
    ]
    context["css_files"] = [
        c for c in context.get("css_files", []) if "thebe" not in (getattr(c, "filename", "") or "")
    ]
    # docutils marks each reference role="doc-biblioentry", deprecated inside role="list" (axe: critical).
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
        # Figures with small labels: a box that scrolls on a phone (brainbone.css), reachable by keyboard.
        context["body"] = SVG_FIGURE.sub(FIGURE_SCROLL, context["body"])


def lighten_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """No page loads what it does not use, and nothing it loads blocks the first paint."""
    body = context.get("body", "")
    context["script_files"] = [s for s in context.get("script_files", []) if _is_used(_filename(s), body)]
    context["css_files"] = [c for c in context.get("css_files", []) if _is_used(_filename(c), body)]
    # The search page runs searchtools.js at once, and it needs doctools.js first: nothing deferred there.
    # Sphinx shares one script object between all pages, so each page gets a deferred copy, never a change.
    if pagename != "search":
        context["script_files"] = [
            type(s)(s.filename, priority=s.priority, **{**s.attributes, "defer": "defer"})
            if _filename(s) in DEFERRED
            else s
            for s in context["script_files"]
        ]


def describe_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """A meta description on every page."""
    book = app.config.html_title or "The Brain–Bone Axis"
    seeds = app.config.brainbone_seed_pages + "/"
    if pagename.startswith(seeds):
        fallback = f"The full text of the seed page {context.get('title', '')}, with every claim the book quotes marked and graded."
        description = describe(None, fallback)
    elif pagename == "search":
        description = f"Search {book}."
    elif pagename == "genindex":
        description = f"Index of {book}."
    else:
        description = describe(doctree, f"{book}: what popular web pages claim about mental health and bone health.")
    tag = f'<meta name="description" content="{html.escape(description, quote=True)}" />\n'
    context["metatags"] = context.get("metatags", "") + tag


def offer_book_pdf(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The download menu (sphinx-book-theme's header) offers the whole book as a PDF, next to this page's files."""
    url = context["pathto"](BOOK_PDF, 1)
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].append(
                {
                    "type": "link",
                    "url": url,
                    "text": "Book (PDF)",
                    "tooltip": "Download the whole book as a PDF",
                    "icon": "fas fa-book",
                    "label": "download-book-pdf-button",
                }
            )


FRONT_DOOR = """<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="icon" href="_static/{favicon}" type="image/svg+xml">
<meta http-equiv="refresh" content="0; url={first_page}">
</head>
<body>
<p><a href="{first_page}">{title}: go to the introduction</a></p>
</body>
</html>
"""


def write_front_door(app: Sphinx, exception: Exception | None) -> None:
    """index.html: a complete, valid page (doctype, language, title) that sends the reader to the first page.
    Written before sphinx-external-toc's bare redirect, which then leaves it alone."""
    if exception is not None or app.builder.name != "html" or app.config.root_doc == "index":
        return
    title = html.escape(app.config.html_title or "The Brain–Bone Axis")
    page = FRONT_DOOR.format(
        language=html.escape(app.config.language or "en"),
        title=title,
        description=f"{title}: what popular web pages claim about mental health and bone health, checked claim by claim.",
        favicon=FAVICON.name,
        first_page=html.escape(app.builder.get_target_uri(app.config.root_doc)),
    )
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")


class BookPdfDirective(SphinxDirective):
    """```{book-pdf}``` a paragraph linking to the whole book as a PDF (written by `make pdf`)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        depth = self.env.docname.count("/")
        uri = "../" * depth + BOOK_PDF
        paragraph = nodes.paragraph()
        paragraph += nodes.Text("The whole book is also available as one PDF file, for printing or reading offline: ")
        paragraph += nodes.reference("", "download the book (PDF)", refuri=uri, classes=["bb-book-pdf"])
        paragraph += nodes.Text(".")
        return [paragraph]


# The templates override sphinx-book-theme's layout (built on pydata-sphinx-theme); other themes keep theirs.
THEMES_WITH_TEMPLATES = ("sphinx_book_theme", "pydata_sphinx_theme")


def _configure(app: Sphinx, config: Any) -> None:
    if config.html_theme in THEMES_WITH_TEMPLATES:
        config.templates_path = [*config.templates_path, str(TEMPLATES)]
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)


def _add_static_path(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> None:
    """Register the static folder, the stylesheets, the templates and the page fixes (called from the package's setup)."""
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _add_static_path)
    app.add_css_file("brainbone-icons.css")
    app.add_css_file("brainbone.css")
    app.add_directive("book-pdf", BookPdfDirective)
    app.connect("html-page-context", tidy_page, priority=900)  # after the theme and sphinx-thebe
    app.connect("html-page-context", lighten_page, priority=901)
    app.connect("html-page-context", describe_page, priority=902)
    app.connect("html-page-context", offer_book_pdf, priority=903)  # after sphinx-book-theme's header buttons (501)
    app.connect("build-finished", write_front_door, priority=100)  # before sphinx-external-toc's redirect (500)
