"""Unicode honesty: an excerpt that differs from its seed only by a look-alike or invisible character
is not verbatim, and the error names the character, its code point and its column."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookutils import replace_in
from brainbone import IssueKind, load_ledger
from brainbone.ledger.seeds import LookAlike, SeedText, lookalike_diagnosis, lookalikes

CLAIMS = "data/claims.csv"
SENTENCE = "Stress hormones like cortisol can interfere with bone metabolism (1)."


@pytest.mark.parametrize(
    ("excerpt", "expected"),
    [
        (
            "The c\u0430t sat",
            "column 6 has 'а' (U+0430 CYRILLIC SMALL LETTER A) where the seed has 'a' (U+0061 LATIN SMALL LETTER A)",
        ),
        (
            "well\u2011being",
            "column 5 has '‑' (U+2011 NON-BREAKING HYPHEN) where the seed has '-' (U+002D HYPHEN-MINUS)",
        ),
        ("zero\u200bwidth", "column 5 has an invisible U+200B ZERO WIDTH SPACE, which the seed does not have"),
        ("\ufeffBOM first", "column 1 has an invisible U+FEFF ZERO WIDTH NO-BREAK SPACE, which the seed does not have"),
        ("soft\u00adhyphen", "column 5 has an invisible U+00AD SOFT HYPHEN, which the seed does not have"),
        (
            "\uff21 wide letter",
            "column 1 has 'Ａ' (U+FF21 FULLWIDTH LATIN CAPITAL LETTER A) where the seed has 'A' (U+0041 LATIN CAPITAL LETTER A)",
        ),
    ],
)
def test_each_lookalike_is_named_with_its_code_point_and_column(excerpt: str, expected: str) -> None:
    seed = "The cat sat. well-being. zerowidth. BOM first. softhyphen. A wide letter."
    passage = SeedText(seed).nearest(excerpt).text
    assert lookalike_diagnosis(excerpt, passage) == f"Look-alike or invisible characters: {expected}."


def test_the_column_counts_the_excerpt_as_written_before_whitespace_is_collapsed() -> None:
    assert lookalikes("  The  c\u0430t", "The cat") == [LookAlike(9, "\u0430", "a")]


def test_an_invisible_character_in_the_seed_that_the_excerpt_lacks() -> None:
    assert lookalike_diagnosis("zerowidth", "zero\u200bwidth") == (
        "Look-alike or invisible characters: at column 5 the seed has an invisible U+200B ZERO WIDTH SPACE, "
        "which the excerpt lacks."
    )


def test_ordinary_typos_get_no_lookalike_note() -> None:
    assert lookalike_diagnosis("metabolsim", "metabolism") is None
    assert lookalike_diagnosis("bone", "bone") is None


def test_a_cyrillic_a_fails_the_verbatim_check_with_the_exact_message(tiny_root: Path) -> None:
    replace_in(tiny_root / CLAIMS, "can interfere with bone", "c\u0430n interfere with bone")
    issues = load_ledger(tiny_root).issues
    assert [issue.kind for issue in issues] == [IssueKind.EXCERPT_MISMATCH]
    assert str(issues[0]) == (
        "data/claims.csv:2: claim 'tiny-001': excerpt is not verbatim in seeds/tiny.txt "
        "(only runs of whitespace may differ). "
        "Expected: “Stress hormones like cortisol c\u0430n interfere with bone metabolism (1).”. "
        f"Nearest passage (98.6% similar): “{SENTENCE}”. "
        "Look-alike or invisible characters: column 32 has 'а' (U+0430 CYRILLIC SMALL LETTER A) "
        "where the seed has 'a' (U+0061 LATIN SMALL LETTER A). "
        "Fix: copy the nearest passage into the excerpt column as it is"
    )


def test_a_zero_width_space_fails_the_verbatim_check_naming_it(tiny_root: Path) -> None:
    replace_in(tiny_root / CLAIMS, "bone metabolism (1)", "bone meta\u200bbolism (1)")
    issues = load_ledger(tiny_root).issues
    assert [issue.kind for issue in issues] == [IssueKind.EXCERPT_MISMATCH]
    assert (
        "Look-alike or invisible characters: column 59 has an invisible U+200B ZERO WIDTH SPACE, "
        "which the seed does not have. Fix:"
    ) in issues[0].message
