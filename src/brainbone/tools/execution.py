"""`python -m brainbone.tools.execution`: execute every chapter whose code or inputs changed, on every
core, into the cache the build reads; `--list-stale` only lists them.

The work is done by one module per concern: brainbone.book.frontmatter (what a chapter declares),
brainbone.book.fingerprint (what its outputs depend on), brainbone.tools.audit (the kernel's record of what it
read) and brainbone.tools.executor (the kernels and the cache). Their main names are re-exported here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from brainbone import layout
from brainbone.book.fingerprint import (
    INPUTS_MARKER,
    chapter_digests,
    chapters,
    code_digest,
    fingerprint,
    input_files,
    inputs_cell,
    prepare,
)
from brainbone.book.frontmatter import READABLE, WHOLE_LEDGER, declared_reads, front_matter, is_cached, is_notebook
from brainbone.layout import find_book_root
from brainbone.tools.executor import (
    FRESH_FILE,
    Outcome,
    default_workers,
    execute_stale,
    read_notebook,
    stale_chapters,
    undeclared_message,
    undeclared_reads,
)

__all__ = [
    "FRESH_FILE",
    "INPUTS_MARKER",
    "READABLE",
    "WHOLE_LEDGER",
    "Outcome",
    "chapter_digests",
    "chapters",
    "code_digest",
    "declared_reads",
    "default_workers",
    "execute_stale",
    "fingerprint",
    "front_matter",
    "input_files",
    "inputs_cell",
    "is_cached",
    "is_notebook",
    "main",
    "prepare",
    "read_notebook",
    "stale_chapters",
    "undeclared_reads",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m brainbone.tools.execution", description=__doc__.split("\n")[0])
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
        state = "ok" if outcome.error is None else "FAILED"
        print(f"executed {outcome.path.relative_to(root)} in {outcome.seconds:.1f} s: {state}")
    print(
        f"{len(outcomes)} chapter(s) executed on {args.workers} worker(s) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    if failed:
        # The ledger's own problems first: chapters that fail on them are only their consequence.
        from brainbone.ledger.cache import load_cached

        for issue in load_cached(root).issues:
            print(f"error: {issue}  [brainbone.{issue.kind}]", file=sys.stderr)
    for outcome in failed:  # the chapter, the cell and the exception, not only "CellExecutionError"
        print(f"error: {outcome.error}", file=sys.stderr)
    undeclared = [outcome for outcome in outcomes if outcome.undeclared]
    for outcome in undeclared:
        print(f"error: {undeclared_message(root, outcome)}", file=sys.stderr)
    return 1 if undeclared or failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
