"""Parallel execution of the stale chapters into the jupyter-cache that MyST-NB reads.

Each chapter runs in a fresh stock kernel, started by jupyter-cache's `single_nb_execution` as
MyST-NB runs it, several at a time: each worker of a thread pool talks to its own kernel. The kernel
records every file the chapter opens (brainbone.tools.audit), and a chapter that reads a file its front
matter does not declare is not cached: its outputs would go stale unnoticed when that file changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from brainbone import layout
from brainbone.book.fingerprint import chapters, code_digest, input_files, prepare, relative
from brainbone.book.frontmatter import READABLE
from brainbone.tools import audit

# Folders under the book root whose files are never a chapter's data: the package is always part
# of the fingerprint, and the environment and the build's own output are not inputs.
NOT_INPUTS = (".git", ".venv", layout.BUILD_DIR, "src")
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]  # no start-up chatter from each of the kernels


@dataclass
class Outcome:
    path: Path
    seconds: float
    # What failed, in a line that names the chapter, the cell and the exception (`cell_error`).
    error: str | None
    # Files under the book root the chapter read but does not declare (root-relative).
    undeclared: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.undeclared


def read_notebook(root: Path, path: Path):
    from myst_nb.core.read import read_myst_markdown_notebook  # heavy import, executor only

    try:
        text = prepare(root, path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ValueError(f"{relative(root, path)}: {error}") from None
    return read_myst_markdown_notebook(text, add_source_map=True, path=str(path))


def undeclared_reads(root: Path, text: str, opened: list[str]) -> list[str]:
    """The files under `root` among `opened` that `text`'s declared inputs do not cover."""
    root = root.resolve()
    declared = {p.resolve() for p in input_files(root, text)}
    found = set()
    for name in opened:
        path = Path(name).resolve()
        if not path.is_relative_to(root) or path in declared or not path.is_file():
            continue
        parts = path.relative_to(root).parts
        if parts[0] in NOT_INPUTS or "__pycache__" in parts:
            continue
        found.add(path.relative_to(root).as_posix())
    return sorted(found)


def _kernel_config(folder: Path):
    """Kernels talk over Unix sockets in a folder of their own, not TCP: kernels that parallel
    workers start at the same moment could pick the same free port ("Address already in use",
    then a 60 s wait for a kernel that never answers)."""
    from traitlets.config import Config

    if os.name != "posix":
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": str(folder / "kernel")}})


def _execute(job: tuple[str, str, int]):
    """In a worker thread: execute one chapter in a fresh kernel, as MyST-NB would run it."""
    from jupyter_cache.executors.utils import single_nb_execution

    root, path, timeout = Path(job[0]), Path(job[1]), job[2]
    notebook = read_notebook(root, path)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="brainbone-kernel-") as folder:
        log = Path(folder) / "reads.log"
        log.touch()
        # The kernel finds this book, and logs what it opens: a start-up line, since a thread cannot
        # give its kernel an environment of its own through nbclient.
        start_up = f"--IPKernelApp.exec_lines={[audit.exec_line(log, root)]!r}"
        try:
            result = single_nb_execution(
                notebook,
                cwd=str(path.parent),
                allow_errors=False,
                timeout=timeout,
                meta_override=True,
                extra_arguments=[*KERNEL_ARGUMENTS, start_up],
                shutdown_kernel="immediate",  # outputs are in; a graceful exit only adds wall time
                config=_kernel_config(Path(folder)),
            )
        except Exception as error:  # a kernel that fails to start: report it for this chapter, run the others
            traceback.print_exc()
            message = f"{relative(root, path)}: the kernel failed: {type(error).__name__}: {error}"
            return str(path), notebook, time.perf_counter() - started, message, []
        opened = log.read_text(encoding="utf-8").splitlines()
    error = None if result.err is None else cell_error(root, path, notebook, result.err)
    undeclared = undeclared_reads(root, path.read_text(encoding="utf-8"), opened)
    return str(path), notebook, result.time, error, undeclared


def cell_error(root: Path, path: Path, notebook, error: Exception) -> str:
    """The failing cell of an executed chapter in one line: the chapter and the cell's line, the cell's
    first line, and the exception's type and message, e.g. `chapters/methods.md:40: the cell that begins
    "counts = tables.claim_counts()" raised KeyError: 'seed_id'`."""
    lines = notebook.metadata.get("source_map") or []
    for index, cell in enumerate(notebook.cells):
        failed = [output for output in cell.get("outputs", []) if output.get("output_type") == "error"]
        if cell.cell_type != "code" or not failed:
            continue
        first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
        first = first if len(first) <= 80 else first[:79] + "…"
        where = f"{relative(root, path)}:{lines[index]}" if index < len(lines) else relative(root, path)
        # The first line: a LedgerError lists every problem of the ledger after it, and they are reported apart.
        value = (str(failed[0].get("evalue", "")).strip().splitlines() or [""])[0].strip().rstrip(":")
        return f'{where}: the cell that begins "{first}" raised {failed[0].get("ename")}: {value}'
    # No cell holds the error: a timeout, or a kernel that died.
    return f"{relative(root, path)}: {type(error).__name__}: {' '.join(str(error).split())[:300]}"


