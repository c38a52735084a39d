"""The book as readers meet it (issue 12): dark mode, a light first visit, the explorer's search and
counts, a phone, and the PDF of the whole book."""

from __future__ import annotations

import gzip
import re
import subprocess
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from brainbone.ledger.loader import load_ledger

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
MIN_CONTRAST = 4.5  # WCAG AA, normal text
PAGE_BUDGET = 600 * 1024  # bytes transferred on a first visit, compressed as any real server does
FONT_AWESOME_JS = "fontawesome.js"
AXE_OPTIONS = {"resultTypes": ["violations"]}

# The contrast of an element's text against the colour actually behind it: the first ancestor (or itself)
# with an opaque background. A background image (a gradient) on the way is reported, not guessed at.
CONTRAST = """
selector => {
  const element = document.querySelector(selector);
  if (!element) return {missing: selector};
  const rgb = text => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let node = element, background = null, image = false;
  while (node) {
    const style = getComputedStyle(node);
    if (style.backgroundImage !== "none") image = true;
    const value = rgb(style.backgroundColor);
    if (value.length < 4 || value[3] === 1) { background = value.slice(0, 3); break; }
    node = node.parentElement;
  }
  background = background || [255, 255, 255];
  const colour = rgb(getComputedStyle(element).color).slice(0, 3);
  const [a, b] = [luminance(colour), luminance(background)].sort((x, y) => y - x);
  return {ratio: Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100, colour, background, image,
          theme: document.documentElement.dataset.theme};
}
"""


def chapter_pages(site) -> list[str]:
    return [name for name in site.pages() if name.startswith("chapters/")]


# ---------------------------------------------------------------------------------------
# Accessibility in both themes


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_accessibility_violation_of_any_impact_in_either_theme(new_page, site, theme: str) -> None:
    page, _ = new_page(color_scheme=theme)
    page.context.add_init_script(script=Axe().axe_script)
    found = {}
    for name in site.pages():
        page.goto(site.url(name), wait_until="load")
        assert page.evaluate("document.documentElement.dataset.theme") == theme, (
            f"{name} ignored the reader's {theme} setting"
        )
        violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
        if violations:
            found[name] = [f"{v['id']} ({v['impact']}): {' '.join(v['nodes'][0]['target'])}" for v in violations]
    site.take_errors()  # axe fetches @import-ed stylesheets from a wrong URL; not the book's requests
    assert found == {}


@pytest.mark.parametrize(
    ("page_name", "selector"),
    [
        ("chapters/intro.html", ".bb-quote blockquote p"),
        ("chapters/intro.html", ".bb-quote .bb-quote-meta"),
        ("chapters/seeds/saveourbones-depression.html", ".bb-part-reader_comments .bb-part-label"),
        ("chapters/seeds/saveourbones-depression.html", ".bb-part-reader_comments .bb-claim-tag"),
        ("chapters/explorer.html", "#bb-explorer td.bb-explorer-excerpt"),
        ("chapters/explorer.html", "#bb-explorer .bb-explorer-meta"),
    ],
)
def test_dark_mode_text_has_enough_contrast(new_page, site, page_name: str, selector: str) -> None:
    page, _ = new_page(color_scheme="dark")
    page.goto(site.url(page_name))
    measured = page.evaluate(CONTRAST, selector)
    assert measured.get("theme") == "dark", measured
    assert not measured["image"], f"{selector}: text over a background image, contrast cannot be read: {measured}"
    assert measured["ratio"] >= MIN_CONTRAST, f"{selector} on {page_name}: {measured}"


def test_every_icon_the_pages_show_is_drawn_without_font_awesome(site) -> None:
    icons = (site.html / "_static" / "brainbone-icons.css").read_text(encoding="utf-8")
    drawn = set(re.findall(r"\.fa-([a-z0-9-]+) \{ --bb-icon", icons))
    shown = set()
    for name in site.pages():
        shown |= set(re.findall(r'class="[^"]*\bfa-([a-z0-9-]+)', (site.html / name).read_text(encoding="utf-8")))
    # The theme's script adds the announcement's close icon itself.
    shown |= set(
        re.findall(r'"fa-solid fa-([a-z0-9-]+)"', (site.html / "_static/scripts/pydata-sphinx-theme.js").read_text())
    )
    sizes = {"lg", "solid", "xs", "sm", "2x"}
    assert shown - sizes - drawn == set(), "icons shown but not in brainbone-icons.css"


