"""Grades changed after the reconciliation (`data/regrades.csv`), each with the rule of `data/CODING.md` that changed it.

Pure code, no Sphinx. `brainbone.catalog` declares the table with `regrades_schema()` and runs `check_regrades()` on
every load: each row names a claim and a coded field, its `after` is the ledger's value now (so a regraded claim
cannot drift back unnoticed), its `before` differs, and its `rule` is one that CODING.md writes as *Rule `name`.*.
A second rule, `check_hype`, is the part of rule `added-strength` that can be checked mechanically: no claim
graded `consistent` may carry one of the manual's closed list of strength words.
`reconciled_codes()` gives the codes as the reconciliation left them (the ledger with these rows undone), which
is what the first round's agreement is measured on.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd
import pandera.pandas as pa

from brainbone import layout
from brainbone.errors import Issue, IssueKind
from brainbone.ledger import schema
from brainbone.ledger.validation import did_you_mean

if TYPE_CHECKING:  # the ledger imports the catalog, which names this module
    from brainbone.ledger.loader import Ledger

REGRADES_FILE = layout.table_file("regrades")
CLAIMS_FILE = layout.table_file("claims")
CODING_FILE = f"{layout.DATA_DIR}/CODING.md"
COLUMNS = ("claim_id", "field", "before", "after", "rule", "reason")
# How CODING.md names a rule a regrade may cite: *Rule `added-strength`.*
RULE_NAME = re.compile(r"\*Rule `([a-z][a-z-]*)`\.\*")
# How CODING.md writes the closed list of strength words of rule `added-strength`.
STRENGTH_WORDS_LINE = re.compile(r"Strength words \(closed list\): (.+)$", re.MULTILINE)
CONSISTENT = "consistent"
# The coded columns a regrade may change (those of the blind codings, data/CODING.md section 6).
FIELDS = (
    "appraisal",
    "evidence_type",
    "speaker",
    "direction",
    "commercial_context",
    "causal_language",
    "species_dropped",
    "advice",
    "safety_flag",
)


def regrades_schema() -> pa.DataFrameSchema:
    """One row per coded field of a claim changed after the reconciliation: its value before and after, and why."""
    return schema.table(
        claim_id=schema.foreign_key("claims", fix="regrade only claims that data/claims.csv has"),
        field=schema.one_of(FIELDS),
        before=schema.text(),
        after=schema.text(),
        rule=schema.text(),
        reason=schema.text(),
    )


def manual_rules(root) -> tuple[str, ...]:
    """The rule names CODING.md defines, in its order."""
    path = root / CODING_FILE
    return tuple(dict.fromkeys(RULE_NAME.findall(path.read_text(encoding="utf-8")))) if path.exists() else ()


def strength_words(root) -> tuple[str, ...]:
    """Rule `added-strength`'s closed list of strength words, as CODING.md writes it (backquoted, comma-separated)."""
    path = root / CODING_FILE
    found = STRENGTH_WORDS_LINE.search(path.read_text(encoding="utf-8")) if path.exists() else None
    return tuple(re.findall(r"`([^`]+)`", found.group(1))) if found else ()


def _codes(ledger: Ledger) -> pd.DataFrame:
    codes = ledger.claims[[f for f in FIELDS if f in ledger.claims.columns]].copy()
    if "commercial_context" in codes.columns:
        codes["commercial_context"] = codes["commercial_context"].map({True: "true", False: "false"})
    return codes


def check_regrades(ledger: Ledger) -> list[Issue]:
    """Every regrade is a real change, still in the ledger, made by a rule the manual defines (a `catalog` rule)."""
    frame = ledger.tables.get("regrades")
    if frame is None or frame.empty or any(i.file in {CLAIMS_FILE, REGRADES_FILE} for i in ledger.issues):
        return []
    issues: list[Issue] = []
    rules = manual_rules(ledger.root)
    codes = _codes(ledger)
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(frame.itertuples(index=False), start=2):
        where = f"claim '{row.claim_id}', field '{row.field}'"
        if row.claim_id not in codes.index or row.field not in codes.columns:
            continue  # the schema's foreign key and enumeration report these
        if (row.claim_id, row.field) in seen:
            issues.append(Issue(IssueKind.DUPLICATE_ID, REGRADES_FILE, line, f"{where}: regraded twice; keep one row"))
        seen.add((row.claim_id, row.field))
        now = codes.at[row.claim_id, row.field]
        if row.after != now:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    REGRADES_FILE,
                    line,
                    f"{where}: after is '{row.after}' but {CLAIMS_FILE} has '{now}'; a regrade stays in the ledger "
                    f"unless a later rule of {CODING_FILE} changes it again (then update this row and say why)",
                )
            )
        if row.before == row.after:
            issues.append(
                Issue(IssueKind.BAD_VALUE, REGRADES_FILE, line, f"{where}: before and after are both '{row.after}'")
            )
        if row.rule not in rules:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    REGRADES_FILE,
                    line,
                    f"{where}: rule '{row.rule}' is not a rule of {CODING_FILE}{did_you_mean(row.rule, rules)}; "
                    f"the manual names its rules as *Rule `name`.*: {', '.join(rules) or 'none found'}",
                )
            )
    return issues


def check_hype(ledger: Ledger) -> list[Issue]:
    """Rule `added-strength`, mechanically: a claim graded consistent carries none of the manual's strength words."""
    if any(i.file == CLAIMS_FILE for i in ledger.issues) or "appraisal" not in ledger.claims.columns:
        return []
    words = strength_words(ledger.root)
    if not words:
        return []
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    issues = []
    consistent = ledger.claims[ledger.claims.appraisal == CONSISTENT]
    for claim_id, excerpt in consistent.excerpt.items():
        found = pattern.search(excerpt or "")
        if found:
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    CLAIMS_FILE,
                    None,
                    f"claim '{claim_id}' is graded consistent but says '{found.group(0)}', a strength word of rule "
                    f"`added-strength` in {CODING_FILE}: a size, novelty, hope or significance the checked facts do "
                    "not state; regrade it (overstated, or down the tree) and list it in data/regrades.csv",
                )
            )
    return issues


def reconciled_codes(ledger: Ledger, codes: pd.DataFrame) -> pd.DataFrame:
    """`codes` (the ledger's coded columns now) with every regrade undone: the codes as the reconciliation left them."""
    frame = ledger.tables.get("regrades")
    if frame is None or frame.empty:
        return codes
    undone = codes.copy()
    for row in frame.itertuples(index=False):
        if row.claim_id in undone.index and row.field in undone.columns:
            undone.at[row.claim_id, row.field] = row.before
    return undone


def regrades_table(ledger: Ledger) -> pd.DataFrame:
    """The grades changed after the reconciliation (data/regrades.csv), with the labels readers see."""
    frame = ledger.tables.get("regrades")
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["Claim", "Grade before", "Grade now", "Rule", "Why"])
    label = ledger.vocabulary.label
    return pd.DataFrame(
        {
            "Claim": frame.claim_id.tolist(),
            "Grade before": [label(v) for v in frame.before],
            "Grade now": [label(v) for v in frame.after],
            "Rule": frame.rule.tolist(),
            "Why": frame.reason.tolist(),
        }
    )


__all__ = [
    "REGRADES_FILE",
    "check_hype",
    "check_regrades",
    "manual_rules",
    "reconciled_codes",
    "regrades_schema",
    "regrades_table",
    "strength_words",
]
