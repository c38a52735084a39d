"""Run in each chapter's kernel before the chapter: record every file it opens for reading, so the
executor can compare what a chapter read with what its front matter declares (brainbone.tools.executor).

The executor starts each kernel with `exec_lines` that call `install()` with the log's path and the
book's root (`exec_line`). A chapter run in Jupyter records nothing.
"""

from __future__ import annotations

import os
import sys


def exec_line(log: object, root: object) -> str:
    """The kernel's start-up line: no name is left in the chapter's namespace, and its outputs and
    execution counts are those of a plain kernel."""
    return f"__import__('brainbone.tools.audit').tools.audit.install({str(log)!r}, {str(root)!r})"


def is_read(mode: object, flags: object) -> bool:
    """Whether an `open` audit event's mode (open()) or flags (os.open) can read the file."""
    if isinstance(mode, str):
        return "+" in mode or not any(c in mode for c in "wax")
    return not (isinstance(flags, int) and flags & os.O_ACCMODE == os.O_WRONLY)


class ReadRecorder:
    """An audit hook that appends each file opened for reading to a log, once, as an absolute path."""

    def __init__(self, log_path: str) -> None:
        self.log = open(log_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - open for the kernel's life
        self.seen: set[str] = set()

    def __call__(self, event: str, args: tuple) -> None:
        if event != "open":
            return
        try:
            path, mode, flags = args
            if not is_read(mode, flags) or not isinstance(path, (str, bytes, os.PathLike)):
                return
            path = os.path.abspath(os.fsdecode(path))
            if path not in self.seen:
                self.seen.add(path)
                self.log.write(path + "\n")
        except Exception:  # noqa: BLE001 - an audit hook that raised would break the chapter's own open()
            pass


def install(log_path: str, root: str) -> ReadRecorder:
    """Record every file opened for reading in `log_path`; the package finds the book at `root`."""
    os.environ["BRAINBONE_ROOT"] = root
    recorder = ReadRecorder(log_path)
    sys.addaudithook(recorder)
    return recorder
