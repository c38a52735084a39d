"""Declaring a new ledger table in one place (brainbone.ledger.catalog.TableSpec): load_ledger() reads it,
validates it against its schema and foreign keys with located messages, and exposes it."""

from __future__ import annotations

from pathlib import Path

import pandera.pandas as pa
import pytest

from brainbone.errors import Issue, IssueKind
from brainbone.ledger import catalog, schema
from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.catalog import TableSpec
from brainbone.ledger.loader import Ledger, load_ledger


def example_ratings_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "rating_id": schema.pattern(schema.SLUG, unique=True),
            "seed_id": schema.foreign_key("sources", fix=schema.SEED_FIX),
            "instrument": schema.text(),
            "score": pa.Column(int, coerce=True),
            "primary_source": schema.foreign_key(schema.REFERENCES, nullable=True),
        },
        strict=True,
    )


def rating_notes_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {"rating_id": schema.foreign_key("example_ratings"), "note": schema.text()},
        strict=True,
    )


RATINGS = TableSpec("example_ratings", example_ratings_schema, key="rating_id", indexed=True)
NOTES = TableSpec("rating_notes", rating_notes_schema)
HEADER = "rating_id,seed_id,instrument,score,primary_source\n"


def write_ratings(root: Path, *rows: str) -> None:
    (root / "data/example_ratings.csv").write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")


def test_a_declared_table_is_read_validated_and_exposed(tiny_root: Path) -> None:
    write_ratings(tiny_root, "tiny-discern,tiny,DISCERN,2,", "tiny-jama,tiny,JAMA,1,smith2020")
    ledger = load_ledger(tiny_root, tables=(*catalog.TABLES, RATINGS))
    assert ledger.issues == []
    ratings = ledger.tables["example_ratings"]
    assert ledger.example_ratings is ratings
    assert list(ratings.index) == ["tiny-discern", "tiny-jama"]  # indexed by its key
    assert ratings.loc["tiny-jama", "score"] == 1  # coerced by the schema
    assert ratings.loc["tiny-discern", "primary_source"] is None
    assert ledger.table_files["example_ratings"] == "data/example_ratings.csv"
    assert tiny_root / "data/example_ratings.csv" in ledger.paths


def test_a_bad_foreign_key_in_a_declared_table_is_located(tiny_root: Path) -> None:
    write_ratings(tiny_root, "tiny-discern,tiny,DISCERN,2,", "tiny-jama,tinny,JAMA,1,smyth2020")
    ledger = load_ledger(tiny_root, tables=(*catalog.TABLES, RATINGS))
    assert ledger.issues == [
        Issue(
            IssueKind.UNKNOWN_SEED,
            "data/example_ratings.csv",
            3,
            "unknown seed_id 'tinny': no such key in data/sources.csv (nearest: 'tiny'); "
            "add the seed there first, or fix the seed_id",
        ),
        Issue(
            IssueKind.UNKNOWN_REFERENCE,
            "data/example_ratings.csv",
            3,
            "unknown primary_source 'smyth2020': no such key in references.bib (nearest: 'smith2020'); "
            "use a key from references.bib",
        ),
    ]


def test_a_foreign_key_into_a_declared_table(tiny_root: Path) -> None:
    write_ratings(tiny_root, "tiny-discern,tiny,DISCERN,2,")
    (tiny_root / "data/rating_notes.csv").write_text(
        "rating_id,note\ntiny-discern,Scored twice.\ntiny-discen,A typo.\n", encoding="utf-8"
    )
    ledger = load_ledger(tiny_root, tables=(*catalog.TABLES, RATINGS, NOTES))
    assert [str(issue) for issue in ledger.issues] == [
        "data/rating_notes.csv:3: unknown rating_id 'tiny-discen': no such key in data/example_ratings.csv "
        "(nearest: 'tiny-discern'); use a key from data/example_ratings.csv"
    ]
    assert ledger.issues[0].kind is IssueKind.UNKNOWN_KEY
    assert len(ledger.rating_notes) == 2


def test_a_schema_error_in_a_declared_table_is_located(tiny_root: Path) -> None:
    write_ratings(tiny_root, "tiny-discern,tiny,DISCERN,two,")
    ledger = load_ledger(tiny_root, tables=(*catalog.TABLES, RATINGS))
    assert [str(issue) for issue in ledger.issues] == [
        "data/example_ratings.csv:2: column 'score': expected a number, got 'two'; write digits only, e.g. 0.082"
    ]


def test_a_missing_file_is_an_issue_unless_the_table_is_optional(tiny_root: Path) -> None:
    ledger = load_ledger(tiny_root, tables=(*catalog.TABLES, RATINGS))
    assert [str(issue) for issue in ledger.issues] == [
        "data/example_ratings.csv: file is missing; create it with the header: "
        "rating_id,seed_id,instrument,score,primary_source"
    ]
    optional = TableSpec("example_ratings", example_ratings_schema, key="rating_id", required=False)
    ledger = load_ledger(tiny_root, tables=(*catalog.TABLES, optional))
    assert ledger.issues == []
    assert list(ledger.example_ratings.columns) == HEADER.strip().split(",")
    assert ledger.example_ratings.empty


def test_a_foreign_key_to_a_table_declared_later_is_a_programming_error(tiny_root: Path) -> None:
    with pytest.raises(ValueError) as raised:
        load_ledger(tiny_root, tables=(*catalog.TABLES, NOTES, RATINGS))
    assert str(raised.value) == (
        "table 'rating_notes': column 'rating_id' is a foreign key to 'example_ratings', which is not declared "
        "before it with a key column; declared so far: references, sources, topics, seed_parts, claims, effects, context_effects, context_heterogeneity, outlet_facts, safety_findings, summary_of_findings, research_outcomes, research_grade, second_grade, research_grade_reconciliation, second_coding"
    )


def no_top_scores(ledger: Ledger) -> list[Issue]:
    ratings = ledger.tables["example_ratings"]
    return [
        Issue(IssueKind.BAD_VALUE, "data/example_ratings.csv", None, f"rating '{key}': score {score} is above 4")
        for key, score in ratings["score"].items()
        if score > 4
    ]


def test_a_declared_rule_runs_on_the_loaded_ledger(tiny_root: Path) -> None:
    write_ratings(tiny_root, "tiny-discern,tiny,DISCERN,5,")
    spec = TableSpec("example_ratings", example_ratings_schema, key="rating_id", indexed=True, rules=(no_top_scores,))
    ledger = load_ledger(tiny_root, tables=(*catalog.TABLES, spec))
    assert [str(issue) for issue in ledger.issues] == [
        "data/example_ratings.csv: rating 'tiny-discern': score 5 is above 4"
    ]


def test_an_unknown_attribute_is_still_an_attribute_error(tiny_root: Path) -> None:
    ledger = load_ledger(tiny_root)
    with pytest.raises(AttributeError, match="^'Ledger' object has no attribute or table 'source_rating'$"):
        ledger.source_rating  # noqa: B018


def test_every_declared_table_has_its_key_column_unique() -> None:
    for spec in catalog.TABLES:
        if spec.key is not None:
            column = spec.build_schema(vocab.DEFAULT).columns[spec.key]
            assert column.unique, f"{spec.name}.{spec.key} is a key but not unique in its schema"


def test_the_rating_tables_are_keyed_as_their_module_reads_them() -> None:
    # The catalog names the table modules and never imports them, so the key is written in both.
    from brainbone.ledger import rating_tables

    assert catalog.spec("source_ratings").primary_key == rating_tables.KEY
    assert catalog.spec("second_ratings").primary_key == rating_tables.KEY
