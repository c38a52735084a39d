"""`make serve` as an editor meets it: a server on a free port, a saved edit that shows in the page,
and a broken edit that keeps the last good page served, with its located error in the terminal and
in a banner."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

import pytest

from bookutils import one_page_book, replace_in
from brainbone.tools.serve import server as serve
from brainbone.tools.serve.worker import needs_new_process


def make_book(tmp_path: Path) -> Path:
    return one_page_book(tmp_path / "book", "Preview")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (URLError, OSError):
        return ""  # not up yet


def wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Server:
    """`python -m brainbone.tools.serve.server` on a free port, its terminal output kept line by line."""

    def __init__(self, book: Path) -> None:
        self.port = free_port()
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "brainbone.tools.serve.server", "--root", str(book), "--port", str(self.port)],
            cwd=book,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def page(self, path: str) -> str:
        return fetch(f"http://127.0.0.1:{self.port}/{path}")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.reader.join(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.mark.slow  # a server and a few Sphinx builds of a one-page book
def test_the_server_shows_an_edit_and_keeps_the_last_good_page_when_an_edit_breaks(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    server = Server(book)
    try:
        wait_for(lambda: "First version." in server.page("intro.html"), "the first build")

        replace_in(book / "intro.md", "First version.", "Second version.")
        wait_for(lambda: "Second version." in server.page("intro.html"), "the edit to show")
        assert serve.BANNER_CLASS not in server.page("intro.html")

        replace_in(book / "intro.md", "Second version. See {ref}`intro`.", "Broken version. See {ref}`no-such-label`.")
        problem = f"{book / 'intro.md'}:4: WARNING: undefined label: 'no-such-label'"
        failed = "[brainbone] BUILD FAILED: 1 root cause, 0 follow-on problems; still serving the last good build"
        wait_for(lambda: failed in server.lines, "the failure")
        assert server.lines[server.lines.index(failed) - 2 :][:2] == ["Root causes (fix these first):", f"  {problem}"]
        page = server.page("intro.html")
        assert "Second version." in page and "Broken version." not in page  # still the last good build
        assert serve.banner_html([problem]) in page
        assert f'new WebSocket("ws://127.0.0.1:{server.port}/websocket-reload")' in page  # live reload

        replace_in(book / "intro.md", "Broken version. See {ref}`no-such-label`.", "Fixed version. See {ref}`intro`.")
        wait_for(lambda: "Fixed version." in server.page("intro.html"), "the fix to show")
        assert serve.BANNER_CLASS not in server.page("intro.html")
    finally:
        server.stop()


@pytest.mark.slow  # a server and a Sphinx build of a one-page book
def test_before_its_first_good_build_the_preview_shows_the_banner_not_a_bare_404(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    replace_in(book / "intro.md", "{ref}`intro`", "{ref}`nowhere`")
    server = Server(book)
    problem = f"{book / 'intro.md'}:4: WARNING: undefined label: 'nowhere'"
    try:
        failed = "[brainbone] BUILD FAILED: 1 root cause, 0 follow-on problems; no good build yet"
        wait_for(lambda: failed in server.lines, "the first build to fail")
        wait_for(lambda: serve.BANNER_CLASS in fetch_even_an_error(server, "intro.html")[1], "the server")
        status, page = fetch_even_an_error(server, "intro.html")
        assert status == 404
        assert serve.placeholder_html([problem]).removesuffix("</body></html>") in page
        assert serve.banner_html([problem], good_build=False) in page
        assert (
            "The latest build failed: 1 root cause, 0 follow-on problems; there is no good build to show yet." in page
        )
        assert f'new WebSocket("ws://127.0.0.1:{server.port}/websocket-reload")' in page  # it reloads when fixed
    finally:
        server.stop()


def fetch_even_an_error(server: Server, path: str) -> tuple[int, str]:
    """The status and body of a page, a 404 included."""
    try:
        with urlopen(f"http://127.0.0.1:{server.port}/{path}", timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except (URLError, OSError):
        return 0, ""


def test_a_change_read_only_when_sphinx_starts_gets_a_new_build_process(tmp_path: Path) -> None:
    root = tmp_path
    assert not needs_new_process(root, [root / "chapters" / "methods.md", root / "chapters" / "figure.svg"])
    for path in ("src/brainbone/book/figures.py", "data/claims.csv", "seeds/a.txt", "_config.yml", "_toc.yml"):
        assert needs_new_process(root, [root / "chapters" / "methods.md", root / path]), path
    assert needs_new_process(root, [root / "references.bib"])
    assert needs_new_process(root, [tmp_path.parent / "elsewhere.md"])
