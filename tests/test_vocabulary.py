"""The vocabulary table (data/vocabulary.csv): complete, read in order, and enough on its own to add
a value to the ledger."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from bookutils import ROOT, replace_in
from brainbone import layout
from brainbone.book import figuredata, tables
from brainbone.errors import IssueKind
from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.loader import load_ledger
from brainbone.ledger.vocabulary import VocabularyError, read_vocabulary

BOOK_VOCABULARY = ROOT / layout.VOCABULARY_FILE
HEADER = ",".join(vocab.COLUMNS) + "\n"


def test_every_value_has_every_attribute() -> None:
    with BOOK_VOCABULARY.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "the vocabulary table is empty"
    incomplete = [(row["field"], row["value"], name) for row in rows for name in vocab.COLUMNS if not row[name].strip()]
    assert incomplete == []
    for term in (t for field in vocab.DEFAULT.fields for t in vocab.DEFAULT.terms(field)):
        assert term.colour.startswith("#") and len(term.colour) == 7, term
        assert term.marker in vocab.MARKERS, term


def test_a_value_shared_by_fields_has_one_label() -> None:
    labels: dict[str, set[str]] = {}
    for field in vocab.DEFAULT.fields:
        for term in vocab.DEFAULT.terms(field):
            labels.setdefault(term.value, set()).add(term.label)
    assert {value: found for value, found in labels.items() if len(found) > 1} == {}


def test_values_come_in_their_order_whatever_the_row_order(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.csv"
    path.write_text(
        HEADER + "grade,low,low,lo,weak,2,#000000,o,Low.\ngrade,high,high,hi,strong,1,#FFFFFF,s,High.\n",
        encoding="utf-8",
    )
    vocabulary = read_vocabulary(path)
    assert vocabulary.values("grade") == ("high", "low")
    assert vocabulary.short_labels("grade") == {"high": "hi", "low": "lo"}
    assert vocabulary.in_family("grade", "weak") == ("low",)
    assert vocabulary.label("high") == "high"
    assert vocabulary.label("not_a_value") == "not a value"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("grade,low,low,lo,,1,#000000,o,Low.", "data/vocabulary.csv:3: 'low' has no family; every cell is required"),
        (
            "grade,high,High,hi,strong,1,#FFFFFF,s,Again.",
            "data/vocabulary.csv:3: grade 'high' is already defined on line 2",
        ),
        (
            "grade,low,low,lo,weak,first,#000000,o,Low.",
            "data/vocabulary.csv:3: order must be a whole number, got 'first'",
        ),
        ("grade,low,low,lo,weak,2,black,o,Low.", "data/vocabulary.csv:3: colour must be #rrggbb, got 'black'"),
        ("grade,low,low,lo,weak,2,#000000,o", "data/vocabulary.csv:3: expected 9 fields, found 8"),
    ],
)
def test_a_malformed_row_names_its_line(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "vocabulary.csv"
    path.write_text(HEADER + "grade,high,high,hi,strong,1,#FFFFFF,s,High.\n" + row + "\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as raised:
        read_vocabulary(path)
    assert str(raised.value) == message


def test_the_old_names_are_the_tables_values() -> None:
    assert vocab.APPRAISALS == vocab.DEFAULT.values("appraisal")
    assert vocab.label("none_stated") == "none stated"
    assert vocab.label("brain_to_bone") == "brain → bone"
    assert vocab.label("human_observational", "evidence_type") == "human observational"
    assert "article" in vocab.SUBSTANTIVE_PART_KINDS and "furniture" not in vocab.SUBSTANTIVE_PART_KINDS


def test_an_unknown_field_or_value_names_the_nearest() -> None:
    with pytest.raises(KeyError, match=r"no field 'speakers' in data/vocabulary.csv \(nearest: 'speaker'\)"):
        vocab.DEFAULT.values("speakers")
    with pytest.raises(KeyError, match=r"'anecdote' is not a value of 'evidence_type' in data/vocabulary.csv"):
        vocab.DEFAULT.term("evidence_type", "anecdote")


def test_a_new_evidence_type_needs_only_the_vocabulary_and_the_data(tiny_root: Path) -> None:
    replace_in(
        tiny_root / "data/claims.csv", "harmful,article,none_stated,,false", "harmful,article,case_report,,false"
    )
    issue = load_ledger(tiny_root).issues[0]
    assert str(issue) == (
        "data/claims.csv:2: column 'evidence_type': 'case_report' is not allowed; expected one of: "
        + ", ".join(vocab.EVIDENCE_TYPES)
        + " (nearest: 'animal_experiment')"
    )
    shutil.copy(BOOK_VOCABULARY, tiny_root / layout.VOCABULARY_FILE)
    with (tiny_root / layout.VOCABULARY_FILE).open("a", encoding="utf-8") as handle:
        handle.write("evidence_type,case_report,case report,case,human,8,#999999,d,A single patient's story.\n")
    ledger = load_ledger(tiny_root)
    assert ledger.issues == []
    assert ledger.vocabulary.values("evidence_type")[-1] == "case_report"
    breakdown = tables.breakdown(ledger, "evidence_type")
    assert breakdown.loc["tiny", "case report"] == 1
    assert tiny_root / layout.VOCABULARY_FILE in ledger.paths


def test_a_broken_vocabulary_is_a_located_ledger_issue(tiny_root: Path) -> None:
    shutil.copy(BOOK_VOCABULARY, tiny_root / layout.VOCABULARY_FILE)
    replace_in(
        tiny_root / layout.VOCABULARY_FILE, "appraisal,consistent,consistent with its source,", "appraisal,consistent,,"
    )
    ledger = load_ledger(tiny_root)
    assert ledger.issues[0].kind is IssueKind.VOCABULARY_INVALID
    assert str(ledger.issues[0]).endswith("'consistent' has no label; every cell is required")
    assert str(ledger.issues[0]).startswith("data/vocabulary.csv:")


def test_a_new_topic_needs_only_the_topics_table_and_the_data(tiny_root: Path) -> None:
    replace_in(
        tiny_root / "data/claims.csv",
        "My bones felt stronger after yoga.,intervention,exercise,",
        "My bones felt stronger after yoga.,intervention,mind_body,",
    )
    issue = load_ledger(tiny_root).issues[0]
    assert str(issue) == (
        "data/claims.csv:5: unknown topic 'mind_body': no such key in data/topics.csv"
        " (nearest: 'cortisol_glucocorticoids'); use a listed topic or add it there"
    )
    with (tiny_root / "data/topics.csv").open("a", encoding="utf-8") as handle:
        handle.write('mind_body,intervention,Mind–body practice,"Yoga, tai chi and meditation."\n')
    ledger = load_ledger(tiny_root).require_valid()
    matrix = figuredata.interventions(ledger)
    # Rows follow data/topics.csv: supplements (tiny-003), then the new topic (tiny-004); exercise has none left.
    assert [label for label, _ in matrix.rows] == ["Supplements", "Mind–body practice"]
    assert [c.text for c in matrix.cells if c.topic == "mind_body"] == ["1 · none", "no claim"]
