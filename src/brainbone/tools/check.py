"""`make check`: validate the ledger and verify every excerpt, without building the book.

The verdict is stored under the content key of the validated ledger (brainbone.ledger.cache: every byte of
the tables, the seeds, references.bib, the vocabulary, the checked snapshot, the package's code and
the libraries' versions) and of this module, which words the verdict (`verdict_key`), so a check of
unchanged inputs answers at once, without importing pandas or pandera; `--no-cache` validates anyway.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from brainbone import layout
from brainbone.ledger import cache

PREFIX = "check-"  # in layout.LEDGER_CACHE_DIR: check-<key>.json, the verdict on those inputs
MODULE_FILE = Path(__file__)  # this module words the verdict, so its bytes are in the verdict's key


def validate(root: Path) -> tuple[int, list[str], str, list[str]]:
    """Load, validate and verify the ledger: the exit status, the error lines, the summary and the
    per-seed status (brainbone.ledger.status: what is still to do, which is not an error)."""
    from brainbone.ledger import datapackage, rules, status
    from brainbone.ledger.loader import load_ledger  # pandas and pandera: only when the inputs changed

    started = time.perf_counter()
    ledger = load_ledger(root)
    issues = [
        *ledger.issues,
        *rules.reader_comment_grades(ledger.claims, ledger.table_files.get("claims", layout.table_file("claims"))),
    ]
    errors = [f"error: {issue}  [brainbone.{issue.kind}]" for issue in issues]
    # The build and the tests reject a stale data package; so does the check, first.
    errors += [f"error: {problem}  [brainbone.stale_datapackage]" for problem in datapackage.stale(root)]
    elapsed = time.perf_counter() - started
    claims = ledger.claims
    verified = int(claims["verified"].sum()) if len(claims) else 0
    summary = (
        f"{len(ledger.sources)} seeds, {len(claims)} claims ({verified} verified verbatim), "
        f"{len(ledger.effects)} effects, {len(ledger.bib_keys)} references; "
        f"{len(errors)} problem(s) in {elapsed:.2f} s"
    )
    return (1 if errors else 0), errors, summary, status.summary_lines(ledger)


def verdict_key(root: Path) -> str:
    """The ledger's content key, the bytes of this module, and what else `validate` reads: the draft
    sheets (the per-seed status) and the data package with its licence block (stale or not)."""
    from brainbone.ledger import newseed

    digest = hashlib.sha256(cache.key(root).encode() + b"\0" + MODULE_FILE.read_bytes())
    extra = sorted((root / newseed.DRAFTS_DIR).glob("*.csv"))
    descriptor = root / layout.DATA_DIR / "datapackage.json"  # brainbone.ledger.datapackage imports pandera
    if descriptor.is_file():  # only then does the check compare it and data/README.md (datapackage.stale)
        extra += [descriptor, root / layout.DATA_DIR / "README.md"]
    for path in extra:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()[:20]


def verdict_file(root: Path, content_key: str) -> Path:
    return root / layout.LEDGER_CACHE_DIR / f"{PREFIX}{content_key}.json"


def _store(path: Path, verdict: dict) -> None:
    """The verdict on these inputs; the verdicts on older contents removed."""
    cache.store_replacing(path, json.dumps(verdict).encode("utf-8"), f"{PREFIX}*.json")


def _load(path: Path) -> dict | None:
    try:
        verdict = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return verdict if isinstance(verdict, dict) and {"status", "errors", "summary", "seeds"} <= set(verdict) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="brainbone-check", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=None, help="book root (default: found from here)")
    parser.add_argument("--no-cache", action="store_true", help="validate even when the inputs are unchanged")
    args = parser.parse_args(argv)
    root = (args.root or layout.find_book_root()).resolve()
    # With --no-cache the inputs are not hashed either (a second of the 1,000x ledger's 160 MB).
    path = None if args.no_cache else verdict_file(root, verdict_key(root))
    verdict = None if path is None else _load(path)
    if verdict is None:
        status, errors, summary, seeds = validate(root)
        when = time.strftime("%Y-%m-%d %H:%M:%S")
        verdict = {"status": status, "errors": errors, "summary": summary, "seeds": seeds, "when": when}
        if path is not None:
            _store(path, verdict)
    else:
        verdict["summary"] += f" (inputs unchanged since the check at {verdict.get('when', '?')})"
    for line in verdict["errors"]:
        print(line, file=sys.stderr)
    failed = verdict["status"] != 0
    print(("FAILED: " if failed else "ok: ") + verdict["summary"], file=sys.stderr if failed else sys.stdout)
    for line in verdict["seeds"]:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
