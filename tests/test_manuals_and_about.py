"""The book held to its own benchmarks (issue 22): the coding manual and rating guide as appendices, with a label for
every rule a page cites, and the About page's maintainers, dates and JAMA self-check, computed from the book's files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bookutils import TINY
from brainbone.book import about, manuals
from brainbone.ledger.loader import load_ledger

ROOT = Path(__file__).parent.parent
LABEL = re.compile(r"^\(([a-z0-9-]+)\)=$", re.M)


def labels(manual: manuals.Manual, text: str | None = None) -> set[str]:
    return set(LABEL.findall(manuals.page(manual, text or (ROOT / manual.source).read_text(encoding="utf-8"))))


CODING, RATING = manuals.MANUALS


def test_every_safety_rule_a_note_cites_opens_in_the_appendix() -> None:
    ledger = load_ledger(ROOT).require_valid()
    cited = {label for note in ledger.claims.safety_note.dropna() for _, label in manuals.safety_rule_labels(note)}
    assert cited and cited <= labels(CODING)


def test_every_manual_label_a_chapter_links_to_exists() -> None:
    wanted = {
        label
        for chapter in (ROOT / "chapters").glob("*.md")
        for label in re.findall(r"<((?:coding|rating)-[a-z0-9-]+)>`", chapter.read_text(encoding="utf-8"))
    }
    assert wanted and wanted <= labels(CODING) | labels(RATING)


def test_the_appendix_labels_sections_rules_steps_and_instrument_items() -> None:
    coding, rating = labels(CODING), labels(RATING)
    assert {"coding-section-5", "coding-safety-rule-1", "coding-step-7", "coding-appendix-a"} <= coding
    assert {"rating-discern-q5", "rating-jama-currency", "rating-hnr-c6"} <= rating


def test_a_renumbered_rule_loses_its_label() -> None:
    text = "# Manual\n\n## 5. Safety\n\n1. one;\n2. two.\n"
    assert {"coding-safety-rule-1", "coding-safety-rule-2"} <= labels(CODING, text)
    assert "coding-safety-rule-2" not in labels(CODING, text.replace("2. two.", "- two."))


def test_the_generated_page_drops_the_manuals_title_and_keeps_heading_levels() -> None:
    page = manuals.page(CODING, "# Coding manual\n\n## 0. Ground rules\n\nText.\n")
    assert page.splitlines()[2:] == [
        "(coding-manual)=",
        "# Appendix: the coding manual",
        "",
        "This appendix is `data/CODING.md`, as the build read it; every rule the book cites links here.",
        "",
        "(coding-section-0)=",
        "## 0. Ground rules",
        "",
        "Text.",
    ]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    root = Path(shutil.copytree(TINY, tmp_path / "book"))
    (root / "data/maintainers.yml").write_text(
        "funding: none\nconflicts_of_interest: none\nresearch_search_every_months: 6\n", encoding="utf-8"
    )
    return root


def test_the_jama_self_check_fails_authorship_without_affiliations_and_passes_with_them(tiny: Path) -> None:
    ledger = load_ledger(tiny)
    before = {b.name: b for b in about.jama_self(tiny, ledger)}
    assert not before["Authorship"].met
    assert before["Authorship"].why.startswith("CITATION.cff names ")
    assert before["Authorship"].why.endswith(" with no affiliation or credentials")
    cff = (tiny / "CITATION.cff").read_text(encoding="utf-8")
    name = re.search(r"- name: (.*)", cff)
    assert name, "the tiny book's CITATION.cff names an entity"
    (tiny / "CITATION.cff").write_text(
        cff.replace(name.group(0), name.group(0) + "\n    affiliation: Example University"), encoding="utf-8"
    )
    after = {b.name: b.met for b in about.jama_self(tiny, ledger)}
    assert after["Authorship"] is True


def test_disclosure_needs_the_maintainers_declaration(tiny: Path) -> None:
    (tiny / "data/maintainers.yml").write_text("funding: none\nresearch_search_every_months: 6\n", encoding="utf-8")
    with pytest.raises(KeyError) as raised:
        about.jama_self(tiny, load_ledger(tiny))
    assert raised.value.args[0] == (
        "data/maintainers.yml: no `conflicts_of_interest:`; the maintainers declare it there"
    )


def test_the_research_dates_come_from_the_snapshot_files() -> None:
    assert about.research_checked(ROOT) == "2026-12-07"
    assert about.research_searched(ROOT) == "2026-12-07"
    assert about.add_months("2026-12-07", 6) == "2027-06-07"
    assert about.add_months("2026-01-31", 1) == "2026-02-28"


def test_every_instrument_item_a_scorecard_rates_has_a_rule_in_the_rating_guide() -> None:
    from brainbone.ledger import instruments

    wanted = {f"rating-{item.instrument}-{item.item}" for item in instruments.ITEMS}
    assert sorted(wanted - labels(RATING)) == []
