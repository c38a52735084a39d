"""The summary-of-findings table: GRADE's arithmetic on hand-worked examples, one test per bad input with its exact
message (above all: a downgrade without a footnote), and the book's own table checked whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookutils import ROOT, copy_book
from brainbone import load_ledger
from brainbone.appraisal import sof as sof_module
from brainbone.appraisal.sof import load_sof
from brainbone.ledger import sof_tables
from brainbone.ledger.sof_tables import FOOTNOTES_FILE, LEVELS, SOF_FILE, graded

SOF_HEADER = ",".join(sof_tables.SOF_COLUMNS)
TINY_QUESTION = (
    "tiny-stress,Does strain go with hip bone loss?,Hip BMD,tiny,1 cohort,1,smith2020,,tiny-hip,tiny-002,low,very low,"
)


def write_sof(root: Path, footnotes: list[str], question: str = TINY_QUESTION) -> None:
    (root / SOF_FILE).write_text(f"{SOF_HEADER}\n{question}\n", encoding="utf-8")
    (root / FOOTNOTES_FILE).write_text(
        "question_id,domain,change,footnote\n" + "".join(f"{f}\n" for f in footnotes), encoding="utf-8"
    )


def issues(root: Path) -> list[str]:
    return [str(issue) for issue in load_sof(load_ledger(root)).issues]


@pytest.mark.parametrize(
    ("start", "changes", "expected"),
    [
        ("high", [], "high"),  # a trial with no concerns stays high
        ("high", [-1, -1], "low"),  # two serious concerns: two levels down
        ("high", [-2, -1], "very low"),
        ("low", [-1], "very low"),  # observational, one concern
        ("low", [-1, -2], "very low"),  # the scale stops at very low
        ("low", [+1], "moderate"),  # observational, a large effect
        ("low", [+2, +1], "high"),  # and no higher than high
    ],
)
def test_grade_arithmetic_on_hand_worked_cases(start, changes, expected) -> None:
    assert graded(start, changes) == expected


def test_a_valid_tiny_table_and_its_cells(tiny_root: Path) -> None:
    write_sof(
        tiny_root,
        [
            "tiny-stress,indirectness,-2,One cohort of one sex.",
            "tiny-stress,reporting,0,No confidence interval is reported.",
        ],
    )
    ledger = load_ledger(tiny_root)
    sof = load_sof(ledger)
    assert sof.issues == []
    row = sof_module.table(ledger, sof).iloc[0]
    assert row["Participants"] == "1,000"
    assert row["Reach of the page's own evidence (not a GRADE level)"] == "minimal (a, b)"
    assert "⊕" not in " ".join(map(str, row.values))  # GRADE's symbols are for bodies of studies, not pages
    assert row["Effect as reported"].startswith(
        "0.5% (hip BMD loss) greater loss per point; no confidence interval reported"
    )
    notes = sof_module.footnotes_table(sof)
    # From a low start only one level is decisive; the second is past the floor, and a reporting gap rates nothing.
    assert notes.to_dict("records") == [
        {
            "Footnote": "a",
            "Question": "Does strain go with hip bone loss?",
            "Domain": "indirectness",
            "Rated": "down 2: 1 decisive, 1 past the floor (comment)",
            "Why": "One cohort of one sex.",
        },
        {
            "Footnote": "b",
            "Question": "Does strain go with hip bone loss?",
            "Domain": "reporting gap (not imprecision)",
            "Rated": "not rated down: a reporting gap, recorded as a comment",
            "Why": "No confidence interval is reported.",
        },
    ]


def test_a_reporting_gap_never_changes_the_level(tiny_root: Path) -> None:
    write_sof(tiny_root, ["tiny-stress,reporting,-1,No confidence interval is reported."])
    assert sorted(issues(tiny_root)) == [
        f"{FOOTNOTES_FILE}:2: domain 'reporting' is a reporting gap, not imprecision: change must be 0, got '-1'",
        f"{SOF_FILE}:2: question 'tiny-stress': certainty is 'very low' from a start of 'low', but its footnotes in "
        f"{FOOTNOTES_FILE} rate it down 0 and up 0 level(s), which gives 'low'; every level rated down or up needs a "
        "footnote naming its GRADE domain",
    ]


def test_a_downgrade_without_a_footnote_is_an_error(tiny_root: Path) -> None:
    write_sof(tiny_root, [])
    assert issues(tiny_root) == [
        f"{SOF_FILE}:2: question 'tiny-stress': certainty is 'very low' from a start of 'low', but its footnotes in "
        f"{FOOTNOTES_FILE} rate it down 0 and up 0 level(s), which gives 'low'; every level rated down or up needs a "
        "footnote naming its GRADE domain"
    ]


def test_a_high_start_needs_a_footnote_for_every_level(tiny_root: Path) -> None:
    write_sof(
        tiny_root,
        ["tiny-stress,risk_of_bias,-1,Self-report."],
        question=TINY_QUESTION.replace(",low,very low,", ",high,very low,"),
    )
    assert issues(tiny_root) == [
        f"{SOF_FILE}:2: question 'tiny-stress': certainty is 'very low' from a start of 'high', but its footnotes in "
        f"{FOOTNOTES_FILE} rate it down 1 and up 0 level(s), which gives 'moderate'; every level rated down or up needs "
        "a footnote naming its GRADE domain"
    ]


def test_an_upgrade_also_needs_its_footnote(tiny_root: Path) -> None:
    write_sof(tiny_root, [], question=TINY_QUESTION.replace(",low,very low,", ",low,moderate,"))
    assert issues(tiny_root) == [
        f"{SOF_FILE}:2: question 'tiny-stress': certainty is 'moderate' from a start of 'low', but its footnotes in "
        f"{FOOTNOTES_FILE} rate it down 0 and up 0 level(s), which gives 'low'; every level rated down or up needs a "
        "footnote naming its GRADE domain"
    ]


def test_footnotes_must_name_a_grade_domain_in_the_right_direction(tiny_root: Path) -> None:
    write_sof(
        tiny_root,
        [
            "tiny-stress,imprecison,-1,Typo in the domain.",
            "tiny-stress,large_effect,-1,An upgrade domain used to rate down.",
            "tiny-stres,imprecision,-1,Unknown question.",
            "tiny-stress,imprecision,-1,",
        ],
    )
    assert issues(tiny_root) == [
        f"{FOOTNOTES_FILE}:4: unknown question_id 'tiny-stres': no such key in {SOF_FILE} (nearest: 'tiny-stress'); "
        "add the question there first, or fix the id",
        f"{FOOTNOTES_FILE}:2: domain 'imprecison' is not a GRADE domain or 'reporting'; expected one of: risk_of_bias, "
        "inconsistency, indirectness, imprecision, publication_bias, large_effect, dose_response, plausible_confounding, "
        "reporting (nearest: 'imprecision')",
        f"{FOOTNOTES_FILE}:3: domain 'large_effect' rates up: change must be +1 or +2, got '-1'",
        f"{FOOTNOTES_FILE}:5: column 'footnote' is empty; say why the evidence is rated down or up",
    ]


def test_questions_must_point_at_existing_keys_and_levels(tiny_root: Path) -> None:
    question = TINY_QUESTION.replace(",tiny,1 cohort,", ",tinny,1 cohort,").replace(",low,very low,", ",low,very lo,")
    write_sof(tiny_root, [], question=question.replace("tiny-002", "tiny-02"))
    assert issues(tiny_root) == [
        f"{SOF_FILE}:2: column 'seeds': unknown key 'tinny', not in data/sources.csv (nearest: 'tiny')",
        f"{SOF_FILE}:2: column 'effect_claim_ids': unknown key 'tiny-02', not in data/claims.csv (nearest: 'tiny-002')",
        f"{SOF_FILE}:2: column 'certainty': 'very lo' is not allowed; expected one of: very low, low, moderate, high "
        "(nearest: 'very low')",
    ]


# ----------------------------------------------------------------------------------------------------------------
# The book's own table


@pytest.fixture(scope="module")
def book_sof():
    ledger = load_ledger(ROOT)
    return ledger, load_sof(ledger)


def test_the_book_table_is_valid(book_sof) -> None:
    _, sof = book_sof
    assert [str(issue) for issue in sof.issues] == []


def test_every_downgrade_in_the_book_has_a_footnote_naming_its_domain(book_sof) -> None:
    _, sof = book_sof
    for question in sof.questions.itertuples():
        notes = sof.footnotes[sof.footnotes.question_id == question.question_id]
        levels_down = LEVELS.index(question.start) - LEVELS.index(question.certainty)
        rated_down = -sum(int(c) for c in notes.change if int(c) < 0)
        assert rated_down >= levels_down, question.question_id
        assert notes.domain.isin(sof_tables.DOWN_DOMAINS + sof_tables.UP_DOMAINS + (sof_tables.REPORTING,)).all()
        assert notes.footnote.str.len().gt(0).all()
        # A gap in what is reported is never filed as imprecision (issue 21).
        assert not notes[notes.domain == "imprecision"].footnote.str.contains("report", case=False).any()


def test_the_book_table_covers_the_key_questions(book_sof) -> None:
    _, sof = book_sof
    required = {"social-stress-bone", "depression-bone", "bone-hormones-mood", "interventions-both"}
    assert required <= set(sof.questions.question_id)


def test_the_rule_catches_a_missing_footnote_in_the_book_table(tmp_path: Path) -> None:
    # The book's own files, with the social-stress question's footnotes removed: its downgrade is then unexplained.
    book = copy_book(tmp_path / "book")
    path = book / FOOTNOTES_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("social-stress-bone,")), encoding="utf-8")
    assert issues(book) == [
        f"{SOF_FILE}:2: question 'social-stress-bone': certainty is 'very low' from a start of 'low', but its "
        f"footnotes in {FOOTNOTES_FILE} rate it down 0 and up 0 level(s), which gives 'low'; every level rated down "
        "or up needs a footnote naming its GRADE domain"
    ]
