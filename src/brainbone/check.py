"""`make check`: validate the ledger and verify every excerpt, without building the book."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from brainbone.ledger import load_ledger


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="brainbone-check", description=__doc__)
    parser.add_argument("--root", type=Path, default=None, help="book root (default: found from here)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    ledger = load_ledger(args.root)
    elapsed = time.perf_counter() - started
    for issue in ledger.issues:
        print(f"error: {issue}  [brainbone.{issue.kind}]", file=sys.stderr)
    claims = ledger.claims
    verified = int(claims["verified"].sum()) if len(claims) else 0
    summary = (
        f"{len(ledger.sources)} seeds, {len(claims)} claims ({verified} verified verbatim), "
        f"{len(ledger.effects)} effects, {len(ledger.bib_keys)} references; "
        f"{len(ledger.issues)} problem(s) in {elapsed:.2f} s"
    )
    print(("FAILED: " if ledger.issues else "ok: ") + summary, file=sys.stderr if ledger.issues else sys.stdout)
    return 1 if ledger.issues else 0


if __name__ == "__main__":
    raise SystemExit(main())
