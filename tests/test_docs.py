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
        vocab.CAUSAL_LANGUAGES,
        vocab.SPECIES_DROPPED,
        vocab.ADVICE_LEVELS,
    ],
)
def test_every_vocabulary_value_is_documented(values: tuple[str, ...]) -> None:
    missing = [value for value in values if f"`{value}`" not in DATA_README]
    assert missing == []


CODING = (Path(__file__).parents[1] / "data" / "CODING.md").read_text(encoding="utf-8")
# Columns the manual must say how to code: every claims column except the identifiers and the free-text excerpt.
CODED_COLUMNS = [
    column
    for column in schema.claims_schema((), (), ()).columns
    if column not in {"claim_id", "seed_id", "excerpt", "outcome", "claimed_effect", "safety_note", "appraisal_note"}
]


@pytest.mark.parametrize("column", CODED_COLUMNS)
def test_the_coding_manual_has_a_section_for_every_coded_column(column: str) -> None:
    headings = [line for line in CODING.splitlines() if line.startswith("#")]
    assert any(f"`{column}`" in heading for heading in headings), f"data/CODING.md has no heading for `{column}`"


@pytest.mark.parametrize(
    "values",
    [
        vocab.DIRECTIONS,
        vocab.SPEAKERS,
        vocab.EVIDENCE_TYPES,
        vocab.APPRAISALS,
        vocab.CAUSAL_LANGUAGES,
        vocab.SPECIES_DROPPED,
        vocab.ADVICE_LEVELS,
    ],
)
def test_the_coding_manual_defines_every_value(values: tuple[str, ...]) -> None:
    missing = [value for value in values if f"`{value}`" not in CODING]
    assert missing == []
