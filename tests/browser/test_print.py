"""The PDF's page breaks (issue 12 item 7): nothing that print CSS keeps whole is taller than a page
(it would leave the page before it half empty and split anyway), and the Safety box's heading is
printed on the same page as its lead and its first quote."""

from __future__ import annotations

import subprocess
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from brainbone.appraisal import safety
from brainbone.ledger.loader import load_ledger
from brainbone.tools import pdf

MM = 96 / 25.4  # CSS pixels per millimetre
PAGE_WIDTH = round((pdf.PAGE_MM[0] - pdf.MARGINS_MM["left"] - pdf.MARGINS_MM["right"]) * MM)
PAGE_HEIGHT = round((pdf.PAGE_MM[1] - pdf.MARGINS_MM["top"] - pdf.MARGINS_MM["bottom"]) * MM)

# Every element of the printed book that its computed print style keeps on one page, and is taller than one.
UNBREAKABLE_AND_TOO_TALL = """(pageHeight) => {
  const found = [];
  for (const element of document.querySelectorAll("article.bd-article *")) {
    const style = getComputedStyle(element);
    if (style.breakInside !== "avoid" && style.pageBreakInside !== "avoid") continue;
    const height = element.getBoundingClientRect().height;
    if (height > pageHeight) {
      const name = element.id || element.className || element.tagName;
      found.push(`${name} (${Math.round(height)} px): ${element.textContent.trim().slice(0, 60)}`);
    }
  }
  return found;
}"""


def squeezed(text: str) -> str:
    return "".join(text.split()).replace("-", "")


@pytest.fixture(scope="module")
def single_page(site):
    """The single-page build that `make pdf` printed (the `site` fixture runs it), served on 127.0.0.1."""
    folder = site.root / "_build" / "singlehtml"
    assert (folder / "book.html").is_file(), "make pdf left no _build/singlehtml/book.html"
    handler = partial(
        type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}), directory=str(folder)
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/book.html"
    server.shutdown()
    server.server_close()


def test_nothing_kept_whole_in_print_is_taller_than_a_page(browser, single_page) -> None:
    page = browser.new_page(viewport={"width": PAGE_WIDTH, "height": PAGE_HEIGHT})
    try:
        page.goto(single_page, wait_until="networkidle")
        page.emulate_media(media="print")
        assert page.evaluate(UNBREAKABLE_AND_TOO_TALL, PAGE_HEIGHT) == []
    finally:
        page.close()


def test_the_safety_heading_is_printed_with_its_lead_and_first_quote(site) -> None:
    book = site.root / "_build" / "pdf" / "book.pdf"
    first = safety.flagged(load_ledger(site.root).require_valid().claims).iloc[0]
    lead = "These claims could lead a reader to harm if acted on"
    pages = subprocess.run(["pdftotext", str(book), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    starts = [text for text in pages if squeezed("Safety " + lead) in squeezed(text)]
    assert len(starts) == 1, "the Safety heading and the start of its lead are not on one page"
    assert squeezed(first.excerpt) in squeezed(starts[0]), "the Safety box's first quote is not on its heading's page"
