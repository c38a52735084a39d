"""A count that appears on two pages is the same count: one function computes each (brainbone.counts), each names
its unit, and every page that states one agrees with the others, including sums of per-seed counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brainbone.book import counts, facts
from brainbone.ledger.loader import load_ledger

ROOT = Path(__file__).parent.parent
CHAPTERS = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "chapters").glob("*.md"))}
PAGES = ("intro", "methods", "sources", "mechanisms", "associations", "interventions", "synthesis", "explorer")
# The glue keys by which pages state a book-wide count; a key ending in one of these suffixes is one of them.
BOOK_WIDE = {
    "n_seeds": "seeds",
    "n_claims": "claims",
    "n_verified": "verified",
    "n_effects": "effects",
    "n_references": "references",
    "n_commercial": "commercial",
    "n_reader": "reader_comments",
    "n_comment_threads": "comment_threads",
    "n_unresolved": "unresolved",
}
# Chapters whose `<chapter>_n_claims` counts a subset (the intervention claims), named so in their prose.
SUBSETS = {"interventions_n_claims", "interventions_n_reader"}
UNITS = {"claims", "seed pages", "studies", "results", "links"}


@pytest.fixture(scope="module")
def glued() -> dict[str, object]:
    ledger = load_ledger(ROOT).require_valid()
    values: dict[str, object] = {}
    for page in PAGES:
        values.update(getattr(facts, page)(ledger))
    return values


def book_wide(glued: dict[str, object]) -> dict[str, dict[str, object]]:
    """count name -> {glue key: value} for every key that states a book-wide count."""
    found: dict[str, dict[str, object]] = {}
    for key, value in glued.items():
        page, _, rest = key.partition("_")
        if page in PAGES and rest in BOOK_WIDE and key not in SUBSETS:
            found.setdefault(BOOK_WIDE[rest], {})[key] = value
    return found


def disagreeing(glued: dict[str, object]) -> dict[str, dict[str, object]]:
    return {name: keys for name, keys in book_wide(glued).items() if len(set(map(str, keys.values()))) > 1}


def test_every_count_names_a_unit() -> None:
    assert {name: c.unit for name, c in counts.COUNTS.items() if c.unit not in UNITS} == {}


def test_a_count_that_two_pages_state_differently_is_caught() -> None:
    assert disagreeing({"intro_n_claims": 240, "sources_n_claims": 239, "synthesis_n_seeds": 5}) == {
        "claims": {"intro_n_claims": 240, "sources_n_claims": 239}
    }


def test_every_book_wide_count_is_the_same_on_every_page(glued) -> None:
    stated = book_wide(glued)
    assert len(stated["claims"]) >= 2 and len(stated["seeds"]) >= 2
    assert disagreeing(glued) == {}


def test_per_seed_counts_add_up_to_the_totals_other_pages_state(glued) -> None:
    ledger = load_ledger(ROOT).require_valid()
    seeds = [s.replace("-", "_") for s in ledger.sources.seed_id]
    per_seed = {
        what: sum(int(glued[f"sources_{s}_{what}"]) for s in seeds) for what in ("claims", "commercial", "comments")
    }
    assert per_seed == {
        "claims": glued["intro_n_claims"],
        "commercial": glued["intro_n_commercial"],
        "comments": glued["synthesis_n_comment_threads"],
    }
    grades = ledger.vocabulary.values("appraisal")
    assert {g: glued[f"intro_n_{g}"] for g in grades} == {g: glued[f"synthesis_n_{g}"] for g in grades}


def test_the_about_page_counts_as_the_chapters_do(glued) -> None:
    from brainbone.book import about

    table = dict(about.build_facts(load_ledger(ROOT).require_valid()).itertuples(index=False))
    assert (table["Seeds"], table["Claims"], table["Excerpts verified verbatim"], table["Quantitative results"]) == (
        str(glued["intro_n_seeds"]),
        str(glued["intro_n_claims"]),
        str(glued["intro_n_verified"]),
        str(glued["methods_n_effects"]),
    )


GLUE = re.compile(r"\{glue:text\}`([a-z0-9_]+)`")
UNIT_WORDS = {"claims": r"claim", "seed pages": r"page|seed", "studies": r"stud|source|reference", "results": r"result"}


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_each_count_in_prose_names_its_unit(chapter: str) -> None:
    """The sentence that glues a book-wide count says what it counts (claims, pages, studies, results)."""
    missing = []
    for line in CHAPTERS[chapter].splitlines():
        for key in GLUE.findall(line):
            page, _, rest = key.partition("_")
            if rest in BOOK_WIDE and key not in SUBSETS:
                unit = counts.COUNTS[BOOK_WIDE[rest]].unit
                after = line.split(f"`{key}`", 1)[1][:80]
                if not re.search(UNIT_WORDS[unit], line.split(f"`{key}`", 1)[0][-80:] + after, re.I):
                    missing.append(f"{key}: {line[:120]}")
    assert missing == []
