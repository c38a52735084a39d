"""The review helpers: phrases and overview tables built from small, hand-made claim tables."""

from __future__ import annotations

import pandas as pd

from brainbone.book import review

CLAIMS = pd.DataFrame(
    {
        "claim_id": ["a-001", "a-002", "a-003", "b-001"],
        "seed_id": ["a", "a", "a", "b"],
        "section": ["mechanism", "mechanism", "association", "mechanism"],
        "topic": ["osteocalcin", "osteocalcin", "depression", "igf"],
        "direction": ["bone_to_brain", "none", "brain_to_bone", "bone_to_brain"],
        "evidence_type": ["animal_experiment", "none_stated", "human_observational", "animal_experiment"],
        "appraisal": ["overstated", "consistent", "consistent", "overstated"],
    }
)
TOPICS = pd.DataFrame({"topic": ["igf", "osteocalcin", "depression"], "label": ["IGF", "Osteocalcin", "Depression"]})


def test_listing_joins_like_prose() -> None:
    assert review.listing([]) == "none"
    assert review.listing(["a"]) == "a"
    assert review.listing(["a", "b"]) == "a and b"
    assert review.listing(["a", "b", "c"], "or") == "a, b or c"


def test_counted_picks_the_noun() -> None:
    assert review.counted(1, "claim") == "1 claim"
    assert review.counted(0, "claim") == "0 claims"
    assert review.counted(2, "study", "studies") == "2 studies"


def test_tally_follows_the_order_then_frequency() -> None:
    assert review.tally(["x", "b", "b", "a"], order=("a", "b")) == {"a": 1, "b": 2, "x": 1}


def test_tally_phrase_in_both_styles() -> None:
    values = ["overstated", "consistent", "overstated"]
    assert review.tally_phrase(values, ("consistent", "overstated")) == "1 consistent with its source and 2 overstated"
    directions = ["none", "brain_to_bone", "brain_to_bone"]
    assert (
        review.tally_phrase(directions, ("brain_to_bone", "none"), review.DIRECTION_LABELS, count_first=False)
        == "brain → bone (2) and no direction stated (1)"
    )
    assert review.tally_phrase([], ()) == "none"
    assert review.tally_phrase(["indirect", "indirect"], ("indirect",)) == "indirect"
    assert review.tally_phrase(["indirect", "indirect"], count_first=False) == "indirect (2)"


def test_summarise_counts_claims_seeds_and_tallies() -> None:
    summary = review.summarise(CLAIMS[CLAIMS.section == "mechanism"])
    assert summary == {
        "n": 3,
        "claims": "3 claims",
        "seeds": 2,
        "appraisal": "1 consistent with its source and 2 overstated",
        "evidence": "animal experiment (2) and none stated (1)",
        "direction": "bone → brain (2) and no direction stated (1)",
    }


def test_topic_overview_keeps_topic_order_and_skips_empty_topics() -> None:
    table = review.topic_overview(CLAIMS, TOPICS, "mechanism")
    assert list(table.columns) == ["Topic", "Claims", "Direction claimed", "Evidence the pages give", "Appraisal"]
    assert list(table["Topic"]) == ["IGF", "Osteocalcin"]
    assert table.loc[1].to_dict() == {
        "Topic": "Osteocalcin",
        "Claims": 2,
        "Direction claimed": "bone → brain (1) and no direction stated (1)",
        "Evidence the pages give": "animal experiment (1) and none stated (1)",
        "Appraisal": "1 consistent with its source and 1 overstated",
    }
