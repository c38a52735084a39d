"""What changed in the ledger from one version of the book to the next, read from the git history of data/.

Pure code (git and csv, no Sphinx): `ledger_history(root)` returns one `VersionChanges` per version,
where a version is a release tag (`v0.2.0`) or, in a repository with no tags, each commit that
changed data/. It never raises: a copy that is not a git checkout, a shallow clone or a repository
with no commits gives a `History` whose `unavailable` says why.
"""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from brainbone import layout

DATA_DIR = layout.DATA_DIR
CLAIMS = layout.table_file("claims")
SOURCES = layout.table_file("sources")
RECONCILIATION = layout.table_file("reconciliation")
REGRADES = layout.table_file("regrades")
# The context layer's tables and the columns that identify one of their rows (brainbone.ledger.catalog
# declares context_effects' key; a verdict is one claim's answer to one question).
CONTEXT_TABLES = {
    layout.table_file("context_effects"): ("context_id",),
    layout.table_file("claim_context"): ("claim_id", "question"),
}
# Columns of data/reconciliation.csv that may hold the reason for a grade, in order of preference.
REASON_COLUMNS = ("reason", "reconciliation_reason", "resolution", "rationale", "note")
GRADE = "appraisal"
# What the page counts for each version, in its order.
CHANGE_KINDS = (
    "claims added",
    "claims removed",
    "claims regraded",
    "excerpts changed",
    "sources added",
    "context rows changed",
)

NOT_A_CHECKOUT = "this copy of the book is not a git checkout, so no history is available"
SHALLOW = "this copy of the book is a shallow git clone, so no history is available"
NO_COMMITS = "the repository has no commit that changed data/, so no history is available"


@dataclass(frozen=True)
class Version:
    """A release tag, or a commit when the repository has no tags."""

    name: str
    sha: str
    date: str  # YYYY-MM-DD, the commit date
    subject: str  # the commit message's first line
    is_tag: bool


@dataclass(frozen=True)
class Regrade:
    claim_id: str
    old: str
    new: str
    reason: str


@dataclass(frozen=True)
class ExcerptChange:
    claim_id: str
    old: str
    new: str


@dataclass(frozen=True)
class ContextChange:
    table: str
    key: str
    change: str  # "added", "removed" or "changed"


