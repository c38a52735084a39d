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
