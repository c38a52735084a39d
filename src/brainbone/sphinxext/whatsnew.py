"""The `{whats-new}` directive: the living review's change log, made at build time from git by
`brainbone.ledger.history` (pure code); this module only turns its records into tables and sections."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

from brainbone.ledger import history as hist
from brainbone.sphinxext.render import dataframe_table
from brainbone.version import book_version, git


def _slug(text: str) -> str:
    return "whats-new-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def summary_frame(history: hist.History) -> pd.DataFrame:
    """One row per version, newest first: its date and how many rows of each kind it changed."""
    rows = [
        {"Version": changes.version.name, "Date": changes.version.date, **changes.counts()}
        for changes in reversed(history.versions)
    ]
    return pd.DataFrame(rows, columns=["Version", "Date", *hist.CHANGE_KINDS])


def claims_by_seed(claim_ids: list[str]) -> pd.DataFrame:
    """Claim ids grouped by their seed (the part before the number), so that a long list stays short."""
    groups: dict[str, list[str]] = {}
    for claim_id in claim_ids:
        groups.setdefault(claim_id.rsplit("-", 1)[0], []).append(claim_id)
    rows = [(seed, len(ids), ", ".join(ids)) for seed, ids in groups.items()]
    return pd.DataFrame(rows, columns=["Seed", "Claims", "Claim ids"])


def _paragraph(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text)


def version_section(changes: hist.VersionChanges) -> nodes.section:
    version = changes.version
    kind = "release" if version.is_tag else ("commit" if version.name != "unreleased" else "not yet released")
    title = f"{version.name} ({version.date})"
    section = nodes.section(ids=[_slug(version.name)])
    section += nodes.title(title, title)
    what = (
        f"The first version ({kind}): the ledger as it then stood."
        if changes.previous is None
        else f"Changes against {changes.previous.name} ({kind})."
    )
    section += _paragraph(what + f" Commit message: {version.subject}")
    counts = changes.counts()
    if not any(counts.values()):
        section += _paragraph("No claim, source or context row changed.")
        return section
    section += dataframe_table(
        pd.DataFrame([(k.capitalize(), v) for k, v in counts.items()], columns=["Change", "Rows"]),
        f"What {version.name} changed, in rows of the ledger",
    )
    if changes.claims_added:
        if changes.previous is None:
            section += _paragraph(f"All {len(changes.claims_added)} claims are new in this version.")
        else:
            caption = f"Claims added in {version.name} ({len(changes.claims_added)}), by seed"
            section += dataframe_table(claims_by_seed(changes.claims_added), caption)
    if changes.claims_removed:
        caption = f"Claims removed in {version.name} ({len(changes.claims_removed)}), by seed"
        section += dataframe_table(claims_by_seed(changes.claims_removed), caption)
    if changes.regraded:
        frame = pd.DataFrame(
            [(r.claim_id, f"{r.old} → {r.new}", r.reason) for r in changes.regraded],
            columns=["Claim", "Grade (old → new)", "Reason"],
        )
        section += dataframe_table(frame, f"Claims regraded in {version.name} ({len(frame)})")
    if changes.excerpts_changed:
        frame = pd.DataFrame(
            [(e.claim_id, e.old, e.new) for e in changes.excerpts_changed],
            columns=["Claim", "Old excerpt", "New excerpt"],
        )
        section += dataframe_table(frame, f"Excerpts changed in {version.name} ({len(frame)})")
    if changes.sources_added:
        frame = pd.DataFrame({"Seed": changes.sources_added})
        section += dataframe_table(frame, f"Sources added in {version.name} ({len(frame)})")
    if changes.context_changed:
        frame = pd.DataFrame(
            [(c.table, c.key, c.change) for c in changes.context_changed], columns=["Table", "Row", "Change"]
        )
        section += dataframe_table(frame, f"Context rows changed in {version.name} ({len(frame)})")
    return section


def history_nodes(history: hist.History) -> list[nodes.Node]:
    if history.unavailable:
        return [_paragraph(f"No history is available: {history.unavailable}. This is version {book_version()}.")]
    basis = (
        "Each version is a release (a git tag)."
        if history.by_tag
        else "The repository has no release tags yet, so each version is a commit that changed data/."
    )
    result: list[nodes.Node] = [
        _paragraph(f"{basis} The newest comes first; {len(history.versions)} version(s) in all."),
        dataframe_table(summary_frame(history), "Changes to the ledger, version by version (rows changed)"),
    ]
    if history.unreadable:
        result.append(_paragraph("Files not readable as CSV at that version: " + ", ".join(history.unreadable) + "."))
    result += [version_section(changes) for changes in reversed(history.versions)]
    return result


# In a page's metadata: the page shows the history, so a new commit or tag reads it again.
SHOWS_HISTORY = "brainbone-whats-new"
# On the environment, kept between builds: the commit and tags the history was last read at.
_GIT_STATE = "brainbone_git_state"


class WhatsNewDirective(SphinxDirective):
    """```{whats-new}``` renders every version's changes to the ledger, newest first."""

    def run(self) -> list[nodes.Node]:
        root = Path(self.config.brainbone_root or self.env.srcdir)
        for path in sorted((root / hist.DATA_DIR).glob("*.csv")):
            self.env.note_dependency(str(path))
        self.env.metadata[self.env.docname][SHOWS_HISTORY] = True
        return history_nodes(hist.ledger_history(root))


def git_state(root: Path) -> str | None:
    """The commit checked out and every tag: what the history depends on besides the files of data/."""
    head = git(root, "rev-parse", "HEAD")
    tags = git(root, "for-each-ref", "--format=%(objectname) %(refname)", "refs/tags")
    return None if head is None else f"{head}\n{tags or ''}"


def pages_showing_new_history(app: Sphinx, env, added: set, changed: set, removed: set) -> list[str]:
    """env-get-outdated: the pages that show the history, when a commit or a tag was made since they
    were read (no file they read changes then)."""
    state = git_state(Path(app.config.brainbone_root or app.srcdir))
    if getattr(env, _GIT_STATE, None) == state:
        return []
    setattr(env, _GIT_STATE, state)
    return sorted(doc for doc in env.found_docs if env.metadata.get(doc, {}).get(SHOWS_HISTORY))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("whats-new", WhatsNewDirective)
    app.connect("env-get-outdated", pages_showing_new_history)
    return {"version": book_version(), "parallel_read_safe": True, "parallel_write_safe": True}