# ---------------------------------------------------------------------------------------
# A light first visit


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves the built book compressed, as any web server would (Lighthouse's setting too)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if not path.endswith((".html", ".js", ".css", ".svg")) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        try:
            with open(path, "rb") as file:
                data = gzip.compress(file.read(), 6)
        except OSError:
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        import io

        return io.BytesIO(data)


@pytest.fixture(scope="module")
def compressed_site(site):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site.html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


TRANSFERRED = """
() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
  .reduce((total, entry) => total + entry.transferSize, 0)
"""


def test_a_first_visit_to_any_chapter_is_light(page_factory, site, compressed_site, figures) -> None:
    weights, font_awesome = {}, {}
    for name in chapter_pages(site):
        page, _ = page_factory()  # a new context: an empty cache, as on a first visit
        requested: list[str] = []
        page.on("request", lambda request, requested=requested: requested.append(request.url))
        page.goto(compressed_site + name, wait_until="networkidle")
        weights[name] = page.evaluate(TRANSFERRED)
        font_awesome[name] = [url for url in requested if FONT_AWESOME_JS in url]
        page.context.close()
    figures["first-visit weight (KB, gzip)"] = "\n".join(f"{n}: {w / 1024:.0f}" for n, w in sorted(weights.items()))
    assert {n: f for n, f in font_awesome.items() if f} == {}, "Font Awesome's JavaScript was requested"
    assert {n: w for n, w in weights.items() if w > PAGE_BUDGET} == {}, f"pages over {PAGE_BUDGET} bytes"


def test_search_assets_load_only_on_the_search_page(site) -> None:
    for name in site.pages():
        scripts = [
            s.get("src", "") for s in BeautifulSoup((site.html / name).read_text(), "html.parser").select("script")
        ]
        has_index = any("searchindex.js" in src for src in scripts)
        assert has_index == (name == "search.html"), name


# ---------------------------------------------------------------------------------------
# The explorer

VISIBLE_ROWS = (
    "() => [...document.querySelectorAll('#bb-explorer tbody tr')].filter(r => r.getClientRects().length).length"
)


def test_the_explorer_search_example_finds_rows_and_words_match_in_any_order(page, site) -> None:
    page.goto(site.url("chapters/explorer.html"))
    box = page.get_by_role("searchbox", name="Search the text")
    example = box.get_attribute("placeholder").split("e.g. ", 1)[1]
    box.fill(example)
    found = page.evaluate(VISIBLE_ROWS)
    assert found >= 1, f"the search box's own example {example!r} finds nothing"
    box.fill(" ".join(reversed(example.split())))
    assert page.evaluate(VISIBLE_ROWS) == found
    page.get_by_text(f"Showing {found} of").wait_for()


def test_each_filters_counts_follow_the_other_filters(page, site) -> None:
    claims = load_ledger(site.root).require_valid().claims
    seed, appraisal = claims.groupby(["seed_id", "appraisal"]).size().idxmax()
    page.goto(site.url("chapters/explorer.html"))
    page.locator("#bb-explorer-seed").select_option(seed)
    page.locator("#bb-explorer-appraisal").select_option(appraisal)
    visible = page.evaluate(VISIBLE_ROWS)
    assert visible == int(((claims.seed_id == seed) & (claims.appraisal == appraisal)).sum())
    for key in ("seed", "appraisal"):
        label = page.locator(f"#bb-explorer-{key} option:checked").inner_text()
        assert label.endswith(f"({visible})"), f"{key}: {label!r} while {visible} rows show"
    # Another filter's options count only the rows the current filters leave.
    speaker_counts = page.locator("#bb-explorer-speaker option[value]:not([value=''])").all_inner_texts()
    assert sum(int(re.search(r"\((\d+)\)$", text).group(1)) for text in speaker_counts) == visible


# ---------------------------------------------------------------------------------------
# A phone

APPRAISAL_CELL = """
() => {
  const cell = document.querySelector("#bb-explorer tbody tr td:nth-child(3)");
  const box = cell.getBoundingClientRect();
  return {left: box.left, right: box.right, width: box.width, screen: document.documentElement.clientWidth,
          pageScrollsSideways: document.documentElement.scrollWidth > document.documentElement.clientWidth};
}
"""


def test_on_a_phone_the_explorers_appraisal_is_on_screen(new_page, site) -> None:
    page, _ = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(site.url("chapters/explorer.html"))
    cell = page.evaluate(APPRAISAL_CELL)
    assert cell["width"] > 0 and cell["left"] >= 0 and cell["right"] <= cell["screen"], cell
    assert not cell["pageScrollsSideways"]


def test_nothing_floats_over_the_explorers_count_on_a_phone(new_page, site) -> None:
    page, _ = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(site.url("chapters/explorer.html"))
    status = page.locator(".bb-explorer-status")
    status.scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)  # scrolled, when the theme shows its back-to-top button
    page.wait_for_timeout(300)
    status.scroll_into_view_if_needed()
    on_top = page.evaluate(
        """() => { const s = document.querySelector(".bb-explorer-status"), b = s.getBoundingClientRect();
        const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2); return s.contains(hit); }"""
    )
    assert on_top, "something covers the explorer's count"


