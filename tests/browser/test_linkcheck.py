"""No broken internal link in the built book. linkchecker crawls every page on 127.0.0.1 and checks
that every linked page, image, script and stylesheet exists; links that leave the book are checked
for syntax only, since the book must build and read offline. Every #anchor is checked here, with
one parse per page: linkchecker's own AnchorCheck fetches and parses a page once per anchor, which
takes half a minute on this book (its seed pages carry hundreds of claim anchors)."""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.slow

LINKCHECKER = Path(sys.executable).parent / "linkchecker"
CONFIG = """
[checking]
# The test server answers with linkchecker's opt-in header, so the crawl need not be throttled.
maxrequestspersecond=1000
[filtering]
checkextern=0
"""


def run_linkchecker(urls: list[str], config: Path) -> list[dict[str, str]]:
    """Every URL linkchecker checked, one dict per CSV row (`--verbose` lists the valid ones too)."""
    command = [str(LINKCHECKER), "-f", str(config), "--no-status", "--verbose", "-o", "csv", *urls]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    # Exit status 1 means "found broken links", which the rows say in detail; 2 is a crash.
    assert result.returncode in (0, 1), f"linkchecker failed ({result.returncode}):\n{result.stderr[-3000:]}"
    lines = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter=";"))


def is_broken(row: dict[str, str]) -> bool:
    return row["valid"] != "True"


def test_no_broken_internal_links(site, tmp_path: Path, figures: dict[str, str]) -> None:
    config = tmp_path / "linkcheckerrc"
    config.write_text(CONFIG, encoding="utf-8")
    started = time.perf_counter()
    rows = run_linkchecker([site.url(name) for name in site.documents()], config)
    elapsed = time.perf_counter() - started
    internal = [row for row in rows if row["url"].startswith(site.base)]
    broken = [
        f"{row['parentname'] or '(start)'} -> {row['urlname']}: {row['result'] or row['warningstring']}"
        for row in rows
        if is_broken(row)
    ]
    figures["linkchecker"] = (
        f"URLs checked: {len(rows)} ({len(internal)} on the book's server, {len(rows) - len(internal)} "
        f"outside it, syntax only); broken: {len(broken)}; "
        f"warnings: {sum(1 for row in rows if row['warningstring'])}; time: {elapsed:.1f} s"
    )
    assert len(internal) > len(site.documents()), "linkchecker did not crawl the book"
    assert broken == []


def test_every_internal_anchor_exists(site, figures: dict[str, str]) -> None:
    pages = {
        name: BeautifulSoup((site.html / name).read_text(encoding="utf-8"), "html.parser") for name in site.documents()
    }
    anchors = {
        name: {element["id"] for element in soup.select("[id]")} | {a["name"] for a in soup.select("a[name]")}
        for name, soup in pages.items()
    }
    checked, missing = 0, []
    for name, soup in pages.items():
        for link in soup.select("a[href]"):
            target = urlsplit(urljoin(name, link["href"]))
            if target.scheme or target.netloc or not target.fragment:
                continue  # leaves the book, or has no anchor
            page = target.path or name
            checked += 1
            if unquote(target.fragment) not in anchors.get(page, set()):
                missing.append(f"{name} -> {link['href']}")
    figures["anchors"] = f"internal links with an #anchor: {checked}; missing anchors: {len(missing)}"
    assert checked > len(pages), "found too few anchors to believe the check ran"
    assert missing == []
