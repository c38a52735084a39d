"""Run in each chapter's kernel before the chapter: record every file it opens for reading, so the
executor can compare what a chapter read with what its front matter declares (brainbone.tools.executor).

The executor starts each kernel with `exec_lines` that call `install()`; the log's path comes in the
environment variable `LOG_VARIABLE`. Without it (a chapter run in Jupyter), nothing is recorded.
"""

from __future__ import annotations

import os
import sys

from brainbone.tools.startup import block

LOG_VARIABLE = "BRAINBONE_AUDIT_LOG"
# The kernel's start-up line: no name is left in the chapter's namespace, and its outputs and
# execution counts are those of a plain kernel.
EXEC_LINE = "__import__('brainbone.tools.audit').tools.audit.install()"


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


def install() -> ReadRecorder | None:
    """Skip rfc3987_syntax (brainbone.tools.startup), and record reads if the executor asked for it."""
    block()
    log_path = os.environ.get(LOG_VARIABLE)
    if not log_path:
        return None
    recorder = ReadRecorder(log_path)
    sys.addaudithook(recorder)
    return recorder
