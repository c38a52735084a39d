"""The What's new page: the history of data/ in a small git repository made here, version by version."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bookutils import TINY, replace_in
from brainbone.ledger import history as hist

CONTEXT_HEADER = "context_id,question,estimate\n"


def git(repo: Path, *arguments: str, date: str = "2026-01-01T00:00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    result = subprocess.run([*command, *arguments], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return result.stdout


def commit(repo: Path, message: str, date: str, tag: str | None = None) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    if tag:
        git(repo, "tag", tag, date=date)


def three_versions(tmp_path: Path, *, tags: bool = True) -> Path:
    """v0.1.0: the tiny ledger. v0.2.0: a claim and a seed added, one claim regraded (reason in the commit),
    one excerpt changed, two context rows. v0.3.0: a claim removed, one regraded with a reconciliation
    record, one context row changed and one removed. Then an unreleased commit that adds a claim."""
    repo = Path(shutil.copytree(TINY, tmp_path / "repo"))
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "The tiny ledger", "2026-01-01T00:00:00", "v0.1.0" if tags else None)

    claims = repo / "data/claims.csv"
    replace_in(claims, "false,unsupported,Numbered reference", "false,indirect,Numbered reference")
    replace_in(claims, "associated with 0.5% greater loss of hip BMD.", "associated with 0.5% greater loss of hip BMD")
    with claims.open("a", encoding="utf-8") as handle:
        handle.write(
            "tiny-005,tiny,Comments,background,exercise,none,none,none,article,none_stated,,false,indirect,x\n"
        )
    shutil.copy(repo / "seeds/tiny.txt", repo / "seeds/tiny2.txt")
    with (repo / "data/sources.csv").open("a", encoding="utf-8") as handle:
        line = (repo / "data/sources.csv").read_text(encoding="utf-8").splitlines()[1]
        handle.write(line.replace("tiny,seeds/tiny.txt", "tiny2,seeds/tiny2.txt") + "\n")
    (repo / "data/context_effects.csv").write_text(CONTEXT_HEADER + "ctx-1,q1,0.5\nctx-2,q2,0.7\n", encoding="utf-8")
    commit(
        repo, "Regrade tiny-001: the numbered reference is a review", "2026-02-01T00:00:00", "v0.2.0" if tags else None
    )

    lines = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    claims.write_text("".join(line for line in lines if not line.startswith("tiny-004,")), encoding="utf-8")
    replace_in(claims, "false,consistent,Matches the cited cohort.", "false,overstated,Matches the cited cohort.")
    (repo / "data/reconciliation.csv").write_text(
        "claim_id,field,coder_a,coder_b,resolved,reason\n"
        "tiny-002,appraisal,consistent,overstated,overstated,The cohort measured hip BMD only\n",
        encoding="utf-8",
    )
    (repo / "data/context_effects.csv").write_text(CONTEXT_HEADER + "ctx-1,q1,0.6\n", encoding="utf-8")
    commit(repo, "Second coding reconciled", "2026-03-01T00:00:00", "v0.3.0" if tags else None)

    with claims.open("a", encoding="utf-8") as handle:
        handle.write(
            "tiny-006,tiny,Comments,background,exercise,none,none,none,article,none_stated,,false,indirect,x\n"
        )
    commit(repo, "One more claim", "2026-04-01T00:00:00")
    return repo


def test_three_tagged_versions_and_the_unreleased_changes(tmp_path: Path) -> None:
    history = hist.ledger_history(three_versions(tmp_path))
    assert history.unavailable is None and history.by_tag
    assert [(c.version.name, c.version.date) for c in history.versions] == [
        ("v0.1.0", "2026-01-01"),
        ("v0.2.0", "2026-02-01"),
        ("v0.3.0", "2026-03-01"),
        ("unreleased", "2026-04-01"),
    ]
    counts = [tuple(c.counts().values()) for c in history.versions]
    #          added removed regraded excerpts sources context
    assert counts == [
        (4, 0, 0, 0, 1, 0),
        (1, 0, 1, 1, 1, 2),
        (0, 1, 1, 0, 0, 2),
        (1, 0, 0, 0, 0, 0),
    ]
    first, second, third, unreleased = history.versions
    assert first.previous is None and first.sources_added == ["tiny"]
    assert second.claims_added == ["tiny-005"] and second.sources_added == ["tiny2"]
    assert second.regraded == [
        hist.Regrade("tiny-001", "unsupported", "indirect", "Regrade tiny-001: the numbered reference is a review")
    ]
    assert [e.claim_id for e in second.excerpts_changed] == ["tiny-002"]
    assert second.excerpts_changed[0].new.endswith("hip BMD")
    assert third.claims_removed == ["tiny-004"]
    assert third.regraded == [hist.Regrade("tiny-002", "consistent", "overstated", "The cohort measured hip BMD only")]
    assert third.context_changed == [
        hist.ContextChange("context_effects.csv", "ctx-1", "changed"),
        hist.ContextChange("context_effects.csv", "ctx-2", "removed"),
    ]
    assert unreleased.claims_added == ["tiny-006"]


def test_without_tags_each_commit_that_changed_data_is_a_version(tmp_path: Path) -> None:
    repo = three_versions(tmp_path, tags=False)
    (repo / "notes.txt").write_text("not data\n", encoding="utf-8")
    commit(repo, "A commit outside data/", "2026-05-01T00:00:00")
    history = hist.ledger_history(repo)
    assert not history.by_tag
    assert [c.version.subject for c in history.versions] == [
        "The tiny ledger",
        "Regrade tiny-001: the numbered reference is a review",
        "Second coding reconciled",
        "One more claim",
    ]
    assert [len(c.version.name) for c in history.versions] == [7, 7, 7, 7]
    assert [c.counts()["claims regraded"] for c in history.versions] == [0, 1, 1, 0]


def test_no_history_in_a_copy_or_a_shallow_clone(tmp_path: Path) -> None:
    copy = Path(shutil.copytree(TINY, tmp_path / "copy"))
    assert hist.ledger_history(copy) == hist.History([], hist.NOT_A_CHECKOUT)
    repo = three_versions(tmp_path)
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True, capture_output=True
    )
    assert hist.ledger_history(shallow) == hist.History([], hist.SHALLOW)
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    assert hist.ledger_history(empty) == hist.History([], hist.NO_COMMITS)


def page(app) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")


def whats_new_app(make_app, tmp_path: Path, root: Path):
    srcdir = Path(shutil.copytree(Path(__file__).parent / "roots" / "test-claim-good", tmp_path / "src"))
    replace_in(srcdir / "index.rst", "Quotes\n======\n", "Quotes\n======\n\n.. whats-new::\n")
    app = make_app("html", srcdir=srcdir, confoverrides={"brainbone_root": str(root)})
    app.build()
    return app


@pytest.mark.parametrize("tags", [True, False])
def test_the_page_counts_every_change(make_app, tmp_path: Path, tags: bool) -> None:
    app = whats_new_app(make_app, tmp_path, three_versions(tmp_path, tags=tags))
    soup = page(app)
    summary = soup.select("table")[0]
    header = [th.get_text() for th in summary.select("thead th")]
    assert header == ["Version", "Date", *hist.CHANGE_KINDS]
    rows = [[td.get_text() for td in tr.select("td")][1:] for tr in summary.select("tbody tr")]
    assert rows == [
        ["2026-04-01", "1", "0", "0", "0", "0", "0"],
        ["2026-03-01", "0", "1", "1", "0", "0", "2"],
        ["2026-02-01", "1", "0", "1", "1", "1", "2"],
        ["2026-01-01", "4", "0", "0", "0", "1", "0"],
    ]
    names = [tr.select_one("td").get_text() for tr in summary.select("tbody tr")]
    if tags:
        assert names == ["unreleased", "v0.3.0", "v0.2.0", "v0.1.0"]
        tables = {t.caption.get_text().rstrip("¶"): t for t in soup.select("#whats-new-v0-3-0 table")}
        assert list(tables) == [
            "What v0.3.0 changed, in rows of the ledger",
            "Claims removed in v0.3.0 (1), by seed",
            "Claims regraded in v0.3.0 (1)",
            "Context rows changed in v0.3.0 (2)",
        ]
        removed = tables["Claims removed in v0.3.0 (1), by seed"]
        assert [td.get_text() for td in removed.select("tbody td")] == ["tiny", "1", "tiny-004"]
        regraded = tables["Claims regraded in v0.3.0 (1)"]
        assert [td.get_text() for td in regraded.select("tbody td")] == [
            "tiny-002",
            "consistent → overstated",
            "The cohort measured hip BMD only",
        ]
        assert "All 4 claims are new in this version." in soup.select_one("#whats-new-v0-1-0").get_text()


def test_the_page_without_history_says_so_and_warns_nothing(make_app, tmp_path: Path) -> None:
    app = whats_new_app(make_app, tmp_path, TINY)  # TINY is inside this checkout, not a checkout itself
    assert app._warning.getvalue() == ""
    text = " ".join(page(app).get_text().split())
    assert f"No history is available: {hist.NOT_A_CHECKOUT}." in text


def test_a_regrade_after_the_reconciliation_gives_the_reason_regrades_csv_records(tmp_path: Path) -> None:
    """tiny-002 was reconciled in v0.3.0; regraded later, its reason is data/regrades.csv's, not the older row's."""
    repo = three_versions(tmp_path)
    replace_in(
        repo / "data/claims.csv",
        "false,overstated,Matches the cited cohort.",
        "false,unsupported,Matches the cited cohort.",
    )
    (repo / "data/regrades.csv").write_text(
        "claim_id,field,before,after,rule,reason\n"
        "tiny-002,appraisal,overstated,unsupported,uncovered-detail,The women's ages are not among the checked facts\n",
        encoding="utf-8",
    )
    commit(repo, "Regrade by the covered rule", "2026-05-01T00:00:00")
    unreleased = hist.ledger_history(repo).versions[-1]
    assert unreleased.regraded == [
        hist.Regrade(
            "tiny-002",
            "overstated",
            "unsupported",
            "rule uncovered-detail: The women's ages are not among the checked facts",
        )
    ]
