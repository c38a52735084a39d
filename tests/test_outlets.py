"""Facts about the outlets come only from data/outlet_facts.csv, whose every row quotes the line of the frozen
snapshot data/checked/outlets.md it rests on, and the chapters state them only by gluing its sentences."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bookutils import TINY

ROOT = Path(__file__).parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))
# A sentence (one per line in MyST) names an outlet and states a fact about who it is, what it sells, or where a
# page comes from; such a sentence must glue its fact from data/outlet_facts.csv.
OUTLET = re.compile(r"NativePath|Save Our Bones|ScienceAlert|Vellito|summary site|\bthe site\b|publisher", re.I)
OUTLET_FACT = re.compile(
    r"\bsell(s|ing)?\b|\bsold\b|\bseller|\bown(s|ed)\b|\brun by\b|\bruns the\b|\bfounded\b|co-founder|repost|rewritten|copyright",
    re.I,
)
GLUED = re.compile(r"\{glue:text\}`(outlet_[a-z0-9_]+)`")
# Where the book defines its own terms ("something the page itself says it sells or advertises"), it states no fact.
DEFINITION = re.compile(
    r"page itself (says it )?sells|sells or advertises|sell or advertise|names nothing it sells|who owns the site,"
)


def prose_lines(text: str):
    """(line number, line) of the prose: code cells and directive options left out."""
    inside_code = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```{code-cell}"):
            inside_code = True
        elif inside_code and line.startswith("```"):
            inside_code = False
        elif not inside_code and not line.startswith(":"):
            yield number, line


def untraced(text: str) -> list[str]:
    """The sentences that state an outlet fact without gluing it."""
    found = []
    for number, line in prose_lines(text):
        bare = GLUED.sub("", line)
        if OUTLET.search(bare) and OUTLET_FACT.search(bare) and not GLUED.search(line) and not DEFINITION.search(bare):
            found.append(f"{number}: {line}")
    return found


def test_an_untraced_outlet_fact_is_caught() -> None:
    text = (
        "NativePath sells the collagen it recommends.\n"
        "{glue:text}`outlet_nativepath_collagen`\n"
        "A claim in a passage promoting something the page itself says it sells or advertises.\n"
    )
    assert untraced(text) == ["1: NativePath sells the collagen it recommends."]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_every_outlet_statement_is_glued_from_the_table(chapter: Path) -> None:
    assert untraced(chapter.read_text(encoding="utf-8")) == [], "glue the fact from data/outlet_facts.csv"


def test_every_glued_outlet_fact_is_a_row() -> None:
    from brainbone.book import outlets
    from brainbone.ledger.loader import load_ledger

    keys = set(outlets.statements(load_ledger(ROOT).require_valid()))
    used = {key for chapter in CHAPTERS for key in GLUED.findall(chapter.read_text(encoding="utf-8"))}
    assert used, "the chapters glue no outlet fact"
    assert sorted(used - keys) == []


@pytest.mark.parametrize(
    "claimed",
    [
        "says it sells nothing",
        "without saying that it sells",
        "does not say it sells them",
        "Save Our Bones sells",
        "sell exercise plans",
    ],
)
def test_no_sentence_states_an_unchecked_outlet_fact(claimed: str) -> None:
    files = [*CHAPTERS, ROOT / "data/sources.csv"]
    assert [p.name for p in files if claimed.lower() in p.read_text(encoding="utf-8").lower()] == []


def test_a_statement_carries_its_strength() -> None:
    from brainbone.book import outlets
    from brainbone.ledger.loader import load_ledger

    said = outlets.statements(load_ledger(ROOT).require_valid())
    assert said["outlet_nativepath_collagen"].endswith("(reported only by third parties).")
    assert said["outlet_nativepath_krill"].endswith("(not found in the stored pages searched).")
    assert said["outlet_sciencealert_provenance"].endswith("(a strong indication, not proof).")


def _tiny_with_outlets(tmp_path: Path, row: str) -> Path:
    root = Path(shutil.copytree(TINY, tmp_path / "book"))
    (root / "data/checked").mkdir(parents=True, exist_ok=True)
    (root / "data/checked/outlets.md").write_text("# Outlets\n\n- Tiny sells a tonic: NOT FOUND.\n", encoding="utf-8")
    header = "fact_id,outlet,fact,sources,strength,snapshot_line,snapshot_quote\n"
    (root / "data/outlet_facts.csv").write_text(header + row, encoding="utf-8")
    return root


def test_a_fact_whose_quote_is_not_on_its_snapshot_line_fails(tmp_path: Path) -> None:
    from brainbone.ledger.loader import load_ledger

    good = (
        "tiny-tonic,nativepath,No stored page shows that Tiny sells a tonic,searched,not_found,3,Tiny sells a tonic\n"
    )
    assert load_ledger(_tiny_with_outlets(tmp_path / "a", good)).issues == []
    ledger = load_ledger(_tiny_with_outlets(tmp_path / "b", good.replace(",3,", ",1,")))
    assert [str(issue) for issue in ledger.issues] == [
        "data/outlet_facts.csv:2: fact 'tiny-tonic': snapshot_quote 'Tiny sells a tonic' is not on line 1 of "
        "data/checked/outlets.md; it is on line 3; quote the checked line the fact comes from"
    ]


# Wording the audit found beyond the checked facts (data/checked/outlets.md, context-studies.csv) or in advice voice;
# none of these is in a seed quote, so data/claims.csv (quotes and rationales) is searched too.
BOOK_TEXT = [
    *CHAPTERS,
    ROOT / "data/outlet_facts.csv",
    ROOT / "data/source_ratings.csv",
    ROOT / "data/summary_of_findings.csv",
    ROOT / "_config.yml",
    ROOT / "data/claims.csv",
    *sorted((ROOT / "src/brainbone").rglob("*.py")),
]


@pytest.mark.parametrize(
    "claimed",
    [
        "paid exercise programme",  # prices or a checkout page: NOT FOUND
        "paid programme",
        "sell programmes or supplements",  # paid programmes and supplement sales not confirmed
        "a product the site sells",
        "ScienceAlert is an independently run",  # Wikipedia-derived only, not two sources
        "none is independent of the industry",  # only konig2018 and zdzieblik2021 are manufacturer-linked
        "lists kava as a cause",  # livertox2018: 'linked to', and disputed
        "talk to your prescriber",  # not medical advice: information, not imperatives
        "talk to a clinician",
        "talk to a doctor",
        "talk to the clinician",
        "do not stop a prescribed medicine",
    ],
)
def test_no_book_text_overstates_or_advises(claimed: str) -> None:
    assert [p.name for p in BOOK_TEXT if claimed.lower() in p.read_text(encoding="utf-8").lower()] == []


def test_wikipedia_derived_outlet_facts_are_not_two_sources() -> None:
    from brainbone.book import outlets
    from brainbone.ledger.loader import load_ledger

    said = outlets.statements(load_ledger(ROOT).require_valid())
    assert "independently" not in said["outlet_sciencealert_publisher"]
    assert said["outlet_sciencealert_independent"].endswith("(one source only).")
