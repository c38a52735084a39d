"""Sumner et al.'s three types of exaggeration, derived per claim and per seed from the ledger's codes."""

from __future__ import annotations

import pandas as pd

from brainbone.ledger.loader import Ledger

# The three types, in Sumner et al.'s order, with the book's short names (data/CODING.md, section 4).
TYPES = {
    "advice": "Advice beyond the evidence",
    "causal": "Causal claim from correlational evidence",
    "species": "Inference to humans from animal research",
}
# Causal-language levels that state an effect; the lower ones state a link or a hedged effect.
EFFECT_LEVELS = ("can", "causal")
CORRELATIONAL_EVIDENCE = ("human_observational",)
ADVICE_GIVEN = ("implicit", "explicit")

# Press releases containing each type, % with 95 % CI: Sumner et al. 2014 (BMJ 349:g7015),
# as restated in data/checked/instruments.md; tests/test_exaggeration.py checks them against that file.
SUMNER_2014_PRESS_RELEASES = {
    "advice": (40, 33, 46),
    "causal": (33, 26, 40),
    "species": (36, 28, 46),
}


# Their sample, from the same file: press releases from leading UK universities in 2011.
SUMNER_2014_SAMPLE = {"press_releases": 462, "universities": 20, "news_stories": 668}


def per_claim(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per claim (indexed like `claims`) with a boolean column per type of exaggeration:
    causal language that states an effect drawn from evidence the page calls observational; an
    inference to people from animal or cell evidence; advice given where the claim's evidence
    does not carry it (any claim not graded consistent)."""
    frame = pd.DataFrame(index=claims.index)
    frame["causal"] = claims["causal_language"].isin(EFFECT_LEVELS) & claims["evidence_type"].isin(
        CORRELATIONAL_EVIDENCE
    )
    frame["species"] = claims["species_dropped"] == "true"
    frame["advice"] = claims["advice"].isin(ADVICE_GIVEN) & (claims["appraisal"] != "consistent")
    frame["any"] = frame[list(TYPES)].any(axis=1)
    return frame


def per_seed(ledger: Ledger) -> pd.DataFrame:
    """One row per seed, in sources.csv order: its number of claims, and for each type the number
    of its claims showing it and whether the page shows it at all."""
    flags = per_claim(ledger.claims)
    flags["seed_id"] = ledger.claims["seed_id"]
    rows = []
    for seed_id in ledger.sources["seed_id"]:
        subset = flags[flags.seed_id == seed_id]
        row = {"seed_id": seed_id, "outlet": ledger.sources.at[seed_id, "outlet"], "claims": len(subset)}
        for kind in TYPES:
            row[kind] = int(subset[kind].sum())
        row["any"] = int(subset["any"].sum())
        rows.append(row)
    return pd.DataFrame(rows, columns=["seed_id", "outlet", "claims", *TYPES, "any"])


def per_seed_table(ledger: Ledger) -> pd.DataFrame:
    """`per_seed` under readable column names, each count with its share of the page's claims."""
    table = per_seed(ledger)

    def cell(n: int, total: int) -> str:
        return f"{n} ({n / total:.0%})" if total else "0"

    out = pd.DataFrame({"Seed page": table.outlet + " (" + table.seed_id + ")", "Claims": table.claims})
    for kind, name in TYPES.items():
        out[name] = [cell(n, total) for n, total in zip(table[kind], table.claims, strict=True)]
    return out


def comparison_table(ledger: Ledger) -> pd.DataFrame:
    """Per type: how many of the seed pages contain at least one such claim, beside the share of
    press releases containing it in Sumner et al. 2014 (with its 95 % CI). A comparison of kinds,
    not of samples: the seed pages are not a sample of anything."""
    table = per_seed(ledger)
    rows = []
    for kind, name in TYPES.items():
        pages = int((table[kind] > 0).sum())
        share, low, high = SUMNER_2014_PRESS_RELEASES[kind]
        rows.append(
            {
                "Type of exaggeration": name,
                "Seed pages containing it": f"{pages} of {len(table)}",
                "Claims showing it": f"{int(table[kind].sum())} of {int(table.claims.sum())}",
                "Press releases containing it (Sumner et al. 2014)": f"{share} % (95 % CI {low}–{high})",
            }
        )
    return pd.DataFrame(rows)


__all__ = [
    "SUMNER_2014_PRESS_RELEASES",
    "SUMNER_2014_SAMPLE",
    "TYPES",
    "comparison_table",
    "per_claim",
    "per_seed",
    "per_seed_table",
]
