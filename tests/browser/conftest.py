"""Browser fixtures: the built book served on 127.0.0.1, one headless Chromium per session, and
pages that record console errors, dialogs and every request that tries to leave the machine."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

# Debian's Chromium; BRAINBONE_CHROMIUM points elsewhere (another distribution, or a test of the skip).
CHROMIUM = Path(os.environ.get("BRAINBONE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = "sudo apt-get install chromium"
LOCAL_HOST = "127.0.0.1"
# Schemes that never touch the network; everything else must go to LOCAL_HOST.
OFFLINE_SCHEMES = {"data", "blob", "about"}
NOT_LOCAL = re.compile(r"^(?!(?:data|blob|about):)(?![a-z]+://127\.0\.0\.1(?:[:/]|$))", re.IGNORECASE)
REFRESH = re.compile(r'<meta http-equiv="refresh" content="\d+;\s*url=([^"]+)"\s*/?>', re.IGNORECASE)
REDIRECT_STUB_BYTES = 2000  # a redirect page is a few lines: doctype, title, the refresh and a link
MISSING_BROWSER_KEY = pytest.StashKey[str]()
FIGURES_KEY = pytest.StashKey[dict[str, str]]()


def missing_browser_message() -> str:
    return (
        f"BROWSER TESTS NOT RUN: {CHROMIUM} is missing. "
        f"Install Debian's Chromium with `{INSTALL_HINT}` (or run `make test` as root, which installs it)."
    )


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print the figures the browser and link checks measured."""
    for title, text in config.stash.get(FIGURES_KEY, {}).items():
        terminalreporter.write_sep("-", title)
        terminalreporter.write_line(text)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Repeat the missing-browser notice as the run's very last line, where nobody can miss it."""
    message = config.stash.get(MISSING_BROWSER_KEY, None)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if message and reporter is not None:
        reporter.write_sep("!", message, red=True, bold=True)


@pytest.fixture(scope="session")
def figures(request: pytest.FixtureRequest) -> dict[str, str]:
    """Measured figures (`figures[title] = text`), printed in the terminal summary."""
    return request.config.stash.setdefault(FIGURES_KEY, {})


# ---------------------------------------------------------------------------------------
# Serving the built HTML


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request, and records every error it answers with
    (the browser's own requests, such as /favicon.ico, are visible nowhere else)."""

    errors: list[str]  # set per server by serve()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        self.errors.append(f"HTTP {int(code)} for {urlsplit(self.path).path}")
        super().send_error(code, message, explain)

    def end_headers(self) -> None:
        # linkchecker's documented opt-in to more than 10 requests a second to one host.
        self.send_header("LinkChecker", "brainbone-tests")
        super().end_headers()


@dataclass
class Site:
    """The built book on a local port: `url("chapters/intro.html")` and the HTML pages it holds."""

    root: Path
    html: Path
    base: str
    errors: list[str] = field(default_factory=list)  # "HTTP 404 for /path", in the order served

    def take_errors(self) -> list[str]:
        """The errors served since the last call."""
        taken = list(self.errors)
        del self.errors[: len(taken)]
        return taken

    def url(self, page: str) -> str:
        return self.base + page

    def documents(self) -> list[str]:
        """Every HTML file of the book, discovered from the build (theme templates excluded)."""
        return sorted(
            path.relative_to(self.html).as_posix()
            for path in self.html.rglob("*.html")
            if not path.relative_to(self.html).parts[0].startswith("_")
        )

    def redirects(self) -> dict[str, str]:
        """Redirect stubs (the book's index.html), each with the page it sends the reader to."""
        found = {}
        for name in self.documents():
            text = (self.html / name).read_text(encoding="utf-8")
            match = REFRESH.search(text) if len(text) < REDIRECT_STUB_BYTES else None
            if match:
                found[name] = urljoin(name, match.group(1))
        return found

    def pages(self) -> list[str]:
        """Every page a reader sees: the documents less the redirect stubs."""
        redirects = self.redirects()
        return [name for name in self.documents() if name not in redirects]


@contextmanager
def serve(root: Path) -> Iterator[Site]:
    """Serve `root`/_build/html on 127.0.0.1 at a free port, in a thread, for the `with` block."""
    html = root / "_build" / "html"
    errors: list[str] = []
    handler = partial(type("Handler", (QuietHandler,), {"errors": errors}), directory=str(html))
    server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, html, f"http://{LOCAL_HOST}:{server.server_address[1]}/", errors)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site(request: pytest.FixtureRequest) -> Iterator[Site]:
    """The strictly built book, served on 127.0.0.1 at a free port. BRAINBONE_BUILT_BOOK=<book root>
    reuses a book already built there (a quick loop while writing these tests)."""
    reuse = os.environ.get("BRAINBONE_BUILT_BOOK")
    root = Path(reuse) if reuse else request.getfixturevalue("built_book")
    if not (root / "_build" / "html" / "index.html").is_file():
        pytest.fail(f"BRAINBONE_BUILT_BOOK={reuse}: no built book there (no _build/html/index.html)")
    if not (root / "_build" / "html" / "book.pdf").is_file():
        # `make book` prints the PDF that every page offers; the test build does the same.
        made = subprocess.run(
            [sys.executable, "-m", "brainbone.tools.pdf", "--root", str(root)],
            capture_output=True,
            text=True,
            timeout=900,
        )
        if made.returncode != 0:
            pytest.fail(f"make pdf failed ({made.returncode}):\n{made.stdout[-4000:]}\n{made.stderr[-4000:]}")
    with serve(root) as served:
        yield served


