"""Paths a reader takes through the book, in a real browser: searching, following a quote to its
passage, filtering the claims explorer, and reading on a phone."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from brainbone import layout
from brainbone.ledger.loader import load_ledger

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEARCH_TERM = "osteocalcin"
PHONE = {"width": 390, "height": 844}
MIN_FONT_PX = 14  # body text smaller than this is hard to read on a phone


def article_text(path) -> str:
    """The text of a built page's main article, as Sphinx's search index sees it."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one("main") or soup
    return article.get_text(" ")


def page_of(url: str, base: str) -> str:
    """`chapters/x.html` for any URL of the site, without query or fragment."""
    return urlsplit(url).path.removeprefix(urlsplit(base).path)


# ---------------------------------------------------------------------------------------
# Search


def test_search_for_osteocalcin_lists_the_chapters_that_discuss_it(page, site) -> None:
    word = re.compile(rf"\b{SEARCH_TERM}\b", re.IGNORECASE)
    # The book's pages (chapters and seed pages); the general index is not searchable by design.
    pages = [name for name in site.pages() if name.startswith("chapters/")]
    discussing = {name for name in pages if word.search(article_text(site.html / name))}
    assert discussing, f"no page of the book mentions {SEARCH_TERM}"

    # As a reader does it: open a chapter, Ctrl+K, type, Enter.
    page.goto(site.url("chapters/intro.html"))
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog input[type=search]")
    box.fill(SEARCH_TERM)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\.html\?q=" + SEARCH_TERM))
    summary = page.locator("#search-results .search-summary")
    summary.filter(has_text=re.compile("Search finished|did not match")).wait_for()

    hrefs = page.locator("#search-results ul.search > li > a").evaluate_all("links => links.map(a => a.href)")
    listed = {page_of(href, site.base) for href in hrefs}
    assert listed >= discussing, f"pages that discuss {SEARCH_TERM} but are not listed: {discussing - listed}"
    assert listed <= {name for name in pages if SEARCH_TERM in article_text(site.html / name).lower()}
    assert summary.inner_text() == f"Search finished, found {len(hrefs)} page(s) matching the search query."


# ---------------------------------------------------------------------------------------
# From a quote to its passage

PASSAGE_IN_VIEW = """
([claimId]) => {
  const pieces = [...document.querySelectorAll(".bb-" + CSS.escape(claimId))];
  let text = "", previousLine = null;
  for (const piece of pieces) {
    const line = piece.closest(".bb-seed-line");
    text += (previousLine && line !== previousLine ? " " : "") + piece.textContent;
    previousLine = line;
  }
  const target = document.getElementById("claim-" + claimId);
  // The passage's first line: it must be on screen, and not hidden under the sticky header.
  const line = target.getClientRects()[0];
  const topmost = document.elementFromPoint(line.left + Math.min(line.width / 2, 20), line.top + line.height / 2);
  return {
    text: text.replace(/\\s+/g, " ").trim(),
    targeted: target.matches(":target"),
    highlighted: getComputedStyle(target).backgroundColor !== "rgba(0, 0, 0, 0)",
    inViewport: line.top >= 0 && line.bottom <= window.innerHeight && line.height > 0,
    visibleOnTop: topmost !== null && (topmost === target || target.contains(topmost)),
  };
}
"""


def test_a_quote_source_link_lands_on_its_highlighted_passage_in_view(page, site) -> None:
    quoting = [
        name
        for name in site.pages()
        if not name.startswith(layout.SEED_PAGES_DIR + "/")
        and BeautifulSoup((site.html / name).read_text(encoding="utf-8"), "html.parser").select_one(
            ".bb-quote a.bb-source-link"
        )
    ]
    assert quoting, "no chapter quotes a claim with the {claim} directive"
    for name in quoting:
        page.goto(site.url(name))
        quote = page.locator(".bb-quote").filter(has=page.locator("a.bb-source-link")).first
        excerpt = " ".join(quote.locator(".bb-quote-text").inner_text().split())
        link = quote.locator("a.bb-source-link")
        href = urljoin(page.url, link.get_attribute("href"))
        claim_id = urlsplit(href).fragment.removeprefix("claim-")
        link.click()
        page.wait_for_url(href)
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        landed = page.evaluate(PASSAGE_IN_VIEW, [claim_id])
        assert landed == {
            "text": excerpt,
            "targeted": True,
            "highlighted": True,
            "inViewport": True,
            "visibleOnTop": True,
        }, f"from {name}, following {claim_id}"


