"""Numbers in the prose come from data/: no chapter types a number, and glued values equal the ledger's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jupyter_cache import get_cache

from bookutils import ROOT
from brainbone.layout import execute_settings
from brainbone.ledger.loader import load_ledger
from brainbone.tools.execution import read_notebook

CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))
# A digit inside a name is not a number from the data: SHA-256, omega-3, interleukin-1, IGF-1.
NAME_WITH_DIGIT = re.compile(r"^[A-Za-z][\w]*-\d+$")


def prose_numbers(text: str) -> list[str]:
    """Tokens with a digit in a chapter's prose, after removing front matter, code, roles and labels."""
    if text.startswith("---"):
        text = text[text.index("\n---", 3) + 4 :]
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code cells and directives
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", "", text)  # roles: glue, claim, ref, term, cite
    text = re.sub(r"`[^`]*`", "", text)  # inline code
    text = re.sub(r"^\(.*\)=$|^:.*$|^%.*$", "", text, flags=re.M)  # labels, directive options, MyST comments
    tokens = (m.group().strip(".,;:()*") for m in re.finditer(r"\S*\d\S*", text))
    return [token for token in tokens if not NAME_WITH_DIGIT.match(token)]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_no_chapter_types_a_number(chapter: Path) -> None:
    assert prose_numbers(chapter.read_text(encoding="utf-8")) == []


def test_the_prose_check_catches_a_typed_number() -> None:
    assert prose_numbers("The ledger holds 211 claims; {glue:text}`n` are verified; IGF-1 rises.") == ["211"]


def glued(book: Path, chapter: str) -> dict[str, str]:
    """The plain-text value of every key a chapter glues, from the build's execution cache."""
    cache = get_cache(str(execute_settings(book).cache_dir))
    notebook = cache.merge_match_into_notebook(read_notebook(book, book / "chapters" / f"{chapter}.md"))[1]
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                values[name] = output["data"].get("application/papermill.record/text/plain", "").strip("'")
    return values


@pytest.mark.slow
def test_glued_headline_figures_match_the_ledger(built_book: Path) -> None:
    ledger = load_ledger(built_book)
    claims = ledger.claims
    intro = glued(built_book, "intro")
    assert intro["intro_n_claims"] == str(len(claims))
    assert intro["intro_n_verified"] == str(int(claims.verified.sum()))
    assert intro["intro_n_seeds"] == str(len(ledger.sources))
    for grade, count in claims.appraisal.value_counts().items():
        assert intro[f"intro_n_{grade}"] == str(count)
    methods = glued(built_book, "methods")
    assert methods["methods_n_claims"] == str(len(claims))
    assert methods["methods_n_effects"] == str(len(ledger.effects))
    associations = glued(built_book, "associations")
    values = {v for k, v in associations.items() if re.fullmatch(r"[\d.]+", v)}
    assert {f"{value:g}" for value in ledger.effects["value"]} <= values, "each WHI estimate is glued from effects.csv"
