"""`make bench`: how long the book takes to build, rebuild and check; a table, and _build/bench.json.

Everything runs on copies of the book in a temporary folder, never in the working tree's _build.
Every figure is measured in this run, on this machine; times are medians over `--repeats` runs.
The serial model is Jupyter Book's own design, from figures measured here: one build that executes
nothing (all outputs cached), plus, for each executed chapter, a fresh kernel that starts and runs
that chapter's import statements, one chapter after another, as MyST-NB does.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))  # tests/, for the helper that copies the book

from synthetic_corpus import replicate  # noqa: E402

from bookutils import copy_book  # noqa: E402
from brainbone import layout  # noqa: E402
from brainbone.tools.execution import chapters, declared_reads, is_notebook, read_notebook  # noqa: E402

BIN = Path(sys.executable).parent
CHECK = [sys.executable, "-m", "brainbone.tools.check"]
EXECUTE = [sys.executable, "-m", "brainbone.tools.execution"]
BUILD = [str(BIN / "jupyter-book"), "build", "-W", "-n", "--keep-going", "."]
# A cold `make book`: brainbone.tools.build runs the executor, then `jupyter-book build --all`.
MAKE_BOOK_COMMAND = [sys.executable, "-m", "brainbone.tools.build", "--root", "."]
MAKE_BOOK = "python -m brainbone.tools.build (execution, then jupyter-book build --all -W -n --keep-going)"
MAKE_BOOK_INCREMENTAL = "execution + jupyter-book build -W -n --keep-going (no --all)"
PAGE_LIMIT = 500_000


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Build:
    """One run of the `make book` steps on a copy: the time of each step and what it did."""

    check_s: float = 0.0
    execute_s: float = 0.0
    build_s: float = 0.0
    executed: int = 0  # chapters executed by brainbone.tools.execution, plus any MyST-NB executed itself
    pages_read: list[str] = field(default_factory=list)
    ok: bool = True
    log: str = ""

    @property
    def seconds(self) -> float:
        return self.check_s + self.execute_s + self.build_s


class Book:
    """A copy of the book to build, with the environment every step sees."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {**os.environ, "BRAINBONE_ROOT": str(root)}

    def run(self, command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
        started = time.perf_counter()
        result = subprocess.run(command, cwd=self.root, env=self.env, capture_output=True, text=True, timeout=1800)
        return time.perf_counter() - started, result

    def clean(self) -> None:
        shutil.rmtree(self.root / "_build", ignore_errors=True)
        shutil.rmtree(self.root / layout.SEED_PAGES_DIR, ignore_errors=True)  # generated at build time

    def make_book(self) -> Build:
        """`make book` without its PDF step: the executor, then the strict build."""
        run = Build()
        run.build_s, result = self.run([*MAKE_BOOK_COMMAND[:-1], str(self.root)])
        run.ok = result.returncode == 0
        run.executed = len(re.findall(r"^executed chapters/", result.stdout, flags=re.M))
        _read_build_output(run, result)
        return run

    def build(self, *, check: bool = False, execute: bool = True, all_pages: bool = True) -> Build:
        """The `make book` steps (the build itself validates the ledger, so `make check` is not one of
        them); with all_pages=False, the incremental build an editor's loop runs."""
        run = Build()
        if check:
            run.check_s, result = self.run(CHECK + ["--root", str(self.root)])
            run.ok &= result.returncode == 0
            run.log += result.stdout + result.stderr
        if execute:
            run.execute_s, result = self.run(EXECUTE + ["--root", str(self.root)])
            run.ok &= result.returncode == 0
            run.executed += len(re.findall(r"^executed chapters/", result.stdout, flags=re.M))
            run.log += result.stdout + result.stderr
        command = BUILD[:2] + ["--all"] + BUILD[2:] if all_pages else BUILD
        run.build_s, result = self.run(command)
        run.ok &= result.returncode == 0
        _read_build_output(run, result)
        return run


def _read_build_output(run: Build, result: subprocess.CompletedProcess[str]) -> None:
    """What a jupyter-book build printed: the notebooks MyST-NB executed itself and the pages it read."""
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    run.executed += output.count("Executing notebook")
    run.pages_read = re.findall(r"^reading sources\.\.\. \[[ 0-9]+%\] (\S+)", output, flags=re.M)
    run.log += output


# ---------------------------------------------------------------------------------------
# The serial model: a kernel per chapter, started and running the chapter's imports


def chapter_imports(root: Path, path: Path) -> str:
    """The import statements of a chapter's code cells, in order (IPython magics skipped)."""
    statements: list[str] = []
    for cell in read_notebook(root, path).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom) and ast.unparse(node) not in statements:
                statements.append(ast.unparse(node))
    return "\n".join(statements)


