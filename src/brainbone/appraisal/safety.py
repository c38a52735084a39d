"""The claims that could lead a reader to harm (safety_flag, data/CODING.md section 5), selected in one place."""

from __future__ import annotations

import pandas as pd


def flagged(claims: pd.DataFrame) -> pd.DataFrame:
    """The safety-flagged claims, in ledger order, with their notes."""
    return claims[claims["safety_flag"].astype(str) == "true"]


__all__ = ["flagged"]
