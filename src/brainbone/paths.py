"""Find the book's root folder, whatever the working directory of a build, a test or a kernel."""

from __future__ import annotations

import os
from pathlib import Path

_MARKERS = ("_config.yml", "data/claims.csv")


def is_book_root(path: Path) -> bool:
    return all((path / marker).exists() for marker in _MARKERS)


def find_book_root(start: Path | None = None) -> Path:
    """Return `$BRAINBONE_ROOT`, else the nearest book root above `start` (default: the working
    directory), else the checkout this package was installed from."""
    if env := os.environ.get("BRAINBONE_ROOT"):
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if is_book_root(candidate):
            return candidate
    installed = Path(__file__).resolve().parents[2]
    if is_book_root(installed):
        return installed
    raise FileNotFoundError(
        f"no book root (a folder with {' and '.join(_MARKERS)}) above {here}; "
        "run from inside the book or set BRAINBONE_ROOT"
    )
