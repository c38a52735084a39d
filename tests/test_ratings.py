"""data/source_ratings.csv: validation against the ledger, one test per bad input with its exact message,
and the book's own table checked whole (every row justified, every excerpt verbatim, every seed complete)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bookutils import ROOT, replace_in
from brainbone import IssueKind, load_ledger
from brainbone.appraisal.ratings import load_ratings
from brainbone.ledger import instruments as inst
from brainbone.ledger.rating_tables import COLUMNS, RATINGS_FILE


def write_ratings(root: Path, overrides: dict[tuple[str, str], dict[str, str]] | None = None) -> Path:
    """A complete rating of the tiny seed: every DISCERN question 3 (q5 1, q16 2), JAMA authorship met,
    HealthNewsReview c1-c4 satisfactory and c5 and c10 not applicable, each row resting on the tiny claims or an
    absence."""
    overrides = overrides or {}
    rows = []
    for item in inst.ITEMS:
        rating = {"discern": "3", "jama": "not_met", "hnr": "unsatisfactory"}[item.instrument]
        if (item.instrument, item.item) == ("discern", "q16"):
            rating = "2"
        if (item.instrument, item.item) == ("jama", "authorship"):
            rating = "met"
        if item.instrument == "hnr" and item.item in ("c1", "c2", "c3", "c4"):
            rating = "satisfactory"
        if (item.instrument, item.item) == ("hnr", "c5"):
            rating = "not_applicable"
        # The tiny page dates nothing and names no news release: the hard anchors of data/RATING.md.
        if (item.instrument, item.item) == ("discern", "q5"):
            rating = "1"
        if (item.instrument, item.item) == ("hnr", "c10"):
            rating = "not_applicable"
        row = {
            "seed_id": "tiny",
            "instrument": item.instrument,
            "item": item.item,
            "rating": rating,
            "justification": "No such thing is on the page",
            "claim_id": "",
            "evidence": "",
        }
        row.update(overrides.get((item.instrument, item.item), {}))
        rows.append(row)
    path = root / RATINGS_FILE
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def line_of(item: inst.Item) -> int:
    return inst.ITEMS.index(item) + 2  # the header is line 1


def issues(root: Path) -> list[str]:
    return [str(issue) for issue in load_ratings(load_ledger(root)).issues]


def test_a_valid_rating_is_located_and_scored(tiny_root: Path) -> None:
    write_ratings(
        tiny_root,
        {
            ("discern", "q4"): {"claim_id": "tiny-001", "justification": "One reference number with no target"},
            ("hnr", "c1"): {"evidence": "Buy our Bone Tonic", "justification": "It names the product it sells"},
        },
    )
    table = load_ratings(load_ledger(tiny_root))
    assert table.issues == []
    evidence = table.frame.set_index("item").loc["c1"]
    assert (int(evidence.seed_line), int(evidence.evidence_start)) == (6, 194)
    scores = table.scores("tiny")
    # Worked by hand: q16 is 2; one benchmark met; 4 of 8 applicable criteria satisfactory = 50 %, 3 stars.
    assert (scores.discern.overall, scores.jama, scores.hnr.satisfactory, scores.hnr.applicable) == (2, 1, 4, 8)
    assert scores.hnr.stars == 3


def test_the_ledger_keeps_the_located_ratings_so_the_book_reads_no_file_again(tiny_root: Path) -> None:
    path = write_ratings(tiny_root, {("hnr", "c1"): {"evidence": "Buy our Bone Tonic", "justification": "It sells"}})
    ledger = load_ledger(tiny_root)
    assert ledger.issues == []
    path.unlink()  # what the scorecards and the Sources chapter read must come from the loaded ledger
    table = load_ratings(ledger)
    assert table.issues == [] and len(table.frame) == len(inst.ITEMS)
    evidence = table.frame.set_index("item").loc["c1"]
    assert (int(evidence.seed_line), int(evidence.evidence_start), int(evidence.line)) == (
        6,
        194,
        line_of(inst.item("hnr", "c1")),
    )


def test_non_verbatim_evidence_fails_with_the_nearest_passage(tiny_root: Path) -> None:
    write_ratings(tiny_root, {("hnr", "c1"): {"evidence": "Buy our Bone Tonic, it rebuilds bone in days!"}})
    line = line_of(inst.item("hnr", "c1"))
    assert issues(tiny_root) == [
        f"{RATINGS_FILE}:{line}: hnr c1 for seed 'tiny': evidence is not verbatim in seeds/tiny.txt (only runs of "
        "whitespace may differ). Expected: “Buy our Bone Tonic, it rebuilds bone in days!”. Nearest passage "
        "(86.7% similar): “Buy our Bone Tonic — it rebuilds bone in weeks!”. Fix: copy the nearest passage into the "
        "evidence column as it is"
    ]
    assert load_ratings(load_ledger(tiny_root)).issues[0].kind is IssueKind.EXCERPT_MISMATCH


def test_evidence_may_differ_only_in_whitespace(tiny_root: Path) -> None:
    write_ratings(tiny_root, {("hnr", "c1"): {"evidence": "Buy  our\nBone Tonic"}})
    assert issues(tiny_root) == []


def test_every_row_needs_a_justification(tiny_root: Path) -> None:
    write_ratings(tiny_root, {("jama", "currency"): {"justification": ""}})
    line = line_of(inst.item("jama", "currency"))
    assert issues(tiny_root) == [
        f"{RATINGS_FILE}:{line}: column 'justification' is empty; a value is required (see data/README.md)"
    ]


def test_a_rating_resting_on_nothing_must_say_it_rests_on_an_absence(tiny_root: Path) -> None:
    write_ratings(tiny_root, {("jama", "currency"): {"justification": "The page is dated"}})
    line = line_of(inst.item("jama", "currency"))
    assert issues(tiny_root) == [
        f"{RATINGS_FILE}:{line}: jama currency for seed 'tiny' rests on nothing the page says, so it rests on an "
        "absence: say so in the justification (e.g. 'no date is given'), or give a claim_id or evidence"
    ]


def test_unknown_claim_and_seed_name_the_nearest_key(tiny_root: Path) -> None:
    write_ratings(tiny_root, {("discern", "q1"): {"claim_id": "tiny-01"}, ("discern", "q2"): {"seed_id": "tinny"}})
    q1, q2 = line_of(inst.item("discern", "q1")), line_of(inst.item("discern", "q2"))
    assert issues(tiny_root) == [
        f"{RATINGS_FILE}:{q2}: unknown seed_id 'tinny': no such key in data/sources.csv (nearest: 'tiny'); fix the seed_id",
        f"{RATINGS_FILE}:{q1}: unknown claim_id 'tiny-01': no such key in data/claims.csv (nearest: 'tiny-001'); "
        "cite an existing claim or quote the page in the evidence column",
        f"{RATINGS_FILE}: seed 'tiny' is not rated on every item; missing: discern q2",
    ]


def test_ratings_off_the_scale_are_refused(tiny_root: Path) -> None:
    write_ratings(
        tiny_root, {("discern", "q5"): {"rating": "not_applicable"}, ("jama", "disclosure"): {"rating": "mett"}}
    )
    q5, disclosure = line_of(inst.item("discern", "q5")), line_of(inst.item("jama", "disclosure"))
    assert issues(tiny_root) == [
        f"{RATINGS_FILE}:{q5}: discern q5: rating 'not_applicable' is not on the scale; expected one of: "
        "1, 2, 3, 4, 5 (nearest: '1')",
        f"{RATINGS_FILE}:{disclosure}: jama disclosure: rating 'mett' is not on the scale; expected one of: met, not_met "
        "(nearest: 'met')",
    ]


def test_unknown_item_and_duplicate_rows(tiny_root: Path) -> None:
    path = write_ratings(tiny_root, {("hnr", "c10"): {"item": "c11"}})
    replace_in(path, "tiny,jama,currency,", "tiny,jama,authorship,")
    c10, currency = line_of(inst.item("hnr", "c10")), line_of(inst.item("jama", "currency"))
    authorship = line_of(inst.item("jama", "authorship"))
    assert issues(tiny_root) == [
        f"{RATINGS_FILE}:{currency}: duplicate rating of jama authorship for seed 'tiny': it is already rated on line "
        f"{authorship}; keep one row",
        f"{RATINGS_FILE}:{c10}: item 'c11' is not an item of hnr (nearest: 'c1'); items are listed in "
        "brainbone/ledger/instruments.py",
        f"{RATINGS_FILE}: seed 'tiny' is not rated on every item; missing: jama currency, hnr c10",
    ]


def test_a_claim_of_another_seed_and_both_kinds_of_support_are_refused(tiny_root: Path) -> None:
    write_ratings(tiny_root, {("discern", "q1"): {"claim_id": "tiny-001", "evidence": "Stress hormones"}})
    line = line_of(inst.item("discern", "q1"))
    assert issues(tiny_root) == [
        f"{RATINGS_FILE}:{line}: give a claim_id or an evidence excerpt, not both; a claim already carries its own excerpt"
    ]


def test_an_absent_table_is_allowed_and_empty(tiny_root: Path) -> None:
    # The table is optional (a book without ratings still loads); the scorecard directive says when it is missing.
    ledger = load_ledger(tiny_root)
    assert ledger.issues == []
    table = load_ratings(ledger)
    assert (table.issues, len(table.frame)) == ([], 0)


# ----------------------------------------------------------------------------------------------------------------
# The book's own ratings


@pytest.fixture(scope="module")
def book_ratings():
    ledger = load_ledger(ROOT)
    return ledger, load_ratings(ledger)


def test_the_book_ratings_are_valid_and_complete(book_ratings) -> None:
    ledger, table = book_ratings
    assert [str(i) for i in table.issues] == []
    # A seed added since the ratings (a living review) is "not yet rated"; a seed rated at all is rated whole.
    rated = table.rated_seeds(ledger.sources.seed_id)
    assert rated, "no seed is rated: the check would be empty"
    assert len(table.frame) == len(rated) * len(inst.ITEMS)


def test_every_book_rating_is_justified_and_every_excerpt_verbatim(book_ratings) -> None:
    ledger, table = book_ratings
    assert table.frame.justification.str.strip().str.len().gt(0).all()
    with_evidence = table.frame[table.frame.evidence.notna()]
    assert len(with_evidence) > 0
    for row in with_evidence.itertuples():
        assert ledger.seed_texts[row.seed_id].find(row.evidence) is not None, row.evidence


# The hard anchors of data/RATING.md, where the published instruments leave no choice and the stored text decides.


def test_a_page_that_dates_nothing_cannot_score_above_one_on_discern_q5(tiny_root: Path) -> None:
    """The tiny page has no year and no month anywhere: DISCERN's 1 is 'not met at all'."""
    write_ratings(tiny_root, {("discern", "q5"): {"rating": "2"}})
    line = line_of(inst.item("discern", "q5"))
    assert issues(tiny_root) == [
        f"{RATINGS_FILE}:{line}: discern q5 for seed 'tiny': rated 2, but the stored page dates neither itself nor "
        "any source (no year or month and year anywhere in it); DISCERN's 1 is 'not met at all', so by "
        "data/RATING.md's hard anchor it cannot score above 1: rate 1"
    ]


