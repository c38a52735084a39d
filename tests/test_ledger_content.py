"""The real ledger's content, beyond its schema: verbatim excerpts, claims from every substantive
part, references that resolve, effects quoted as written, commercial and reader-comment rules, no
invented intervals; the coverage measure on the tiny fixture; and the Sources chapter's counts."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from bookutils import ROOT, replace_in
from brainbone.book.coverage import coverage
from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.loader import Ledger, load_ledger, read_bib_keys
from brainbone.ledger.seeds import collapse_mask

SOURCES_CHAPTER = ROOT / "chapters" / "sources.md"
APPRAISAL_TABLE_ID = "T_sources-appraisal"


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return load_ledger(ROOT)


def raw_rows(name: str) -> list[dict[str, str]]:
    """A data table exactly as written: every cell the string in the CSV, nothing parsed."""
    with (ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def substantive_parts() -> list[tuple[str, str, str]]:
    """(seed_id, part_id, kind) of every part whose kind must contribute claims."""
    return [
        (row["seed_id"], row["part_id"], row["kind"])
        for row in raw_rows("seed_parts")
        if row["kind"] in vocab.SUBSTANTIVE_PART_KINDS
    ]


# ---------------------------------------------------------------------------------------
# The real ledger


def test_every_claim_is_verified_verbatim(ledger: Ledger) -> None:
    assert ledger.issues == [], "\n".join(str(issue) for issue in ledger.issues)
    unverified = sorted(ledger.claims.index[~ledger.claims.verified])
    assert not unverified, f"excerpts not found verbatim in their seeds: {unverified}"


@pytest.mark.parametrize(
    ("seed_id", "part_id", "kind"), substantive_parts(), ids=[part_id for _, part_id, _ in substantive_parts()]
)
def test_every_substantive_part_contributes_claims(ledger: Ledger, seed_id: str, part_id: str, kind: str) -> None:
    found = ledger.claims[(ledger.claims.seed_id == seed_id) & (ledger.claims.part_id == part_id)]
    assert len(found), (
        f"seed '{seed_id}': its {kind} part '{part_id}' contributes no claim; extract its claims into "
        "data/claims.csv, or give the part a non-substantive kind in data/seed_parts.csv if it carries none"
    )


def test_every_seed_has_a_substantive_part() -> None:
    seeds = {row["seed_id"] for row in raw_rows("sources")}
    with_parts = {seed_id for seed_id, _, _ in substantive_parts()}
    assert seeds <= with_parts, f"seeds with no substantive part: {sorted(seeds - with_parts)}"


def test_every_primary_source_resolves_in_references_bib() -> None:
    keys = read_bib_keys(ROOT / "references.bib")
    used = {
        (table, row[id_column], row["primary_source"])
        for table, id_column in (("claims", "claim_id"), ("effects", "effect_id"))
        for row in raw_rows(table)
        if row["primary_source"]
    }
    assert used, "no primary_source at all: the check would be empty"
    unknown = sorted((table, row_id, key) for table, row_id, key in used if key not in keys)
    assert not unknown, f"primary_source keys missing from references.bib (table, row, key): {unknown}"


def test_every_effect_value_is_written_in_its_claims_excerpt() -> None:
    excerpts = {row["claim_id"]: row["excerpt"] for row in raw_rows("claims")}
    effects = raw_rows("effects")
    assert effects, "no effects: the check would be empty"
    for effect in effects:
        excerpt = excerpts.get(effect["claim_id"], "")
        assert effect["value"] in excerpt, (
            f"effect '{effect['effect_id']}': value '{effect['value']}' (as written in data/effects.csv) "
            f"is not in the excerpt of claim '{effect['claim_id']}': “{excerpt}”"
        )


def test_commercial_claims_come_only_from_seeds_that_sell_something() -> None:
    sellers = {row["seed_id"] for row in raw_rows("sources") if row["products_promoted"].strip()}
    commercial = [row for row in raw_rows("claims") if row["commercial_context"] == "true"]
    assert commercial, "no commercial claims: the check would be empty"
    wrong = sorted(row["claim_id"] for row in commercial if row["seed_id"] not in sellers)
    assert not wrong, f"commercial_context is true but the seed's products_promoted is empty: {wrong}"


def test_reader_comments_sit_in_comment_parts_and_are_never_evidence(ledger: Ledger) -> None:
    comments = ledger.claims[ledger.claims.speaker == "reader_comment"]
    assert len(comments), "no reader comments: the check would be empty"
    misplaced = sorted(comments.index[comments.part_kind != "reader_comments"])
    assert not misplaced, f"speaker 'reader_comment' outside a reader_comments part: {misplaced}"
    graded = sorted(f"{claim_id} ({grade})" for claim_id, grade in comments.appraisal.items() if grade != "unsupported")
    assert not graded, (
        f"reader comments must be graded unsupported (a reader's anecdote is never evidence; see Methods): {graded}"
    )


def test_no_effect_has_a_confidence_interval() -> None:
    with_interval = [
        f"{row['effect_id']} ({row['ci_low']!r}, {row['ci_high']!r})"
        for row in raw_rows("effects")
        if row["ci_low"].strip() or row["ci_high"].strip()
    ]
    assert not with_interval, f"no source reports a confidence interval, so none may be recorded: {with_interval}"


# ---------------------------------------------------------------------------------------
# The coverage measure, on the tiny fixture (numbers counted by hand from tests/fixtures/tiny/seeds/tiny.txt)
#
# Article (collapsed): "A Tiny Page About Bones" 23 + space + tiny-001 69 + space + tiny-002 97 = 191,
#   of which the two claims cover 69 + 97 = 166 (the space between them is not covered).
# Promotion: "Buy our Bone Tonic — it rebuilds bone in weeks!" 47, all of it tiny-003.
# Reader comments: "Comments 1. Reader My bones felt stronger after yoga. Thank you!" 64,
#   of which tiny-004 covers 34; the indentation and blank lines count as single spaces.


def test_collapse_mask_keeps_what_collapsing_whitespace_keeps() -> None:
    text = "  a\n\n b\t—  c \n"
    kept = "".join(c for c, keep in zip(text, collapse_mask(text), strict=True) if keep)
    assert kept == "a\nb\t— c"  # the first character of each inner run stands for the run; ends go


def test_coverage_of_the_tiny_seed(tiny_root: Path) -> None:
    table = coverage(load_ledger(tiny_root).require_valid())
    assert table.to_dict("records") == [
        {
            "seed_id": "tiny",
            "substantive_chars": 302,
            "covered_chars": 247,
            "covered_share": pytest.approx(247 / 302),
            "substantive_chars_without_comments": 238,
            "covered_chars_without_comments": 213,
            "covered_share_without_comments": pytest.approx(213 / 238),
        }
    ]


def test_coverage_leaves_out_parts_that_are_not_substantive(tiny_root: Path) -> None:
    replace_in(
        tiny_root / "data" / "seed_parts.csv", "tiny,tiny-promotion,promotion,", "tiny,tiny-promotion,footnotes,"
    )
    replace_in(tiny_root / "data" / "claims.csv", ",true,unsupported,Promotional", ",false,unsupported,Promotional")
    row = coverage(load_ledger(tiny_root).require_valid()).iloc[0]
    assert (row.substantive_chars, row.covered_chars) == (191 + 64, 166 + 34)
    assert (row.substantive_chars_without_comments, row.covered_chars_without_comments) == (191, 166)


def test_coverage_of_a_seed_with_no_claims_is_zero(tiny_root: Path) -> None:
    ledger = load_ledger(tiny_root).require_valid()
    row = coverage(dataclasses.replace(ledger, claims=ledger.claims.iloc[:0])).iloc[0]
    assert (row.substantive_chars, row.covered_chars, row.covered_share) == (302, 0, 0.0)


# ---------------------------------------------------------------------------------------
# The Sources chapter: appraisal counts are computed, never typed

APPRAISAL_WORDS = "|".join(vocab.APPRAISALS)
# A number within two words before an appraisal word ("12 are consistent", "40 % unsupported"),
# or just after one ("consistent: 12", "unsupported (40 %)").
TYPED_COUNT = re.compile(
    rf"\b\d[\d,.]*\s*%?\s+(?:[A-Za-z’']+\s+){{0,2}}(?:{APPRAISAL_WORDS})\b"
    rf"|\b(?:{APPRAISAL_WORDS})\w*\W{{1,3}}\d",
    re.IGNORECASE,
)


def chapter_prose(text: str) -> str:
    """The chapter without front matter, code cells, directive fences or roles: only typed prose."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    text = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    return re.sub(r"\{[\w:-]+\}`[^`]*`", "ROLE", text)


def test_typed_count_pattern_catches_typed_counts() -> None:
    for typed in ("12 consistent", "12 claims are consistent", "40 % unsupported", "consistent: 12", "overstated (7)"):
        assert TYPED_COUNT.search(chapter_prose(typed)), typed
    for fine in ("{glue:text}`sources_n_consistent` are consistent", "graded consistent with follis2019"):
        assert not TYPED_COUNT.search(chapter_prose(fine)), fine


def test_sources_chapter_types_no_appraisal_counts() -> None:
    prose = chapter_prose(SOURCES_CHAPTER.read_text(encoding="utf-8"))
    typed = [match.group(0) for match in TYPED_COUNT.finditer(prose)]
    assert not typed, f"chapters/sources.md types counts next to appraisal words; glue them instead: {typed}"


def html_table(html_file: Path, table_id: str) -> pd.DataFrame:
    """A pandas Styler table from a built page, as integers indexed by its row labels."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    table = soup.find("table", id=table_id)
    assert table is not None, f"no table with id '{table_id}' in {html_file}"
    header = [cell.get_text(strip=True) for cell in table.find("thead").find_all("tr")[0].find_all("th")]
    rows = {}
    for tr in table.find("tbody").find_all("tr"):
        # The row label is the first cell (tables.styled makes a named row index an ordinary first column).
        label, *values = [cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])]
        rows[label] = [int(value) for value in values]
    return pd.DataFrame.from_dict(rows, orient="index", columns=header[-len(next(iter(rows.values()))) :])


def counted_from_the_csv(root: Path) -> dict[str, dict[str, int]]:
    """Claims per seed and appraisal, counted straight from data/claims.csv with the csv module:
    not by the code that drew the page."""
    counts: dict[str, dict[str, int]] = {}
    with (root / "data" / "claims.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            seed = counts.setdefault(row["seed_id"], {})
            seed[row["appraisal"]] = seed.get(row["appraisal"], 0) + 1
    return counts


@pytest.mark.slow
def test_built_sources_page_shows_the_ledgers_appraisal_counts(built_book: Path) -> None:
    shown = html_table(built_book / "_build" / "html" / "chapters" / "sources.html", APPRAISAL_TABLE_ID)
    counts = counted_from_the_csv(built_book)
    assert set(shown.index) == set(counts), "one row per seed"
    labels = [vocab.label(grade, "appraisal") for grade in vocab.APPRAISALS]
    assert list(shown.columns) == labels, "one column per grade, in the vocabulary's order, under its label"
    shown.columns = list(vocab.APPRAISALS)
    for seed_id, row in shown.iterrows():
        assert row.to_dict() == {grade: counts[seed_id].get(grade, 0) for grade in vocab.APPRAISALS}, seed_id
