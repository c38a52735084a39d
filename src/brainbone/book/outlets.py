"""Checked facts about the outlets that publish the seed pages, as the book states them: one sentence per row of
data/outlet_facts.csv (brainbone.ledger.outlet_tables), with its strength; a chapter states an outlet fact only by
gluing one of `statements()`, so every such sentence traces to a row (tests/test_outlets.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from brainbone.ledger.outlet_tables import COLUMNS, OUTLETS, STRENGTHS, TABLE

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger

GLUE_PREFIX = "outlet_"


def facts(ledger: Ledger) -> pd.DataFrame:
    """The outlet facts, as loaded and validated."""
    return ledger.tables.get(TABLE, pd.DataFrame(columns=list(COLUMNS)))


def statement(row) -> str:
    """One sentence of the book about an outlet: the fact and, in brackets, its strength."""
    return f"{row.fact} ({STRENGTHS[row.strength]})."


def glue_key(fact_id: str) -> str:
    return GLUE_PREFIX + fact_id.replace("-", "_")


def statements(ledger: Ledger) -> dict[str, str]:
    """glue key -> sentence, for every outlet fact: the only way a chapter states one."""
    return {glue_key(row.fact_id): statement(row) for row in facts(ledger).itertuples(index=False)}


def table(ledger: Ledger) -> pd.DataFrame:
    """Every outlet fact with its sources and strength, for the Sources chapter."""
    frame = facts(ledger)
    return pd.DataFrame(
        {
            "Outlet": frame.outlet.map(OUTLETS),
            "Checked fact": frame.fact,
            "Where it was read": frame.sources,
            "Strength": frame.strength.map(STRENGTHS),
            "data/checked/outlets.md line": frame.snapshot_line.str.replace(";", ", "),
        }
    )


__all__ = ["STRENGTHS", "facts", "glue_key", "statement", "statements", "table"]
