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
    # Fixed since they were found (commit 54d728c): theme-mode and thebe-twice (console), toc-summary,
    # citation-roles, backlink-contrast and table-scroll-focus (axe), claim-tag-nowrap and long-title-word (phone);
    # mathjax-cdn (maths), by sphinx-mathjax-offline.
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
