"""The documentation of the ledger stays in step with its schema and vocabularies."""

from __future__ import annotations

from pathlib import Path

import pytest

from brainbone import schema
from brainbone import vocabulary as vocab

DATA_README = (Path(__file__).parents[1] / "data" / "README.md").read_text(encoding="utf-8")

SCHEMAS = {
    "sources.csv": schema.sources_schema(),
    "topics.csv": schema.topics_schema(),
    "seed_parts.csv": schema.seed_parts_schema(()),
    "claims.csv": schema.claims_schema((), (), ()),
    "effects.csv": schema.effects_schema((), ()),
}


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_every_column_is_documented(table: str) -> None:
    section = DATA_README.split(f"## `{table}`", 1)[1].split("\n## ", 1)[0]
    for column in SCHEMAS[table].columns:
        assert f"`{column}`" in section, f"{column} of {table} is not documented in data/README.md"


@pytest.mark.parametrize(
    "values",
    [
        vocab.SECTIONS,
        vocab.DIRECTIONS,
        vocab.OUTCOMES,
        vocab.CLAIMED_EFFECTS,
        vocab.SPEAKERS,
        vocab.EVIDENCE_TYPES,
        vocab.APPRAISALS,
        vocab.PART_KINDS,
    ],
)
def test_every_vocabulary_value_is_documented(values: tuple[str, ...]) -> None:
    missing = [value for value in values if f"`{value}`" not in DATA_README]
    assert missing == []
