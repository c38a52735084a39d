"""What each chapter's outputs depend on, as a fingerprint the execution cache keys it on.

jupyter-cache keys a notebook on its code cells only (MyST-NB issue 299), so a change to `data/`,
`seeds/` or this package would leave stale outputs. Each chapter therefore gets one hidden code
cell, a comment holding the fingerprint of every file it reads. The Sphinx extension appends it
when MyST-NB reads the chapter, and the executor appends the same cell, so both key alike.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from brainbone import layout
from brainbone.book.frontmatter import READABLE, declared_reads, front_matter, is_cached, is_notebook
from brainbone.ledger import cache

INPUTS_MARKER = "# brainbone inputs:"
PACKAGE_DIR = layout.PACKAGE_DIR


def package_files(package_dir: Path | None = None) -> list[Path]:
    """The package's code, which every chapter calls; the Sphinx layer and the tools do not change what
    a chapter computes, so they do not invalidate it."""
    return layout.package_code(package_dir or PACKAGE_DIR)


def input_files(root: Path, text: str) -> list[Path]:
    """Every file a chapter's outputs depend on besides its code: what it declares, and the package
    with the vocabulary table, which the package reads on import."""
    files: list[Path] = []
    for name in declared_reads(text):
        path = root / READABLE[name]
        # A folder is read whole: every file in it, so that any change to one re-executes the reader.
        files.extend(sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path])
    return files + [layout.vocabulary_file(root)] + package_files()


def fingerprint(root: Path, files: list[Path]) -> str:
    """The hash of the libraries' versions (a chapter's tables are computed by pandas) and of the
    name and bytes of each file."""
    digest = hashlib.sha256(cache.library_versions().encode() + b"\0")
    for path in files:
        label = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        digest.update(label.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def inputs_cell(root: Path, text: str) -> str:
    """The hidden code cell appended to a chapter: its name is the fingerprint of its inputs."""
    reads = ",".join(declared_reads(text))
    return (
        "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
        f"{INPUTS_MARKER} {reads} sha256={fingerprint(root, input_files(root, text))}\n```\n"
    )


def prepare(root: Path, text: str) -> str:
    """The chapter text as the build reads it: unchanged prose, plus the inputs cell."""
    return text + inputs_cell(root, text) if is_notebook(text) else text


def relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def chapters(root: Path) -> list[Path]:
    """The chapters executed into the cache: notebooks that take their outputs from it."""
    folder = root / layout.CHAPTERS_DIR
    return sorted(p for p in folder.glob(layout.CHAPTER_GLOB) if is_cached(p.read_text(encoding="utf-8")))


def code_digest(text: str) -> str:
    """The digest of what the cache keys a chapter on, and more: its front matter and every
    code-cell fence (options and source), found as MyST-NB finds them; prose edits leave it as it is."""
    from markdown_it import MarkdownIt  # light, unlike myst_nb's reader (nbformat, jsonschema)

    digest = hashlib.sha256(json.dumps(front_matter(text), sort_keys=True, default=str).encode())
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "fence" and token.info.strip().startswith("{code-cell}"):
            digest.update(token.info.encode() + b"\0" + token.content.encode() + b"\0")
    return digest.hexdigest()


def chapter_digests(root: Path) -> dict[str, str]:
    """Each cached chapter's code digest, inputs cell included (see `code_digest`)."""
    return {
        relative(root, path): code_digest(prepare(root, path.read_text(encoding="utf-8"))) for path in chapters(root)
    }


__all__ = [
    "INPUTS_MARKER",
    "chapter_digests",
    "chapters",
    "code_digest",
    "fingerprint",
    "input_files",
    "inputs_cell",
    "package_files",
    "prepare",
]
