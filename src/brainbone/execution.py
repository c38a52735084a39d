"""What each chapter's outputs depend on, and parallel execution of chapters into the build's cache.

jupyter-cache keys a notebook on its code cells only (MyST-NB issue 299), so a change to `data/`,
`seeds/` or this package would leave stale outputs. Each chapter therefore gets one hidden code
cell, a comment holding the fingerprint of every file it reads. The Sphinx extension appends it
when MyST-NB reads the chapter, and `prepare()` appends the same cell here, so both key alike.
The executor also watches which files each chapter's kernel opens, and refuses to cache a chapter
that reads a file its front matter does not declare: such a chapter would go stale unnoticed.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from brainbone import catalog, layout
from brainbone.layout import find_book_root

INPUTS_MARKER = "# brainbone inputs:"
PACKAGE_DIR = Path(__file__).resolve().parent
# What a chapter may declare under `brainbone: reads:` in its front matter: every ledger table
# (brainbone.catalog), the bibliography and the seeds folder.
READABLE = {**catalog.table_files(), "references": layout.BIB_FILE, "seeds": layout.SEEDS_DIR}
WHOLE_LEDGER = "ledger"  # `reads: [ledger]`: every input above, whatever tables are declared
# Folders under the book root whose files are never a chapter's data: the package is always part
# of the fingerprint, and the environment and the build's own output are not inputs.
NOT_INPUTS = (".git", ".venv", layout.BUILD_DIR, "src")


def front_matter(text: str) -> dict:
    """The YAML front matter of a MyST file, or {}."""
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    data = yaml.safe_load(text[3:end]) or {}
    return data if isinstance(data, dict) else {}


def is_notebook(text: str) -> bool:
    """A MyST notebook: jupytext front matter with a kernelspec."""
    return "kernelspec" in front_matter(text)


def declared_reads(text: str) -> list[str]:
    """The inputs a chapter declares (`brainbone: reads: [claims, seeds]`), in a fixed order so
    that reordering them re-executes nothing; all of them by default, or with `[ledger]`, which
    also covers tables declared later (what `load_ledger()` reads)."""
    settings = front_matter(text).get("brainbone") or {}
    reads = settings.get("reads") if isinstance(settings, dict) else settings
    if reads is None:
        return list(READABLE)
    if not isinstance(reads, list) or not all(isinstance(name, str) for name in reads):
        raise ValueError(f"`brainbone: reads` must be a list of input names, e.g. [claims, seeds]; got {reads!r}")
    if WHOLE_LEDGER in reads:
        return list(READABLE)
    for name in reads:
        if name not in READABLE:
            nearest = difflib.get_close_matches(name, [*READABLE, WHOLE_LEDGER], n=1)
            hint = f" (nearest: '{nearest[0]}')" if nearest else ""
            raise ValueError(
                f"unknown input '{name}' under `brainbone: reads`{hint}; expected some of: {', '.join(READABLE)}, "
                f"or {WHOLE_LEDGER} for all of them"
            )
    return [name for name in READABLE if name in reads]


def _package_files(package_dir: Path | None = None) -> list[Path]:
    # The Sphinx layer does not change what a chapter computes, so it does not invalidate it.
    package_dir = package_dir or PACKAGE_DIR
    return sorted(p for p in package_dir.rglob("*.py") if "sphinxext" not in p.relative_to(package_dir).parts)


def input_files(root: Path, text: str) -> list[Path]:
    """Every file a chapter's outputs depend on besides its code: what it declares, and the package
    with the vocabulary table, which the package reads on import."""
    files: list[Path] = []
    for name in declared_reads(text):
        path = root / READABLE[name]
        files.extend(sorted(path.glob(layout.SEED_GLOB)) if path.is_dir() else [path])
    return files + [layout.vocabulary_file(root)] + _package_files()


def fingerprint(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        label = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        digest.update(label.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def inputs_cell(root: Path, text: str) -> str:
    """The hidden code cell appended to a chapter: its name is the fingerprint of its inputs."""
    reads = ",".join(declared_reads(text))
    return (
        "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
        f"{INPUTS_MARKER} {reads} sha256={fingerprint(root, input_files(root, text))}\n```\n"
    )


def prepare(root: Path, text: str) -> str:
    """The chapter text as the build reads it: unchanged prose, plus the inputs cell."""
    return text + inputs_cell(root, text) if is_notebook(text) else text


# ---------------------------------------------------------------------------------------
# Parallel execution into the jupyter-cache that MyST-NB reads

# Run in each kernel before the chapter (not as a cell: outputs and execution counts are those of
# a plain kernel). It records every file the chapter opens, to compare with what it declares.
# It also skips rfc3987_syntax, which jsonschema imports (through nbformat, which myst_nb's glue
# loads) and which compiles ~35 Earley parsers at import, 0.7 s per kernel
# (python-jsonschema/jsonschema#1428); nbformat's schema checks no IRI, so nothing else changes.
_KERNEL_SETUP = """
import os, sys
sys.modules.setdefault("rfc3987_syntax", None)
log_path = os.environ.get("BRAINBONE_AUDIT_LOG")
if log_path:
    log = open(log_path, "a", encoding="utf-8", buffering=1)
    seen = set()

    def record_reads(event, args):
        if event != "open":
            return
        try:
            path, mode, flags = args
            if isinstance(mode, str):
                write_only = "+" not in mode and any(c in mode for c in "wax")
            else:
                write_only = isinstance(flags, int) and flags & os.O_ACCMODE == os.O_WRONLY
            if write_only or not isinstance(path, (str, bytes, os.PathLike)):
                return
            path = os.path.abspath(os.fsdecode(path))
            if path not in seen:
                seen.add(path)
                log.write(path + "\\n")
        except Exception:  # an audit hook that raised would break the chapter's own open()
            pass

    sys.addaudithook(record_reads)
