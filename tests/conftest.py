"""Shared fixtures: a tiny book root copied per test, and the whole book built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bookutils import TINY, copy_book, jupyter_book_build

pytest_plugins = ["sphinx.testing.fixtures"]


@pytest.fixture
def tiny_root(tmp_path: Path) -> Path:
    """A writable copy of the one-seed fixture book."""
    return Path(shutil.copytree(TINY, tmp_path / "tiny"))


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole book, copied and built strictly once per test session; returns the book root.
    The build must succeed with zero warnings, or every test that uses it fails with the log."""
    book = copy_book(tmp_path_factory.mktemp("book") / "book")
    result = jupyter_book_build(book)
    if result.returncode != 0:
        pytest.fail(f"strict build failed ({result.returncode}):\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    return book


# Fixtures that build a book, the whole one or a tiny project of tests/roots/: a test that uses one
# is slow, whatever its module says.
BUILD_FIXTURES = {"built_book", "app", "make_app", "directives_app", "context_app"}


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark by what a test needs, so that `make test-fast` (-m "not slow and not browser") runs no
    browser test and no build: every test under tests/browser/ is `browser` and `slow`, every test
    that uses a building fixture is `slow`."""
    browser_dir = Path(__file__).parent / "browser"
    for item in items:
        if Path(item.path).is_relative_to(browser_dir):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
        elif BUILD_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
