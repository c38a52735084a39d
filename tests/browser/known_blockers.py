"""Failures the browser tests find whose cause lies outside tests/, each with its exact fix.

A problem that matches a blocker turns its test into an expected failure (XFAIL) that names the fix,
so `make test` shows it on every run; any other problem still fails the test. A blocker that no
longer matches anything fails the test too, so that a fixed blocker is deleted here at once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Blocker:
    name: str
    matches: re.Pattern[str]  # searched in each problem's text
    fix: str


BLOCKERS: dict[str, tuple[Blocker, ...]] = {
    # Problem text: the console message and its source URL in brackets, or "HTTP 404 for /path".
    "console": (
        Blocker(
            "theme-mode",
            re.compile(r"^Got invalid theme mode: \. Resetting to auto\."),
            "pydata-sphinx-theme logs this on a reader's first visit when default_mode is unset; "
            "in _config.yml add under sphinx.config: `html_context: {default_mode: light}` "
            "(brainbone.css is written for the light theme)",
        ),
        Blocker(
            "thebe-twice",
            re.compile(r"^Identifier 'THEBE_JS_URL' has already been declared"),
            "jupyter-book 1.0.4 always loads sphinx-thebe, whose inline config script is added twice; thebe is off "
            "here, so in brainbone.sphinxext connect `html-page-context` to drop every script and stylesheet whose "
            "filename contains 'thebe' or whose body contains 'THEBE_JS_URL'",
        ),
    ),
    # Problem text: "rule (impact) target: html".
    "axe": (
        Blocker(
            "toc-summary",
            re.compile(r"^summary-name \(serious\) summary: <summary>"),
            "pydata-sphinx-theme 0.17 gives a nested sidebar entry a <summary> with only an icon; in _toc.yml "
            "list the seed pages in their own part (`- caption: The seed documents` / `chapters: - glob: "
            "chapters/seeds/*`) instead of as `sections:` of chapters/seed-pages",
        ),
        Blocker(
            "citation-roles",
            re.compile(r"^aria-required-children \(critical\) \.citation-list: "),
            'docutils marks citations role="doc-biblioentry" (deprecated) inside role="list"; in '
            "brainbone.sphinxext connect `html-page-context` to replace 'role=\"doc-biblioentry\"' by "
            "'role=\"listitem\"' in context['body']",
        ),
        Blocker(
            "backlink-contrast",
            re.compile(r"^color-contrast \(serious\) .*bb-backlink"),
            "the theme's link blue #176de8 on the reader-comment tint #f4f1fa is 4.28:1; in "
            "src/brainbone/sphinxext/static/brainbone.css add `.bb-part a, .bb-claim-tag a { color: #0b55c4; }` "
            "(at least 5:1 on every tint)",
        ),
        Blocker(
            "table-scroll-focus",
            re.compile(r'^scrollable-region-focusable \(serious\) #T_[\w-]+: <table id="T_[\w-]+" class="bb-table"'),
            "brainbone.css makes .bb-table scroll sideways, but a keyboard cannot reach it; in "
            'src/brainbone/tables.py styled() use set_table_attributes(\'class="bb-table" tabindex="0"\')',
        ),
    ),
    # Problem text: "blocked: <url>" for a request off the machine, or what MathJax managed.
    "maths": (
        Blocker(
            "mathjax-cdn",
            re.compile(r"^blocked: https://cdn\.jsdelivr\.net/npm/mathjax@3/|^MathJax typeset 0 of \d+ formulas$"),
            "Sphinx loads MathJax from cdn.jsdelivr.net, so formulas stay raw TeX offline; add "
            "sphinx-mathjax-offline==0.0.2 to requirements.txt and `- sphinx-mathjax-offline` to "
            "sphinx.extra_extensions in _config.yml (it copies MathJax 3.2.2 into _static/mathjax)",
        ),
    ),
    # Problem text: the element that reaches past the screen's right edge, as "tag.classes".
    "phone": (
        Blocker(
            "claim-tag-nowrap",
            re.compile(r"^(span\.bb-claim-tag|a\.bb-backlink|p\.bb-seed-line)"),
            "`.bb-claim-tag { white-space: nowrap }` keeps a tag and all its back-links on one line, wider than "
            "a phone; in brainbone.css replace `white-space: nowrap` by `overflow-wrap: anywhere` in .bb-claim-tag",
        ),
        Blocker(
            "long-title-word",
            re.compile(r"^h1\."),
            "a seed title's long word ('neurodegenerative') is wider than a phone at the theme's h1 size; in "
            "brainbone.css add `.bd-article h1 { overflow-wrap: break-word; hyphens: auto; }`",
        ),
    ),
}


def judge(area: str, problems: dict[str, list[str]]) -> None:
    """Fail on any problem (by page) that no known blocker of `area` explains; fail if a blocker no
    longer matches anything (it was fixed: delete it); else XFAIL, naming each blocker's fix."""
    blockers = BLOCKERS.get(area, ())
    unexplained: dict[str, list[str]] = {}
    seen: set[str] = set()
    for page, found in problems.items():
        for problem in found:
            names = {blocker.name for blocker in blockers if blocker.matches.search(problem)}
            seen |= names
            if not names:
                unexplained.setdefault(page, []).append(problem)
    assert unexplained == {}, json.dumps(unexplained, indent=1)
    fixed = [blocker.name for blocker in blockers if blocker.name not in seen]
    assert fixed == [], f"these known blockers no longer occur; delete them from known_blockers.py: {fixed}"
    if blockers:
        pytest.xfail(
            "BLOCKED outside tests/ (see tests/browser/known_blockers.py): "
            + " | ".join(f"{blocker.name}: {blocker.fix}" for blocker in blockers)
        )
