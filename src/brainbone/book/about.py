"""Facts for the "About this build" page: the commit, the build date, each seed's checksum, the counts."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from brainbone import layout
from brainbone.ledger.loader import Ledger
from brainbone.ledger.seeds import sha256_of
from brainbone.version import book_version, git, is_checkout_top, release

NOT_A_CHECKOUT = "not a git checkout"
TOOLS = ("jupyter-book", "sphinx", "myst-nb", "sphinx-book-theme")


@dataclass(frozen=True)
class Commit:
    """The checkout the book was built from; `sha` is None outside a git checkout."""

    sha: str | None
    changed: bool = False

    def __str__(self) -> str:
        if self.sha is None:
            return NOT_A_CHECKOUT
        return self.sha + (" (with uncommitted changes)" if self.changed else "")


def commit(root: Path) -> Commit:
    """The commit checked out at `root`, if `root` is itself the top of a git checkout (a copy of the
    book inside some other repository is not); whether tracked files differ from it."""
    if not is_checkout_top(root):
        return Commit(None)
    sha = git(root, "rev-parse", "HEAD")
    if sha is None:  # a repository with no commit yet
        return Commit(None)
    return Commit(sha, changed=bool(git(root, "status", "--porcelain", "--untracked-files=no")))


def build_date(now: datetime | None = None) -> str:
    """When the book was built, in UTC; SOURCE_DATE_EPOCH, when set, fixes it for reproducible builds."""
    if now is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        now = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def seed_checksums(ledger: Ledger) -> pd.DataFrame:
    """One row per seed: its file, the SHA-256 of the file as built, and whether data/sources.csv agrees."""
    rows = []
    for seed_id, source in ledger.sources.iterrows():
        path = ledger.root / source.file
        actual = sha256_of(path) if path.is_file() else "file missing"
        rows.append(
            {
                "Seed": seed_id,
                "File": source.file,
                "SHA-256": actual,
                "Matches data/sources.csv": "yes" if actual == source.sha256 else "no",
            }
        )
    return pd.DataFrame(rows, columns=["Seed", "File", "SHA-256", "Matches data/sources.csv"])


def counts(ledger: Ledger) -> dict[str, int]:
    """How many seeds, claims, verbatim-verified excerpts and quantitative effects the ledger holds."""
    from brainbone.book import counts as book_counts  # one function per count, shared with the chapters

    return {name: book_counts.count(ledger, name) for name in ("seeds", "claims", "verified", "effects")}


def tool_versions() -> str:
    """The versions of the tools that build the book, e.g. "jupyter-book 1.0.4.post1, sphinx 7.4.7, ..."."""
    found = []
    for name in TOOLS:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found + [f"Python {platform.python_version()}"])


def build_facts(ledger: Ledger, *, now: datetime | None = None) -> pd.DataFrame:
    """The "This build" table: version, commit, date, tools and what the ledger holds."""
    facts = counts(ledger)
    version = book_version()
    rows = [
        ("Version", f"{version} ({release(ledger.root)})"),
        ("Commit", str(commit(ledger.root))),
        ("Built", build_date(now)),
        ("Built with", tool_versions()),
        ("Seeds", str(facts["seeds"])),
        ("Claims", str(facts["claims"])),
        ("Excerpts verified verbatim", str(facts["verified"])),
        ("Quantitative results", str(facts["effects"])),
    ]
    return pd.DataFrame(rows, columns=["What", "This build"])


# ---------------------------------------------------------------------------------------
# The book held to its own benchmarks (issue 22): who maintains it, its declarations, when it was last checked,
# the living-review rule, and the JAMA benchmarks (data/RATING.md) applied to the book itself.

MAINTAINERS_FILE = f"{layout.DATA_DIR}/maintainers.yml"
SNAPSHOT_NOTE = layout.CHECKED_NOTE
SEARCH_LOG = f"{layout.CHECKED_DIR}/context-search-log.md"
DATE = r"\d{4}-\d{2}-\d{2}"
NOT_FOUND = "not found"


def git_contributors(root: Path) -> list[tuple[str, int]]:
    """(author name, commits) from the git history, most commits first; empty outside a git checkout."""
    if commit(root).sha is None:
        return []
    out = git(root, "shortlog", "-sn", "--no-merges", "HEAD") or ""
    found = []
    for line in out.splitlines():
        count, _, name = line.strip().partition("\t")
        if name:
            found.append((name.strip(), int(count)))
    return found


def declarations(root: Path) -> dict:
    """The maintainers' declaration (data/maintainers.yml); raises naming the file and the key when one is missing."""
    import yaml

    path = Path(root) / MAINTAINERS_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("funding", "conflicts_of_interest", "research_search_every_months"):
        if key not in data:
            raise KeyError(f"{MAINTAINERS_FILE}: no `{key}:`; the maintainers declare it there")
    return data


def _dates_in(path: Path, pattern: str) -> list[str]:
    return re.findall(pattern, path.read_text(encoding="utf-8")) if path.exists() else []


def research_checked(root: Path) -> str:
    """When the checked facts were last delivered, from data/checked/README.md ("Snapshot taken: 2026-12-07")."""
    found = _dates_in(Path(root) / SNAPSHOT_NOTE, rf"Snapshot taken: ({DATE})")
    return max(found) if found else NOT_FOUND