# In the cache folder: the digest of each chapter as last found fresh (code, front matter and the
# fingerprint of its inputs), and the hash of the chapter text it was computed from. When every
# chapter still has that digest, nothing is stale, and the executor answers without importing
# jupyter-cache and SQLAlchemy or asking its database; a chapter whose text is byte for byte as
# recorded is not even parsed (a no-op parses none, a prose edit one).
FRESH_FILE = "brainbone-fresh.json"


def _fresh_file(cache_dir: Path) -> Path:
    return Path(cache_dir) / FRESH_FILE


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _prepared(root: Path) -> dict[str, str]:
    """Each cached chapter's text as the build reads it (`fingerprint.prepare`)."""
    return {relative(root, path): prepare(root, path.read_text(encoding="utf-8")) for path in chapters(root)}


def _write_fresh(cache_dir: Path, digests: dict[str, str], texts: dict[str, str]) -> None:
    record = {"digests": digests, "texts": texts}
    _fresh_file(cache_dir).write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")


def _all_fresh(root: Path, cache_dir: Path) -> bool:
    try:
        recorded = json.loads(_fresh_file(cache_dir).read_text(encoding="utf-8"))
        digests, texts = dict(recorded["digests"]), dict(recorded["texts"])
    except (OSError, ValueError, KeyError, TypeError):  # none yet, or an older layout: ask the cache
        return False
    prepared = _prepared(root)
    if set(prepared) != set(digests):
        return False
    hashes = {name: _text_hash(text) for name, text in prepared.items()}
    for name, text in prepared.items():
        if texts.get(name) != hashes[name] and code_digest(text) != digests[name]:
            return False
    if hashes != texts:  # prose edits: the same digests, new texts; the next check parses nothing
        _write_fresh(cache_dir, digests, hashes)
    return True


def _record_fresh(root: Path, cache_dir: Path) -> None:
    if Path(cache_dir).is_dir():
        prepared = _prepared(root)
        digests = {name: code_digest(text) for name, text in prepared.items()}
        _write_fresh(cache_dir, digests, {name: _text_hash(text) for name, text in prepared.items()})


def stale_chapters(root: Path, cache_dir: Path) -> list[Path]:
    """The chapters whose code or inputs have no executed notebook in the cache."""
    if _all_fresh(root, cache_dir):
        return []
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    stale = []
    for path in chapters(root):
        try:
            cache.match_cache_notebook(read_notebook(root, path))
        except KeyError:
            stale.append(path)
    if not stale:
        _record_fresh(root, cache_dir)
    return stale


def _longest_first(cache, paths: list[Path]) -> list[Path]:
    """Start the chapters that took longest last time first, so that no core idles at the end."""
    seconds: dict[str, float] = {}
    for record in cache.list_cache_records():
        seconds[record.uri] = float((record.data or {}).get("execution_seconds") or 0.0)
    unknown = max(seconds.values(), default=0.0) + 1.0
    return sorted(paths, key=lambda p: -seconds.get(str(p), unknown))


def default_workers() -> int:
    """Two kernels for each core this process may run on (a container's limit, not the host's).
    A kernel spends about as long waiting on start-up and shut-down handshakes as computing, so
    one per core leaves cores idle."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 2 * cores


def execute_stale(root: Path, cache_dir: Path, workers: int, timeout: int | None = None) -> list[Outcome]:
    """Execute every chapter whose code or inputs changed, `workers` at a time, into the cache.
    A chapter is cached only when it ran without error and read nothing it does not declare.
    The cell timeout is `execute: timeout:` of _config.yml unless given."""
    if timeout is None:
        timeout = layout.execute_settings(root).timeout
    stale = stale_chapters(root, cache_dir)
    if not stale:
        return []
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    # Load and validate the ledger once, here, into brainbone.ledger.cache: the kernels then read it from there.
    from brainbone.ledger.cache import load_cached

    load_cached(root)
    cache = get_cache(str(cache_dir))
    outcomes = []
    jobs = [(str(root), str(path), timeout) for path in _longest_first(cache, stale)]
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
        for future in as_completed([pool.submit(_execute, job) for job in jobs]):
            path, notebook, seconds, error, undeclared = future.result()
            outcome = Outcome(Path(path), seconds, error, undeclared)
            if outcome.ok:
                bundle = CacheBundleIn(notebook, path, data={"execution_seconds": seconds})
                cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
            outcomes.append(outcome)
    if all(outcome.ok for outcome in outcomes):
        _record_fresh(root, cache_dir)
    return sorted(outcomes, key=lambda outcome: outcome.path)


def undeclared_message(root: Path, outcome: Outcome) -> str:
    names = {path: name for name, path in READABLE.items()}
    covered = [names[f] for f in outcome.undeclared if f in names]
    covered += [name for name, path in READABLE.items() if any(f.startswith(path + "/") for f in outcome.undeclared)]
    fix = (
        f"add {', '.join(sorted(set(covered)))} to `brainbone: reads` in its front matter"
        if covered
        else "read only files that brainbone.book.frontmatter.READABLE lists, or add the file there"
    )
    return (
        f"{relative(root, outcome.path)} read {', '.join(outcome.undeclared)}, which its front matter "
        f"does not declare, so its outputs would go stale when that changes; {fix}"
    )