@pytest.fixture(scope="session")
def serve_book():
    """`with serve_book(root) as site:` serves another built copy of the book (e.g. a hostile one)."""
    return serve


# ---------------------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def chromium_executable(request: pytest.FixtureRequest) -> Path:
    """Debian's Chromium; a missing one fails under CI=true and skips, loudly, anywhere else."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = missing_browser_message()
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} CI=true, so a missing browser is a failure, never a skip.", pytrace=False)
    if MISSING_BROWSER_KEY not in request.config.stash:
        request.config.stash[MISSING_BROWSER_KEY] = message
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        if reporter is not None and capture is not None:
            with capture.global_and_fixture_disabled():  # said at once, not hidden in captured output
                reporter.write_line("")
                reporter.write_sep("!", message, red=True, bold=True)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser(chromium_executable: Path):
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_executable), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageLog:
    """What a page did that a reader would not want: errors, dialogs, requests off the machine."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clear(self) -> None:
        for values in (self.console_errors, self.page_errors, self.external_requests, self.dialogs):
            values.clear()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in OFFLINE_SCHEMES or parts.hostname == LOCAL_HOST


def open_page(browser, log: PageLog, **context_options):
    """A new page whose every request off 127.0.0.1 is recorded and blocked, and whose console
    errors, uncaught exceptions and dialogs are recorded (dialogs are dismissed)."""
    context = browser.new_context(service_workers="block", **context_options)

    def route(route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            log.external_requests.append(url)
            route.abort("blockedbyclient")

    # Only requests off the machine are intercepted: routing every request through Python is slow.
    context.route(NOT_LOCAL, route)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and log.console_errors.append(f"{message.text} ({message.location.get('url', '?')})")
        ),
    )
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("websocket", lambda socket: is_local(socket.url) or log.external_requests.append(socket.url))

    def dialog(dialog) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dialog)
    return page


DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def page_factory(browser) -> Callable[..., tuple[object, PageLog]]:
    """`page, log = page_factory(viewport=...)`: a recorded page; the caller closes its context."""

    def make(**context_options):
        log = PageLog()
        return open_page(browser, log, **{"viewport": DESKTOP, **context_options}), log

    return make


@pytest.fixture
def new_page(page_factory) -> Iterator[Callable[..., tuple[object, PageLog]]]:
    """Like `page_factory`, for one test: every page it opened is closed afterwards."""
    contexts = []

    def make(**context_options):
        page, log = page_factory(**context_options)
        contexts.append(page.context)
        return page, log

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser, page_log: PageLog):
    """A fresh desktop-sized page; `page_log` holds what it recorded."""
    page = open_page(browser, page_log, viewport=DESKTOP)
    yield page
    page.context.close()
