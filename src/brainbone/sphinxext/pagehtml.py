"""Page-level HTML: the static assets and the fixes to the page around each chapter's content."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

STATIC = Path(__file__).parent / "static"


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


def _add_static_path(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> None:
    """Register the static folder, the stylesheet and the page fixes (called from the package's setup)."""
    app.connect("builder-inited", _add_static_path)
    app.add_css_file("brainbone.css")
    app.connect("html-page-context", tidy_page, priority=900)  # after the theme and sphinx-thebe
