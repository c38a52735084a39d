"""Scorecards: the directive's nodes on a hand-worked fixture, and the built Sources page against the package's
scoring functions applied to the book's ledger (the page is compared with the functions, never a function with itself)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx import addnodes
from test_ratings import write_ratings

from brainbone import load_ledger
from brainbone.appraisal.ratings import load_ratings
from brainbone.ledger import instruments as inst
from brainbone.sphinxext import scorecard


def test_scorecard_nodes_show_hand_worked_totals(tiny_root: Path) -> None:
    write_ratings(
        tiny_root,
        {
            ("discern", "q4"): {"claim_id": "tiny-001", "justification": "One reference number with no target"},
            ("hnr", "c1"): {"evidence": "Buy our Bone Tonic", "justification": "It names the product it sells"},
        },
    )
    ledger = load_ledger(tiny_root)
    [box] = scorecard.scorecard_nodes(load_ratings(ledger), ledger, "tiny", "chapters/sources", "chapters/seeds/tiny")
    text = box.astext()
    # Worked by hand from write_ratings: q16 = 2; authorship met only; c1-c4 satisfactory, c5 and c10 not
    # applicable, so 4 of 8 applicable criteria = 50 %, in the 41-60 % band: 3 stars.
    assert "DISCERN overall rating (question 16): 2 of 5." in text
    assert "JAMA benchmarks met: 1 of 4." in text
    assert "HealthNewsReview.org: 3 stars of 5 (4 of 8 applicable criteria satisfactory)." in text
    assert "questions 1–8 (reliability): 3, 3, 3, 3, 1, 3, 3, 3" in text
    refs = list(box.findall(addnodes.pending_xref))
    assert {(r["reftype"], r["reftarget"]) for r in refs} == {
        ("ref", "claim-tiny-001"),
        ("doc", "/chapters/seeds/tiny"),
    }
    assert "“Buy our Bone Tonic” (seed page, line 6)" in text
    terms = [term for term in box.findall(nodes.term) if term["ids"]]
    assert len(terms) == len(inst.ITEMS)


def test_no_star_score_is_written_out(tiny_root: Path) -> None:
    na = {"rating": "not_applicable", "justification": "The page presents no treatment"}
    write_ratings(tiny_root, {("hnr", c): na for c in ("c1", "c2", "c3")})
    ledger = load_ledger(tiny_root)
    [box] = scorecard.scorecard_nodes(load_ratings(ledger), ledger, "tiny", "chapters/sources", "chapters/seeds/tiny")
    # c1-c3, c5 and c10 not applicable: five, more than two, so no total; c4 satisfactory, 1 of 5 applicable.
    assert (
        "HealthNewsReview.org: no star score (5 criteria not applicable, more than the 2 the rule allows; "
        "1 of 5 applicable criteria satisfactory)." in box.astext()
    )
    # Each item not applicable is stated under the scorecard as an adaptation, with its reason.
    assert (
        "Not applicable: HealthNewsReview.org criterion 2 (benefits quantified), because the page presents no treatment."
        in box.astext()
    )


def test_the_scorecard_shows_the_pages_exaggeration_counts(tiny_root: Path) -> None:
    from brainbone.appraisal import exaggeration

    write_ratings(tiny_root, {})
    ledger = load_ledger(tiny_root)
    [box] = scorecard.scorecard_nodes(load_ratings(ledger), ledger, "tiny", "chapters/sources", "chapters/seeds/tiny")
    counts = exaggeration.per_seed(ledger).set_index("seed_id").loc["tiny"]
    [line] = [p for p in box.findall(nodes.paragraph) if "bb-scorecard-exaggeration" in p["classes"]]
    assert line.astext() == (
        f"Exaggeration, of its {counts['claims']} claims (Sumner et al.'s types; data/CODING.md): "
        f"advice beyond the evidence, {counts['advice']}; causal claim from correlational evidence, "
        f"{counts['causal']}; inference to humans from animal research, {counts['species']}."
    )


@pytest.mark.slow
def test_built_sources_page_shows_the_scores_of_the_ledger(built_book: Path) -> None:
    from brainbone.appraisal import exaggeration

    ledger = load_ledger(built_book)
    table = load_ratings(ledger)
    soup = BeautifulSoup((built_book / "_build/html/chapters/sources.html").read_text(encoding="utf-8"), "html.parser")
    for seed_id in ledger.sources.seed_id:
        card = soup.find(id=f"scorecard-{seed_id}")
        assert card is not None, f"no scorecard for {seed_id}"
        scores = inst.seed_scores(table.rows(), seed_id)
        shown = {
            name: card.select_one(f".bb-score-{name}").get_text() for name in ("discern-overall", "jama", "hnr-stars")
        }
        expected_stars = "no star score" if scores.hnr.stars is None else f"{scores.hnr.stars} star"
        assert shown["discern-overall"] == str(scores.discern.overall), seed_id
        assert shown["jama"] == str(scores.jama), seed_id
        assert shown["hnr-stars"].startswith(expected_stars), seed_id
        exaggerated = exaggeration.per_seed(ledger).set_index("seed_id").loc[seed_id]
        for kind in exaggeration.TYPES:
            assert card.select_one(f".bb-score-exaggeration-{kind}").get_text() == str(exaggerated[kind]), seed_id
        # Every item is shown, each with a link to its passage or the word "absence".
        terms = card.select("dt[id]")
        assert len(terms) == len(inst.ITEMS), seed_id
        for term in terms:
            support = term.find_next_sibling("dd").select_one(".bb-scorecard-support")
            assert support.find("a") is not None or "absence" in support.get_text(), term["id"]
