"""Every path, folder, anchor and URL format of the book, in one place; light to import (no pandas).

Paths are relative to the book root (the folder with `_config.yml`), as POSIX strings, so that
messages, fingerprints and Sphinx docnames all spell a file the same way. Config files that cannot
import this module (`_toc.yml`, `.gitignore`, the Makefile) repeat a few of these names; a test
(tests/test_layout.py) keeps them in step.
"""

from __future__ import annotations

import difflib
import os
import posixpath
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

# ---------------------------------------------------------------------------------------
# Files and folders under the book root

CONFIG_FILE = "_config.yml"
TOC_FILE = "_toc.yml"
DATA_DIR = "data"
BIB_FILE = "references.bib"
SEEDS_DIR = "seeds"
SEED_GLOB = "*.txt"  # what counts as a seed file in SEEDS_DIR
CHAPTERS_DIR = "chapters"
CHAPTER_GLOB = "*.md"
VOCABULARY_FILE = f"{DATA_DIR}/vocabulary.csv"
# The blind second coding of the claims and its reconciliation (issue 9; brainbone.appraisal.coding_agreement).
SECOND_CODING_FILE = f"{DATA_DIR}/second_coding.csv"
RECONCILIATION_FILE = f"{DATA_DIR}/reconciliation.csv"
# The fresh blind coding with the tightened manual (round 2), compared with the reconciled ledger.
SECOND_CODING_ROUND2_FILE = f"{DATA_DIR}/second_coding_round2.csv"
# The checked facts, as frozen snapshots committed with the book (data/checked/README.md says where from
# and when); `make snapshot-diff FROM=folder` compares them with a new delivery. The build reads only these.
CHECKED_DIR = f"{DATA_DIR}/checked"
CHECKED_NOTE = f"{CHECKED_DIR}/README.md"
CONTEXT_CHECKED_FILE = f"{CHECKED_DIR}/context-studies.csv"
# The generated seed pages: one per seed, written by the Sphinx extension at build time.
SEED_PAGES_DIR = f"{CHAPTERS_DIR}/seeds"
# The coding manual and rating guide as appendices, generated from data/*.md at build time (brainbone.book.manuals).
MANUALS_DIR = f"{CHAPTERS_DIR}/manuals"
BUILD_DIR = "_build"
SERVE_DIR = f"{BUILD_DIR}/serve"  # conf.py, doctrees and HTML of `make serve`
# Used when _config.yml names no `execute: cache:`; jupyter-book's own default is the same.
DEFAULT_CACHE_DIR = f"{BUILD_DIR}/.jupyter_cache"
# The validated ledger, pickled under the hash of everything it is read from (brainbone.ledger.cache).
LEDGER_CACHE_DIR = f"{BUILD_DIR}/.brainbone"
DEFAULT_EXECUTION_TIMEOUT = 30  # seconds; jupyter-book's default when `execute: timeout:` is absent
# A folder is a book root when it holds both of these.
ROOT_MARKERS = (CONFIG_FILE, f"{DATA_DIR}/claims.csv")
# The checkout this package is installed from (an editable install): where the default vocabulary lives.
INSTALLED_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = Path(__file__).resolve().parent
# The layers that change neither what a chapter computes nor what the ledger holds: rendering and tooling.
NON_COMPUTING_LAYERS = ("sphinxext", "tools")


def package_code(package_dir: Path | None = None) -> list[Path]:
    """The package's modules a chapter's outputs and the loaded ledger depend on: all but `sphinxext/`
    and `tools/`, so an edit to the preview server or the PDF script re-executes nothing."""
    package_dir = package_dir or PACKAGE_DIR
    return sorted(
        p for p in package_dir.rglob("*.py") if not set(p.relative_to(package_dir).parts) & set(NON_COMPUTING_LAYERS)
    )


def table_file(name: str) -> str:
    """The CSV file of the ledger table `name`: `data/<name>.csv`."""
    return f"{DATA_DIR}/{name}.csv"


def vocabulary_file(root: Path) -> Path:
    """The vocabulary table a book at `root` uses: its own `data/vocabulary.csv`, or, for a test book
    that has none, the one of the checkout this package is installed from."""
    own = Path(root) / VOCABULARY_FILE
    return own if own.is_file() else INSTALLED_ROOT / VOCABULARY_FILE


# ---------------------------------------------------------------------------------------
# Sphinx documents, anchors and links


