"""data/regrades.csv and the covered rule of data/CODING.md: the audit's examples stay regraded, every regrade names a
rule the manual writes, a regrade undone in the ledger or citing no rule is a located error, and a claim graded
consistent never carries one of the manual's strength words."""

from __future__ import annotations

import csv
from pathlib import Path

from bookutils import ROOT
from brainbone import load_ledger
from brainbone.appraisal import coding_agreement
from brainbone.ledger import regrades

# The audit's examples (issue 22): a clinical significance, a hope, and a direction and population the checked
# facts do not state.
AUDIT_EXAMPLES = ("sciencealert-007", "sciencealert-030", "saveourbones-stress-025")
MANUAL = """# A manual

- *Rule `added-strength`.* A claim that adds a size goes beyond its source. Strength words (closed list): `greater`, `dramatic`
"""


def regrade_rows(root: Path) -> list[dict[str, str]]:
    with (root / regrades.REGRADES_FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_audit_examples_are_regraded_and_not_consistent() -> None:
    ledger = load_ledger(ROOT)
    rows = {row["claim_id"]: row for row in regrade_rows(ROOT)}
    for claim_id in AUDIT_EXAMPLES:
        assert ledger.claims.at[claim_id, "appraisal"] != "consistent", claim_id
        assert rows[claim_id]["before"] == "consistent"
        assert rows[claim_id]["after"] == ledger.claims.at[claim_id, "appraisal"]


def test_every_regrade_names_a_rule_the_manual_writes_and_no_consistent_claim_carries_a_strength_word() -> None:
    rules = regrades.manual_rules(ROOT)
    assert {"uncovered-detail", "added-strength", "quotation-not-checked", "paraphrase-of-overstated"} <= set(rules)
    assert {row["rule"] for row in regrade_rows(ROOT)} <= set(rules)
    words = regrades.strength_words(ROOT)
    assert "new hope" in words and "clinically significant" in words
    ledger = load_ledger(ROOT)
    assert [str(i) for i in ledger.issues] == []


def test_the_first_round_is_measured_on_the_grades_the_reconciliation_chose() -> None:
    """sciencealert-007 was reconciled to consistent in round 1 and regraded later: round 1 keeps consistent."""
    ledger = load_ledger(ROOT)
    codings = coding_agreement.load(ledger)
    assert codings.final.at["sciencealert-007", "appraisal"] == "consistent"
    assert ledger.claims.at["sciencealert-007", "appraisal"] == "overstated"


def _write(root: Path, *rows: tuple[str, str, str, str, str]) -> None:
    (root / "data" / "CODING.md").write_text(MANUAL, encoding="utf-8")
    with (root / regrades.REGRADES_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(regrades.COLUMNS)
        for claim_id, before, after, rule, reason in rows:
            writer.writerow([claim_id, "appraisal", before, after, rule, reason])


def _messages(root: Path) -> list[str]:
    return [str(issue) for issue in load_ledger(root).issues]


def test_a_regrade_the_ledger_no_longer_holds_is_an_error(tiny_root: Path) -> None:
    _write(tiny_root, ("tiny-002", "overstated", "unsupported", "added-strength", "Adds a size"))
    (tiny_root / "data" / "CODING.md").write_text(MANUAL.replace("`greater`, ", ""), encoding="utf-8")
    assert _messages(tiny_root) == [
        "data/regrades.csv:2: claim 'tiny-002', field 'appraisal': after is 'unsupported' but data/claims.csv has "
        "'consistent'; a regrade stays in the ledger unless a later rule of data/CODING.md changes it again (then "
        "update this row and say why)"
    ]


def test_a_regrade_must_cite_a_rule_of_the_manual(tiny_root: Path) -> None:
    _write(tiny_root, ("tiny-002", "overstated", "consistent", "added-strenght", "Typo in the rule"))
    (tiny_root / "data" / "CODING.md").write_text(MANUAL.replace("`greater`, ", ""), encoding="utf-8")
    assert _messages(tiny_root) == [
        "data/regrades.csv:2: claim 'tiny-002', field 'appraisal': rule 'added-strenght' is not a rule of "
        "data/CODING.md (nearest: 'added-strength'); the manual names its rules as *Rule `name`.*: "
        "added-strength"
    ]


def test_a_consistent_claim_carrying_a_strength_word_is_an_error(tiny_root: Path) -> None:
    """tiny-002 ('…0.5% greater loss of hip BMD') is graded consistent; a manual listing 'greater' forbids it."""
    (tiny_root / "data" / "CODING.md").write_text(MANUAL, encoding="utf-8")
    assert _messages(tiny_root) == [
        "data/claims.csv: claim 'tiny-002' is graded consistent but says 'greater', a strength word of rule "
        "`added-strength` in data/CODING.md: a size, novelty, hope or significance the checked facts do not state; "
        "regrade it (overstated, or down the tree) and list it in data/regrades.csv"
    ]