def test_a_dated_page_may_score_above_one_on_discern_q5(tiny_root: Path) -> None:
    with (tiny_root / "seeds" / "tiny.txt").open("a", encoding="utf-8") as seed:
        seed.write("\nPosted 12 March 2019\n")  # its checksum no longer matches: a sources.csv issue, not this file's
    write_ratings(tiny_root, {("discern", "q5"): {"rating": "2"}})
    assert not [m for m in issues(tiny_root) if "discern q5" in m]


def test_criterion_10_is_not_applicable_to_a_page_built_on_no_news_release(tiny_root: Path) -> None:
    write_ratings(tiny_root, {("hnr", "c10"): {"rating": "satisfactory"}})
    line = line_of(inst.item("hnr", "c10"))
    assert issues(tiny_root) == [
        f"{RATINGS_FILE}:{line}: hnr c10 for seed 'tiny': rated satisfactory, but the stored page names no news "
        "release, so it is not shown to rest on one and criterion 10 cannot apply (data/RATING.md): rate "
        "not_applicable"
    ]


def test_criterion_10_applies_to_a_page_that_names_a_press_release(tiny_root: Path) -> None:
    with (tiny_root / "seeds" / "tiny.txt").open("a", encoding="utf-8") as seed:
        seed.write("\nAdapted from a press release.\n")
    write_ratings(tiny_root, {("hnr", "c10"): {"rating": "unsatisfactory"}})
    assert not [m for m in issues(tiny_root) if "hnr c10" in m]


def test_the_books_pages_keep_the_hard_anchors() -> None:
    """The stored Save Our Bones (stress) page dates nothing, and no page names a news release."""
    frame = load_ratings(load_ledger(ROOT)).frame.set_index(["seed_id", "instrument", "item"])
    assert frame.at[("saveourbones-stress", "discern", "q5"), "rating"] == "1"
    assert set(frame.xs(("hnr", "c10"), level=("instrument", "item")).rating) == {"not_applicable"}
