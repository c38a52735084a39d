"""The build side of `make serve`: a worker process that keeps Sphinx, the extensions and the package
imported between rebuilds, so that a prose edit costs the re-read of one page, not a new process.

Each rebuild is a new Sphinx application made from the pickled environment (about half a second):
one application rebuilt twice numbers the chapters on from where its last build stopped
(sphinx_multitoc_numbering's state), so Methods became chapter 7.

`brainbone.tools.serve.server` starts `worker` in a process of its own and sends it the changed paths; a change
that an imported package cannot take in (its code, `_config.yml`, `_toc.yml`, data/, seeds/, the
bibliography: read when the package is imported or when the extension loads the ledger) gets a new
worker process instead. Each build is strict (`-W -n --keep-going`) and goes into a staging folder;
only a clean build is copied to the served folder. After a failed build the next one re-reads the
pages that warned, since Sphinx does not repeat the warnings of pages it does not read.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import time
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from brainbone import layout
from brainbone.tools.build import located_problems, run_and_echo, sync_tree
from brainbone.tools.serve.status import write_status

STAGING = "staging"  # under layout.SERVE_DIR: Sphinx's output, good or not
SERVED = "html"  # under layout.SERVE_DIR: a copy of the last clean build, what the server serves
DOCTREES = "doctrees"
# Under layout.SERVE_DIR: what the next build must read again, kept across worker processes: a list
# of docnames, or "all" (no build has finished cleanly here, or the last one stopped half-way).
REREAD_FILE = "reread.json"
REREAD_ALL = "all"
# Changed paths (relative to the book root) that a running application cannot take in.
NEEDS_NEW_PROCESS_DIRS = ("src", layout.DATA_DIR, layout.SEEDS_DIR)
NEEDS_NEW_PROCESS_FILES = ("_config.yml", "_toc.yml", layout.BIB_FILE)
_LOCATION = re.compile(r"^(?P<path>/[^:]+?):(?:\d+:)? (?:WARNING|ERROR|CRITICAL): ")


def needs_new_process(root: Path, changed_paths: Iterable[Path]) -> bool:
    """Whether any changed path is read only when a Sphinx application (or the package) starts."""
    for path in changed_paths:
        path = Path(path)
        if path.suffix == ".py" or not path.is_relative_to(root):
            return True
        relative = path.relative_to(root)
        if relative.as_posix() in NEEDS_NEW_PROCESS_FILES or relative.parts[0] in NEEDS_NEW_PROCESS_DIRS:
            return True
    return False


def sphinx_config(root: Path) -> dict:
    """The Sphinx configuration `jupyter-book build` uses for this book (`jupyter-book config sphinx`)."""
    from jupyter_book.config import get_final_config

    config, _ = get_final_config(
        user_yaml=root / "_config.yml",
        cli_config={"external_toc_path": "_toc.yml", "latex_individualpages": False},
        sourcedir=root,
    )
    return copy.deepcopy(config)  # extensions may change its lists; the next application starts anew


# Sphinx's own defaults, as a new process has them; see `_restore_defaults`.
_PRISTINE_DEFAULTS: dict[str, Any] = {}


def _restore_defaults() -> None:
    """Put back Sphinx's mutable default values as a new process has them. They are shared by every
    application in a process, and extensions append to them in setup() (sphinx-book-theme to
    `templates_path`), so each new application would see them longer, and a changed configuration
    hash, which makes Sphinx write every page again."""
    from sphinx.config import Config

    for name, option in Config.config_values.items():
        if isinstance(option.default, (list, dict)):
            if name not in _PRISTINE_DEFAULTS:
                _PRISTINE_DEFAULTS[name] = copy.deepcopy(option.default)
                continue
            pristine = copy.deepcopy(_PRISTINE_DEFAULTS[name])
            option.default.clear()
            if isinstance(option.default, dict):
                option.default.update(pristine)
            else:
                option.default.extend(pristine)


class _Tee:
    """Sphinx's warning stream: echoed to stderr, and kept to find the located problems."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._partial = ""

    def write(self, text: str) -> int:
        sys.stderr.write(text)
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        self.lines += lines
        return len(text)

    def flush(self) -> None:
        sys.stderr.flush()

    def isatty(self) -> bool:
        return False

    def take(self) -> list[str]:
        lines, self.lines = self.lines + ([self._partial] if self._partial else []), []
        self._partial = ""
        return lines