"""
KERNEL_ARGUMENTS = [
    f"--IPKernelApp.exec_lines={[f'exec({_KERNEL_SETUP!r}, {{}})']!r}",
    "--IPKernelApp.log_level=ERROR",  # no start-up chatter from each of the kernels
]


@dataclass
class Outcome:
    path: Path
    seconds: float
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
        raise ValueError(f"{_relative(root, path)}: {error}") from None
    return read_myst_markdown_notebook(text, add_source_map=True, path=str(path))


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


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
    """In a worker process: execute one chapter in a fresh kernel, as MyST-NB would."""
    from jupyter_cache.executors.utils import single_nb_execution

    root, path, timeout = Path(job[0]), Path(job[1]), job[2]
    notebook = read_notebook(root, path)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="brainbone-kernel-") as folder:
        log = Path(folder) / "reads.log"
        log.touch()
        # The kernel inherits this environment: it finds this book, and logs what it opens.
        os.environ.update(BRAINBONE_ROOT=str(root), BRAINBONE_AUDIT_LOG=str(log))
        try:
            result = single_nb_execution(
                notebook,
                cwd=str(path.parent),
                allow_errors=False,
                timeout=timeout,
                meta_override=True,
                extra_arguments=KERNEL_ARGUMENTS,
                shutdown_kernel="immediate",  # outputs are in; a graceful exit only adds wall time
                config=_kernel_config(Path(folder)),
            )
        except Exception:  # a kernel that fails to start: report it for this chapter, run the others
            return str(path), notebook, time.perf_counter() - started, traceback.format_exc(), []
        opened = log.read_text(encoding="utf-8").splitlines()
    error = None if result.err is None else result.exc_string
    undeclared = undeclared_reads(root, path.read_text(encoding="utf-8"), opened)
    return str(path), notebook, result.time, error, undeclared


def execution_mode(text: str) -> str | None:
    """The MyST-NB execution mode a chapter sets for itself (`mystnb: execution_mode:`), if any."""
    settings = front_matter(text).get("mystnb") or {}
    return settings.get("execution_mode") if isinstance(settings, dict) else None


def is_cached(text: str) -> bool:
    """A notebook whose outputs the build takes from the cache. One that sets another execution
    mode (`force`, for a page about the build itself) is run by MyST-NB on every read instead."""
    return is_notebook(text) and execution_mode(text) in (None, "cache")


def chapters(root: Path) -> list[Path]:
    """The chapters this module executes into the cache: notebooks that take their outputs from it."""
    folder = root / layout.CHAPTERS_DIR
    return sorted(p for p in folder.glob(layout.CHAPTER_GLOB) if is_cached(p.read_text(encoding="utf-8")))


def stale_chapters(root: Path, cache_dir: Path) -> list[Path]:
    """The chapters whose code or inputs have no executed notebook in the cache."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    stale = []
    for path in chapters(root):
        try:
            cache.match_cache_notebook(read_notebook(root, path))
        except KeyError:
            stale.append(path)
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
    one per core leaves cores idle: on 2 cores, 4 workers ran the book's chapters 15% faster."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 2 * cores