@dataclass
class VersionChanges:
    """What `version` changed against `previous` (None for the first version, whose rows are all new)."""

    version: Version
    previous: Version | None
    claims_added: list[str] = field(default_factory=list)
    claims_removed: list[str] = field(default_factory=list)
    regraded: list[Regrade] = field(default_factory=list)
    excerpts_changed: list[ExcerptChange] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    context_changed: list[ContextChange] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many rows of each kind (CHANGE_KINDS) this version changed."""
        found = (
            self.claims_added,
            self.claims_removed,
            self.regraded,
            self.excerpts_changed,
            self.sources_added,
            self.context_changed,
        )
        return {kind: len(rows) for kind, rows in zip(CHANGE_KINDS, found, strict=True)}


@dataclass
class History:
    versions: list[VersionChanges]  # oldest first
    unavailable: str | None = None
    by_tag: bool = False
    unreadable: list[str] = field(default_factory=list)  # "<sha>:<file>" that could not be parsed as CSV


# ---------------------------------------------------------------------------------------
# git


class _Git:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._files: dict[tuple[str, str], str | None] = {}

    def run(self, *arguments: str) -> str | None:
        try:
            result = subprocess.run(
                ["git", "-C", str(self.root), *arguments], capture_output=True, text=True, timeout=60
            )
        except (OSError, subprocess.TimeoutExpired):  # no git here, or it hangs
            return None
        return result.stdout if result.returncode == 0 else None

    def show(self, sha: str, path: str) -> str | None:
        """The file at that commit, or None if it did not exist there."""
        key = (sha, path)
        if key not in self._files:
            self._files[key] = self.run("show", f"{sha}:{path}")
        return self._files[key]

    def version(self, sha: str, name: str, is_tag: bool) -> Version:
        line = (self.run("log", "-1", "--format=%H%x09%cs%x09%s", sha) or "").rstrip("\n")
        full, date, subject = (line.split("\t", 2) + ["", "", ""])[:3]
        return Version(name, full or sha, date, subject, is_tag)


def _is_checkout(git: _Git) -> bool:
    top = git.run("rev-parse", "--show-toplevel")
    return top is not None and Path(top.strip()).resolve() == git.root.resolve()


def _versions(git: _Git) -> tuple[list[Version], bool]:
    """Release tags reachable from HEAD, oldest first, then HEAD if data/ changed after the last tag;
    without tags, every commit on HEAD's first-parent line that changed data/."""
    tags = (git.run("tag", "--merged", "HEAD", "--list", _tag_pattern()) or "").split()
    if tags:
        found = []
        for tag in tags:
            sha = (git.run("rev-list", "-n", "1", tag) or "").strip()
            when = (git.run("log", "-1", "--format=%ct", sha) or "0").strip()
            found.append((int(when or 0), tag, sha))
        versions = [git.version(sha, tag, True) for _, tag, sha in sorted(found)]
        head = (git.run("rev-parse", "HEAD") or "").strip()
        if (
            head
            and head != versions[-1].sha
            and git.run("diff", "--quiet", versions[-1].sha, head, "--", DATA_DIR) is None
        ):
            versions.append(
                Version("unreleased", head, git.version(head, "", False).date, "changes since the last release", False)
            )
        return versions, True
    log = git.run("log", "--first-parent", "--reverse", "--format=%H", "HEAD", "--", DATA_DIR) or ""
    return [git.version(sha, sha[:7], False) for sha in log.split()], False


def _tag_pattern() -> str:
    from brainbone.version import TAG_PREFIX

    return f"{TAG_PREFIX}[0-9]*"


# ---------------------------------------------------------------------------------------
# Tables at a version


def _rows(git: _Git, sha: str, path: str, key: tuple[str, ...], unreadable: list[str]) -> dict[str, dict[str, str]]:
    """The table's rows at that commit, by key; empty if the file did not exist or cannot be read."""
    text = git.show(sha, path)
    if text is None:
        return {}
    try:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
        rows = {}
        for row in reader:
            if not all(row.get(column) for column in key):
                continue
            rows[" / ".join(row[column] for column in key)] = {k: v for k, v in row.items() if k is not None}
        return rows
    except csv.Error:
        unreadable.append(f"{sha[:7]}:{path}")
        return {}


def _rows_at(git: _Git, sha: str, path: str, unreadable: list[str]) -> list[dict] | None:
    """The rows of the CSV file `path` at commit `sha`; None if it is absent there or unreadable (noted)."""
    text = git.show(sha, path)
    if text is None:
        return None
    try:
        return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error:
        unreadable.append(f"{sha[:7]}:{path}")
        return None


def _reason_from_regrades(git: _Git, sha: str, claim_id: str, new: str, unreadable: list[str]) -> str | None:
    """The rule and reason data/regrades.csv gives for the claim's grade becoming `new`: a regrade after the
    reconciliation, whose reason the reconciliation's older row would misstate."""
    rows = _rows_at(git, sha, REGRADES, unreadable)
    for row in rows or []:
        if row.get("claim_id") == claim_id and row.get("field") == GRADE and row.get("after") == new:
            return f"rule {row.get('rule')}: {row.get('reason')}"
    return None


def _reason_from_reconciliation(git: _Git, sha: str, claim_id: str, unreadable: list[str]) -> str | None:
    rows = _rows_at(git, sha, RECONCILIATION, unreadable)
    if rows is None:
        return None
    column = next((c for c in REASON_COLUMNS if rows and c in rows[0]), None)
    if column is None:
        return None
    matching = [row for row in rows if row.get("claim_id") == claim_id and row.get(column)]
    # A claim reconciled on several fields: prefer the row about its grade.
    about_grade = [row for row in matching if row.get("field") in (GRADE, None)]
    chosen = (about_grade or matching)[-1:] if matching else []
    return chosen[0][column] if chosen else None