def research_searched(root: Path) -> str:
    """The latest search of the wider research the search log records ("rows added on 2026-12-07")."""
    found = _dates_in(Path(root) / SEARCH_LOG, rf"added on ({DATE})")
    return max(found) if found else NOT_FOUND


def last_changed(root: Path, *paths: str) -> str:
    """The date of the last commit that changed any of `paths`, from git; NOT_A_CHECKOUT outside one."""
    if commit(root).sha is None:
        return NOT_A_CHECKOUT
    return git(root, "log", "-1", "--format=%cs", "--", *paths) or NOT_FOUND


def add_months(date: str, months: int) -> str:
    year, month, day = (int(part) for part in date.split("-"))
    month += months
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return f"{year:04d}-{month:02d}-{min(day, 28):02d}"


def maintainers_table(root: Path) -> pd.DataFrame:
    """Who maintains the book: CITATION.cff's authors, then every contributor in the git history."""
    from brainbone.version import read_citation

    rows = [("Named in CITATION.cff", name) for name in read_citation(root).authors]
    contributors = git_contributors(root)
    rows += [("In the git history", f"{name} ({count} commits)") for name, count in contributors]
    if not contributors:
        rows.append(("In the git history", NOT_A_CHECKOUT if commit(root).sha is None else "no commits"))
    declared = declarations(root)
    rows += [
        ("Funding (the maintainers' declaration)", str(declared["funding"])),
        ("Conflicts of interest (the maintainers' declaration)", str(declared["conflicts_of_interest"])),
    ]
    return pd.DataFrame(rows, columns=["What", "Who or what"])


def currency_table(root: Path) -> pd.DataFrame:
    """When the research, the seeds and the ledger were last checked, and when the research is next due."""
    from brainbone.version import read_citation

    searched = research_searched(root)
    every = int(declarations(root)["research_search_every_months"])
    due = add_months(searched, every) if searched != NOT_FOUND else NOT_FOUND
    rows = [
        ("Version released (CITATION.cff)", read_citation(root).date_released),
        ("Checked facts last delivered (data/checked/README.md)", research_checked(root)),
        ("Wider research last searched (data/checked/context-search-log.md)", searched),
        (f"Research next searched by (every {every} months)", due),
        ("Seed files last changed (git)", last_changed(root, layout.SEEDS_DIR)),
        ("Claims ledger last changed (git)", last_changed(root, layout.table_file("claims"))),
        ("Every excerpt checked verbatim against its seed", "at every build, including this one"),
    ]
    return pd.DataFrame(rows, columns=["What", "Date"])


@dataclass(frozen=True)
class Benchmark:
    name: str
    met: bool
    why: str


def jama_self(root: Path, ledger: Ledger) -> list[Benchmark]:
    """The JAMA benchmarks (data/RATING.md) applied to the book itself, from its own files."""
    import yaml

    from brainbone.version import CITATION_FILE, read_citation

    citation = read_citation(root)
    authors = (yaml.safe_load((Path(root) / CITATION_FILE).read_text(encoding="utf-8")) or {}).get("authors", [])
    missing = [_name(a) for a in authors if not a.get("affiliation")]
    authorship = Benchmark(
        "Authorship",
        bool(authors) and not missing,
        "every author in CITATION.cff has a name and an affiliation"
        if authors and not missing
        else f"CITATION.cff names {', '.join(missing) or 'no one'} with no affiliation or credentials",
    )
    bib = len(ledger.bib_keys)
    attribution = Benchmark(
        "Attribution",
        bib > 0 and bool(citation.license),
        f"{bib} references in references.bib, each claim tied to one checked by the build, and the licence "
        f"{citation.license} in CITATION.cff"
        if bib and citation.license
        else "no reference list or no licence in CITATION.cff",
    )
    declared = declarations(root)
    disclosure = Benchmark(
        "Disclosure",
        bool(citation.authors) and bool(declared.get("funding")) and bool(declared.get("conflicts_of_interest")),
        f"maintainers named in CITATION.cff; funding: {declared['funding']}; conflicts of interest: "
        f"{declared['conflicts_of_interest']} ({MAINTAINERS_FILE})",
    )
    searched = research_searched(root)
    currency = Benchmark(
        "Currency",
        bool(citation.date_released) and searched != NOT_FOUND,
        f"released {citation.date_released}; research last searched {searched}; built {build_date()}",
    )
    return [authorship, attribution, disclosure, currency]


def _name(author: dict) -> str:
    return str(author.get("name") or " ".join(str(author.get(k, "")) for k in ("given-names", "family-names")))


def jama_table(root: Path, ledger: Ledger) -> pd.DataFrame:
    rows = [(b.name, "met" if b.met else "not met", b.why) for b in jama_self(root, ledger)]
    met = sum(b.met for b in jama_self(root, ledger))
    rows.append(("Benchmarks met", f"{met} of {len(rows)}", "the count data/RATING.md gives each page"))
    return pd.DataFrame(rows, columns=["Benchmark", "The book", "Why"])
