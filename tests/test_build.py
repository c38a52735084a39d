"""`make book` is atomic: _build/html is replaced only by a clean strict build; a failed one lists its
located errors and leaves the last good book readable."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bookutils import replace_in
from brainbone import build as atomic
from brainbone import serve

pytestmark = pytest.mark.slow  # three jupyter-book builds of a one-page book

CONFIG = """title: Atomic
only_build_toc_files: true
execute:
  execute_notebooks: "off"
"""
TOC = "format: jb-book\nroot: intro\n"
PAGE = "(intro)=\n# Intro\n\nFirst version. See {ref}`intro`.\n"


def make_book(tmp_path: Path) -> Path:
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (book / "_toc.yml").write_text(TOC, encoding="utf-8")
    (book / "intro.md").write_text(PAGE, encoding="utf-8")
    return book


def run_build(book: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "brainbone.build", "--root", str(book)]
    return subprocess.run(command, cwd=book, capture_output=True, text=True, timeout=600)


def test_a_failed_build_keeps_the_last_good_book_and_lists_its_errors(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    html = book / "_build" / "html" / "intro.html"

    first = run_build(book)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "First version." in html.read_text(encoding="utf-8")
    assert first.stdout.rstrip().splitlines()[-1].startswith(f"The book is built: {book / '_build/html/index.html'} (")
    good = atomic.last_good_build(book / "_build" / "html")
    assert good is not None

    replace_in(book / "intro.md", "First version. See {ref}`intro`.", "Broken version. See {ref}`no-such-label`.")
    failed = run_build(book)
    assert failed.returncode == 1
    closing = failed.stderr.rstrip().splitlines()
    assert closing[-2:] == [
        f"BUILD FAILED with 1 problem(s); {book / '_build/html'} still holds the last good build (finished {good}); "
        "it was not touched.",
        f"{book / 'intro.md'}:4: WARNING: undefined label: 'no-such-label'",
    ]
    assert "First version." in html.read_text(encoding="utf-8")  # the last good book, still readable
    assert "Broken version" in (book / "_build/staging/_build/html/intro.html").read_text(encoding="utf-8")
    assert not (book / "_build" / "html.new").exists() and not (book / "_build" / "html.old").exists()

    replace_in(book / "intro.md", "Broken version. See {ref}`no-such-label`.", "Fixed version. See {ref}`intro`.")
    fixed = run_build(book)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Fixed version." in html.read_text(encoding="utf-8")


def test_a_first_build_that_fails_says_there_is_no_good_build(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    replace_in(book / "intro.md", "{ref}`intro`", "{ref}`nowhere`")
    failed = run_build(book)
    assert failed.returncode == 1
    assert f"BUILD FAILED with 1 problem(s); There is no earlier good build in {book / '_build/html'}." in failed.stderr
    assert not (book / "_build" / "html").exists()


def test_located_problems_strips_colour_and_repeats() -> None:
    lines = [
        "\x1b[91m/b/intro.md:4: WARNING: undefined label: 'x' [ref.ref]\x1b[39;49;00m\n",
        "reading sources... [100%] intro\n",
        "/b/intro.md:4: WARNING: undefined label: 'x' [ref.ref]\n",
        "error: chapters/a.md read data/x.csv without declaring it\n",
    ]
    assert atomic.located_problems(lines) == [
        "/b/intro.md:4: WARNING: undefined label: 'x' [ref.ref]",
        "error: chapters/a.md read data/x.csv without declaring it",
    ]


def get(app, path: str) -> str:
    """One GET request straight to the ASGI app (starlette's TestClient needs another HTTP library)."""
    messages: list[dict] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8123")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8123),
    }

    async def call() -> None:
        requested, done = False, asyncio.Event()

        async def receive() -> dict:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()  # the client disconnects only once the response is complete
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            messages.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                done.set()

        await asyncio.wait_for(app(scope, receive, send), timeout=30)

    # In a thread of its own: the browser tests' Playwright (sync API) keeps an event loop running in
    # this thread for the whole session, and asyncio.run() refuses to start inside a running loop.
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(call())
        except BaseException as error:  # re-raised below, in the test's own thread
            failure.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    assert messages[0]["status"] == 200, messages[0]
    return b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body").decode("utf-8")


def test_the_preview_keeps_serving_the_last_good_build_with_a_banner(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    serve.write_conf(book, book / serve.SERVE_DIR)
    builder = serve.PreviewBuilder(book)
    assert builder() is True
    assert serve.read_problems(book) == []
    app = serve.create_app(book, builder, port=8123)
    page = get(app, "/intro.html")
    assert "First version." in page and serve.BANNER_CLASS not in page

    replace_in(book / "intro.md", "First version. See {ref}`intro`.", "Broken version. See {ref}`no-such-label`.")
    assert builder(changed_paths=[book / "intro.md"]) is False
    problem = f"{book / 'intro.md'}:4: WARNING: undefined label: 'no-such-label'"
    assert serve.read_problems(book) == [problem]
    page = get(app, "/intro.html")
    assert "First version." in page  # still the last good build
    assert serve.banner_html([problem]) in page
    assert 'new WebSocket("ws://127.0.0.1:8123/websocket-reload")' in page  # live reload still injected

    replace_in(book / "intro.md", "Broken version. See {ref}`no-such-label`.", "Fixed version. See {ref}`intro`.")
    assert builder(changed_paths=[book / "intro.md"]) is True
    page = get(app, "/intro.html")
    assert "Fixed version." in page and serve.BANNER_CLASS not in page
