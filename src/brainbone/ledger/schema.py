"""pandera schemas for the ledger's tables, and the column builders a new table's schema uses.

Enumerations come from the vocabulary table (`enum("speaker")`); a foreign key is declared on its
column (`foreign_key("sources")`) and checked by the loader against the keys it finds. Each column
carries what a message needs in its public `metadata`, so `brainbone.ledger.validation` words a failure
without reading pandera's internals.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd
import pandera.pandas as pa

from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.vocabulary import Vocabulary

SLUG = r"^[a-z0-9][a-z0-9-]*$"
SNAKE = r"^[a-z0-9][a-z0-9_]*$"
# The target of a foreign key to references.bib (any other target is a table name).
REFERENCES = "references"

# Check names, as pandera reports them in its failure cases; brainbone.ledger.validation words each one.
ENUM = "enum"
PATTERN = "pattern"
FOREIGN_KEY = "foreign_key"
# The metadata key of a column holding text quoted from a seed page (`quoted()`).
QUOTED = "quoted"


def text(*checks: pa.Check, nullable: bool = False, unique: bool = False, metadata: dict | None = None) -> pa.Column:
    """A text column (every cell the reader makes is a str, or None when empty)."""
    return pa.Column(str, checks=list(checks), nullable=nullable, unique=unique, metadata=metadata or {})


def quoted(*, nullable: bool = False) -> pa.Column:
    """Text quoted verbatim from a seed page: the publisher's words, not the book's (the data
    package says so, and leaves them out of the book's licence)."""
    return text(nullable=nullable, metadata={QUOTED: True})


def one_of(allowed: Collection[str], *, nullable: bool = False, metadata: dict | None = None) -> pa.Column:
    """A text column whose values are among `allowed` (an enumeration in the data package)."""
    allowed = list(allowed)
    check = pa.Check.isin(allowed, name=ENUM)
    return text(check, nullable=nullable, metadata={**(metadata or {}), "allowed": allowed})


def enum(field: str, vocabulary: Vocabulary = vocab.DEFAULT, *, nullable: bool = False) -> pa.Column:
    """A column whose values are those of `field` in the vocabulary table."""
    return one_of(vocabulary.values(field), nullable=nullable, metadata={"field": field})


def pattern(regex: str, *, unique: bool = False, nullable: bool = False) -> pa.Column:
    """A text column whose values match `regex`."""
    return text(
        pa.Check.str_matches(regex, name=PATTERN), unique=unique, nullable=nullable, metadata={"pattern": regex}
    )


def foreign_key(table: str, *, fix: str | None = None, nullable: bool = False, unique: bool = False) -> pa.Column:
    """A column whose values must be keys of `table` (a ledger table's key column, or REFERENCES for
    the keys of references.bib). `fix` ends the message when a value is not found; `unique` when
    the column is also this table's own key (one row per claim, say)."""
    return text(nullable=nullable, unique=unique, metadata={"foreign_key": table, "fix": fix})


class KeyIn:
    """The check the loader adds to a foreign-key column: is each value one of `keys`? pandera
    deep-copies a schema's checks (and its built-in `isin` keeps the whole key list, in its
    statistics and in its error text), which cost seconds on a 1,000x ledger; this check is
    shared, never copied, and prints short."""

    def __init__(self, keys: Collection[str]):
        self.keys = frozenset(keys)

    def __call__(self, series):
        if len(series) >= len(self.keys):
            return series.isin(self.keys)
        # pandas' isin turns the keys into an array and hashes them all on every call: 0.1 s for the
        # 1,000x ledger's 240,000 claim ids, even for an empty column; a short column asks the set.
        found = np.fromiter(map(self.keys.__contains__, series), dtype=bool, count=len(series))
        return pd.Series(found, index=series.index, name=series.name)

    def __deepcopy__(self, memo) -> KeyIn:
        return self  # immutable: sharing it is safe

    def __repr__(self) -> str:
        return f"KeyIn({len(self.keys)} keys)"


def key_check(keys: Collection[str]) -> pa.Check:
    return pa.Check(KeyIn(keys), name=FOREIGN_KEY, error=FOREIGN_KEY)


SEED_FIX = "add the seed there first, or fix the seed_id"


def table(**columns: pa.Column) -> pa.DataFrameSchema:
    """A ledger table's schema: exactly these columns, in any order (strict: an unknown column is an issue)."""
    return pa.DataFrameSchema(columns, strict=True)


def sources_schema() -> pa.DataFrameSchema:
    return table(
        seed_id=pattern(SLUG, unique=True),
        file=text(),
        title=quoted(),
        outlet=text(),
        kind=text(),
        published=text(nullable=True),
        author=text(nullable=True),
        products_promoted=text(nullable=True),
        sha256=pattern(r"^[0-9a-f]{64}$"),
    )


def topics_schema(vocabulary: Vocabulary = vocab.DEFAULT) -> pa.DataFrameSchema:
    return table(
        topic=pattern(SNAKE, unique=True),
        section=enum("section", vocabulary),
        label=text(),
        description=text(),
    )


def seed_parts_schema(vocabulary: Vocabulary = vocab.DEFAULT) -> pa.DataFrameSchema:
    return table(
        seed_id=foreign_key("sources", fix=SEED_FIX),
        part_id=pattern(SLUG, unique=True),
        kind=enum("part_kind", vocabulary),
        label=text(),
        starts_with=quoted(),
    )


def claims_schema(vocabulary: Vocabulary = vocab.DEFAULT) -> pa.DataFrameSchema:
    return table(
        claim_id=pattern(SLUG, unique=True),
        seed_id=foreign_key("sources", fix=SEED_FIX),
        excerpt=quoted(),
        section=enum("section", vocabulary),
        topic=foreign_key("topics", fix="use a listed topic or add it there"),
        direction=enum("direction", vocabulary),
        outcome=enum("outcome", vocabulary),
        claimed_effect=enum("claimed_effect", vocabulary),
        speaker=enum("speaker", vocabulary),
        evidence_type=enum("evidence_type", vocabulary),
        primary_source=foreign_key(
            REFERENCES,
            fix="cite only studies listed in data/checked/primary-sources.md, or leave it empty",
            nullable=True,
        ),
        commercial_context=enum("boolean", vocabulary),
        appraisal=enum("appraisal", vocabulary),
        appraisal_note=text(),
        causal_language=enum("causal_language", vocabulary),
        species_dropped=enum("species_dropped", vocabulary),
        advice=enum("advice", vocabulary),
        safety_flag=enum("boolean", vocabulary),
        safety_note=text(nullable=True),
        reference_target=enum("reference_target", vocabulary),
    )


def effects_schema() -> pa.DataFrameSchema:
    return table(
        effect_id=pattern(SLUG, unique=True),
        claim_id=foreign_key("claims", fix="point the effect at an existing claim"),
        outcome=text(),
        exposure=text(),
        value=pa.Column(float, coerce=True),
        unit=text(),
        n=pa.Column("Int64", coerce=True, nullable=True, checks=[pa.Check.gt(0)]),
        follow_up=text(nullable=True),
        p_value=text(nullable=True),
        ci_low=pa.Column(float, coerce=True, nullable=True),
        ci_high=pa.Column(float, coerce=True, nullable=True),
        population=text(nullable=True),
        primary_source=foreign_key(REFERENCES, fix="leave it empty or use a key from references.bib", nullable=True),
    )
