"""brainbone.layout is the one place for paths, anchors and links; the config files that cannot
import it agree with it, and no other module spells a path it owns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bookutils import ROOT
from brainbone import layout

PACKAGE = ROOT / "src" / "brainbone"


def test_the_toc_globs_the_generated_seed_pages() -> None:
    toc = yaml.safe_load((ROOT / layout.TOC_FILE).read_text(encoding="utf-8"))
    globs = [entry["glob"] for part in toc["parts"] for entry in part["chapters"] if "glob" in entry]
    assert globs == [f"{layout.SEED_PAGES_DIR}/*"]


@pytest.mark.parametrize("config", [".gitignore", "Makefile", "pyproject.toml"])
def test_config_files_name_the_generated_seed_pages_folder(config: str) -> None:
    assert layout.SEED_PAGES_DIR in (ROOT / config).read_text(encoding="utf-8")


# Literals that only brainbone.layout may spell: the generated folder, the cache, anchor formats.
OWNED = [r"chapters/seeds", r"\.jupyter_cache", r"f\"claim-\{", r"f\"seed-\{", r"f\"cite-\{", r"\"data/[a-z_]+\.csv\""]


@pytest.mark.parametrize("module", sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")))
def test_no_other_module_spells_a_path_the_layout_owns(module: str) -> None:
    if module == "layout.py":
        return
    text = (PACKAGE / module).read_text(encoding="utf-8")
    assert [pattern for pattern in OWNED if re.search(pattern, text)] == []


def test_links_and_anchors() -> None:
    assert layout.claim_href("nativepath", "nativepath-003", from_docname="chapters/explorer") == (
        "seeds/nativepath.html#claim-nativepath-003"
    )
    assert layout.claim_href("tiny", "tiny-001", from_docname="index") == "chapters/seeds/tiny.html#claim-tiny-001"
    assert layout.seed_docname("tiny") == "chapters/seeds/tiny"
    assert layout.seed_anchor("tiny") == "seed-tiny"
    assert layout.cite_anchor("tiny-001", 2) == "cite-tiny-001-2"
    assert layout.table_file("claims") == "data/claims.csv"


def test_execute_settings_come_from_the_config(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("execute:\n  cache: _build/cells\n  timeout: 7\n", encoding="utf-8")
    settings = layout.execute_settings(tmp_path)
    assert settings.cache_dir == tmp_path.resolve() / "_build/cells"
    assert settings.timeout == 7
    (tmp_path / "_config.yml").write_text("title: no execute block\n", encoding="utf-8")
    assert layout.execute_settings(tmp_path) == layout.ExecuteSettings(tmp_path.resolve() / "_build/.jupyter_cache", 30)


def test_the_books_own_execute_settings() -> None:
    config = yaml.safe_load((ROOT / layout.CONFIG_FILE).read_text(encoding="utf-8"))["execute"]
    settings = layout.execute_settings(ROOT)
    assert settings.cache_dir == ROOT.resolve() / config["cache"]
    assert settings.timeout == config["timeout"]


def test_find_book_root_from_a_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRAINBONE_ROOT", raising=False)
    (tmp_path / "data").mkdir()
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (tmp_path / "data/claims.csv").write_text("claim_id\n", encoding="utf-8")
    (tmp_path / "chapters").mkdir()
    assert layout.find_book_root(tmp_path / "chapters") == tmp_path.resolve()
    monkeypatch.setenv("BRAINBONE_ROOT", str(tmp_path / "elsewhere"))
    assert layout.find_book_root(tmp_path / "chapters") == (tmp_path / "elsewhere").resolve()


def test_explorer_href_from_a_chapter_and_from_the_root() -> None:
    assert layout.explorer_href(from_docname="chapters/associations", section="association") == (
        "explorer.html?section=association"
    )
    # Keys come out in the explorer's filter order, whatever order they are given in; values are URL-encoded.
    assert layout.explorer_href(from_docname="index", q="mice osteocalcin", seed="nativepath", topic="exercise") == (
        "chapters/explorer.html?topic=exercise&seed=nativepath&q=mice+osteocalcin"
    )
    assert layout.explorer_href(from_docname="chapters/seeds/nativepath") == "../explorer.html"


def test_explorer_href_names_an_unknown_filter_and_the_nearest() -> None:
    with pytest.raises(ValueError) as raised:
        layout.explorer_href(from_docname="chapters/x", sections="association")
    assert str(raised.value) == (
        "unknown explorer filter 'sections' (nearest: 'section'); expected one of: "
        "section, topic, seed, speaker, evidence, appraisal, commercial, context, q"
    )


def test_the_explorer_reads_every_query_key_that_layout_writes() -> None:
    from brainbone.book import explorer

    assert layout.EXPLORER_QUERY_KEYS == (*(key for key, _, _ in explorer.FILTERS), "q")
    assert explorer.EXPLORER_DOCNAME == layout.EXPLORER_DOCNAME
    assert 'params.get("q")' in explorer.SCRIPT  # the search box reads `q`
