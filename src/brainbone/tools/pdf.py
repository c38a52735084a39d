"""The book as one PDF: build the single-page HTML version, print it with Debian's Chromium through
Playwright (no TeX, nothing downloaded), and offer it next to the HTML book.

`python -m brainbone.tools.pdf [--root .]` writes `_build/pdf/book.pdf` and copies it to `_build/html/book.pdf`,
where every page's download menu and the About page link to it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = Path(os.environ.get("BRAINBONE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"]
PDF_NAME = "book.pdf"  # the name brainbone.sphinxext.pagehtml links to
PAGE_MM = (210, 297)  # A4, width and height; brainbone.css's print rules are sized for it
MARGINS_MM = {"top": 18, "bottom": 18, "left": 16, "right": 16}

# Run in the printed page before printing: a title page and a table of contents built from the chapters
# that the single-page build strings together (each starts at a <span id="document-...">), and light mode.
PREPARE = """
({title, author, built}) => {
  document.documentElement.dataset.theme = "light";
  document.documentElement.dataset.mode = "light";
  const main = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  const entries = [];
  // Each chapter's title is the first heading after its anchor, in document order.
  const marks = [...document.querySelectorAll('span[id^="document-"], h1, h2')];
  marks.forEach((anchor, i) => {
    if (!anchor.matches("span")) return;
    const heading = marks.slice(i + 1).find(mark => !mark.matches("span"));
    if (heading) entries.push({id: anchor.id, text: heading.textContent.replace(/[#¶]\\s*$/, "").trim()});
  });
  const cover = document.createElement("section");
  cover.className = "bb-print-cover";
  const h = (tag, text, cls) => { const e = document.createElement(tag); e.textContent = text; if (cls) e.className = cls; return e; };
  cover.append(h("p", title, "bb-print-title"), h("p", author, "bb-print-author"), h("p", built, "bb-print-built"),
               h("p", "Not medical advice. This book reviews what popular web pages claim; it does not replace a clinician.", "bb-print-notice"));
  const toc = document.createElement("nav");
  toc.className = "bb-print-toc";
  toc.setAttribute("aria-label", "Contents");
  toc.append(h("p", "Contents", "bb-print-toc-title"));
  const list = document.createElement("ol");
  for (const entry of entries) {
    const item = document.createElement("li"), link = document.createElement("a");
    link.href = "#" + entry.id; link.textContent = entry.text; item.append(link); list.append(item);
  }
  toc.append(list);
  main.prepend(cover, toc);
  const style = document.createElement("style");
  style.textContent = `
    .bb-print-cover { break-after: page; padding-top: 30vh; text-align: center; }
    .bb-print-title { font-size: 2.4rem; font-weight: 700; margin-bottom: 1rem; }
    .bb-print-author, .bb-print-built { font-size: 1.1rem; }
    .bb-print-notice { margin-top: 4rem; font-style: italic; }
    .bb-print-toc { break-after: page; }
    .bb-print-toc-title { font-size: 1.6rem; font-weight: 700; }
    .bb-print-toc ol { list-style: none; padding: 0; } .bb-print-toc li { margin: 0.3rem 0; }
    span[id^="document-"] + section, span[id^="document-"] ~ section > h1 { break-before: page; }
    .bd-header, .bd-header-announcement, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer-article,
    .prev-next-area, .bd-footer, #pst-back-to-top, .header-article, #jb-print-docs-body,
    #pst-skip-link { display: none !important; }
  `;
  document.head.append(style);
  return entries.length;
}
"""


def build_singlehtml(root: Path) -> None:
    """`jupyter-book build --builder singlehtml`, from the execution cache `make book` filled."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", "--builder", "singlehtml", str(root)]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise SystemExit(
            f"brainbone.tools.pdf: the single-page build failed ({result.returncode}):\n{result.stdout[-4000:]}"
        )


def print_pdf(folder: Path, page_name: str, destination: Path, *, title: str, author: str, built: str) -> int:
    """Serve `folder` on 127.0.0.1 and print its page `page_name` to `destination`; returns the chapters listed."""
    from playwright.sync_api import sync_playwright

    handler = partial(
        type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}), directory=str(folder)
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.add_init_script("localStorage.setItem('mode', 'light'); localStorage.setItem('theme', 'light');")
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{page_name}", wait_until="networkidle")
            page.evaluate("document.fonts.ready")
            chapters = page.evaluate(PREPARE, {"title": title, "author": author, "built": built})
            page.emulate_media(media="print")
            destination.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(destination),
                width=f"{PAGE_MM[0]}mm",
                height=f"{PAGE_MM[1]}mm",
                print_background=True,
                margin={side: f"{mm}mm" for side, mm in MARGINS_MM.items()},
                display_header_footer=True,
                header_template="<span></span>",
                footer_template='<div style="font-size:8px;width:100%;text-align:center">'
                '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
            )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return chapters


def make_pdf(root: Path) -> Path:
    """Build the single-page HTML book, print it, and copy the PDF next to the HTML book."""
    import datetime

    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    root_doc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))["root"]
    build_singlehtml(root)
    folder = root / "_build" / "singlehtml"
    # The single page is written at the root document's path, but its links are relative to the folder's root.
    shutil.copy2(folder / f"{root_doc}.html", folder / "book.html")
    destination = root / "_build" / "pdf" / PDF_NAME
    built = f"Built {datetime.date.today().isoformat()}"
    chapters = print_pdf(folder, "book.html", destination, title=config["title"], author=config["author"], built=built)
    html = root / "_build" / "html"
    if html.is_dir():
        shutil.copy2(destination, html / PDF_NAME)
    print(f"brainbone.tools.pdf: wrote {destination} ({destination.stat().st_size // 1024} KB, {chapters} chapters)")
    return destination


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="the book's root folder")
    make_pdf(parser.parse_args(argv).root.resolve())


if __name__ == "__main__":
    main()