def seed_docname(seed_id: str, folder: str = SEED_PAGES_DIR) -> str:
    """The docname of a seed's generated page, e.g. `chapters/seeds/nativepath`."""
    return f"{folder}/{seed_id}"


def claim_anchor(claim_id: str) -> str:
    """The id (and Sphinx label) of a claim's highlighted passage on its seed page."""
    return f"claim-{claim_id}"


def seed_anchor(seed_id: str) -> str:
    """The label of a seed page's title, e.g. `seed-nativepath`."""
    return f"seed-{seed_id}"


def cite_anchor(claim_id: str, number: int) -> str:
    """The id of the `number`-th quote of a claim on one page (back-links from the seed page point at it)."""
    return f"cite-{claim_id}-{number}"


# The claims explorer's page, and the query keys it reads from its address to open filtered: one per
# select filter of brainbone.book.explorer.FILTERS, and `q` for the search box (tests/test_layout.py keeps them in step).
EXPLORER_DOCNAME = f"{CHAPTERS_DIR}/explorer"
EXPLORER_QUERY_KEYS = ("section", "topic", "seed", "speaker", "evidence", "appraisal", "commercial", "context", "q")


def explorer_href(*, from_docname: str, **filters: str) -> str:
    """The relative link from `from_docname` to the explorer opened with `filters` set, e.g.
    `explorer.html?section=association`; the keys are those of EXPLORER_QUERY_KEYS, in that order."""
    for key in filters:
        if key not in EXPLORER_QUERY_KEYS:
            nearest = difflib.get_close_matches(key, EXPLORER_QUERY_KEYS, n=1)
            hint = f" (nearest: '{nearest[0]}')" if nearest else ""
            raise ValueError(
                f"unknown explorer filter '{key}'{hint}; expected one of: {', '.join(EXPLORER_QUERY_KEYS)}"
            )
    start = posixpath.dirname(from_docname) or "."
    href = posixpath.relpath(f"{EXPLORER_DOCNAME}.html", start)
    query = urlencode([(key, filters[key]) for key in EXPLORER_QUERY_KEYS if key in filters])
    return f"{href}?{query}" if query else href


def claim_href(seed_id: str, claim_id: str, *, from_docname: str) -> str:
    """The relative HTML link from the page `from_docname` to a claim's passage on its seed page."""
    target = seed_docname(seed_id) + ".html"
    start = posixpath.dirname(from_docname) or "."
    return f"{posixpath.relpath(target, start)}#{claim_anchor(claim_id)}"


# ---------------------------------------------------------------------------------------
# The book root and its execution settings


def is_book_root(path: Path) -> bool:
    return all((path / marker).exists() for marker in ROOT_MARKERS)


def find_book_root(start: Path | None = None) -> Path:
    """Return `$BRAINBONE_ROOT`, else the nearest book root above `start` (default: the working
    directory), else the checkout this package was installed from."""
    if env := os.environ.get("BRAINBONE_ROOT"):
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if is_book_root(candidate):
            return candidate
    if is_book_root(INSTALLED_ROOT):
        return INSTALLED_ROOT
    raise FileNotFoundError(
        f"no book root (a folder with {' and '.join(ROOT_MARKERS)}) above {here}; "
        "run from inside the book or set BRAINBONE_ROOT"
    )


@dataclass(frozen=True)
class ExecuteSettings:
    """What `_config.yml` says under `execute:` that the parallel executor must agree with."""

    cache_dir: Path  # absolute
    timeout: int  # seconds per cell


def execute_settings(root: Path) -> ExecuteSettings:
    """The jupyter-cache folder and cell timeout of the book at `root`, read from its `_config.yml`."""
    root = Path(root).resolve()
    return _execute_settings(root, (root / CONFIG_FILE).stat().st_mtime_ns)


@cache
def _execute_settings(root: Path, _mtime: int) -> ExecuteSettings:
    import yaml

    config = yaml.safe_load((root / CONFIG_FILE).read_text(encoding="utf-8")) or {}
    execute = config.get("execute") or {}
    timeout = execute.get("timeout", DEFAULT_EXECUTION_TIMEOUT)
    return ExecuteSettings(
        cache_dir=root / (execute.get("cache") or DEFAULT_CACHE_DIR),  # "" means the default
        timeout=int(timeout) if timeout is not None else DEFAULT_EXECUTION_TIMEOUT,
    )