def _reason_from_commits(git: _Git, previous: Version | None, version: Version, claim_id: str, new: str) -> str:
    """The subject of the newest commit (not a merge) up to `version` that gave the claim its new grade."""
    span = f"{previous.sha}..{version.sha}" if previous else version.sha
    for sha in (git.run("log", "--no-merges", "--format=%H", span, "--", CLAIMS) or "").split():
        parent = (git.run("rev-parse", f"{sha}^") or "").strip()
        after = _grade_at(git, sha, claim_id)
        before = _grade_at(git, parent, claim_id) if parent else None
        if after == new and before != new:
            return git.version(sha, "", False).subject
    return version.subject


def _grade_at(git: _Git, sha: str, claim_id: str) -> str | None:
    rows = _rows(git, sha, CLAIMS, ("claim_id",), [])
    return rows.get(claim_id, {}).get(GRADE)


def _changes(git: _Git, previous: Version | None, version: Version, unreadable: list[str]) -> VersionChanges:
    changes = VersionChanges(version, previous)
    old_claims = _rows(git, previous.sha, CLAIMS, ("claim_id",), unreadable) if previous else {}
    new_claims = _rows(git, version.sha, CLAIMS, ("claim_id",), unreadable)
    changes.claims_added = [c for c in new_claims if c not in old_claims]
    changes.claims_removed = [c for c in old_claims if c not in new_claims]
    for claim_id, row in new_claims.items():
        old = old_claims.get(claim_id)
        if old is None:
            continue
        if old.get(GRADE) != row.get(GRADE):
            reason = (
                _reason_from_regrades(git, version.sha, claim_id, row.get(GRADE) or "", unreadable)
                or _reason_from_reconciliation(git, version.sha, claim_id, unreadable)
                or _reason_from_commits(git, previous, version, claim_id, row.get(GRADE) or "")
            )
            changes.regraded.append(Regrade(claim_id, old.get(GRADE) or "", row.get(GRADE) or "", reason))
        if old.get("excerpt") != row.get("excerpt"):
            changes.excerpts_changed.append(ExcerptChange(claim_id, old.get("excerpt") or "", row.get("excerpt") or ""))
    old_sources = _rows(git, previous.sha, SOURCES, ("seed_id",), unreadable) if previous else {}
    changes.sources_added = [
        s for s in _rows(git, version.sha, SOURCES, ("seed_id",), unreadable) if s not in old_sources
    ]
    for path, key in CONTEXT_TABLES.items():
        old_rows = _rows(git, previous.sha, path, key, unreadable) if previous else {}
        new_rows = _rows(git, version.sha, path, key, unreadable)
        name = path.removeprefix(f"{DATA_DIR}/")
        for row_key, row in new_rows.items():
            if row_key not in old_rows:
                changes.context_changed.append(ContextChange(name, row_key, "added"))
            elif old_rows[row_key] != row:
                changes.context_changed.append(ContextChange(name, row_key, "changed"))
        changes.context_changed += [ContextChange(name, k, "removed") for k in old_rows if k not in new_rows]
    return changes


def ledger_history(root: Path) -> History:
    """Every version's changes to the ledger, oldest first, or why there is no history."""
    git = _Git(root)
    if not _is_checkout(git):
        return History([], NOT_A_CHECKOUT)
    if (git.run("rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return History([], SHALLOW)
    versions, by_tag = _versions(git)
    if not versions:
        return History([], NO_COMMITS)
    unreadable: list[str] = []
    result = [
        _changes(git, previous, version, unreadable)
        for previous, version in zip([None, *versions[:-1]], versions, strict=True)
    ]
    return History(result, None, by_tag, sorted(set(unreadable)))
