"""The glossary of effect measures: every measure the issue names, and GRADE's levels read from the checked file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookutils import ROOT
from brainbone.book import measuresglossary as mg


def test_every_measure_the_book_names_has_an_entry() -> None:
    terms = {term for term, _, _ in mg.MEASURES}
    assert {
        "hazard ratio",
        "risk ratio",
        "odds ratio",
        "standardised mean difference",
        "mean difference",
        "Cohen's d",
        "Hedges' g",
        "credible interval",
        "I²",
        "T-score",
        "absolute risk difference",
        "number needed to treat",
    } <= terms


def test_grade_levels_and_wording_come_from_the_checked_file() -> None:
    source = mg.glossary_source(ROOT)
    assert "high certainty\n  GRADE: very confident that the true effect lies close to the estimate." in source
    assert '"x likely results in a large reduction…"' in source
    assert (
        "very low certainty\n  GRADE: very little confidence. The book's checked files give no verified statement"
        in source
    )


def test_a_checked_file_without_the_levels_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "data" / "checked").mkdir(parents=True)
    (tmp_path / mg.INSTRUMENTS).write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"^data/checked/instruments.md: no line 'High: … Moderate: … Low: … Very low: …'"
    ):
        mg.grade_levels(tmp_path)