class PreviewBuilder:
    """Executes stale chapters, then rebuilds the preview incrementally: publishes clean builds,
    reports the located problems of the others."""

    def __init__(self, root: Path, python: str = sys.executable) -> None:
        self.root = Path(root).resolve()
        self.python = python
        self.serve_dir = self.root / layout.SERVE_DIR
        self.app: Any = None
        self._namespace: ExitStack | None = None
        self._warnings = _Tee()
        self._reread: set[str] = set()

    # The pages to read again, kept on disk for the next worker process.
    def _load_reread(self) -> str | list[str]:
        try:
            value = json.loads((self.serve_dir / REREAD_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return REREAD_ALL
        return value if value == REREAD_ALL or isinstance(value, list) else REREAD_ALL

    def _save_reread(self, value: str | list[str]) -> None:
        self.serve_dir.mkdir(parents=True, exist_ok=True)
        (self.serve_dir / REREAD_FILE).write_text(json.dumps(value), encoding="utf-8")

    def _new_app(self, *, fresh: bool) -> None:
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        self.close()
        _restore_defaults()
        # Each application registers its directives and roles in docutils' globals; a namespace of its
        # own keeps a second application from warning that they are registered already.
        self._namespace = ExitStack()
        self._namespace.enter_context(patch_docutils(str(self.root)))
        self._namespace.enter_context(docutils_namespace())
        self.app = Sphinx(
            srcdir=str(self.root),
            confdir=None,  # jupyter-book's way: no conf.py, the configuration from _config.yml
            outdir=str(self.serve_dir / STAGING),
            doctreedir=str(self.serve_dir / DOCTREES),
            buildername="html",
            confoverrides={**sphinx_config(self.root), "nitpicky": True},  # -n
            status=sys.stdout,
            warning=self._warnings,
            freshenv=fresh,
            warningiserror=True,  # -W, with keep_going: every warning reported, then the build fails
            keep_going=True,
        )
        # sphinx_multitoc_numbering is in jupyter-book's extensions already, so build_sphinx's extra
        # setup_extension of it would change nothing here.
        self.app.connect("env-get-outdated", self._outdated)

    def _outdated(self, app: Any, env: Any, added: set, changed: set, removed: set) -> list[str]:
        return sorted(self._reread & set(env.found_docs))

    def close(self) -> None:
        if self._namespace is not None:
            self._namespace.close()
        self.app, self._namespace = None, None

    def _docname(self, problem: str) -> str | None:
        match = _LOCATION.match(problem)
        if not match or self.app is None:
            return None
        return self.app.env.path2doc(match["path"])

    def _sphinx_build(self) -> tuple[bool, list[str]]:
        reread = self._load_reread()
        self._save_reread(REREAD_ALL)  # until this build finishes
        self._warnings.take()
        try:
            # With no clean build known here, every page is read again; after a failed one, the pages
            # that warned (a new application repeats the ledger's problems, which name no page).
            self._new_app(fresh=reread == REREAD_ALL)
            self._reread = {name for name in reread if name} if isinstance(reread, list) else set()
            self.app.build()
            status = self.app.statuscode
        except Exception as error:  # an extension that raised: report it, start afresh next time
            self.close()
            lines = [*self._warnings.take(), f"error: the build stopped: {type(error).__name__}: {error}"]
            return False, located_problems(lines)
        problems = located_problems(self._warnings.take())
        if status == 0 and not problems:
            self._save_reread([])
            return True, []
        docnames = {self._docname(problem) for problem in problems} or {None}
        self._save_reread(sorted(docnames, key=str))
        return False, problems or [f"error: the build exited with {status}"]

    def _execute(self) -> tuple[int, list[str]]:
        """Execute the stale chapters into the cache; nothing to import or start when none is stale."""
        from brainbone.tools import execution

        try:
            stale = execution.stale_chapters(self.root, layout.execute_settings(self.root).cache_dir)
        except ValueError as error:
            return 2, [f"error: {error}"]
        if not stale:
            return 0, []
        command = [self.python, "-m", "brainbone.tools.execution", "--root", str(self.root)]
        return run_and_echo(command, self.root, print)

    def __call__(self, *, changed_paths: Iterable[Path] = ()) -> tuple[bool, list[str]]:
        started = time.perf_counter()
        status, lines = self._execute()
        if status != 0:
            ok, problems = False, located_problems(lines) or [f"error: the executor exited with {status}"]
        else:
            ok, problems = self._sphinx_build()
        # The banner's problems first, then the pages: a page of the new build never shows the old banner.
        write_status(self.root, problems)
        if ok:
            sync_tree(self.serve_dir / STAGING, self.serve_dir / SERVED)
            print(f"[brainbone] build ok in {time.perf_counter() - started:.1f} s", flush=True)
        return ok, problems


def worker(connection: Any, root: str) -> None:
    """A worker process: build once, answer with (ok, problems), then once per list of changed paths
    received, until it receives None."""
    builder = PreviewBuilder(Path(root))
    try:
        connection.send(builder())
        # What the first page read needs and a build that read nothing did not import (0.3-0.5 s).
        import jupyter_cache.cache.main  # noqa: F401 - SQLAlchemy

        while (changed := connection.recv()) is not None:
            connection.send(builder(changed_paths=[Path(p) for p in changed]))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        pass  # the server stopped
    finally:
        builder.close()


__all__ = ["PreviewBuilder", "needs_new_process", "sphinx_config", "worker"]
