"""Sumner et al.'s three exaggeration types, derived from hand-coded rows, and their published rates."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from bookutils import TINY
from brainbone.appraisal import exaggeration
from brainbone.ledger.loader import load_ledger

ROWS = [
    # claim_id, causal_language, evidence_type, species_dropped, advice, appraisal
    ("a-001", "causal", "human_observational", "not_applicable", "none", "overstated"),  # causal
    ("a-002", "conditional", "human_observational", "not_applicable", "none", "consistent"),  # hedged: no
    ("a-003", "can", "animal_experiment", "true", "none", "overstated"),  # species only
    ("a-004", "causal", "none_stated", "not_applicable", "explicit", "unsupported"),  # advice only
    ("a-005", "none", "systematic_review", "not_applicable", "explicit", "consistent"),  # advice its source gives
    ("a-006", "can", "human_observational", "not_applicable", "implicit", "overstated"),  # causal and advice
]
CLAIMS = pd.DataFrame(
    ROWS, columns=["claim_id", "causal_language", "evidence_type", "species_dropped", "advice", "appraisal"]
).set_index("claim_id")


def test_per_claim_follows_the_manuals_three_rules() -> None:
    flags = exaggeration.per_claim(CLAIMS)
    assert list(flags.index[flags.causal]) == ["a-001", "a-006"]
    assert list(flags.index[flags.species]) == ["a-003"]
    assert list(flags.index[flags.advice]) == ["a-004", "a-006"]
    assert list(flags.index[~flags["any"]]) == ["a-002", "a-005"]


def test_per_seed_counts_the_tiny_ledger() -> None:
    ledger = load_ledger(TINY).require_valid()
    table = exaggeration.per_seed(ledger)
    # tiny-003 (explicit advice, unsupported) and tiny-004 (implicit, unsupported) give advice; no causal or species.
    assert table.to_dict("records") == [
        {"seed_id": "tiny", "outlet": "Tiny Health", "claims": 4, "advice": 2, "causal": 0, "species": 0, "any": 2}
    ]


INSTRUMENTS = Path(__file__).parents[1] / "data" / "checked" / "instruments.md"


def test_sumners_rates_are_those_of_the_checked_instruments_file() -> None:
    text = INSTRUMENTS.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("- Press releases containing each exaggeration"))
    found = {
        kind: tuple(int(v) for v in re.search(rf"{word} (\d+) % \((\d+)–(\d+)\)", line).groups())
        for kind, word in (("advice", "advice"), ("causal", "causal claims"), ("species", "inference to humans"))
    }
    assert found == exaggeration.SUMNER_2014_PRESS_RELEASES


def test_sumners_sample_is_that_of_the_checked_instruments_file() -> None:
    text = INSTRUMENTS.read_text(encoding="utf-8")
    sample = exaggeration.SUMNER_2014_SAMPLE
    assert (
        f"{sample['press_releases']} press releases from {sample['universities']} leading UK universities in 2011"
        in text
    )
    assert f"{sample['news_stories']} news stories" in text
