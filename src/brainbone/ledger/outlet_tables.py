"""The table of checked facts about the outlets that publish the seed pages (data/outlet_facts.csv): its schema, and the
rule that each row quotes the line of the frozen snapshot data/checked/outlets.md it comes from. The book states them
through `brainbone.book.outlets`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandera.pandas as pa

from brainbone import layout
from brainbone.errors import Issue, IssueKind
from brainbone.ledger import schema
from brainbone.ledger.reading import read_table

if TYPE_CHECKING:
    from brainbone.ledger.loader import Ledger

TABLE = "outlet_facts"
FILE = layout.table_file(TABLE)
SNAPSHOT = f"{layout.CHECKED_DIR}/outlets.md"
COLUMNS = ("fact_id", "outlet", "fact", "sources", "strength", "snapshot_line", "snapshot_quote")
# The strength of a fact, as data/checked/outlets.md states it for each line.
STRENGTHS = {
    "page_itself": "confirmed by the page itself",
    "two_sources": "two sources agree",
    "one_source": "one source only",
    "third_parties_only": "reported only by third parties",
    "not_found": "not found in the stored pages searched",
    "sources_disagree": "the stored sources disagree",
    "indication": "a strong indication, not proof",
}
OUTLETS = {
    "nativepath": "NativePath",
    "saveourbones": "Save Our Bones",
    "sciencealert": "ScienceAlert",
    "vellito": "Vellito",
}


def outlet_facts_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "fact_id": schema.pattern(schema.SLUG, unique=True),
            "outlet": schema.one_of(OUTLETS),
            "fact": schema.text(),
            "sources": schema.text(),
            "strength": schema.one_of(STRENGTHS),
            "snapshot_line": schema.pattern(r"^\d+(;\d+)*$"),
            "snapshot_quote": schema.text(),
        },
        strict=True,
    )


def check_outlet_facts(ledger: Ledger) -> list[Issue]:
    """Each row's quote is on the snapshot line(s) it cites (a `catalog` rule); skipped when absent."""
    if TABLE not in ledger.tables or not (ledger.root / FILE).exists():
        return []
    snapshot = ledger.root / SNAPSHOT
    if not snapshot.exists():
        return [Issue(IssueKind.BAD_VALUE, FILE, None, f"{SNAPSHOT} is missing, so no outlet fact can be traced")]
    lines = snapshot.read_text(encoding="utf-8").splitlines()
    file_lines = read_table(ledger.root, FILE, columns=list(COLUMNS)).lines
    issues = []
    for position, row in enumerate(ledger.tables[TABLE].itertuples(index=False)):
        cited = [int(n) for n in row.snapshot_line.split(";")]
        text = " ".join(lines[n - 1] for n in cited if 0 < n <= len(lines))
        if row.snapshot_quote not in text:
            holding = [str(n) for n, line in enumerate(lines, start=1) if row.snapshot_quote in line]
            hint = f"; it is on line {', '.join(holding)}" if holding else "; no line of the snapshot holds it"
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    FILE,
                    file_lines[position],
                    f"fact '{row.fact_id}': snapshot_quote '{row.snapshot_quote}' is not on line "
                    f"{row.snapshot_line} of {SNAPSHOT}{hint}; quote the checked line the fact comes from",
                )
            )
    return issues


__all__ = ["COLUMNS", "OUTLETS", "STRENGTHS", "TABLE", "check_outlet_facts", "outlet_facts_schema"]
