"""Counts as words in prose ("five popular web pages"), computed, never typed; light to import."""

from __future__ import annotations

_WORDS = (
    "no zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
).split()[1:]


def count_word(n: int) -> str:
    """`n` in words up to twenty ("zero", "five"), in digits above, as house style writes counts in prose."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def pages(n: int) -> str:
    """ "five popular web pages", "one popular web page"."""
    return f"{count_word(n)} popular web page{'' if n == 1 else 's'}"


__all__ = ["count_word", "pages"]
