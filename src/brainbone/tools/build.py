"""`make book`: build the book strictly into a staging folder, and replace `_build/html` only when
the build succeeds, so that a failed build never costs the last good book.

It executes the stale chapters (`brainbone.tools.execution`), then runs `jupyter-book build -W -n
--keep-going` into `_build/staging`, which takes every chapter's outputs from the cache; on success it
copies the staged HTML next to `_build/html` and swaps the two folders by renaming. On failure it
prints the located errors again, at the end, and leaves `_build/html` as it was.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from brainbone import layout
from brainbone.layout import find_book_root

BUILD_DIR = layout.BUILD_DIR
HTML_DIR = f"{layout.BUILD_DIR}/html"  # the book readers open; only ever replaced by a complete, strict build
STAGING_DIR = f"{layout.BUILD_DIR}/staging"  # jupyter-book writes <staging>/_build/html and its doctrees here
STRICT_OK = ".strict-ok"  # in the staging folder: its last build was clean, so the next may be incremental
GOOD_BUILD_NOTE = ".brainbone-build"  # in _build/html: when that good build finished
_PIPED: dict = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True, "errors": "replace"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Sphinx's warnings and errors, located ("file:line: WARNING: ..."), and the executor's own errors.
_PROBLEM = re.compile(r"(?:\bWARNING: |\bERROR: |\bCRITICAL: |^error: )")


@dataclass
class BuildResult:
    ok: bool
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def located_problems(lines: Iterable[str]) -> list[str]:
    """The warnings and errors in a build's output, without colour codes, each once, in order."""
    found: list[str] = []
    for line in lines:
        plain = _ANSI.sub("", line).rstrip()
        if _PROBLEM.search(plain) and plain not in found:
            found.append(plain)
    return found


# Problems that other problems cause: a reference to a label, a glued value or a figure that a failed
# page or cell never made, and a chapter whose cells fail on the ledger's own problems. Each is a root
# cause only when nothing else went wrong.
_FOLLOW_ON = re.compile(
    r"undefined label|\[ref\.\w+\]|\[numref\]|\[mystnb\.glue\]|\bglue\b.*\bnot found|"
    r"Executing notebook failed|Notebook exception traceback saved|\[mystnb\.exec\]|"
    r"problem\(s\) in the ledger"
)


def split_problems(problems: list[str]) -> tuple[list[str], list[str]]:
    """The root causes and the follow-on problems, each in the build's order: a problem of a kind
    that others cause (`_FOLLOW_ON`) follows on when a problem of another kind is there."""
    follow_on = [problem for problem in problems if _FOLLOW_ON.search(problem)]
    if len(follow_on) == len(problems):
        return list(problems), []
    return [problem for problem in problems if problem not in follow_on], follow_on


def count_phrase(roots: list[str], follow_on: list[str]) -> str:
    """ "1 root cause, 367 follow-on problems"."""
    causes = f"{len(roots)} root cause{'' if len(roots) == 1 else 's'}"
    return f"{causes}, {len(follow_on)} follow-on problem{'' if len(follow_on) == 1 else 's'}"


FOLLOW_ON_SHOWN = 10  # more would push the root causes off the screen; the build's log has every one


def ordered_report(problems: list[str]) -> list[str]:
    """The problems, root causes first, each group under a heading that says what to do."""
    roots, follow_on = split_problems(problems)
    lines = ["Root causes (fix these first):", *(f"  {problem}" for problem in roots)]
    if follow_on:
        lines += ["Follow-on problems (they may go away once the root causes are fixed):"]
        lines += [f"  {problem}" for problem in follow_on[:FOLLOW_ON_SHOWN]]
        if len(follow_on) > FOLLOW_ON_SHOWN:
            lines += [f"  ... and {len(follow_on) - FOLLOW_ON_SHOWN} more, each in the build's output above"]
    return lines


def run_and_echo(command: list[str], root: Path, echo: Callable[[str], None]) -> tuple[int, list[str]]:
    """Run a command in `root`, echoing and keeping its output (stdout and stderr, interleaved)."""
    lines: list[str] = []
    with subprocess.Popen(command, cwd=root, **_PIPED) as process:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            echo(line.rstrip("\n"))
    return process.returncode, lines


