"""Each excerpt is shown as a quote block (with its badges and reason) on one chapter page only;
elsewhere the prose refers to it with the inline {claim} role. The Safety box counts as a quote block:
it quotes every safety-flagged claim, and the chapters then refer to those inline."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from brainbone import layout

CITE_PREFIX = layout.cite_anchor("", 1).removesuffix("-1")  # "cite-", the start of every quote's id


def quote_blocks(html: Path) -> dict[str, list[str]]:
    """claim_id -> the chapter pages (relative to `html`) that show it as a quote block, one entry per block."""
    where: dict[str, list[str]] = defaultdict(list)
    for page in sorted((html / layout.CHAPTERS_DIR).glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for block in soup.select(".bb-quote"):
            claim_id = block["id"].removeprefix(CITE_PREFIX).rsplit("-", 1)[0]
            where[claim_id].append(page.relative_to(html).as_posix())
    return dict(where)


def repeated(where: dict[str, list[str]]) -> list[str]:
    """One line per claim quoted as a block more than once, naming the pages."""
    return [
        f"{claim_id} is quoted as a block on {', '.join(pages)}" for claim_id, pages in where.items() if len(pages) > 1
    ]


def _page(html: Path, name: str, *cite_ids: str) -> None:
    blocks = "".join(f'<div class="bb-quote" id="{cite_id}"><blockquote>x</blockquote></div>' for cite_id in cite_ids)
    path = html / layout.CHAPTERS_DIR / f"{name}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><body>{blocks}<span class='bb-quote-inline' id='cite-a-001-9'>x</span></body></html>")


def test_a_repeated_quote_block_is_named_with_its_pages(tmp_path: Path) -> None:
    _page(tmp_path, "intro", layout.cite_anchor("seed-a-001", 1), layout.cite_anchor("seed-b-002", 1))
    _page(tmp_path, "methods", layout.cite_anchor("seed-a-001", 1))
    _page(tmp_path, "sources", layout.cite_anchor("seed-b-002", 1), layout.cite_anchor("seed-b-002", 2))
    assert repeated(quote_blocks(tmp_path)) == [
        "seed-a-001 is quoted as a block on chapters/intro.html, chapters/methods.html",
        "seed-b-002 is quoted as a block on chapters/intro.html, chapters/sources.html, chapters/sources.html",
    ]


def test_inline_quotes_do_not_count(tmp_path: Path) -> None:
    _page(tmp_path, "intro", layout.cite_anchor("seed-a-001", 1))
    _page(tmp_path, "methods")  # an inline quote only
    assert repeated(quote_blocks(tmp_path)) == []


@pytest.mark.slow
def test_each_excerpt_is_quoted_as_a_block_once(built_book: Path) -> None:
    where = quote_blocks(built_book / layout.BUILD_DIR / "html")
    assert len(where) > 1, "no quote blocks found: the check would be empty"
    assert repeated(where) == []
