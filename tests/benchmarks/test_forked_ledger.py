"""A large ledger is checked by two processes (brainbone.ledger.forked): a child validates the claims and
another matches half the excerpts. What they find must be what one process finds, in the same order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from synthetic_corpus import replicate

import brainbone.ledger.loader as ledger_module
from bookutils import TINY, replace_in
from brainbone import IssueKind, load_ledger
from brainbone.ledger import forked, rules


def planted(root: Path) -> Path:
    """Six replicas of the tiny ledger, with errors for the claims' validation and for excerpt
    matching in the first seeds (matched here) and in the last ones (matched by the child)."""
    replicate(TINY, root, 6)
    claims = root / "data" / "claims.csv"
    replace_in(claims, "tiny-001,tiny,Stress hormones like cortisol", "tiny-001,tiny,Stress hormones like cortisоl")
    replace_in(claims, 'tiny-r1-002,tiny-r1,"In a study of 1,000', 'tiny-r1-002,tiny-r1,"In a study of 1,001')
    replace_in(claims, "tiny-r5-003,tiny-r5,Buy our Bone Tonic", "tiny-r5-003,tiny-r5,Buy our Bone Elixir")
    replace_in(
        claims,
        "tiny-r3-004,tiny-r3,My bones felt stronger after yoga.,intervention,",
        "tiny-r3-004,tiny-r3,My bones felt stronger after yoga.,interventoin,",
    )
    replace_in(claims, "tiny-r4-001,tiny-r4,", "tiny-r4-001,tiny-r9,")
    replace_in(claims, "tiny-r2-002,", "tiny-r2-001,")
    return root


def test_forked_children_find_what_one_process_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = planted(tmp_path / "ledger")
    monkeypatch.setattr(ledger_module, "FORK_CELLS", 10**12)
    monkeypatch.setattr(rules, "FORK_CLAIMS", 10**12)
    serial = load_ledger(root)

    children = []
    real_init = forked.Forked.__init__

    def spied(self, function):
        children.append(function)
        real_init(self, function)

    answers = []
    real_result = forked.Forked.result

    def answered(self):
        answers.append(real_result(self))
        return answers[-1]

    monkeypatch.setattr(forked.Forked, "__init__", spied)
    monkeypatch.setattr(forked.Forked, "result", answered)
    monkeypatch.setattr(forked, "available", lambda: True)
    monkeypatch.setattr(ledger_module, "FORK_CELLS", 24 * 20)  # the claims alone: 24 rows of 20 cells
    monkeypatch.setattr(rules, "FORK_CLAIMS", 20)  # 23 claims name a seed that exists
    parallel = load_ledger(root)

    assert len(children) == len(answers) == 2  # the claims' validation, and the later seeds' excerpts
    starts, _, found = answers[0]  # the excerpts of tiny-r3, tiny-r4 (none: tiny-r9 is unknown) and tiny-r5
    assert len(starts) == 11
    assert [issue.message.split(":")[0] for issue in found] == ["claim 'tiny-r5-003'"]
    assert [str(issue) for issue in parallel.issues] == [str(issue) for issue in serial.issues]
    assert parallel.issues == serial.issues
    kinds = [issue.kind for issue in serial.issues]
    assert kinds.count(IssueKind.EXCERPT_MISMATCH) == 3
    assert {IssueKind.BAD_VALUE, IssueKind.UNKNOWN_SEED, IssueKind.DUPLICATE_ID} <= set(kinds)
    assert parallel.part_starts == serial.part_starts
    assert parallel.tables.keys() == serial.tables.keys()
    for name, frame in serial.tables.items():
        pd.testing.assert_frame_equal(parallel.tables[name], frame)


@pytest.mark.parametrize(
    ("sizes", "here"),
    [([4, 4, 4, 4, 4, 4], 3), ([10, 1, 1, 1], 1), ([1, 1, 1, 10], 3), ([1, 1, 1, 1, 9], 4), ([7], 1), ([3, 3, 3], 2)],
)
def test_the_claims_are_matched_half_here_half_in_the_child(sizes: list[int], here: int) -> None:
    assert rules.halfway(np.cumsum(sizes)) == here
