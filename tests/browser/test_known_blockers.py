"""`judge`, which lets a known, outside cause turn a browser test into an XFAIL that names its fix,
and nothing else: an unexplained problem fails, and so does a blocker that no longer occurs."""

from __future__ import annotations

import re

import pytest
from known_blockers import BLOCKERS, Blocker, judge

AREA = "test-area"
BLOCKER = Blocker("the-cause", re.compile(r"^known problem"), "change line 3 of the theme")


@pytest.fixture
def one_blocker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(BLOCKERS, AREA, (BLOCKER,))


def test_no_problems_and_no_blockers_pass() -> None:
    judge("an-area-with-no-blockers", {})


def test_an_unexplained_problem_fails_with_the_page_and_problem(one_blocker: None) -> None:
    with pytest.raises(AssertionError) as failure:
        judge(AREA, {"a.html": ["known problem here", "a new problem"]})
    assert str(failure.value).startswith('{\n "a.html": [\n  "a new problem"\n ]\n}')


def test_a_blocker_that_no_longer_occurs_fails(one_blocker: None) -> None:
    with pytest.raises(AssertionError) as failure:
        judge(AREA, {})
    assert str(failure.value).startswith(
        "these known blockers no longer occur; delete them from known_blockers.py: ['the-cause']"
    )


def test_problems_all_explained_by_blockers_xfail_naming_the_fix(one_blocker: None) -> None:
    with pytest.raises(pytest.xfail.Exception) as expected:
        judge(AREA, {"a.html": ["known problem one"], "b.html": ["known problem two"]})
    assert str(expected.value) == (
        "BLOCKED outside tests/ (see tests/browser/known_blockers.py): the-cause: change line 3 of the theme"
    )
