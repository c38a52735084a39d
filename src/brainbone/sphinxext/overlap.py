"""Read the pages that need no kernel while the executor runs the chapters, then the chapters.

`make book` (brainbone.tools.build) starts the executor and the Sphinx build at the same time, and names
a file in `layout.EXECUTOR_DONE_VARIABLE`. The build then reads every other page first (the seed
pages, About, What's new and the rest, in Sphinx's own order), and before it reads the first
executed chapter it waits until the executor has written that file: MyST-NB then finds each
chapter's outputs in the cache, as it does when the two steps run one after the other. Without the
variable (a plain `jupyter-book build`, `make serve`), nothing changes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError

from brainbone import layout
from brainbone.book.fingerprint import chapters
from brainbone.book.frontmatter import is_cached, is_notebook
from brainbone.sphinxext.domain import book_root

POLL_SECONDS = 0.05


def _done_file() -> Path | None:
    value = os.environ.get(layout.EXECUTOR_DONE_VARIABLE)
    return Path(value) if value else None


def executed_docnames(app: Sphinx) -> set[str]:
    """The docnames of the chapters the executor runs into the cache."""
    root, source = book_root(app.config, app.srcdir), Path(app.srcdir).resolve()
    return {path.resolve().relative_to(source).with_suffix("").as_posix() for path in chapters(root)}


def read_executed_chapters_last(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """env-before-read-docs: move the executed chapters to the end, keeping both groups' order."""
    if _done_file() is None:
        return
    executed = executed_docnames(app)
    docnames.sort(key=lambda name: name in executed)


def await_executor(app: Sphinx, docname: str, source: list[str]) -> None:
    """source-read: before an executed chapter is parsed, wait until the executor is done."""
    done = _done_file()
    if done is None or not (is_notebook(source[0]) and is_cached(source[0])):
        return
    while not done.exists():
        time.sleep(POLL_SECONDS)
    verdict = done.read_text(encoding="utf-8").strip()
    if verdict != layout.EXECUTOR_OK:
        raise ExtensionError(
            f"{docname}: the executor did not finish cleanly ({done} says {verdict!r}, expected "
            f"{layout.EXECUTOR_OK!r}); its errors are above"
        )


def setup(app: Sphinx) -> None:
    app.connect("env-before-read-docs", read_executed_chapters_last)
    app.connect("source-read", await_executor, priority=100)  # before MyST-NB or brainbone touch it
