"""Every cache keys on every input it reads (issue 19, item 2): the validated ledger (brainbone.cache),
`make check`'s stored verdict (brainbone.check) and a chapter's fingerprint (brainbone.fingerprint)
change when any file they read changes, and stay when an unrelated file does."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from brainbone import layout
from brainbone.book import fingerprint
from brainbone.ledger import cache, catalog
from brainbone.tools import check

CHAPTER = "---\nkernelspec:\n  name: python3\nbrainbone:\n  reads: [claims]\n---\n\n# A chapter\n"


def ledger_key(root: Path) -> str:
    return cache.key(root)


def verdict_key(root: Path) -> str:
    return check.verdict_key(root)


def chapter_key(root: Path) -> str:
    return fingerprint.fingerprint(root, fingerprint.input_files(root, CHAPTER))


def touch(path: Path) -> None:
    """One more byte at the end of `path` (a file created with one line if it was missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n")


@pytest.fixture
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package that the keys read instead of the installed one, to edit freely."""
    copy = Path(
        shutil.copytree(
            layout.PACKAGE_DIR, tmp_path / "src" / "brainbone", ignore=shutil.ignore_patterns("__pycache__")
        )
    )
    monkeypatch.setattr(layout, "PACKAGE_DIR", copy)
    monkeypatch.setattr(fingerprint, "PACKAGE_DIR", copy)
    monkeypatch.setattr(check, "MODULE_FILE", copy / "tools/check.py")
    return copy


def ledger_inputs(root: Path) -> dict[str, Path]:
    """Each kind of input the ledger reads, by name."""
    inputs = {f"table {name}": root / file for name, file in catalog.table_files().items()}
    inputs |= {
        "a seed": root / "seeds/tiny.txt",
        "a seed not yet listed": root / "seeds/new-page.txt",
        "references.bib": root / layout.BIB_FILE,
        "the vocabulary": root / layout.VOCABULARY_FILE,
        "the checked snapshot": root / layout.CONTEXT_CHECKED_FILE,
    }
    return inputs


@pytest.mark.parametrize("key", [ledger_key, verdict_key], ids=["ledger cache", "check verdict"])
def test_the_ledger_and_check_keys_change_with_each_input(
    tiny_root: Path, package_copy: Path, key: Callable[[Path], str]
) -> None:
    # A vocabulary of its own, so that editing it edits this book's (not the installed checkout's).
    shutil.copy2(layout.vocabulary_file(tiny_root), tiny_root / layout.VOCABULARY_FILE)
    seen = {key(tiny_root)}
    for name, path in ledger_inputs(tiny_root).items():
        touch(path)
        new = key(tiny_root)
        assert new not in seen, f"the key did not change when {name} ({path.relative_to(tiny_root)}) changed"
        seen.add(new)
    for module in ("ledger/rules.py", "ledger/seeds.py", "ledger/reading.py", "appraisal/ratings.py", "errors.py"):
        touch(package_copy / module)
        new = key(tiny_root)
        assert new not in seen, f"the key did not change when the package's {module} changed"
        seen.add(new)


def test_the_check_verdict_key_changes_with_the_check_itself(tiny_root: Path, package_copy: Path) -> None:
    ledger, verdict = cache.key(tiny_root), check.verdict_key(tiny_root)
    touch(package_copy / "tools/check.py")
    assert (cache.key(tiny_root), check.verdict_key(tiny_root) != verdict) == (ledger, True)


@pytest.mark.parametrize(
    "key", [ledger_key, verdict_key, chapter_key], ids=["ledger cache", "check verdict", "chapter"]
)
def test_no_key_changes_with_what_it_does_not_read(
    tiny_root: Path, package_copy: Path, key: Callable[[Path], str]
) -> None:
    before = key(tiny_root)
    for path in (
        tiny_root / "README.md",
        tiny_root / "chapters/intro.md",
        tiny_root / "data/README.md",
        tiny_root / layout.BUILD_DIR / "html/index.html",
        package_copy / "sphinxext/render.py",
        package_copy / "tools/serve/server.py",
        package_copy / "tools/build.py",
        package_copy / "tools/pdf.py",
    ):
        touch(path)
        assert key(tiny_root) == before, f"the key changed when {path.name} changed"


@pytest.mark.parametrize("library", ["pandas", "pandera", "numpy"])
@pytest.mark.parametrize(
    "key", [ledger_key, verdict_key, chapter_key], ids=["ledger cache", "check verdict", "chapter"]
)
def test_every_key_changes_with_the_library_versions(
    tiny_root: Path, monkeypatch: pytest.MonkeyPatch, library: str, key: Callable[[Path], str]
) -> None:
    before = key(tiny_root)
    installed = cache._version
    monkeypatch.setattr(cache, "_version", lambda name: "99.0" if name == library else installed(name))
    assert key(tiny_root) != before


def test_a_chapter_key_changes_with_what_it_declares_and_the_package_only(tiny_root: Path, package_copy: Path) -> None:
    shutil.copy2(layout.vocabulary_file(tiny_root), tiny_root / layout.VOCABULARY_FILE)
    seen = {chapter_key(tiny_root)}
    for path in (tiny_root / "data/claims.csv", tiny_root / layout.VOCABULARY_FILE, package_copy / "book/tables.py"):
        touch(path)
        new = chapter_key(tiny_root)
        assert new not in seen, f"the chapter's key did not change when {path.name} changed"
        seen.add(new)
    for path in (tiny_root / "data/effects.csv", tiny_root / "seeds/tiny.txt", tiny_root / layout.BIB_FILE):
        touch(path)
        assert chapter_key(tiny_root) in seen, f"the chapter's key changed with {path.name}, which it does not read"


def test_a_seed_file_outside_the_seed_folder_that_sources_names_is_in_the_key(tiny_root: Path) -> None:
    sources = tiny_root / "data/sources.csv"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace("seeds/tiny.txt", "pages/tiny.html"), encoding="utf-8"
    )
    assert tiny_root / "pages/tiny.html" in cache.source_files(tiny_root)
    before = cache.key(tiny_root)
    touch(tiny_root / "pages/tiny.html")  # the missing file appears: the ledger's "does not exist" is stale
    assert cache.key(tiny_root) != before


def test_the_whats_new_page_is_read_again_after_a_commit_or_a_tag(tmp_path: Path) -> None:
    """The history changes with a commit or a tag, when no file the page reads changes."""
    import subprocess
    from types import SimpleNamespace

    from brainbone.sphinxext import whatsnew

    def git(*arguments: str) -> None:
        identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
        subprocess.run(["git", "-C", str(tmp_path), *identity, *arguments], capture_output=True, check=True)

    git("init", "-q")
    git("commit", "-q", "--allow-empty", "-m", "first")
    app = SimpleNamespace(config=SimpleNamespace(brainbone_root=str(tmp_path)), srcdir=str(tmp_path))
    env = SimpleNamespace(
        found_docs={"intro", "whats-new"}, metadata={"intro": {}, "whats-new": {whatsnew.SHOWS_HISTORY: True}}
    )

    def outdated() -> list[str]:
        return whatsnew.pages_showing_new_history(app, env, set(), set(), set())

    assert outdated() == ["whats-new"]  # first read
    assert outdated() == []  # nothing new
    git("commit", "-q", "--allow-empty", "-m", "second")
    assert outdated() == ["whats-new"]
    git("tag", "v1.0.0")
    assert outdated() == ["whats-new"]
    assert outdated() == []
