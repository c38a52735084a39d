"""Every use of another project's private API, pinned here and nowhere else.

The live preview (brainbone.tools.serve.server and its worker, brainbone.tools.serve.worker) reaches into
sphinx-autobuild, Sphinx and jupyter-book below their documented surface, and the executor
(brainbone.tools.executor) calls the jupyter-cache and MyST-NB helpers that MyST-NB itself calls. Each
test names one internal and checks the shape the code relies on, so an upgrade that changes it fails
here, by name, instead of in an editor's `make serve` or `make book`.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from bookutils import ROOT


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


# ---------------------------------------------------------------------------------------
# jupyter-book (brainbone.tools.serve.worker.sphinx_config)


def test_jupyter_book_get_final_config_gives_the_sphinx_configuration_of_a_book() -> None:
    """`jupyter_book.config.get_final_config(user_yaml=, cli_config=, sourcedir=)` -> (config, metadata):
    the worker builds with the configuration `jupyter-book build` would use."""
    from jupyter_book.config import get_final_config

    from brainbone.tools.serve.worker import sphinx_config

    assert parameters(get_final_config)[:4] == ["user_yaml", "cli_config", "sourcedir", "validate"]
    config = sphinx_config(ROOT)
    assert config["external_toc_path"] == "_toc.yml"
    assert "brainbone.sphinxext" in config["extensions"]
    assert config["nb_execution_mode"] == "cache"


# ---------------------------------------------------------------------------------------
# Sphinx (brainbone.tools.serve.worker.PreviewBuilder)


def test_sphinx_config_values_hold_each_option_with_its_shared_mutable_default() -> None:
    """`sphinx.config.Config.config_values[name].default`: the worker puts back the list and dict
    defaults that extensions append to, so that each new application starts as a new process does."""
    from sphinx.config import Config

    from brainbone.tools.serve.worker import _restore_defaults

    option = Config.config_values["templates_path"]
    assert option.default == []
    _restore_defaults()  # records the pristine defaults
    option.default.append("_by_an_extension")
    _restore_defaults()
    assert Config.config_values["templates_path"].default == []


@pytest.mark.slow  # a Sphinx build
def test_sphinx_builds_in_a_docutils_namespace_and_reports_its_status_and_documents(tmp_path: Path) -> None:
    """`sphinx.util.docutils.docutils_namespace()`, `patch_docutils(confdir)`, `Sphinx.statuscode` and
    `BuildEnvironment.path2doc`: one process builds many applications, each in a docutils namespace
    of its own, reads whether the build failed, and maps a warning's file to the page to re-read."""
    import io

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    assert parameters(patch_docutils) == ["confdir"]
    (tmp_path / "index.rst").write_text("Title\n=====\n\nText.\n", encoding="utf-8")
    for _ in range(2):  # a second application in the same process
        with patch_docutils(str(tmp_path)), docutils_namespace():
            app = Sphinx(
                srcdir=str(tmp_path),
                confdir=None,
                outdir=str(tmp_path / "out"),
                doctreedir=str(tmp_path / "doctrees"),
                buildername="dummy",
                confoverrides={"extensions": []},
                status=io.StringIO(),
                warning=io.StringIO(),
                freshenv=True,
                warningiserror=True,
                keep_going=True,
            )
            app.build()
        assert app.statuscode == 0
        assert app.env.path2doc(str(tmp_path / "index.rst")) == "index"


# ---------------------------------------------------------------------------------------
# sphinx-autobuild (brainbone.tools.serve.server.watcher and create_app)


def test_sphinx_autobuild_rebuild_server_keeps_what_the_watcher_overrides(tmp_path: Path) -> None:
    """`sphinx_autobuild.server.RebuildServer(paths, ignore_filter, change_callback)`, its `paths`,
    `ignore`, `change_callback`, `flag` and `lifespan`, and the `watch` coroutine the preview
    replaces (one long-lived worker instead of a process per change)."""
    from sphinx_autobuild.server import RebuildServer

    from brainbone.tools.serve.server import watcher

    assert parameters(RebuildServer.__init__) == ["self", "paths", "ignore_filter", "change_callback"]
    assert inspect.iscoroutinefunction(RebuildServer.watch)
    server = watcher(tmp_path, builder=lambda **_: None)
    assert isinstance(server, RebuildServer)
    assert server.paths == [tmp_path.resolve()]
    assert callable(server.change_callback) and hasattr(server.flag, "set") and callable(server.lifespan)
    assert type(server).watch is not RebuildServer.watch


def test_sphinx_autobuild_ignore_filter_takes_paths_and_patterns(tmp_path: Path) -> None:
    """`sphinx_autobuild.filter.IgnoreFilter(regular, regex_based)`, called with a path."""
    from sphinx_autobuild.filter import IgnoreFilter

    ignore = IgnoreFilter([tmp_path / "_build"], [r"__pycache__"])
    assert ignore(str(tmp_path / "_build" / "index.html"))
    assert ignore(str(tmp_path / "src" / "__pycache__" / "x.pyc"))
    assert not ignore(str(tmp_path / "chapters" / "intro.md"))


def test_sphinx_autobuild_javascript_injector_middleware_takes_the_socket_address() -> None:
    """`sphinx_autobuild.middleware.JavascriptInjectorMiddleware(app, ws_url)`: the reload script."""
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware

    assert parameters(JavascriptInjectorMiddleware.__init__) == ["self", "app", "ws_url"]


# ---------------------------------------------------------------------------------------
# jupyter-cache and MyST-NB helpers (brainbone.tools.executor), as MyST-NB calls them


def test_jupyter_cache_single_nb_execution_passes_kernel_options_to_nbclient() -> None:
    """`jupyter_cache.executors.utils.single_nb_execution(nb, cwd, timeout, allow_errors, meta_override,
    record_timing, **kwargs)`: the executor passes `extra_arguments`, `shutdown_kernel` and `config`
    through to nbclient's NotebookClient."""
    from jupyter_cache.executors.utils import single_nb_execution
    from nbclient import NotebookClient

    assert parameters(single_nb_execution) == [
        "nb",
        "cwd",
        "timeout",
        "allow_errors",
        "meta_override",
        "record_timing",
        "kwargs",
    ]
    for trait in ("extra_arguments", "shutdown_kernel"):
        assert NotebookClient.class_traits().get(trait) is not None, trait


def test_myst_nb_reads_a_myst_notebook_as_the_build_does() -> None:
    """`myst_nb.core.read.read_myst_markdown_notebook(text, config, add_source_map, path)`."""
    from myst_nb.core.read import read_myst_markdown_notebook

    assert {"add_source_map", "path"} <= set(parameters(read_myst_markdown_notebook))
    text = "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n# T\n\n```{code-cell} ipython3\n1 + 1\n```\n"
    notebook = read_myst_markdown_notebook(text, add_source_map=True, path="x.md")
    assert [cell.cell_type for cell in notebook.cells] == ["markdown", "code"]
