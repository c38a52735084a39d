"""Tables the `{book-table}` directive renders at build time, as numbered Tables: each is a pure
function of the ledger (and of any extra files it names), with its caption, defined once here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from brainbone.appraisal import coding_agreement, exaggeration
from brainbone.book import research
from brainbone.ledger import coding_tables, research_tables
from brainbone.ledger.loader import Ledger


@dataclass(frozen=True)
class TableSpec:
    build: Callable[[Ledger], pd.DataFrame]
    caption: str
    # Extra files (relative to the book root) the table reads, so that editing them rebuilds its page.
    files: tuple[str, ...] = ()
    # Extra HTML classes; "bb-long-rows" lets a row taller than a printed page break across pages.
    classes: tuple[str, ...] = ()

    def reads(self, root: Path) -> list[Path]:
        return [root / name for name in self.files]


TABLES: dict[str, TableSpec] = {
    "exaggeration-per-seed": TableSpec(
        exaggeration.per_seed_table,
        "Claims showing each of Sumner et al.'s three types of exaggeration, per seed page, with the share of "
        "the page's claims; computed from the ledger's codes at build time (data/CODING.md, section 4).",
    ),
    "exaggeration-vs-sumner": TableSpec(
        exaggeration.comparison_table,
        "How many seed pages contain each type of exaggeration, beside the share of university press releases "
        "containing it in Sumner et al. 2014. A comparison of kinds, not of samples: the popular pages chosen "
        "by the book are not a sample of anything, and no interval can be given for them.",
    ),
    "coding-agreement": TableSpec(
        coding_agreement.book_agreement_table,
        "Agreement between the first coding and the blind second coding of every claim, per field, before "
        "reconciliation: identical codes and Krippendorff's alpha (ordinal for causal language and advice, nominal "
        "otherwise), against the targets set before the second coding; computed at build time from "
        "data/second_coding.csv, data/reconciliation.csv and data/claims.csv.",
        files=(coding_tables.SECOND_CODING_FILE, coding_tables.RECONCILIATION_FILE),
    ),
    "coding-agreement-round2": TableSpec(
        coding_agreement.book_round2_table,
        "Agreement between a fresh blind coding with the tightened manual (round 2) and the ledger's final, "
        "reconciled codes, per field: identical codes and Krippendorff's alpha, against the same targets; "
        "computed at build time from data/second_coding_round2.csv and data/claims.csv.",
        files=(coding_tables.SECOND_CODING_ROUND2_FILE,),
    ),
    "research-sof": TableSpec(
        research.book_table,
        "Summary of findings of the wider research: one row per outcome, rated with GRADE from the checked context "
        "rows only (⊕⊕⊕⊕ high, ⊕⊕⊕◯ moderate, ⊕⊕◯◯ low, ⊕◯◯◯ very low). Effects are as the studies report them; "
        "nothing is pooled or recomputed. A missing interval rates imprecision down here (rule 4), because it leaves a "
        "body's precision unjudged; in the table of the pages' own evidence it changes no level, because that table "
        "measures what a page lets a reader check. Letters point to the footnotes in the next table; computed at "
        "build time from data/research_grade.csv and data/context_effects.csv, rules in data/GRADE.md.",
        files=(
            research_tables.GRADE_FILE,
            research_tables.FOOTNOTES_FILE,
            research_tables.ABSOLUTE_FILE,
            research_tables.OUTCOMES_FILE,
        ),
        classes=("bb-long-rows",),
    ),
    "research-sof-footnotes": TableSpec(
        research.book_footnotes,
        "Footnotes to the summary of findings of the wider research: each judgment on a GRADE domain, whether it "
        "rated the evidence down (decisive, or beyond the floor of very low and kept as a comment), up, or was "
        "considered without a change; from data/research_grade_footnotes.csv.",
        files=(research_tables.FOOTNOTES_FILE,),
    ),
    "research-grade-agreement": TableSpec(
        research.agreement_table,
        "Each outcome on which the book's GRADE certainty, as first rated, differed from the blind second rater's, "
        "with the book's final certainty and how the difference was settled: by a stated rule of data/GRADE.md "
        "applied to every outcome, or left; from data/research_grade_reconciliation.csv and data/second_grade.csv.",
        files=(research_tables.RECONCILIATION_FILE, research_tables.SECOND_FILE),
    ),
}

__all__ = ["TABLES", "TableSpec"]
