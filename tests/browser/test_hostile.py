"""A copy of the book with a hostile seed, claims and chapter builds strictly, and in the browser
every payload reads as plain text and nothing in it runs. The same copy checks that maths
typesets offline, since the book itself may have no formula."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import yaml

from bookutils import copy_book, jupyter_book_build
from brainbone import layout

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Each payload runs if it is ever parsed as HTML or Markdown: an alert opens a dialog, and the
# __pwned marker records which one ran without a dialog.
PAYLOADS = (
    "<script>alert(1)</script><script>window.__pwned = 'script'</script>",
    "<img src=x onerror=alert(1)><img src=x onerror=\"window.__pwned = 'img'\">",
    "[x](javascript:alert(1)) [y](javascript:window.__pwned='link')",
)
TITLE = "A hostile page <script>window.__pwned = 'title'</script>"
OUTLET = "Evil <img src=x onerror=\"window.__pwned = 'outlet'\"> Outlet"
NOTE = "A hostile note <script>window.__pwned = 'note'</script>."
EXCERPTS = tuple(f"Payload {number}: {payload} ends here." for number, payload in enumerate(PAYLOADS, 1))
SEED_TEXT = TITLE + "\n\n" + "\n\n".join(EXCERPTS) + "\n"
MATH = r"e^{i\pi} + 1 = 0"
CHAPTER = f"""(hostile)=
# Hostile input

Maths must typeset without the network: {{math}}`{MATH}`.

```{{claim}} hostile-001
```

```{{claim}} hostile-002
```

Inline, the third: {{claim}}`hostile-003`.
"""
# The one hole this test has found so far, and its fix (not in tests/, so not applied here).
PAGETITLE_FIX = (
    "If it is 'title' on a seed page: sphinx-book-theme 1.3.0 prints the page title unescaped in its print "
    "header (layout.html: <h1>{{ pagetitle }}</h1>, from title.astext()). Fix in brainbone.sphinxext: "
    "app.connect('html-page-context', escape_pagetitle, priority=900) with "
    "context['pagetitle'] = html.escape(context['pagetitle']) when present."
)
NOT_RUN = """
() => ({
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  javascriptLinks: [...document.querySelectorAll("a[href]")].filter(a => /^\\s*javascript:/i.test(a.href)).length,
  injectedImages: document.querySelectorAll("img[src='x'], img[onerror]").length,
  injectedScripts: [...document.scripts].filter(s => s.textContent.includes("__pwned")).length,
})
"""


def append_rows(path, rows: list[list[str]]) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def add_hostile_input(book) -> None:
    """A seed, its sources.csv row with the right sha256, one part, three claims and a chapter."""
    seed = book / "seeds" / "hostile.txt"
    seed.write_text(SEED_TEXT, encoding="utf-8")
    sha256 = hashlib.sha256(seed.read_bytes()).hexdigest()
    append_rows(
        book / "data/sources.csv", [["hostile", "seeds/hostile.txt", TITLE, OUTLET, "test page", "", "", "", sha256]]
    )
    append_rows(book / "data/seed_parts.csv", [["hostile", "hostile-article", "article", "Article", "A hostile page"]])
    with (book / "data/topics.csv").open(encoding="utf-8", newline="") as handle:
        topic = next(csv.DictReader(handle))["topic"]
    # Rows follow claims.csv's own header, so a column added to the ledger needs no edit here.
    defaults = {
        "causal_language": "none",
        "species_dropped": "not_applicable",
        "advice": "none",
        "safety_flag": "false",
        "reference_target": "none",
    }
    with (book / "data/claims.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    claims = []
    for n, excerpt in enumerate(EXCERPTS, 1):
        values = dict(
            zip(
                ("claim_id", "seed_id", "excerpt", "section", "topic", "direction", "outcome", "claimed_effect"),
                (f"hostile-{n:03d}", "hostile", excerpt, "mechanism", topic, "none", "none", "none"),
                strict=True,
            ),
            speaker="article",
            evidence_type="none_stated",
            commercial_context="false",
            appraisal="unsupported",
            appraisal_note=NOTE,
            **defaults,
        )
        claims.append([values.get(column, "") for column in header])
    append_rows(book / "data/claims.csv", claims)
    (book / "chapters" / "hostile.md").write_text(CHAPTER, encoding="utf-8")
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    toc["parts"][-1]["chapters"].append({"file": "chapters/hostile"})
    (book / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    # A new seed is a new source of the data package: the editor regenerates it, as data/README.md says.
    subprocess.run([sys.executable, "-m", "brainbone.ledger.datapackage", "--root", str(book)], check=True)


@pytest.fixture(scope="module")
def hostile_site(browser, tmp_path_factory: pytest.TempPathFactory, serve_book, figures) -> Iterator:
    book = copy_book(tmp_path_factory.mktemp("hostile") / "book")
    add_hostile_input(book)
    started = time.perf_counter()
    result = jupyter_book_build(book)
    figures["hostile-input build"] = f"strict build of the hostile copy: {time.perf_counter() - started:.1f} s"
    (book / "_build" / "hostile-build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    assert result.returncode == 0, (
        f"the hostile build failed (full log: {book}/_build/hostile-build.log):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    with serve_book(book) as served:
        yield served


def test_hostile_payloads_show_as_text_and_nothing_runs(hostile_site, new_page) -> None:
    page, log = new_page()
    ran = {}
    for name in hostile_site.pages():
        page.goto(hostile_site.url(name), wait_until="load")
        verdict = page.evaluate(NOT_RUN)
        if any(verdict.values()):
            ran[name] = verdict
    assert ran == {}, f"hostile input ran: {ran}. {PAGETITLE_FIX}"
    assert log.dialogs == []

    # The payloads read as text where a reader meets them: the quoting chapter and the seed page.
    page.goto(hostile_site.url("chapters/hostile.html"))
    chapter = page.locator("article").inner_text()
    page.goto(hostile_site.url(layout.seed_docname("hostile") + ".html"))
    seed_page = page.locator("article").inner_text()
    for payload in PAYLOADS:
        assert payload in chapter
        assert payload in seed_page
    assert OUTLET in chapter
    assert NOTE in chapter
    assert page.locator("h1").first.inner_text().startswith(TITLE)
    assert page.evaluate(NOT_RUN) == {"pwned": None, "javascriptLinks": 0, "injectedImages": 0, "injectedScripts": 0}
    assert log.dialogs == []


def test_maths_typesets_offline(hostile_site, new_page) -> None:
    page, log = new_page()
    page.goto(hostile_site.url("chapters/hostile.html"), wait_until="load")
    typeset = page.evaluate(
        """async () => {
          if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
          const maths = [...document.querySelectorAll(".math")];
          return {maths: maths.length, typeset: maths.filter(m => m.querySelector("mjx-container")).length};
        }"""
    )
    assert typeset["maths"] == 1, "the {math} role in the test chapter was not rendered as maths"
    problems = [f"blocked: {url}" for url in log.external_requests]
    if typeset["typeset"] < typeset["maths"]:
        problems.append(f"MathJax typeset {typeset['typeset']} of {typeset['maths']} formulas")
    assert problems == [], json.dumps(problems, indent=1)
