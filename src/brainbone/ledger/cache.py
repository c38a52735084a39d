"""The validated ledger, loaded once per content: a pickle named by the hash of every byte it depends on.

`load_ledger()` reads, validates and verifies the ledger (about half a second, and pandera's import);
the build's Sphinx process, the executor and every chapter's kernel would each do it again. Here
the result is stored under `_build/.brainbone/ledger-<key>.pickle`, where the key hashes the bytes
of every table in data/ (brainbone.ledger.catalog), seeds/, references.bib, the vocabulary table, the
package's code and its version, so a
ledger is reused exactly when nothing it was made from has changed. A chapter run on its own in
Jupyter, with no cache or a stale one, loads and validates the ledger itself and stores it.
"""

from __future__ import annotations

import hashlib
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


def _version() -> str:
    try:
        return metadata.version("brainbone")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "not installed"


def source_files(root: Path) -> list[Path]:
    """Every file a loaded ledger depends on, in a fixed order."""
    root = Path(root)
    files = [root / file for file in catalog.table_files().values()]
    files += sorted((root / layout.SEEDS_DIR).glob(layout.SEED_GLOB))
    files += [root / layout.BIB_FILE, layout.vocabulary_file(root), root / layout.CONTEXT_CHECKED_FILE]
    # The code that reads and checks the ledger; the Sphinx layer and the tools do not change what it holds.
    files += layout.package_code()
    return files


def key(root: Path) -> str:
    """The hash of the package version, and of the name and bytes of every file in `source_files`."""
    digest = hashlib.sha256(_version().encode() + b"\0")
    for path in source_files(root):
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
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


__all__ = ["cache_file", "key", "load_cached", "source_files", "store_replacing"]
