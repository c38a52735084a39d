"""'Did you mean' hints for messages: the choice nearest to a value (rapidfuzz; light to import)."""

from __future__ import annotations

from rapidfuzz import fuzz, process


def nearest(value: object, choices) -> str | None:
    """The choice most similar to `value`, or None."""
    # A set has no order, so ties between equally near keys would resolve differently from run to run
    # (hash seeds): sort it. Ordered choices (a vocabulary) keep their order, and ties go to the first.
    choices = sorted(str(c) for c in choices) if isinstance(choices, set | frozenset) else [str(c) for c in choices]
    if not choices or value is None:
        return None
    match = process.extractOne(str(value), choices, scorer=fuzz.ratio)
    return match[0] if match else None


def did_you_mean(value: object, choices) -> str:
    """ " (nearest: 'x')" for a message, or "" when there is nothing near."""
    found = nearest(value, choices)
    return f" (nearest: '{found}')" if found else ""


__all__ = ["did_you_mean", "nearest"]