def execute_stale(root: Path, cache_dir: Path, workers: int, timeout: int | None = None) -> list[Outcome]:
    """Execute every chapter whose code or inputs changed, `workers` at a time, into the cache.
    A chapter is cached only when it ran without error and read nothing it does not declare.
    The cell timeout is `execute: timeout:` of _config.yml unless given."""
    if timeout is None:
        timeout = layout.execute_settings(root).timeout
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    stale = stale_chapters(root, cache_dir)
    if not stale:
        return []
    cache = get_cache(str(cache_dir))
    outcomes = []
    jobs = [(str(root), str(path), timeout) for path in _longest_first(cache, stale)]
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
        for future in as_completed([pool.submit(_execute, job) for job in jobs]):
            path, notebook, seconds, error, undeclared = future.result()
            outcome = Outcome(Path(path), seconds, error, undeclared)
            if outcome.ok:
                bundle = CacheBundleIn(notebook, path, data={"execution_seconds": seconds})
                cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
            outcomes.append(outcome)
    return sorted(outcomes, key=lambda outcome: outcome.path)


def _undeclared_message(root: Path, outcome: Outcome) -> str:
    names = {path: name for name, path in READABLE.items()}
    covered = [names[f] for f in outcome.undeclared if f in names]
    covered += ["seeds"] if any(f.startswith(READABLE["seeds"] + "/") for f in outcome.undeclared) else []
    fix = (
        f"add {', '.join(sorted(set(covered)))} to `brainbone: reads` in its front matter"
        if covered
        else "read only files that brainbone.execution.READABLE lists, or add the file there"
    )
    return (
        f"{_relative(root, outcome.path)} read {', '.join(outcome.undeclared)}, which its front matter "
        f"does not declare, so its outputs would go stale when that changes; {fix}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m brainbone.execution", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--list-stale", action="store_true", help="only list chapters that would execute")
    args = parser.parse_args(argv)
    root = (args.root or find_book_root()).resolve()
    cache_dir = layout.execute_settings(root).cache_dir  # the cache MyST-NB reads, from _config.yml
    started = time.perf_counter()
    try:
        if args.list_stale:
            for path in stale_chapters(root, cache_dir):
                print(path.relative_to(root))
            return 0
        outcomes = execute_stale(root, cache_dir, args.workers)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for outcome in outcomes:
        state = "ok" if outcome.error is None else "FAILED (the build will report where)"
        print(f"executed {outcome.path.relative_to(root)} in {outcome.seconds:.1f} s: {state}")
    print(
        f"{len(outcomes)} chapter(s) executed on {args.workers} worker(s) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    undeclared = [outcome for outcome in outcomes if outcome.undeclared]
    for outcome in undeclared:
        print(f"error: {_undeclared_message(root, outcome)}", file=sys.stderr)
    return 1 if undeclared else 0


if __name__ == "__main__":
    # Before nbformat is imported (see _KERNEL_SETUP); the worker processes inherit it.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    raise SystemExit(main())
