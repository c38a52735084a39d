"""Every page of the built book, in a real browser: no console errors, nothing fetched from
outside 127.0.0.1, every image loaded with alt text, fonts, maths and tables working offline,
and no accessibility violation of any impact (axe-core)."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe

from brainbone import layout

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BLOCKING_IMPACTS = ("minor", "moderate", "serious", "critical")  # every impact: the book has none
AXE_OPTIONS = {"resultTypes": ["violations"]}
RUN_AXE = "options => axe.run(document, options)"
FAILED_TO_LOAD = "Failed to load resource: the server responded with a status of"

# What a page needs to have finished before it is judged: images (lazy ones forced to load),
# web fonts and MathJax typesetting. Returns what a reader would see. (The explorer's table script
# and the search script are tested by using them, in test_paths.py.)
SETTLE_AND_INSPECT = """
async () => {
  const settle = (element, events) => new Promise(resolve => {
    for (const name of events) element.addEventListener(name, resolve, {once: true});
    setTimeout(resolve, 5000);
  });
  const images = [...document.images];
  await Promise.all(images.filter(img => !img.complete).map(img => {
    img.loading = "eager";
    return settle(img, ["load", "error"]);
  }));
  await document.fonts.ready;
  const maths = [...document.querySelectorAll(".math")];
  if (maths.length && window.MathJax && MathJax.startup) await MathJax.startup.promise;
  return {
    images: images.map(img => ({
      src: img.currentSrc || img.src, alt: (img.getAttribute("alt") || "").trim(),
      loaded: img.complete && img.naturalWidth > 0})),
    fonts: [...document.fonts].map(font => ({family: font.family, status: font.status})),
    maths: maths.length,
    typeset: maths.filter(m => m.querySelector("mjx-container")).length,
  };
}
"""


@dataclass
class PageReport:
    problems: dict[str, list[str]]
    inspection: dict
    violations: list[dict] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Console errors and uncaught exceptions. Chromium's "Failed to load resource" line names no
        URL reliably, so when the server answered this page with errors, those stand in for it."""
        console = self.problems["console_errors"]
        if self.problems["served_errors"]:
            console = [message for message in console if not message.startswith(FAILED_TO_LOAD)]
        return console + self.problems["page_errors"] + self.problems["served_errors"]


@pytest.fixture(scope="module")
def survey(page_factory, site, figures: dict[str, str]) -> dict[str, PageReport]:
    """Every page visited once, in one browser tab, with axe-core run on each."""
    started = time.perf_counter()
    page, log = page_factory()
    page.context.add_init_script(script=Axe().axe_script)  # axe-core, as bundled by axe-playwright-python
    reports = {}
    try:
        for name in site.pages():
            log.clear()
            site.take_errors()  # earlier tests' requests (linkchecker's /robots.txt) are not this page's
            page.goto(site.url(name), wait_until="load")
            inspection = page.evaluate(SETTLE_AND_INSPECT)
            problems = {key: list(values) for key, values in vars(log).items()}
            problems["served_errors"] = site.take_errors()
            # Last, because axe-core fetches @import-ed stylesheets itself, from a wrong URL (/basic.css).
            violations = page.evaluate(RUN_AXE, AXE_OPTIONS)["violations"]
            site.take_errors()
            reports[name] = PageReport(problems, inspection, violations)
    finally:
        page.context.close()
    figures["browser: every page"] = summarise(reports) + f"\nsurvey time: {time.perf_counter() - started:.1f} s"
    return reports


def summarise(reports: dict[str, PageReport]) -> str:
    """The figures for the report: pages, errors, external requests, axe violations by impact and rule."""
    by_rule: Counter[tuple[str, str]] = Counter()
    for report in reports.values():
        for violation in report.violations:
            by_rule[(violation["impact"], violation["id"])] += len(violation["nodes"])
    lines = [
        f"pages tested: {len(reports)}",
        f"console errors: {sum(len(r.errors) for r in reports.values())}",
        f"external requests: {sum(len(r.problems['external_requests']) for r in reports.values())}",
        f"images: {sum(len(r.inspection['images']) for r in reports.values())}",
        "axe violations (impact, rule: elements on all pages):",
        *(f"  {impact}, {rule}: {count}" for (impact, rule), count in sorted(by_rule.items())),
    ]
    return "\n".join(lines)


def test_the_front_door_leads_to_the_first_chapter(page, site) -> None:
    assert site.redirects() == {"index.html": "chapters/intro.html"}
    page.goto(site.url("index.html"))
    page.wait_for_url(site.url("chapters/intro.html"))
    assert page.locator("h1").first.inner_text().startswith("The Brain–Bone Axis")


def test_every_page_of_the_book_is_surveyed(survey: dict[str, PageReport], site) -> None:
    # The survey found the book's pages from the build: every chapter in the toc, each seed page.
    assert "chapters/intro.html" in survey
    assert "search.html" in survey
    chapters = {name for name in survey if name.startswith("chapters/")}
    toc_files = {
        line.split("file:", 1)[1].strip()
        for line in (site.root / "_toc.yml").read_text().splitlines()
        if "file:" in line
    }
    assert {f"{name}.html" for name in toc_files} <= chapters
    seeds = {name for name in chapters if name.startswith(layout.SEED_PAGES_DIR + "/")}
    assert len(seeds) == len(list((site.root / "seeds").glob("*.txt")))


def test_no_console_errors(survey: dict[str, PageReport]) -> None:
    errors = {name: report.errors for name, report in survey.items() if report.errors}
    assert errors == {}, json.dumps(errors, indent=1)


def test_no_request_leaves_the_machine(survey: dict[str, PageReport]) -> None:
    external = {
        name: report.problems["external_requests"]
        for name, report in survey.items()
        if report.problems["external_requests"]
    }
    assert external == {}, "the book must read fully offline; these requests were blocked"


def test_every_image_loaded_and_has_alt_text(survey: dict[str, PageReport]) -> None:
    problems = {
        name: [
            f"{image['src']}: " + ("not loaded" if not image["loaded"] else "empty alt text")
            for image in report.inspection["images"]
            if not image["loaded"] or not image["alt"]
        ]
        for name, report in survey.items()
    }
    assert {name: found for name, found in problems.items() if found} == {}, "images that did not load or lack alt text"


def test_fonts_and_maths_work_offline(survey: dict[str, PageReport]) -> None:
    problems = {}
    for name, report in survey.items():
        found = [
            f"font {font['family']!r} failed to load"
            for font in report.inspection["fonts"]
            if font["status"] == "error"
        ]
        if report.inspection["typeset"] < report.inspection["maths"]:
            found.append(f"MathJax typeset {report.inspection['typeset']} of {report.inspection['maths']} formulas")
        if found:
            problems[name] = found
    assert problems == {}


def test_no_accessibility_violations(survey: dict[str, PageReport]) -> None:
    blocking = {
        name: [
            f"{violation['id']} ({violation['impact']}) {' '.join(node['target'])}: {node['html'][:120]}"
            for violation in report.violations
            if violation["impact"] in BLOCKING_IMPACTS
            for node in violation["nodes"]
        ]
        for name, report in survey.items()
    }
    failing = {name: found for name, found in blocking.items() if found}
    assert failing == {}, json.dumps(failing, indent=1)
