"""The documentation of the ledger stays in step with its tables, schemas and vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest

from brainbone.ledger import catalog, schema
from brainbone.ledger import vocabulary as vocab

DATA_README = (Path(__file__).parents[1] / "data" / "README.md").read_text(encoding="utf-8")

# Every declared table, the ones added since included, and the vocabulary table itself.
SCHEMAS = {Path(spec.file).name: list(spec.build_schema(vocab.DEFAULT).columns) for spec in catalog.TABLES}
SCHEMAS["vocabulary.csv"] = list(vocab.COLUMNS)


def section_of(table: str) -> str:
    assert f"## `{table}`" in DATA_README, f"data/README.md has no section for {table}"
    return DATA_README.split(f"## `{table}`", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_every_column_is_documented(table: str) -> None:
    section = section_of(table)
    for column in SCHEMAS[table]:
        assert f"`{column}`" in section, f"{column} of {table} is not documented in data/README.md"


@pytest.mark.parametrize("field", vocab.DEFAULT.fields)
def test_every_vocabulary_value_is_documented(field: str) -> None:
    missing = [value for value in vocab.DEFAULT.values(field) if f"`{value}`" not in DATA_README]
    assert missing == []


def test_every_vocabulary_field_is_named_in_the_vocabulary_section() -> None:
    section = section_of("vocabulary.csv")
    assert [field for field in vocab.DEFAULT.fields if f"`{field}`" not in section] == []


CODING = (Path(__file__).parents[1] / "data" / "CODING.md").read_text(encoding="utf-8")
# Columns the manual must say how to code: every claims column except the identifiers and the free-text excerpt.
CODED_COLUMNS = [
    column
    for column in schema.claims_schema().columns
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
