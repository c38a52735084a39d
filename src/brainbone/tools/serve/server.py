"""`make serve`: a live preview of the book on http://127.0.0.1:8000, rebuilt when a chapter, the
ledger in data/, a seed or the package changes.

This process serves the last good build, watches the book and reloads the browser; the builds run
in a worker process that keeps Sphinx, the extensions and the package imported between them
(`brainbone.tools.serve.worker`), so that a prose edit shows in about two seconds instead of after a
new `sphinx-build` process. A change that is read only when the package or Sphinx starts (the
package's code, the configuration, data/, seeds/, the bibliography) gets a new worker instead.

Each rebuild is strict and goes into a staging folder; the served folder is updated only by a clean
build, so a failed build keeps the last good preview on screen, lists its located problems in the
terminal and shows them in a banner on every page until the next clean build."""

from __future__ import annotations

import argparse
import asyncio
import html
import multiprocessing
import os
from collections.abc import Iterable
from pathlib import Path

from brainbone import layout
from brainbone.layout import find_book_root
from brainbone.tools.build import count_phrase, ordered_report, split_problems
from brainbone.tools.serve.status import read_problems, write_status

HOST = "127.0.0.1"
PORT = 8000
SERVE_DIR = layout.SERVE_DIR  # doctrees, staging and served HTML of the preview; `make book` keeps _build/html
SERVED_DIR = f"{layout.SERVE_DIR}/html"  # the last clean preview build
BANNER_CLASS = "bb-build-failed"
# The watcher watches the whole book root (chapters/, data/, seeds/, src/, references.bib, _toc.yml)
# except these, which the build writes or never reads.
IGNORED = (
    layout.BUILD_DIR,
    layout.SEED_PAGES_DIR,
    ".venv-lab",
    "tests",
    "src/brainbone.egg-info",
    ".ipynb_checkpoints",
)
IGNORED_PATTERNS = (r"__pycache__", r"\.ipynb_checkpoints", r"\.(swp|swx|tmp)$", r"~$", r"/\.#")
DEBOUNCE_MS = 300  # changes saved within this time of each other make one rebuild (watchfiles' default: 1.6 s)


