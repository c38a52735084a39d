"""pandera schemas for the ledger's tables; foreign keys are `isin` checks built from the data."""

from __future__ import annotations

from collections.abc import Collection

import pandera.pandas as pa

from brainbone import vocabulary as vocab

SLUG = r"^[a-z0-9][a-z0-9-]*$"
SNAKE = r"^[a-z0-9][a-z0-9_]*$"

# ledger.py words each failure from the check's kind (isin, str_matches, dtype) and column.


def _text(*checks: pa.Check, nullable: bool = False, unique: bool = False) -> pa.Column:
    return pa.Column(str, checks=list(checks), nullable=nullable, unique=unique)


def _enum(values: Collection[str]) -> pa.Column:
    return _text(pa.Check.isin(list(values)))


class KeyIn:
    """A foreign-key check: is each value one of `keys`? pandera deep-copies a schema's checks
    (and its built-in `isin` keeps the whole key list, in its statistics and in its error text),
    which cost seconds on a 1,000x ledger; this check is shared, never copied, and prints short."""

    def __init__(self, keys: Collection[str]):
        self.keys = frozenset(keys)

    def __call__(self, series):
        return series.isin(self.keys)

    def __deepcopy__(self, memo) -> KeyIn:
        return self  # immutable: sharing it is safe

    def __repr__(self) -> str:
        return f"KeyIn({len(self.keys)} keys)"


FOREIGN_KEY = "foreign_key"


def _key(values: Collection[str], *, nullable: bool = False) -> pa.Column:
    return _text(pa.Check(KeyIn(values), name=FOREIGN_KEY, error=FOREIGN_KEY), nullable=nullable)


def _pattern(regex: str, *, unique: bool = False) -> pa.Column:
    return _text(pa.Check.str_matches(regex), unique=unique)


def sources_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "seed_id": _pattern(SLUG, unique=True),
            "file": _text(),
            "title": _text(),
            "outlet": _text(),
            "kind": _text(),
            "published": _text(nullable=True),
            "author": _text(nullable=True),
            "products_promoted": _text(nullable=True),
            "sha256": _pattern(r"^[0-9a-f]{64}$"),
        },
        strict=True,
        ordered=False,
    )


def topics_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "topic": _pattern(SNAKE, unique=True),
            "section": _enum(vocab.SECTIONS),
            "label": _text(),
            "description": _text(),
        },
        strict=True,
    )


def seed_parts_schema(seed_ids: Collection[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "seed_id": _key(seed_ids),
            "part_id": _pattern(SLUG, unique=True),
            "kind": _enum(vocab.PART_KINDS),
            "label": _text(),
            "starts_with": _text(),
        },
        strict=True,
    )


def claims_schema(seed_ids: Collection[str], topics: Collection[str], bib_keys: Collection[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "claim_id": _pattern(SLUG, unique=True),
            "seed_id": _key(seed_ids),
            "excerpt": _text(),
            "section": _enum(vocab.SECTIONS),
            "topic": _key(topics),
            "direction": _enum(vocab.DIRECTIONS),
            "outcome": _enum(vocab.OUTCOMES),
            "claimed_effect": _enum(vocab.CLAIMED_EFFECTS),
            "speaker": _enum(vocab.SPEAKERS),
            "evidence_type": _enum(vocab.EVIDENCE_TYPES),
            "primary_source": _key(bib_keys, nullable=True),
            "commercial_context": _enum(vocab.BOOLEANS),
            "appraisal": _enum(vocab.APPRAISALS),
            "appraisal_note": _text(),
            "causal_language": _enum(vocab.CAUSAL_LANGUAGES),
            "species_dropped": _enum(vocab.SPECIES_DROPPED),
            "advice": _enum(vocab.ADVICE_LEVELS),
            "safety_flag": _enum(vocab.BOOLEANS),
            "safety_note": _text(nullable=True),
        },
        strict=True,
    )


def effects_schema(claim_ids: Collection[str], bib_keys: Collection[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "effect_id": _pattern(SLUG, unique=True),
            "claim_id": _key(claim_ids),
            "outcome": _text(),
            "exposure": _text(),
            "value": pa.Column(float, coerce=True),
            "unit": _text(),
            "n": pa.Column("Int64", coerce=True, nullable=True, checks=[pa.Check.gt(0)]),
            "follow_up": _text(nullable=True),
            "p_value": _text(nullable=True),
            "ci_low": pa.Column(float, coerce=True, nullable=True),
            "ci_high": pa.Column(float, coerce=True, nullable=True),
            "population": _text(nullable=True),
            "primary_source": _key(bib_keys, nullable=True),
        },
        strict=True,
    )