# ---------------------------------------------------------------------------------------
# The claims explorer

VISIBLE_CLAIM_IDS = """
() => [...document.querySelectorAll("tbody tr")]
  .filter(row => row.getClientRects().length > 0)
  .map(row => row.querySelector("a") && row.querySelector("a").textContent.trim())
"""


def test_the_claims_explorer_filters_by_topic_and_by_seed(page, site) -> None:
    claims = load_ledger(site.root).require_valid().claims
    pairs = claims.groupby(["topic", "seed_id"]).size()
    by_topic = claims.topic.value_counts()
    # A topic several seeds discuss, and one of those seeds: the seed filter must narrow the topic's rows.
    topic, seed = next((t, s) for (t, s), n in pairs.sort_values(ascending=False).items() if n < by_topic[t])
    expected_topic = set(claims.index[claims.topic == topic])
    expected_both = set(claims.index[(claims.topic == topic) & (claims.seed_id == seed)])

    page.goto(site.url("chapters/explorer.html"))
    assert set(page.evaluate(VISIBLE_CLAIM_IDS)) == set(claims.index)
    # A select inside its <label> is named by the label and its current choice: "Topic All topics".
    page.get_by_role("combobox", name=re.compile(r"^Topic\b")).select_option(topic)
    assert set(page.evaluate(VISIBLE_CLAIM_IDS)) == expected_topic
    page.get_by_role("combobox", name=re.compile(r"^Seed page\b")).select_option(seed)
    assert set(page.evaluate(VISIBLE_CLAIM_IDS)) == expected_both
    page.get_by_text(f"Showing {len(expected_both)} of {len(claims)} claims.").wait_for()
    page.get_by_role("button", name="Clear all filters").click()
    assert set(page.evaluate(VISIBLE_CLAIM_IDS)) == set(claims.index)


# ---------------------------------------------------------------------------------------
# A phone

PHONE_LAYOUT = """
() => {
  const width = document.documentElement.clientWidth;
  const scrollsSideways = element => ["auto", "scroll"].includes(getComputedStyle(element).overflowX);
  const clipped = [];
  for (const element of document.querySelectorAll("article *")) {
    const box = element.getBoundingClientRect();
    // Past the screen's edge, or its own text spilling out of it (a long word in a heading).
    const spills = element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX === "visible";
    if (box.width === 0 || (box.right <= width + 1 && !spills)) continue;
    let parent = element.parentElement;
    while (parent && parent !== document.body && !scrollsSideways(parent)) parent = parent.parentElement;
    if (!parent || parent === document.body) clipped.push(element);
  }
  // Name the innermost culprits only: a section that holds a too-wide heading is not itself at fault.
  const culprits = clipped.filter(element => !clipped.some(other => other !== element && element.contains(other)));
  // The size most of the text is set in: each paragraph's size, weighted by its length.
  const sizes = {};
  for (const paragraph of document.querySelectorAll("article p")) {
    const size = getComputedStyle(paragraph).fontSize;
    sizes[size] = (sizes[size] || 0) + paragraph.textContent.length;
  }
  const common = Object.entries(sizes).sort((a, b) => b[1] - a[1])[0];
  return {
    pageScrollsSideways: document.documentElement.scrollWidth > width,
    outsideTheScreen: culprits.slice(0, 8).map(element => element.tagName.toLowerCase() + "." + element.className),
    fontPx: common ? parseFloat(common[0]) : null,
  };
}
"""


def test_every_page_reads_at_phone_width_without_sideways_scrolling(new_page, site) -> None:
    page, _ = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    problems = {}
    for name in site.pages():
        page.goto(site.url(name))
        layout = page.evaluate(PHONE_LAYOUT)
        found = list(layout["outsideTheScreen"])
        if layout["pageScrollsSideways"] and not found:
            found.append("the page scrolls sideways")
        if layout["fontPx"] is not None and layout["fontPx"] < MIN_FONT_PX:
            found.append(f"body text is {layout['fontPx']} px")
        if found:
            problems[name] = found
    assert problems == {}, json.dumps(problems, indent=1)
