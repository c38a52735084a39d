"""What each chapter's outputs depend on, and parallel execution of chapters into the build's cache.

jupyter-cache keys a notebook on its code cells only (MyST-NB issue 299), so a change to `data/`,
`seeds/` or this package would leave stale outputs. Each chapter therefore gets one hidden code
cell, a comment holding the fingerprint of every file it reads. The Sphinx extension appends it
when MyST-NB reads the chapter, and `prepare()` appends the same cell here, so both key alike.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from brainbone.paths import find_book_root

INPUTS_MARKER = "# brainbone inputs:"
PACKAGE_DIR = Path(__file__).resolve().parent
# Tables a chapter may declare under `brainbone: reads:` in its front matter.
READABLE = {
    "sources": "data/sources.csv",
    "topics": "data/topics.csv",
    "seed_parts": "data/seed_parts.csv",
    "claims": "data/claims.csv",
    "effects": "data/effects.csv",
    "references": "references.bib",
    "seeds": "seeds",
}
CACHE_DIR = "_build/.jupyter_cache"


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
    """The inputs a chapter declares (`brainbone: reads: [claims, seeds]`); all of them by default."""
    reads = (front_matter(text).get("brainbone") or {}).get("reads")
    if reads is None:
        return list(READABLE)
    unknown = sorted(set(reads) - set(READABLE))
    if unknown:
        raise ValueError(f"unknown input(s) {unknown} under brainbone: reads; expected some of {sorted(READABLE)}")
    return list(reads)


def _package_files() -> list[Path]:
    # The Sphinx layer does not change what a chapter computes, so it does not invalidate it.
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "sphinxext" not in p.parts)


def input_files(root: Path, text: str) -> list[Path]:
    files: list[Path] = []
    for name in declared_reads(text):
        path = root / READABLE[name]
        files.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return files + _package_files()


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


@dataclass
class Outcome:
    path: Path
    seconds: float
    error: str | None


def read_notebook(root: Path, path: Path):
    from myst_nb.core.read import read_myst_markdown_notebook  # heavy import, executor only

    text = prepare(root, path.read_text(encoding="utf-8"))
    return read_myst_markdown_notebook(text, add_source_map=True, path=str(path))


def _execute(args: tuple[str, str, int]):
    from jupyter_cache.executors.utils import single_nb_execution

    root, path, timeout = Path(args[0]), Path(args[1]), args[2]
    notebook = read_notebook(root, path)
    result = single_nb_execution(notebook, cwd=str(path.parent), allow_errors=False, timeout=timeout, meta_override=True)
    error = None if result.err is None else result.exc_string
    return str(path), notebook, result.time, error


def chapters(root: Path) -> list[Path]:
    return sorted(p for p in (root / "chapters").glob("*.md") if is_notebook(p.read_text(encoding="utf-8")))


def stale_chapters(root: Path, cache_dir: Path) -> list[Path]:
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    stale = []
    for path in chapters(root):
        try:
            cache.match_cache_notebook(read_notebook(root, path))
        except KeyError:
            stale.append(path)
    return stale


def execute_stale(root: Path, cache_dir: Path, workers: int, timeout: int = 300) -> list[Outcome]:
    """Execute every chapter whose code or inputs changed, `workers` at a time, into the cache."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    stale = stale_chapters(root, cache_dir)
    if not stale:
        return []
    cache = get_cache(str(cache_dir))
    outcomes = []
    jobs = [(str(root), str(path), timeout) for path in stale]
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
        for path, notebook, seconds, error in pool.map(_execute, jobs):
            if error is None:
                bundle = CacheBundleIn(notebook, path, data={"execution_seconds": seconds})
                cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
            outcomes.append(Outcome(Path(path), seconds, error))
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m brainbone.execution", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--list-stale", action="store_true", help="only list chapters that would execute")
    args = parser.parse_args(argv)
    root = args.root or find_book_root()
    cache_dir = root / CACHE_DIR
    if args.list_stale:
        for path in stale_chapters(root, cache_dir):
            print(path.relative_to(root))
        return 0
    started = time.perf_counter()
    outcomes = execute_stale(root, cache_dir, args.workers)
    for outcome in outcomes:
        state = "ok" if outcome.error is None else "FAILED (the build will report where)"
        print(f"executed {outcome.path.relative_to(root)} in {outcome.seconds:.1f} s: {state}")
    print(
        f"{len(outcomes)} chapter(s) executed on {args.workers} worker(s) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
