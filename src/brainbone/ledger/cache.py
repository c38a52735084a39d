"""The validated ledger, loaded once per content: a pickle named by the hash of every byte it depends on.

`load_ledger()` reads, validates and verifies the ledger (about half a second, and pandera's import);
the build's Sphinx process, the executor and every chapter's kernel would each do it again. Here
the result is stored under `_build/.brainbone/ledger-<key>.pickle`, where the key hashes the bytes
of every table in data/ (brainbone.ledger.catalog), every file in seeds/ and every seed file
sources.csv names, references.bib, the vocabulary table, the checked snapshot the context rule compares
with, the package's code (not its rendering and tooling: `layout.package_code`), and the versions of
the package and of the libraries that read, validate and pickle the tables (`LIBRARIES`), so a
ledger is reused exactly when nothing it was made from has changed. A chapter run on its own in
Jupyter, with no cache or a stale one, loads and validates the ledger itself and stores it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import pickle
import tempfile
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from brainbone import layout
from brainbone.ledger import catalog

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger

PREFIX = "ledger-"
# The distributions whose versions a stored ledger depends on: this package, and what parses, validates
# and pickles the tables (a pickled frame from another pandas may not load, or load differently).
LIBRARIES = ("brainbone", "pandas", "pandera", "numpy", "pybtex")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "not installed"


def library_versions() -> str:
    """`brainbone=0.3.0 pandas=2.2.3 ...`: the versions of `LIBRARIES`, read without importing them."""
    return " ".join(f"{name}={_version(name)}" for name in LIBRARIES)


def named_seed_files(root: Path) -> list[Path]:
    """The files sources.csv names in its `file` column, wherever they are; read with the csv module,
    since the key is computed before pandas is imported. An unreadable table names none (its bytes are
    in the key anyway)."""
    path = Path(root) / catalog.spec("sources").file
    try:
        rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
        names = {row.get("file") or "" for row in rows}
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return sorted(Path(root) / name for name in names if name and "\0" not in name)


def source_files(root: Path) -> list[Path]:
    """Every file a loaded ledger depends on, in a fixed order."""
    root = Path(root)
    files = [root / file for file in catalog.table_files().values()]
    seeds = root / layout.SEEDS_DIR
    # Every file in seeds/: a seed not yet listed is an issue of the ledger too.
    files += sorted(p for p in seeds.rglob("*") if p.is_file()) if seeds.is_dir() else []
    files += [p for p in named_seed_files(root) if p not in files]
    files += [root / layout.BIB_FILE, layout.vocabulary_file(root), root / layout.CONTEXT_CHECKED_FILE]
    # The code that reads and checks the ledger; the Sphinx layer and the tools do not change what it holds.
    return files + layout.package_code()


def _label(root: Path, path: Path) -> str:
    """A file's name in the key: relative to the book root (or to the package), so a moved clone keeps its key."""
    for base in (root, layout.PACKAGE_DIR.parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return str(path)


def key(root: Path) -> str:
    """The hash of the library versions, and of the name and bytes of every file in `source_files`."""
    root = Path(root).resolve()
    digest = hashlib.sha256(library_versions().encode() + b"\0")
    for path in source_files(root):
        digest.update(_label(root, path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except (OSError, ValueError):  # missing, a folder, or a name no file can have
            digest.update(b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def cache_file(root: Path) -> Path:
    return Path(root) / layout.LEDGER_CACHE_DIR / f"{PREFIX}{key(root)}.pickle"


def load_cached(root: Path | None = None, *, store: bool = True) -> Ledger:
    """The ledger of the book at `root`, from the cache when its key matches, else loaded,
    validated and verified by `load_ledger()` and (if `store`) stored, issues included, for the
    next process."""
    root = Path(root).resolve() if root is not None else layout.find_book_root()
    path = cache_file(root)
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        pass  # missing, half-written by a process that died, or from another version of the code
    from brainbone.ledger.loader import load_ledger

    ledger = load_ledger(root)
    if store:
        _store(path, ledger)
    return ledger


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` by a rename, so that a reader in another process sees the old file or
    the new one, never a part; an OSError is the caller's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, path)


def store_replacing(path: Path, data: bytes, stale: str) -> None:
    """Write `data` to `path` atomically (processes load in parallel), then drop the files of older
    contents (`stale`, a glob in the same folder). A read-only checkout only loses the reuse."""
    try:
        write_atomically(path, data)
        for old in path.parent.glob(stale):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _store(path: Path, ledger: Ledger) -> None:
    store_replacing(path, pickle.dumps(ledger, protocol=pickle.HIGHEST_PROTOCOL), f"{PREFIX}*.pickle")


__all__ = [
    "LIBRARIES",
    "cache_file",
    "key",
    "library_versions",
    "load_cached",
    "named_seed_files",
    "source_files",
    "store_replacing",
]
