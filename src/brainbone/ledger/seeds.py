"""Read seed documents and find excerpts in them verbatim, up to runs of whitespace."""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

# The code points `str.isspace()`, `str.split()` and the regex `\s` treat as whitespace (they agree).
_WHITESPACE_CODES = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)
# The same set as a lookup table (one entry past the last whitespace code, which is never one):
# indexing it is much faster than np.isin on every seed.
_IS_WHITESPACE = np.zeros(0x3002, dtype=bool)
_IS_WHITESPACE[_WHITESPACE_CODES] = True


# Only the first this many characters of an excerpt are aligned when looking for its nearest passage.
NEAREST_LIMIT = 2000


def collapse_whitespace(text: str) -> str:
    """The only normalisation a verbatim check allows: each run of whitespace becomes one space."""
    # The same result as re.sub(r"\s+", " ", text).strip(), five times faster.
    return " ".join(text.split())


def sha256_of(path: Path) -> str:
    return digest(path.read_bytes())


def digest(raw: bytes) -> str:
    """The sha256 of a seed's bytes, as the sources table records it."""
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class Span:
    """Where an excerpt sits in the seed's original text: `text[start:end]`."""

    start: int
    end: int


# Below this similarity (rapidfuzz's 0-100) the nearest passage is no candidate for the excerpt.
NEAREST_USABLE = 60.0


@dataclass(frozen=True)
class NearestPassage:
    text: str
    score: float

    @property
    def usable(self) -> bool:
        """Whether the passage can stand in for the excerpt: not empty and close enough."""
        return bool(self.text.strip()) and self.score >= NEAREST_USABLE

    def fix(self, column: str) -> str:
        """The fix a message offers: copy the passage, or, when none is close, look for the sentence."""
        if self.usable:
            return f"Fix: copy the nearest passage into the {column} column as it is"
        return (
            "No passage of the seed is close to it. Fix: check that the row names the right seed, and copy "
            f"the sentence from the seed file into the {column} column as it is"
        )


def _whitespace(codes: np.ndarray) -> np.ndarray:
    """For each code point, whether it is whitespace (codes past the table clip to its last entry, False)."""
    return np.take(_IS_WHITESPACE, codes, mode="clip")


def _kept_offsets(is_space: np.ndarray) -> np.ndarray:
    """The offsets of the characters `collapse_whitespace` keeps: the first of each whitespace run (as
    a space) and every other character; leading and trailing whitespace go."""
    keep = ~is_space
    keep[1:] |= ~is_space[:-1]
    kept = np.flatnonzero(keep)
    return kept[:-1] if kept.size and is_space[kept[-1]] else kept  # a trailing run leaves no space


def _collapse_mask(codes: np.ndarray) -> np.ndarray:
    """For each code point, whether `collapse_whitespace` keeps it."""
    keep = np.zeros(len(codes), dtype=bool)
    keep[_kept_offsets(_whitespace(codes))] = True
    return keep