class BuildWorker:
    """This process's handle on the worker process that builds. `worker(changed_paths=...)` rebuilds,
    writes the build's problems for the banner, reports in the terminal and returns whether the build
    was clean. A change the running worker cannot take in gets a new worker."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._process = None
        self._connection = None

    def _start(self) -> None:
        from brainbone.tools.serve.worker import worker

        self.stop()
        context = multiprocessing.get_context("spawn")  # a new interpreter: the package imported anew
        self._connection, child = context.Pipe()
        self._process = context.Process(target=worker, args=(child, str(self.root)), daemon=True)
        self._process.start()
        child.close()

    def stop(self) -> None:
        if self._process is not None and self._process.is_alive():
            try:
                self._connection.send(None)
            except (OSError, ValueError):
                pass
            self._process.join(timeout=10)
            if self._process.is_alive():
                self._process.terminate()
        self._process = self._connection = None

    def __call__(self, *, changed_paths: Iterable[Path] = ()) -> bool:
        from brainbone.tools.serve.worker import needs_new_process

        changed = [Path(path) for path in changed_paths]
        if changed:
            print(f"[brainbone] changed: {', '.join(str(path) for path in changed[:5])}", flush=True)
        try:
            if self._process is None or not self._process.is_alive() or needs_new_process(self.root, changed):
                self._start()  # its first message is the result of its first build
            else:
                self._connection.send([str(path) for path in changed])
            ok, problems = self._connection.recv()
        except (EOFError, OSError) as error:
            self._process = self._connection = None
            ok, problems = (
                False,
                [f"error: the build process stopped ({type(error).__name__}); saving again restarts it"],
            )
            write_status(self.root, problems)  # otherwise the worker writes it, before the pages
        if ok:
            print(f"[brainbone] build ok; serving it on http://{HOST}", flush=True)
        else:
            served = "still serving the last good build" if has_good_build(self.root) else "no good build yet"
            print(
                *ordered_report(problems),
                f"[brainbone] BUILD FAILED: {count_phrase(*split_problems(problems))}; {served}",
                sep="\n",
                flush=True,
            )
        return ok


def has_good_build(root: Path) -> bool:
    return (Path(root) / SERVED_DIR / "index.html").is_file()


def banner_html(problems: list[str], *, good_build: bool = True) -> str:
    """The notice shown on every previewed page while the latest build has failed, root causes first;
    all text escaped."""
    roots, follow_on = split_problems(problems)
    items = "".join(f"<li>{html.escape(problem)}</li>" for problem in roots)
    items += "".join(f'<li style="opacity:.75">follow-on: {html.escape(problem)}</li>' for problem in follow_on)
    shown = "this is the last good build" if good_build else "there is no good build to show yet"
    return (
        f'<div role="alert" class="{BANNER_CLASS}" style="position:fixed;top:0;left:0;right:0;z-index:9999;'
        "max-height:40vh;overflow:auto;background:#8b0000;color:#fff;padding:.6rem 1rem;"
        'font:14px/1.4 sans-serif">'
        f"<strong>The latest build failed: {count_phrase(roots, follow_on)}; {shown}.</strong>"
        f'<ul style="margin:.3rem 0 0 1.2rem;padding:0">{items}</ul></div>'
    )


def placeholder_html(problems: list[str]) -> str:
    """The page served where the preview has none (no good build yet, or no such page), instead of a
    bare 404 without the banner: the banner is added to it like to every page."""
    if problems:
        text = (
            "The preview has no good build to show yet. Fix the problems above; the page reloads when a build succeeds."
        )
    else:
        text = "There is no page here: the first build is still running, or the book has no such page."
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Preview: no page yet</title></head>'
        f'<body style="font:16px/1.5 sans-serif;margin:45vh 2rem 0"><p>{html.escape(text)}</p></body></html>'
    )


class BannerMiddleware:
    """Appends the failed-build notice to every HTML page served, while the latest build has failed."""

    def __init__(self, app, root: Path):
        self.app = app
        self.root = Path(root)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.datastructures import MutableHeaders

        banner = b""

        async def send_wrapper(message) -> None:
            nonlocal banner
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                problems = read_problems(self.root)
                if problems and headers.get("Content-Type", "").startswith("text/html"):
                    banner = banner_html(problems, good_build=has_good_build(self.root)).encode("utf-8")
                    if "Content-Length" in headers:
                        headers["Content-Length"] = str(int(headers["Content-Length"]) + len(banner))
            elif message["type"] == "http.response.body" and banner and not message.get("more_body", False):
                message["body"] += banner
            await send(message)

        await self.app(scope, receive, send_wrapper)


def static_files(served: Path, root: Path):
    """The last good build, served as sphinx-autobuild serves it; a page that is not there gets
    `placeholder_html` (status 404, but HTML, so the banner and the live reload reach it)."""
    from starlette.exceptions import HTTPException
    from starlette.responses import HTMLResponse
    from starlette.staticfiles import StaticFiles

    class PreviewFiles(StaticFiles):
        async def get_response(self, path: str, scope):
            try:
                return await super().get_response(path, scope)
            except HTTPException as error:
                if error.status_code != 404:
                    raise
                return HTMLResponse(placeholder_html(read_problems(root)), status_code=404)

    return PreviewFiles(directory=served, html=True)


def watcher(root: Path, builder: BuildWorker):
    """sphinx-autobuild's watcher and live-reload socket, but each rebuild runs in a thread of this
    process that waits on the long-lived worker (sphinx-autobuild starts a process, and so a new
    Sphinx, per change)."""
    import watchfiles
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.server import RebuildServer

    class Watcher(RebuildServer):
        async def watch(self) -> None:
            async for changes in watchfiles.awatch(
                *self.paths, watch_filter=lambda _, path: not self.ignore(path), debounce=DEBOUNCE_MS
            ):
                changed_paths = [Path(path).resolve() for (_, path) in changes]
                await asyncio.to_thread(self.change_callback, changed_paths=changed_paths)
                self.flag.set()

    ignored = [root / ".git", root / ".venv", *(root / name for name in IGNORED)]
    return Watcher([root], IgnoreFilter(ignored, IGNORED_PATTERNS), change_callback=builder)


def create_app(root: Path, builder: BuildWorker, *, host: str = HOST, port: int = PORT):
    """The watcher, sphinx-autobuild's live-reload script and a static server of the last good build."""
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount, WebSocketRoute

    watch = watcher(root, builder)
    served = root / SERVED_DIR
    served.mkdir(parents=True, exist_ok=True)
    return Starlette(
        routes=[
            WebSocketRoute("/websocket-reload", watch, name="reload"),
            Mount("/", app=static_files(served, root), name="static"),
        ],
        middleware=[
            Middleware(JavascriptInjectorMiddleware, ws_url=f"{host}:{port}"),
            Middleware(BannerMiddleware, root=root),
        ],
        lifespan=watch.lifespan,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m brainbone.tools.serve.server", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=None, help="book root (default: found from here)")
    parser.add_argument("--port", type=int, default=PORT, help=f"port on {HOST} (default: {PORT})")
    args = parser.parse_args(argv)
    root = (args.root or find_book_root()).resolve()
    os.chdir(root)
    os.environ["BRAINBONE_ROOT"] = str(root)
    builder = BuildWorker(root)
    builder()  # the initial build; a failure still serves the last good one, with the banner
    print(f"Live preview of {root} on http://{HOST}:{args.port}/ (Ctrl+C stops it)", flush=True)
    import uvicorn

    try:
        uvicorn.run(create_app(root, builder, port=args.port), host=HOST, port=args.port, log_level="warning")
    finally:
        builder.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
