"""Facts for the "About this build" page: the commit, the build date, each seed's checksum, the counts."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

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
    claims = ledger.claims
    return {
        "seeds": len(ledger.sources),
        "claims": len(claims),
        "verified": int(claims["verified"].sum()) if len(claims) else 0,
        "effects": len(ledger.effects),
    }


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
