"""The benchmark's synthetic ledgers are valid, so `make check` times its normal path on them."""

from __future__ import annotations

from pathlib import Path

from synthetic_corpus import replicate

from bookutils import TINY
from brainbone import load_ledger


def test_a_replicated_ledger_is_valid_with_new_ids_and_seed_files(tmp_path: Path) -> None:
    counts = replicate(TINY, tmp_path, 3)
    ledger = load_ledger(tmp_path)
    assert ledger.issues == []
    assert counts == {"sources": 3, "topics": 4, "seed_parts": 9, "claims": 12, "effects": 3}
    assert list(ledger.sources.seed_id) == ["tiny", "tiny-r1", "tiny-r2"]
    assert len(set(ledger.sources.sha256)) == 3
    assert sorted(ledger.claims.index)[:4] == ["tiny-001", "tiny-002", "tiny-003", "tiny-004"]
    assert ledger.claim("tiny-r2-004").part_kind == "reader_comments"
    assert bool(ledger.claims.verified.all())
    assert list(ledger.effects.claim_id) == ["tiny-002", "tiny-r1-002", "tiny-r2-002"]