# ---------------------------------------------------------------------------------------
# The PDF


def normalise(text: str) -> str:
    return " ".join(text.split())


def squeezed(text: str) -> str:
    """Without any whitespace or hyphens: a PDF breaks lines anywhere, even after the dot in
    `brainbone.book.coverage`, and pdftotext drops the hyphen of a word broken at a line end ("Red-orange")."""
    return "".join(text.split()).replace("-", "")


def test_the_pdf_holds_every_chapter_figure_and_a_quote_from_each_seed(site) -> None:
    pdf = site.root / "_build" / "pdf" / "book.pdf"
    assert pdf.is_file(), "make pdf wrote no _build/pdf/book.pdf"
    assert (site.html / "book.pdf").read_bytes() == pdf.read_bytes(), "the HTML book offers a different PDF"
    text = normalise(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    titles, captions = [], []
    for name in chapter_pages(site):
        soup = BeautifulSoup((site.html / name).read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.bd-article")
        titles.append(normalise(article.select_one("h1").get_text()).rstrip("#").strip())
        captions += [normalise(c.get_text()) for c in article.select("figcaption .caption-text")]
    assert titles and captions
    flat = squeezed(text)
    assert [t for t in titles if squeezed(t) not in flat] == [], "chapter titles missing from the PDF"
    assert [c for c in captions if squeezed(c) not in flat] == [], "figure captions missing from the PDF"
    claims = load_ledger(site.root).require_valid().claims
    quoted = {seed for seed, excerpt in zip(claims.seed_id, claims.excerpt, strict=True) if squeezed(excerpt) in flat}
    assert quoted == set(claims.seed_id), f"no verbatim quote in the PDF from {set(claims.seed_id) - quoted}"


def test_the_about_page_and_every_download_menu_offer_the_pdf(site) -> None:
    about = BeautifulSoup((site.html / "chapters/about.html").read_text(encoding="utf-8"), "html.parser")
    assert about.select_one("article a.bb-book-pdf")["href"] == "../book.pdf"
    for name in chapter_pages(site):
        soup = BeautifulSoup((site.html / name).read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one("a.btn-download-book-pdf-button")
        assert link is not None and link["href"].endswith("book.pdf"), name


def test_a_link_can_open_the_explorer_filtered(page, site) -> None:
    claims = load_ledger(site.root).require_valid().claims
    topic, seed = claims.groupby(["topic", "seed_id"]).size().idxmax()
    page.goto(site.url(f"chapters/explorer.html?topic={topic}&seed={seed}"))
    assert page.evaluate(VISIBLE_ROWS) == int(((claims.topic == topic) & (claims.seed_id == seed)).sum())
    assert page.locator("#bb-explorer-topic").input_value() == topic
