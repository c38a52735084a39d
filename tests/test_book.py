"""The whole book: a strict build from a copy, quotes in both chapter and seed page, and every
chapter running top to bottom in a fresh kernel, from another working directory, with the same results."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import pytest
from bs4 import BeautifulSoup
from jupyter_cache import get_cache
from nbclient import NotebookClient

from bookutils import copy_book, jupyter_book_build
from brainbone import layout
from brainbone.layout import execute_settings
from brainbone.ledger.loader import load_ledger
from brainbone.ledger.seeds import collapse_whitespace
from brainbone.tools.execution import chapters, read_notebook

pytestmark = pytest.mark.slow

CLAIM_USE = re.compile(r"(?:```\{claim\}\s+|\{claim\}`)([a-z0-9-]+)")


def page_text(html_file: Path) -> str:
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    return collapse_whitespace(soup.get_text(" "))


def test_every_cited_excerpt_is_in_its_chapter_and_its_seed_page(built_book: Path) -> None:
    ledger = load_ledger(built_book).require_valid()
    html = built_book / "_build" / "html"
    cited = 0
    for chapter in sorted((built_book / "chapters").glob("*.md")):
        uses = CLAIM_USE.findall(chapter.read_text(encoding="utf-8"))
        if not uses:
            continue
        chapter_text = page_text(html / "chapters" / f"{chapter.stem}.html")
        for claim_id in uses:
            claim = ledger.claim(claim_id)
            excerpt = collapse_whitespace(claim.excerpt)
            assert excerpt in chapter_text, f"{claim_id} quoted in {chapter.name} but not in its HTML"
            seed_text = page_text(html / "chapters" / "seeds" / f"{claim.seed_id}.html")
            assert excerpt in seed_text, f"{claim_id} missing from the seed page of {claim.seed_id}"
            cited += 1
    assert cited >= len(ledger.sources), "every seed should be quoted at least once"


def test_every_seed_has_a_page_with_its_checksum(built_book: Path) -> None:
    ledger = load_ledger(built_book)
    for seed_id, source in ledger.sources.iterrows():
        text = page_text(built_book / "_build/html" / f"{layout.seed_docname(seed_id)}.html")
        assert source.sha256 in text


ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def _outputs(notebook) -> list[list[dict]]:
    """Code-cell outputs without execution counts, minus the hidden inputs cell. An object's
    default repr holds its memory address, which differs from run to run, so it is masked."""
    result = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or cell.source.startswith("# brainbone inputs:"):
            continue
        outputs = []
        for output in cell.get("outputs", []):
            output = dict(output)
            output.pop("execution_count", None)
            output.pop("metadata", None)
            outputs.append(json.loads(ADDRESS.sub(" at 0x…>", json.dumps(output, sort_keys=True))))
        result.append(outputs)
    return result


def test_chapters_run_in_a_fresh_kernel_from_any_directory_with_the_build_results(
    built_book: Path, tmp_path: Path
) -> None:
    cache = get_cache(str(execute_settings(built_book).cache_dir))
    paths = chapters(built_book)
    assert paths, "no executable chapters found"
    for path in paths:
        notebook = jupytext.read(path)  # exactly what Jupyter opens: no hidden cell
        NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
        built = cache.merge_match_into_notebook(read_notebook(built_book, path))[1]
        assert _outputs(notebook) == _outputs(built), f"{path.name}: fresh-kernel outputs differ from the build's"


def test_a_failing_cell_fails_the_build_at_its_chapter(tmp_path: Path) -> None:
    book = copy_book(tmp_path / "book")
    broken = book / "chapters" / "methods.md"
    broken.write_text(
        broken.read_text(encoding="utf-8")
        + "\n```{code-cell} ipython3\nraise ValueError('a deliberately failing cell')\n```\n",
        encoding="utf-8",
    )
    line = broken.read_text(encoding="utf-8").splitlines().index("raise ValueError('a deliberately failing cell')")
    result = jupyter_book_build(book)
    assert result.returncode != 0
    # The chapter, the cell's line and first line, and the exception: not only "CellExecutionError".
    assert result.stderr.rstrip().splitlines()[-1] == (
        f"error: chapters/methods.md:{line}: the cell that begins \"raise ValueError('a deliberately failing cell')\" "
        "raised ValueError: a deliberately failing cell"
    )


def test_a_changed_seed_fails_the_build_naming_the_file(tmp_path: Path) -> None:
    book = copy_book(tmp_path / "book")
    seed = sorted((book / "seeds").glob("*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nedited\n", encoding="utf-8")
    result = jupyter_book_build(book)
    log = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    assert result.returncode != 0
    # The executor stops first and prints the ledger's own problems before the chapters that fail on them.
    assert f"error: data/sources.csv:2: checksum mismatch for 'seeds/{seed.name}'" in log
    assert "[brainbone.checksum_mismatch]" in log
