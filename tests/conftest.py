"""Shared fixtures: a tiny book root copied per test, and the real book root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["sphinx.testing.fixtures"]

TESTS = Path(__file__).parent
ROOT = TESTS.parent
TINY = TESTS / "fixtures" / "tiny"


@pytest.fixture
def tiny_root(tmp_path: Path) -> Path:
    """A writable copy of the one-seed fixture book."""
    return Path(shutil.copytree(TINY, tmp_path / "tiny"))


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a fixture file in place, failing loudly if the text to replace is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