def kernel_seconds(root: Path, path: Path, code: str) -> float:
    """Start a python3 kernel in the chapter's folder, run `code`, shut it down: the way MyST-NB
    executes a chapter (jupyter-cache's single_nb_execution, default kernel options)."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    notebook.cells = [nbformat.v4.new_code_cell(code)]
    os.environ["BRAINBONE_ROOT"] = str(root)
    started = time.perf_counter()
    result = single_nb_execution(notebook, cwd=str(path.parent), timeout=300, allow_errors=False)
    seconds = time.perf_counter() - started
    if result.err is not None:
        raise RuntimeError(f"the imports of {path.name} failed in a fresh kernel:\n{result.exc_string}")
    return seconds


# ---------------------------------------------------------------------------------------
# Edits


def prose_line(text: str) -> int:
    """The index of a plain sentence of prose: outside front matter and fenced blocks, with no
    role, reference, link or markup that an edit could break."""
    lines = text.splitlines()
    fence = None
    start = lines.index("---", 1) + 1 if lines and lines[0] == "---" else 0
    for index in range(start, len(lines)):
        line = lines[index].strip()
        opener = re.match(r"^(`{3,}|~{3,}|:{3,})", line)
        if opener and fence is None:
            fence = opener.group(1)
            continue
        if fence is not None:
            if line.startswith(fence[0] * len(fence)) and line.strip(fence[0]) == "":
                fence = None
            continue
        if len(line) > 40 and line[0].isalpha() and line.endswith(".") and not re.search(r"[{}`\[\]<>$|*_]", line):
            return index
    raise LookupError("no plain sentence of prose to edit")


def edit_prose(path: Path, number: int) -> str:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = prose_line("".join(lines))
    sentence = lines[index].rstrip("\n")
    lines[index] = f"{sentence[:-1]}, as edit {number} of the benchmark says.\n"
    path.write_text("".join(lines), encoding="utf-8")
    return sentence.strip()


def edit_claim(root: Path) -> str:
    """Change one claim row: its appraisal note, a free-text column no rule checks."""
    import csv

    path = root / "data" / "claims.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("appraisal_note")
    rows[1][column] += " (Edited by the benchmark.)"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return rows[1][0]


# ---------------------------------------------------------------------------------------
# Page weight


RESOURCE_ATTRIBUTES = {
    "img": "src",
    "script": "src",
    "link": "href",
    "source": "src",
    "object": "data",
    "embed": "src",
    "iframe": "src",
    "video": "src",
    "audio": "src",
}


def local_resources(page: Path, html_root: Path) -> set[Path]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = set()
    for tag, attribute in RESOURCE_ATTRIBUTES.items():
        for element in soup.find_all(tag):
            if tag == "link" and not set(element.get("rel") or []) & {"stylesheet", "preload", "icon"}:
                continue
            url = element.get(attribute)
            if not url or urlsplit(url).scheme or url.startswith(("//", "#")):
                continue
            path = (page.parent / unquote(urlsplit(url).path)).resolve()
            if path.is_file() and path.is_relative_to(html_root.resolve()):
                found.add(path)
    return found


def page_weights(html_root: Path) -> list[dict]:
    """Each chapter page's bytes: its HTML plus every local file it loads that not every page
    loads (figures, a page's own scripts), so that the theme's shared assets are left out."""
    pages = sorted((html_root / "chapters").rglob("*.html"))
    resources = {page: local_resources(page, html_root) for page in pages}
    shared = set.intersection(*resources.values()) if resources else set()
    weights = []
    for page in pages:
        own = resources[page] - shared
        weights.append(
            {
                "page": page.relative_to(html_root).as_posix(),
                "html_bytes": page.stat().st_size,
                "own_resources": sorted(p.relative_to(html_root.resolve()).as_posix() for p in own),
                "bytes": page.stat().st_size + sum(p.stat().st_size for p in own),
            }
        )
    return sorted(weights, key=lambda w: -w["bytes"])


# ---------------------------------------------------------------------------------------
# The floor: a bare copy of the book, built by a stock Jupyter Book

# Jupyter Book's own defaults, plus what the chapters need to parse: the same MyST extensions and
# the bibliography. No brainbone extension, no execution, no strictness (the brainbone roles and
# directives are unknown here, which costs a warning each, not a failure).
BARE_CONFIG = """\
title: The Brain-Bone Axis (bare)
only_build_toc_files: true
exclude_patterns: [_build, data, seeds, tests]
execute:
  execute_notebooks: "off"
parse:
  myst_enable_extensions: [colon_fence, deflist, substitution]
bibtex_bibfiles: [references.bib]
"""
BARE_BUILD = [str(BIN / "jupyter-book"), "build", "."]


def bare_copy(book: Book, destination: Path) -> Book:
    """The same pages (chapters and the generated seed pages) and table of contents, with the
    stock configuration, in the same environment."""
    copy_book(destination)
    pages = book.root / layout.SEED_PAGES_DIR
    if pages.is_dir():
        shutil.copytree(pages, destination / layout.SEED_PAGES_DIR, dirs_exist_ok=True)
    (destination / "_config.yml").write_text(BARE_CONFIG, encoding="utf-8")
    return Book(destination)


def bare_build(bare: Book, *, all_pages: bool) -> float:
    command = BARE_BUILD[:2] + ["--all"] + BARE_BUILD[2:] if all_pages else BARE_BUILD
    seconds, result = bare.run(command)
    if result.returncode != 0:
        raise RuntimeError(f"the bare build failed:\n{(result.stdout + result.stderr)[-3000:]}")
    return seconds


# ---------------------------------------------------------------------------------------
# The live preview: edit a chapter, poll the served page until the edit shows


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page, or None while the server is not up or is rewriting it (a short or refused read)."""
    from http.client import HTTPException
    from urllib.error import URLError
    from urllib.request import urlopen

    try:
        with urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (URLError, OSError, HTTPException):
        return None


def serve_edits(book: Book, target: Path, repeats: int, *, startup_timeout: float = 600) -> list[float]:
    """Start `make serve` on the copy, wait for the first build, then for each edit the seconds
    until the served page shows it."""
    port = free_port()
    page = f"http://127.0.0.1:{port}/{target.relative_to(book.root).with_suffix('.html').as_posix()}"
    process = subprocess.Popen(
        [sys.executable, "-m", "brainbone.tools.serve.server", "--root", str(book.root), "--port", str(port)],
        cwd=book.root,
        env=book.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    seconds = []
    try:
        deadline = time.perf_counter() + startup_timeout
        while fetch(page) is None:
            if time.perf_counter() > deadline or process.poll() is not None:
                raise RuntimeError("make serve did not serve the page")
            time.sleep(0.5)
        time.sleep(2)  # let the server settle after its first build
        for number in range(repeats):
            edit_prose(target, 100 + number)
            marker = f"as edit {100 + number} of the benchmark says"
            started = time.perf_counter()
            while marker not in (fetch(page) or ""):
                if time.perf_counter() - started > 120:
                    raise RuntimeError("the served page never showed the edit")
                time.sleep(0.05)
            seconds.append(time.perf_counter() - started)
            time.sleep(1)
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
    return seconds


# ---------------------------------------------------------------------------------------
# The run


@dataclass
class Report:
    metrics: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench(work: Path, repeats: int, factors: list[int]) -> Report:
    report = Report()
    m, d = report.metrics, report.details
    book = Book(copy_book(work / "book"))
    # Chapters executed into the cache, and notebooks that MyST-NB runs on every read (`force`).
    notebooks = chapters(book.root)
    every_notebook = sorted(p for p in (book.root / "chapters").glob("*.md") if is_notebook(p.read_text("utf-8")))
    d["chapters"] = [p.name for p in notebooks]
    d["run_on_every_read"] = [p.name for p in every_notebook if p not in notebooks]

    def require(run: Build, what: str) -> Build:
        if not run.ok:
            report.problems.append(
                f"{what}: a step failed (the book does not build strictly); log tail:\n{run.log[-4000:]}"
            )
        return run

    # Cold: empty _build, empty cache, the whole `make book`.
    cold = []
    for number in range(repeats):
        say(f"cold build {number + 1}/{repeats}")
        book.clean()
        cold.append(require(book.make_book(), "cold build"))
    m["cold_s"] = median([run.seconds for run in cold])
    m["cold_executed"] = cold[-1].executed
    d["cold_runs"] = [asdict(run) | {"log": ""} for run in cold]

    # Jupyter Book's own serial build, measured: an empty cache, MyST-NB executing each chapter.
    serial = []
    for number in range(repeats):
        say(f"serial Jupyter Book build, MyST-NB executing {number + 1}/{repeats}")
        book.clean()
        serial.append(require(book.build(check=False, execute=False), "serial build"))
    m["serial_measured_s"] = median([run.seconds for run in serial])
    m["cold_over_serial_measured"] = m["cold_s"] / m["serial_measured_s"]

    # What the serial design costs: a build with every cached chapter cached (it still runs the
    # pages that run on every read, as Jupyter Book's would), and one kernel per cached chapter.
    warm = []
    for number in range(repeats):
        say(f"warm build, nothing to execute {number + 1}/{repeats}")
        warm.append(require(book.build(check=False, execute=False), "warm build"))
    m["no_execution_build_s"] = median([run.build_s for run in warm])
    if any(run.executed > len(d["run_on_every_read"]) for run in warm):
        report.problems.append("a warm build executed a cached chapter: the executor and MyST-NB key it differently")
    imports = {path.name: chapter_imports(book.root, path) for path in notebooks}
    everything = "\n".join(dict.fromkeys(line for code in imports.values() for line in code.splitlines()))
    say(f"kernel start + every import the chapters make ({repeats} runs)")
    m["kernel_and_imports_s"] = median([kernel_seconds(book.root, notebooks[0], everything) for _ in range(repeats)])
    m["executed_chapters"] = len(notebooks)
    m["run_on_every_read"] = len(d["run_on_every_read"])
    m["serial_model_s"] = m["no_execution_build_s"] + len(notebooks) * m["kernel_and_imports_s"]
    m["cold_over_serial"] = m["cold_s"] / m["serial_model_s"]
    # A stricter model: each chapter charged only its own imports.
    kernel = {}
    for code in sorted(set(imports.values())):
        path = next(p for p in notebooks if imports[p.name] == code)
        say(f"kernel start + the imports of {path.name} ({repeats} runs)")
        kernel[code] = median([kernel_seconds(book.root, path, code) for _ in range(repeats)])
    d["kernel_and_own_imports_s"] = {name: kernel[code] for name, code in imports.items()}
    d["imports"] = {"every chapter": everything, **imports}
    m["serial_model_own_imports_s"] = m["no_execution_build_s"] + sum(d["kernel_and_own_imports_s"].values())
    m["cold_over_serial_own_imports"] = m["cold_s"] / m["serial_model_own_imports_s"]

    # An editor's loop: incremental builds.
    say("incremental builds: nothing changed")
    book.build(all_pages=False)  # the first incremental build after a --all build settles the environment
    noop = [require(book.build(all_pages=False), "no-op rebuild") for _ in range(repeats)]
    m["noop_s"] = median([run.seconds for run in noop])
    m["noop_build_s"] = median([run.build_s for run in noop])
    m["noop_executed"] = max(run.executed for run in noop)
    m["noop_pages_read"] = max(len(run.pages_read) for run in noop)

    target = notebooks[0]
    for path in notebooks:  # a cached chapter: a page that runs on every read would run, by design
        try:
            prose_line(path.read_text(encoding="utf-8"))
            target = path
            break
        except LookupError:
            continue
    prose = []
    for number in range(repeats):
        sentence = edit_prose(target, number + 1)
        say(f"incremental build after a prose edit in {target.name} {number + 1}/{repeats}")
        prose.append(require(book.build(all_pages=False), "prose-edit rebuild"))
    d["prose_edit"] = {"chapter": target.name, "sentence": sentence}
    m["prose_edit_s"] = median([run.seconds for run in prose])
    m["prose_edit_build_s"] = median([run.build_s for run in prose])
    m["prose_edit_executed"] = max(run.executed for run in prose)
    m["prose_edit_pages_read"] = max(len(run.pages_read) for run in prose)

    claim_id = edit_claim(book.root)
    say(f"incremental build after an edit to claim {claim_id}")
    data = require(book.build(all_pages=False), "data-edit rebuild")
    d["data_edit"] = {"claim_id": claim_id, "column": "appraisal_note"}
    m["data_edit_s"] = data.seconds
    m["data_edit_executed"] = data.executed
    readers = [p for p in every_notebook if "claims" in declared_reads(p.read_text(encoding="utf-8"))]
    m["data_edit_expected"] = len(readers)
    # A chapter re-executed into the cache shows its new outputs only if the build re-reads its page.
    d["data_edit"]["pages_read"] = data.pages_read
    d["data_edit"]["not_reread"] = [p.name for p in readers if f"chapters/{p.stem}" not in data.pages_read]
    m["data_edit_not_reread"] = len(d["data_edit"]["not_reread"])

    # The floor, in this run: a bare copy (same pages, stock configuration), built --all once, then
    # rebuilt with nothing changed and after the same kind of prose edit.
    say("bare copy: first build")
    bare = bare_copy(book, work / "bare")
    bare_build(bare, all_pages=True)
    bare_build(bare, all_pages=False)  # settle, as for the book
    say(f"bare copy: no-op and prose-edit rebuilds ({repeats} runs each)")
    m["bare_noop_s"] = median([bare_build(bare, all_pages=False) for _ in range(repeats)])
    bare_target = bare.root / target.relative_to(book.root)
    bare_prose = []
    for number in range(repeats):
        edit_prose(bare_target, number + 1)
        bare_prose.append(bare_build(bare, all_pages=False))
    m["bare_prose_edit_s"] = median(bare_prose)
    m["noop_over_bare"] = m["noop_s"] / m["bare_noop_s"]
    m["prose_edit_over_bare"] = m["prose_edit_s"] / m["bare_prose_edit_s"]
    shutil.rmtree(bare.root, ignore_errors=True)

    say(f"make serve: prose edits until the served page shows them ({repeats} runs)")
    try:
        m["serve_edit_s"] = median(serve_edits(book, target, repeats))
    except RuntimeError as error:
        report.problems.append(f"serve_edit_s: {error}")
        m["serve_edit_s"] = float("nan")

    weights = page_weights(book.root / "_build" / "html")
    d["pages"] = weights
    if weights:
        m["largest_page"] = weights[0]["page"]
        m["largest_page_bytes"] = weights[0]["bytes"]

    # make check, on the real ledger and on synthetic ones.
    check_s = {}
    counts = {}
    for factor in [1, *factors]:
        root = book.root if factor == 1 else work / f"corpus-{factor}x"
        if factor != 1:
            say(f"writing the {factor}x ledger")
            counts[factor] = replicate(ROOT, root, factor)
        say(f"make check on the {factor}x ledger ({repeats} runs)")
        runs = []
        # The synthetic ledgers are validated on every run (--no-cache); the real one as `make check`
        # meets it, with the verdict on unchanged inputs reused after the first run.
        options = [] if factor == 1 else ["--no-cache"]
        for _ in range(repeats):
            seconds, result = Book(root).run(CHECK + ["--root", str(root), *options])
            if result.returncode != 0:
                report.problems.append(f"make check failed on the {factor}x ledger:\n{result.stderr[-2000:]}")
            runs.append(seconds)
        check_s[factor] = median(runs)
        if factor == 1:
            validating = [Book(root).run([*CHECK, "--root", str(root), "--no-cache"])[0] for _ in range(repeats)]
            m["check_validate_real_s"] = median(validating)
        if factor != 1:
            shutil.rmtree(root)
    d["synthetic_rows"] = {f"{factor}x": rows for factor, rows in counts.items()}
    m["check_s"] = {("real" if factor == 1 else f"{factor}x"): seconds for factor, seconds in check_s.items()}
    if 10 in check_s and 1000 in check_s:
        m["check_scaling"] = check_s[1000] / check_s[10] / 100
    return report


TARGETS = {
    "cold_over_serial_measured": ("≤ 0.80", lambda m: m["cold_over_serial_measured"] <= 0.80),
    "prose_edit_executed": ("= 0", lambda m: m["prose_edit_executed"] == 0),
    "noop_s": ("≤ 1.0 × bare_noop_s", lambda m: m["noop_s"] <= m["bare_noop_s"]),
    "prose_edit_s": ("≤ 1.1 × bare_prose_edit", lambda m: m["prose_edit_s"] <= 1.1 * m["bare_prose_edit_s"]),
    "serve_edit_s": ("≤ 2 s", lambda m: m.get("serve_edit_s", float("inf")) <= 2),
    "check_s real": ("≤ 0.5 s", lambda m: m["check_s"].get("real", float("inf")) <= 0.5),
    "data_edit_executed": ("= data_edit_expected", lambda m: m["data_edit_executed"] == m["data_edit_expected"]),
    "check_scaling": ("≤ 1.2", lambda m: m.get("check_scaling", float("inf")) <= 1.2),
    "largest_page_bytes": ("≤ 500 KB", lambda m: m.get("largest_page_bytes", float("inf")) <= PAGE_LIMIT),
}


def table(report: Report, repeats: int) -> str:
    m = report.metrics
    rows = [
        ("cold_s", f"{m['cold_s']:.1f} s", "", f"{MAKE_BOOK}, from an empty _build and cache (median of {repeats})"),
        (
            "  executed",
            f"{m['cold_executed']}",
            "",
            f"notebooks executed in a cold build ({m['run_on_every_read']} of them by MyST-NB, on every read)",
        ),
        (
            "no_execution_build_s",
            f"{m['no_execution_build_s']:.1f} s",
            "",
            "jupyter-book build --all … with every cached chapter cached",
        ),
        (
            "kernel_and_imports_s",
            f"{m['kernel_and_imports_s']:.2f} s",
            "",
            f"a fresh kernel (as MyST-NB starts it) running every import the chapters make (median of {repeats})",
        ),
        (
            "serial_model_s",
            f"{m['serial_model_s']:.1f} s",
            "",
            f"no_execution_build_s + {m['executed_chapters']} cached chapters × kernel_and_imports_s",
        ),
        ("cold_over_serial", f"{m['cold_over_serial']:.2f}", "", "cold_s / serial_model_s"),
        (
            "  own imports only",
            f"{m['cold_over_serial_own_imports']:.2f}",
            "",
            f"the same, each chapter charged a kernel + only its own imports ({m['serial_model_own_imports_s']:.1f} s)",
        ),
        (
            "  measured serial",
            f"{m['cold_over_serial_measured']:.2f}",
            "cold_over_serial_measured",
            f"cold_s / a measured jupyter-book build --all … with an empty cache ({m['serial_measured_s']:.1f} s)",
        ),
        (
            "bare_noop_s",
            f"{m['bare_noop_s']:.1f} s",
            "",
            "the floor: a bare copy (same pages, stock jupyter-book config, no extension, no execution), "
            "jupyter-book build ., nothing changed",
        ),
        (
            "bare_prose_edit_s",
            f"{m['bare_prose_edit_s']:.1f} s",
            "",
            "the floor: the bare copy rebuilt after one sentence changed in the same chapter",
        ),
        (
            "noop_s",
            f"{m['noop_s']:.1f} s",
            "noop_s",
            f"{MAKE_BOOK_INCREMENTAL}, nothing changed "
            f"(build step {m['noop_build_s']:.1f} s, {m['noop_pages_read']} pages read)",
        ),
        (
            "prose_edit_s",
            f"{m['prose_edit_s']:.1f} s",
            "prose_edit_s",
            f"the same, after one sentence changed "
            f"(build step {m['prose_edit_build_s']:.1f} s, {m['prose_edit_pages_read']} pages read)",
        ),
        ("noop_over_bare", f"{m['noop_over_bare']:.2f}", "", "noop_s / bare_noop_s"),
        ("prose_edit_over_bare", f"{m['prose_edit_over_bare']:.2f}", "", "prose_edit_s / bare_prose_edit_s"),
        (
            "serve_edit_s",
            f"{m['serve_edit_s']:.1f} s",
            "serve_edit_s",
            "make serve: from saving a one-sentence edit to the served page showing it (polled every 50 ms)",
        ),
        (
            "prose_edit_executed",
            f"{m['prose_edit_executed']}",
            "prose_edit_executed",
            "chapters executed after the prose edit",
        ),
        (
            "data_edit_executed",
            f"{m['data_edit_executed']}",
            "data_edit_executed",
            f"chapters executed after one claim row changed ({m['data_edit_s']:.1f} s)",
        ),
        ("data_edit_expected", f"{m['data_edit_expected']}", "", "notebooks that declare they read claims.csv"),
        (
            "  not re-read",
            f"{m['data_edit_not_reread']}",
            "",
            "of those, pages the incremental build did not re-read (their HTML keeps old outputs; should be 0)",
        ),
    ]
    for name, seconds in m["check_s"].items():
        rows.append(
            (
                f"check_s {name}",
                f"{seconds:.2f} s",
                {"real": "check_s real"}.get(name, ""),
                f"python -m brainbone.tools.check on the {name} ledger (median of {repeats})",
            )
        )
    if "check_validate_real_s" in m:
        rows.append(
            (
                "check_validate_real_s",
                f"{m['check_validate_real_s']:.2f} s",
                "",
                f"python -m brainbone.tools.check --no-cache on the real ledger: validated on every run (median of {repeats})",
            )
        )
    if "check_scaling" in m:
        rows.append(
            ("check_scaling", f"{m['check_scaling']:.3f}", "check_scaling", "check_s 1000x / check_s 10x / 100")
        )
    if "largest_page_bytes" in m:
        rows.append(
            (
                "largest_page_bytes",
                f"{m['largest_page_bytes'] / 1000:.0f} KB",
                "largest_page_bytes",
                f"{m['largest_page']}, HTML + its own figures and scripts",
            )
        )
    lines = [
        f"| {'metric':<22} | {'value':>9} | {'target':<22} | what was timed or counted",
        f"|{'-' * 24}|{'-' * 11}|{'-' * 24}|---",
    ]
    for name, value, target, what in rows:
        goal = ""
        if target:
            text, met = TARGETS[target]
            goal = f"{text} {'ok' if met(m) else 'MISSED'}"
        lines.append(f"| {name:<22} | {value:>9} | {goal:<22} | {what}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--factors", type=int, nargs="*", default=[10, 100, 1000], help="synthetic ledger sizes")
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "bench.json")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies, for inspection")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="brainbone-bench-"))
    load_before = os.getloadavg()
    started = time.perf_counter()
    try:
        report = bench(work, args.repeats, args.factors)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    cores = len(os.sched_getaffinity(0))
    report.details["machine"] = {
        "cores": cores,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "bench_seconds": round(time.perf_counter() - started, 1),
        "repeats": args.repeats,
        "commit": subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip(),
    }
    report.metrics["targets_met"] = all(met(report.metrics) for _, met in TARGETS.values())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(asdict(report), indent=2, default=str) + "\n", encoding="utf-8")
    print(table(report, args.repeats))
    print(f"\n{cores} cores; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; wrote {args.output}")
    if max(load_before[0], load_after[0]) > cores:
        print("NOTE: the machine was busy with other work; times are less reliable than on an idle machine.")
    for problem in report.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if report.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