def collapse_mask(text: str) -> np.ndarray:
    """For each character of `text`, whether it survives whitespace collapsing (and stripping)."""
    return _collapse_mask(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32))


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` (collapsed: words are split by one space) widened to whole words, since an
    alignment may end inside one ("...in older wom"); a word it starts inside is kept when at least half
    of it is in the alignment, else dropped ("s Stress hormones" starts at "Stress")."""
    while start < end and text[start] == " ":
        start += 1
    word_start = text.rfind(" ", 0, start) + 1
    if start > word_start:  # the start cuts a word
        word_end = text.find(" ", start) % (len(text) + 1)
        start = word_start if 2 * (word_end - start) >= word_end - word_start else min(word_end + 1, end)
    if 0 < end < len(text) and text[end - 1] != " " and text[end] != " ":  # the end cuts a word
        end = text.find(" ", end) % (len(text) + 1)
    return start, end


@dataclass
class SeedText:
    """A seed's original text, its whitespace-collapsed form, and the map between the two."""

    text: str
    _codes: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._codes = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)

    @cached_property
    def _collapsing(self) -> tuple[np.ndarray, str]:
        """The original offsets the collapsed text keeps, and the collapsed text: one pass over the
        code points serves both (locating parts and excerpts needs both, for every seed)."""
        is_space = _whitespace(self._codes)
        kept = _kept_offsets(is_space)
        codes = self._codes[kept]  # a copy
        codes[is_space[kept]] = 32
        return kept, codes.tobytes().decode("utf-32-le")

    @property
    def _kept(self) -> np.ndarray:
        """Original offsets of the characters the collapsed text keeps."""
        return self._collapsing[0]

    @property
    def collapsed(self) -> str:
        return self._collapsing[1]

    @property
    def first_offset(self) -> int:
        """The original offset of the first character that is not whitespace (0 for a blank text)."""
        return int(self._kept[0]) if len(self._kept) else 0

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
        # An excerpt is a short passage; aligning an enormous field would take seconds (hypothesis found it).
        needle = collapse_whitespace(excerpt)[:NEAREST_LIMIT]
        if not needle or not self.collapsed:
            return NearestPassage("", 0.0)
        collapsed = self.collapsed
        alignment = fuzz.partial_ratio_alignment(needle, collapsed)
        start, end = _whole_words(collapsed, alignment.dest_start, alignment.dest_end)
        passage = collapsed[start:end].strip()
        return NearestPassage(passage, round(alignment.score, 1))

    def line_of(self, offset: int) -> int:
        """1-based line number of an original character offset."""
        return self.text.count("\n", 0, offset) + 1


def seed_of(raw: bytes) -> SeedText:
    """A seed from its bytes, decoded as `Path.read_text` decodes them (UTF-8, universal newlines):
    the loader reads each seed once, for its checksum and its text."""
    return SeedText(io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8").read())


# ---------------------------------------------------------------------------------------
# Unicode honesty: an excerpt that differs from its seed by a look-alike or an invisible character


@dataclass(frozen=True)
class LookAlike:
    """One character where an excerpt and its seed differ. `column` is 1-based, in the excerpt as written;
    `excerpt_char` is None when the seed has an (invisible) character that the excerpt lacks, and
    `seed_char` is None when the excerpt has an invisible character that the seed lacks."""

    column: int
    excerpt_char: str | None
    seed_char: str | None


def is_invisible(char: str) -> bool:
    """Format and control characters that print as nothing: zero-width space, joiners, BOM, soft hyphen."""
    return unicodedata.category(char) in ("Cf", "Cc") and not char.isspace()


@lru_cache(maxsize=4096)
def are_confusable(a: str, b: str) -> bool:
    """Whether two different characters look alike: equal after NFKC, or homoglyphs in Unicode's
    confusables data (confusable_homoglyphs), e.g. Cyrillic 'а' and Latin 'a', '‑' and '-'."""
    if a == b or unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b):
        return True
    from confusable_homoglyphs import confusables  # loads its tables: only when an excerpt fails

    for char, other in ((a, b), (b, a)):
        found = confusables.is_confusable(char, greedy=True)
        if found and any(glyph["c"] == other for entry in found for glyph in entry["homoglyphs"]):
            return True
    return False


def character_name(char: str) -> str:
    """'а' (U+0430 CYRILLIC SMALL LETTER A); an invisible character is named, not printed."""
    described = f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')}"
    return f"an invisible {described}" if is_invisible(char) else f"'{char}' ({described})"


def lookalikes(excerpt: str, passage: str) -> list[LookAlike]:
    """The look-alike and invisible characters by which `excerpt` differs from `passage` (the nearest
    passage of the seed, whitespace collapsed), aligned character by character (difflib)."""
    needle = collapse_whitespace(excerpt)
    if len(needle) > NEAREST_LIMIT:  # no character-by-character diagnosis for an enormous field
        return []
    kept = np.flatnonzero(collapse_mask(excerpt)) if excerpt else np.array([], dtype=np.int64)

    def column(index: int) -> int:
        return int(kept[index]) + 1 if index < len(kept) else len(excerpt) + 1

    found: list[LookAlike] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, needle, passage, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        ours, theirs = needle[i1:i2], passage[j1:j2]
        if tag == "replace" and len(ours) == len(theirs) and all(map(are_confusable, ours, theirs)):
            found += [
                LookAlike(column(i1 + k), a, b) for k, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b
            ]
            continue
        found += [LookAlike(column(i1 + k), char, None) for k, char in enumerate(ours) if is_invisible(char)]
        found += [LookAlike(column(i1), None, char) for char in theirs if is_invisible(char)]
    return found


def lookalike_diagnosis(excerpt: str, passage: str) -> str | None:
    """One sentence naming each look-alike or invisible character, its code point and its column; None
    when the excerpt differs from the passage in no such character."""
    found = lookalikes(excerpt, passage)
    if not found:
        return None
    parts = []
    for item in found:
        if item.seed_char is None:
            parts.append(f"column {item.column} has {character_name(item.excerpt_char)}, which the seed does not have")
        elif item.excerpt_char is None:
            parts.append(
                f"at column {item.column} the seed has {character_name(item.seed_char)}, which the excerpt lacks"
            )
        else:
            parts.append(
                f"column {item.column} has {character_name(item.excerpt_char)} "
                f"where the seed has {character_name(item.seed_char)}"
            )
    return "Look-alike or invisible characters: " + "; ".join(parts) + "."
