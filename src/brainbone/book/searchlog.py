"""How the wider research was gathered: facts parsed from the frozen search log,
`data/checked/context-search-log.md`, for the Methods chapter. Pure code; nothing is typed by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from brainbone import layout

LOG_FILE = f"{layout.CHECKED_DIR}/context-search-log.md"
# A search line: "- web pages: ...", "- documentation: ...", "- exact-phrase look-up ..." under "Search log".
SEARCH = re.compile(r"^- (web pages|documentation|exact-phrase look-up)\b")
DATE = re.compile(r"\b(20\d\d-\d\d-\d\d)\b")
ROW = re.compile(r"^\| (Q\d+)[^|]*\| (\d+) \| (\d+) \| (\d+) \|$")


class SearchLogError(ValueError):
    pass


@dataclass(frozen=True)
class SearchLog:
    last_date: str
    n_searches: int
    n_rows: int
    n_verified: int
    n_unverifiable: int
    questions: tuple[str, ...]
    n_gaps: int


def parse(text: str, name: str = LOG_FILE) -> SearchLog:
    """The log's facts: the latest date it names, the searches it lists, and its per-question row tables."""
    searches = rows = verified = unverifiable = gaps = 0
    questions: list[str] = []
    in_log = in_gaps = False
    for line in text.splitlines():
        if line.startswith("#"):
            in_log = "Search log" in line or re.match(r"^## Q\d+", line) is not None
            in_gaps = line.startswith("## Gaps not filled")
            continue
        if in_log and SEARCH.match(line):
            searches += 1
        if in_gaps and line.startswith("- "):
            gaps += 1
        match = ROW.match(line)
        if match:
            code, v, u, total = match.group(1), *map(int, match.groups()[1:])
            if v + u != total:
                raise SearchLogError(f"{name}: row for {code} says {v} verified + {u} unverifiable = {total}")
            verified, unverifiable, rows = verified + v, unverifiable + u, rows + total
            questions.append(code)
    dates = sorted(DATE.findall(text))
    if not dates or not rows:
        raise SearchLogError(
            f"{name}: expected a date (YYYY-MM-DD) and at least one '| Qn ... | verified | unverifiable | total |' row; "
            "has the log's format changed?"
        )
    order = sorted(set(questions), key=lambda q: int(q[1:]))
    return SearchLog(dates[-1], searches, rows, verified, unverifiable, tuple(order), gaps)


def load(root: Path) -> SearchLog:
    return parse((root / LOG_FILE).read_text(encoding="utf-8"))


def facts(root: Path) -> dict[str, object]:
    log = load(root)
    return {
        "methods_search_last_date": log.last_date,
        "methods_search_n_searches": log.n_searches,
        "methods_search_n_rows": log.n_rows,
        "methods_search_n_verified": log.n_verified,
        "methods_search_n_unverifiable": log.n_unverifiable,
        "methods_search_questions": ", ".join(log.questions[:-1]) + " and " + log.questions[-1],
        "methods_search_n_gaps": log.n_gaps,
    }


__all__ = ["LOG_FILE", "SearchLog", "SearchLogError", "facts", "load", "parse"]
