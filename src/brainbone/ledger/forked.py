"""Work done by a forked child process while this one goes on, for the loader's large ledgers.

A forked child inherits the parent's memory as it is, so a large table reaches it without being
pickled; only the result (a short list of issues, say) comes back, through a pipe. Forking is
used only where it is safe and pays: on a POSIX system with fork, with more than one CPU, from a
process running a single thread (a thread holding a lock at the fork would leave the child stuck
on it: the Sphinx build drives its kernels from threads, and so loads its ledgers in-process).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def available() -> bool:
    """Whether `Forked` would run its function in a child: fork exists, there are two CPUs or
    more for this process, and it runs only one thread."""
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return len(cpus) > 1


class Forked(Generic[T]):
    """`function()` run by a child forked now; `result()` waits for its value, or raises what it
    raised. Should the child die without answering (killed, out of memory), `result()` calls
    `function()` here instead, so the answer is the same either way."""

    def __init__(self, function: Callable[[], T]):
        import multiprocessing  # ~20 ms: only for a large ledger

        self._function = function
        self._collected = False
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_answer, args=(sender, function), daemon=True)
        self._process.start()
        sender.close()  # the child's copy stays open: end of file here means the child is gone

    def result(self) -> T:
        """The function's value (once: the child is gone afterwards)."""
        if self._collected:
            raise RuntimeError("the result of a Forked call is collected once")
        self._collected = True
        try:
            succeeded, value = self._receiver.recv()
        except EOFError:
            succeeded, value = True, self._function()
        finally:
            self._receiver.close()
            self._process.join()
        if not succeeded:
            raise value
        return value

    def close(self) -> None:
        """End the child if its result was never collected (the parent failed in between), so that
        no child is left waiting to send it; after `result()`, nothing to do."""
        if not self._collected:
            self._collected = True
            self._process.terminate()
            self._process.join()
            self._receiver.close()


def _answer(sender, function: Callable[[], object]) -> None:
    """In the child: send (True, the value) or (False, the exception) to the parent."""
    try:
        answer = (True, function())
    except Exception as error:  # sent to the parent, which raises it
        answer = (False, error)
    sender.send(answer)
    sender.close()


__all__ = ["Forked", "available"]
