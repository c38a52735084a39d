"""brainbone.ledger.cache: the validated ledger is reused exactly while nothing it is read from changes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bookutils import replace_in
from brainbone import layout
from brainbone.ledger import cache
from brainbone.ledger.loader import load_ledger


def test_a_second_load_comes_from_the_cache_and_equals_a_fresh_one(tiny_root: Path) -> None:
    first = cache.load_cached(tiny_root)
    stored = cache.cache_file(tiny_root)
    assert stored.is_file() and stored.parent == tiny_root / layout.LEDGER_CACHE_DIR
    again = cache.load_cached(tiny_root)
    assert again is not first  # unpickled, not the same object
    fresh = load_ledger(tiny_root)
    assert again.claims.equals(fresh.claims)
    assert again.issues == fresh.issues == []
    assert again.tables.keys() == fresh.tables.keys()


def test_an_edit_to_any_input_changes_the_key(tiny_root: Path) -> None:
    keys = {cache.key(tiny_root)}
    replace_in(tiny_root / "data/claims.csv", "Matches the cited cohort.", "Matches the cited cohort study.")
    keys.add(cache.key(tiny_root))
    replace_in(tiny_root / "references.bib", "smith2020", "smith2020")  # the same bytes: the same key
    assert cache.key(tiny_root) in keys
    with (tiny_root / "seeds/tiny.txt").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    keys.add(cache.key(tiny_root))
    assert len(keys) == 3


def test_a_stale_cache_is_not_used_and_old_ledgers_are_dropped(tiny_root: Path) -> None:
    assert cache.load_cached(tiny_root).issues == []
    old = cache.cache_file(tiny_root)
    replace_in(tiny_root / "data/claims.csv", "tiny-003,", "tiny-001,")
    ledger = cache.load_cached(tiny_root)
    assert [issue.kind.value for issue in ledger.issues] == ["duplicate_id"]
    assert not old.exists()
    assert [p.name for p in (tiny_root / layout.LEDGER_CACHE_DIR).iterdir()] == [cache.cache_file(tiny_root).name]


def test_a_corrupt_cache_file_is_replaced(tiny_root: Path) -> None:
    cache.load_cached(tiny_root)
    cache.cache_file(tiny_root).write_bytes(b"not a pickle")
    assert cache.load_cached(tiny_root).issues == []


def test_a_kernel_loads_a_cached_ledger_fast_and_without_pandera(tiny_root: Path) -> None:
    cache.load_cached(tiny_root)
    code = (
        "import sys, time\nfrom brainbone.book import tables\nstart = time.perf_counter()\n"
        "ledger = tables.ledger()\nprint(time.perf_counter() - start, 'pandera' in sys.modules, len(ledger.claims))"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tiny_root, capture_output=True, text=True, check=True, timeout=120
    )
    assert time.perf_counter() - started < 60
    seconds, pandera, claims = result.stdout.split()
    assert (pandera, claims) == ("False", "4")
    assert float(seconds) < 0.1


def run_check(root: Path, *options: str) -> tuple[subprocess.CompletedProcess[str], bool]:
    """`make check` in a process of its own: its result, and whether it imported pandas."""
    script = (
        "import sys; from brainbone.tools.check import main; status = main(sys.argv[1:]); "
        "print('pandas imported:', 'pandas' in sys.modules); raise SystemExit(status)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "--root", str(root), *options], capture_output=True, text=True, timeout=120
    )
    return result, "pandas imported: True" in result.stdout


def test_check_reuses_its_verdict_on_unchanged_inputs_and_validates_again_after_an_edit(tiny_root: Path) -> None:
    first, validated = run_check(tiny_root)
    assert first.returncode == 0 and validated
    assert first.stdout.startswith("ok: 1 seeds, 4 claims (4 verified verbatim), 1 effects")

    again, validated = run_check(tiny_root)
    assert again.returncode == 0 and not validated  # the stored verdict, without pandas
    assert again.stdout.startswith(first.stdout.splitlines()[0] + " (inputs unchanged since the check at ")

    forced, validated = run_check(tiny_root, "--no-cache")
    assert forced.returncode == 0 and validated

    replace_in(tiny_root / "data/claims.csv", "tiny-003,", "tiny-001,")
    broken, validated = run_check(tiny_root)
    assert broken.returncode == 1 and validated
    assert "error: data/claims.csv:4: duplicate claim_id 'tiny-001'" in broken.stderr
    repeated, validated = run_check(tiny_root)
    assert repeated.returncode == 1 and not validated  # a failed verdict is reused too, errors and all
    assert repeated.stderr.splitlines()[:-1] == broken.stderr.splitlines()[:-1]
    assert repeated.stderr.splitlines()[-1].startswith("FAILED: ")


# ---------------------------------------------------------------------------------------
# The key: everything a ledger (and `make check`'s verdict) is made from, and nothing else


def test_every_file_the_check_reads_is_in_the_key(tiny_root: Path) -> None:
    """The files `make check` opens while it validates, outside Python's own installation, are
    exactly those its stored verdict is keyed on (a file it reads but the key leaves out would let
    an edit to it answer "inputs unchanged")."""
    script = f"""
import os, sys, sysconfig
from pathlib import Path

skip = {{Path(p).resolve() for p in (sys.prefix, sys.base_prefix, *sysconfig.get_paths().values())}}
system = ("/etc/", "/usr/", "/proc/", "/sys/", "/dev/")
opened = set()


def hook(event, args):
    if event == "open" and isinstance(args[0], (str, os.PathLike)):
        opened.add(Path(os.fsdecode(args[0])).resolve())


from brainbone.ledger import cache
from brainbone.tools import check

sys.addaudithook(hook)
root = Path({str(tiny_root)!r})
check.validate(root)
keyed = {{p.resolve() for p in cache.source_files(root)}}
for p in sorted(opened - keyed):
    outside = not any(p.is_relative_to(s) for s in skip) and not str(p).startswith(system)
    if p.is_file() and p.suffix not in (".pyc", ".so") and outside:
        print(p)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