def publish(staged_html: Path, html: Path) -> None:
    """Put a copy of `staged_html` at `html`, replacing it by two renames, so that readers of `html`
    see the old book or the new one, never a half-written mix."""
    fresh = html.with_name(html.name + ".new")
    old = html.with_name(html.name + ".old")
    for leftover in (fresh, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(staged_html, fresh)
    (fresh / GOOD_BUILD_NOTE).write_text(time.strftime("%Y-%m-%d %H:%M:%S %Z") + "\n", encoding="utf-8")
    if html.exists():
        html.rename(old)
    fresh.rename(html)
    if old.exists():
        shutil.rmtree(old)


def sync_tree(staged_html: Path, html: Path) -> None:
    """Make `html` a copy of `staged_html` by copying only the files whose size or time differ, each
    replaced by a rename, and removing those gone: the live preview's publish, where copying the whole
    book after every edit would cost more than the edit's rebuild."""
    html.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for folder, _, names in os.walk(staged_html):
        target_folder = html / Path(folder).relative_to(staged_html)
        target_folder.mkdir(exist_ok=True)
        for name in names:
            source, target = Path(folder) / name, target_folder / name
            wanted.add(target)
            new = source.stat()
            try:
                old = target.stat()
                if (old.st_size, old.st_mtime_ns) == (new.st_size, new.st_mtime_ns):
                    continue
            except FileNotFoundError:
                pass
            partial = target.with_name(f".{name}.partial")
            shutil.copy2(source, partial)
            os.replace(partial, target)
    for folder, _, names in os.walk(html, topdown=False):
        for name in names:
            path = Path(folder) / name
            if path not in wanted and path.name != GOOD_BUILD_NOTE:
                path.unlink()
        if not any(Path(folder).iterdir()):
            Path(folder).rmdir()
    (html / GOOD_BUILD_NOTE).write_text(time.strftime("%Y-%m-%d %H:%M:%S %Z") + "\n", encoding="utf-8")


def last_good_build(html: Path) -> str | None:
    note = html / GOOD_BUILD_NOTE
    return note.read_text(encoding="utf-8").strip() if note.is_file() else None


def build(root: Path, *, python: str = sys.executable, echo: Callable[[str], None] = print) -> BuildResult:
    """Execute the stale chapters, then build strictly into the staging folder; publish the build
    only if both are clean."""
    started = time.perf_counter()
    root = root.resolve()
    status, lines = run_and_echo([python, "-m", "brainbone.tools.execution", "--root", str(root)], root, echo)
    if status != 0:
        problems = located_problems(lines) or [f"error: the executor exited with {status}"]
        return BuildResult(False, problems, time.perf_counter() - started)
    staging = root / STAGING_DIR
    staging.mkdir(parents=True, exist_ok=True)
    strict_ok = staging / STRICT_OK
    incremental = strict_ok.exists()
    strict_ok.unlink(missing_ok=True)
    jupyter_book = str(Path(python).parent / "jupyter-book")
    command = [jupyter_book, "build", *([] if incremental else ["--all"]), "-W", "-n", "--keep-going"]
    status, lines = run_and_echo([*command, "--path-output", str(staging), str(root)], root, echo)
    problems = located_problems(lines)
    if status != 0 or problems:
        return BuildResult(
            False, problems or [f"error: jupyter-book exited with {status}"], time.perf_counter() - started
        )
    strict_ok.touch()
    publish(staging / BUILD_DIR / "html", root / HTML_DIR)
    return BuildResult(True, [], time.perf_counter() - started)


def report(result: BuildResult, root: Path) -> str:
    """The closing message: where the book is, or every located problem and what is still readable."""
    html = root / HTML_DIR
    if result.ok:
        return f"The book is built: {html / 'index.html'} ({result.seconds:.1f} s, strict, no warnings)."
    good = last_good_build(html)
    kept = (
        f"{html} still holds the last good build (finished {good}); it was not touched."
        if good
        else f"There is no earlier good build in {html}."
    )
    lines = [
        *ordered_report(result.problems),
        f"BUILD FAILED: {count_phrase(*split_problems(result.problems))}; {kept}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m brainbone.tools.build", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=None, help="book root (default: found from here)")
    args = parser.parse_args(argv)
    root = (args.root or find_book_root()).resolve()
    result = build(root)
    print(report(result, root), file=sys.stdout if result.ok else sys.stderr, flush=True)
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
