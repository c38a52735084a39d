"""Read seed documents and find excerpts in them verbatim, up to runs of whitespace."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

# The code points `str.isspace()`, `str.split()` and the regex `\s` treat as whitespace (they agree).
_WHITESPACE_CODES = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)
# The same set as a lookup table (one entry past the last whitespace code, which is never one):
# indexing it is much faster than np.isin on every seed.
_IS_WHITESPACE = np.zeros(0x3002, dtype=bool)
_IS_WHITESPACE[_WHITESPACE_CODES] = True


def collapse_whitespace(text: str) -> str:
    """The only normalisation a verbatim check allows: each run of whitespace becomes one space."""
    # The same result as re.sub(r"\s+", " ", text).strip(), five times faster.
    return " ".join(text.split())


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Span:
    """Where an excerpt sits in the seed's original text: `text[start:end]`."""

    start: int
    end: int


@dataclass(frozen=True)
class NearestPassage:
    text: str
    score: float


def _collapse_mask(codes: np.ndarray) -> np.ndarray:
    """For each code point, whether `collapse_whitespace` keeps it: the first of each whitespace run
    stays (as a space), the others go, and so do leading and trailing whitespace."""
    is_space = _IS_WHITESPACE[np.minimum(codes, len(_IS_WHITESPACE) - 1)]
    previous_is_space = np.concatenate(([True], is_space[:-1]))
    keep = ~(is_space & previous_is_space)
    kept = np.flatnonzero(keep)
    if kept.size and is_space[kept[-1]]:
        keep[kept[-1]] = False  # a trailing run leaves no space behind
    return keep


def collapse_mask(text: str) -> np.ndarray:
    """For each character of `text`, whether it survives whitespace collapsing (and stripping)."""
    return _collapse_mask(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32))


@dataclass
class SeedText:
    """A seed's original text, its whitespace-collapsed form, and the map between the two."""

    text: str
    _codes: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._codes = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)

    @cached_property
    def _kept(self) -> np.ndarray:
        """Original offsets of the characters the collapsed text keeps."""
        return np.flatnonzero(_collapse_mask(self._codes))

    @cached_property
    def collapsed(self) -> str:
        codes = self._codes[self._kept].copy()
        codes[_IS_WHITESPACE[np.minimum(codes, len(_IS_WHITESPACE) - 1)]] = 32
        return codes.tobytes().decode("utf-32-le")

    def find(self, excerpt: str, start: int = 0) -> Span | None:
        """The first place at or after original offset `start` where `excerpt` appears
        verbatim after collapsing whitespace, as a span of the original text; else None."""
        needle = collapse_whitespace(excerpt)
        if not needle:
            return None
        collapsed_start = int(np.searchsorted(self._kept, start)) if start else 0
        at = self.collapsed.find(needle, collapsed_start)
        if at < 0:
            return None
        return Span(int(self._kept[at]), int(self._kept[at + len(needle) - 1]) + 1)

    def find_many(self, excerpts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """`find` for many excerpts at once: arrays of start and end offsets, -1 where not found."""
        collapsed = self.collapsed
        needles = [" ".join(excerpt.split()) if excerpt else "" for excerpt in excerpts]
        at = np.array([collapsed.find(needle) if needle else -1 for needle in needles], dtype=np.int64)
        lengths = np.fromiter((len(needle) for needle in needles), dtype=np.int64, count=len(needles))
        found = at >= 0
        starts = np.full(len(needles), -1, dtype=np.int64)
        ends = np.full(len(needles), -1, dtype=np.int64)
        if found.any():
            starts[found] = self._kept[at[found]]
            ends[found] = self._kept[at[found] + lengths[found] - 1] + 1
        return starts, ends

    def nearest(self, excerpt: str) -> NearestPassage:
        """The passage most like the excerpt (rapidfuzz partial alignment), for error messages."""
        needle = collapse_whitespace(excerpt)
        if not needle or not self.collapsed:
            return NearestPassage("", 0.0)
        alignment = fuzz.partial_ratio_alignment(needle, self.collapsed)
        passage = self.collapsed[alignment.dest_start : alignment.dest_end]
        return NearestPassage(passage, round(alignment.score, 1))

    def line_of(self, offset: int) -> int:
        """1-based line number of an original character offset."""
        return self.text.count("\n", 0, offset) + 1


def read_seed(path: Path) -> SeedText:
    return SeedText(path.read_text(encoding="utf-8"))
