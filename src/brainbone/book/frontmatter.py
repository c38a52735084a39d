"""What a chapter says about itself in its front matter: whether it is a notebook, how MyST-NB runs
it, and which of the book's inputs it reads (`brainbone: reads: [claims, seeds]`)."""

from __future__ import annotations

import copy
import difflib
import functools

import yaml

from brainbone import layout
from brainbone.ledger import catalog

# What a chapter may declare under `brainbone: reads:` in its front matter: every ledger table
# (brainbone.ledger.catalog), the bibliography and the seeds folder.
READABLE = {
    **catalog.table_files(),
    "references": layout.BIB_FILE,
    "seeds": layout.SEEDS_DIR,
    "checked": layout.CHECKED_DIR,  # the frozen snapshots of the checked facts (data/checked/README.md)
}
WHOLE_LEDGER = "ledger"  # `reads: [ledger]`: every input above, whatever tables are declared


def front_matter(text: str) -> dict:
    """The YAML front matter of a MyST file, or {} (a copy: the parsed block is kept for the next call)."""
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    return copy.deepcopy(_parse_block(text[3:end]))


@functools.lru_cache(maxsize=256)
def _parse_block(block: str) -> dict:
    # One chapter's front matter is asked for several times per run (is it a notebook, cached, what it reads).
    data = yaml.safe_load(block) or {}
    return data if isinstance(data, dict) else {}


def is_notebook(text: str) -> bool:
    """A MyST notebook: jupytext front matter with a kernelspec."""
    return "kernelspec" in front_matter(text)


def execution_mode(text: str) -> str | None:
    """The MyST-NB execution mode a chapter sets for itself (`mystnb: execution_mode:`), if any."""
    settings = front_matter(text).get("mystnb") or {}
    return settings.get("execution_mode") if isinstance(settings, dict) else None


def is_cached(text: str) -> bool:
    """A notebook whose outputs the build takes from the cache. One that sets another execution
    mode (`force`, for a page about the build itself) is run by MyST-NB on every read instead."""
    return is_notebook(text) and execution_mode(text) in (None, "cache")


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


__all__ = ["READABLE", "WHOLE_LEDGER", "declared_reads", "execution_mode", "front_matter", "is_cached", "is_notebook"]
