"""brainbone.ledger.forked: work done by a forked child, whose answer (or exception) comes back as it would here."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from brainbone.ledger import forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX-only")


def test_the_function_runs_in_a_child_and_its_value_comes_back() -> None:
    child = forked.Forked(lambda: (os.getpid(), [1, 2, 3]))
    pid, value = child.result()
    assert pid != os.getpid()
    assert value == [1, 2, 3]


def test_the_childs_exception_is_raised_here() -> None:
    def fails() -> None:
        raise KeyError("no such claim 'x-001'")

    child = forked.Forked(fails)
    with pytest.raises(KeyError, match="no such claim 'x-001'"):
        child.result()


def test_a_child_that_dies_without_answering_is_replaced_by_a_call_here() -> None:
    parent = os.getpid()

    def dies_in_a_child() -> str:
        if os.getpid() != parent:
            os._exit(3)  # as if killed: no answer
        return "answered here"

    assert forked.Forked(dies_in_a_child).result() == "answered here"


def test_a_result_is_collected_once() -> None:
    child = forked.Forked(lambda: 1)
    assert child.result() == 1
    with pytest.raises(RuntimeError, match="the result of a Forked call is collected once"):
        child.result()


def test_close_ends_a_child_whose_result_is_never_collected() -> None:
    child = forked.Forked(lambda: time.sleep(60))
    started = time.monotonic()
    child.close()
    assert time.monotonic() - started < 10
    assert not child._process.is_alive()
    child.close()  # twice is harmless


def test_no_fork_from_a_process_running_another_thread() -> None:
    before = forked.available()  # False already if earlier tests left threads running
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not forked.available()
    finally:
        release.set()
        thread.join()
    assert forked.available() == before


def test_a_single_threaded_process_on_two_cpus_forks() -> None:
    code = "from brainbone.ledger import forked; print(forked.available())"
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert answer == f"{len(os.sched_getaffinity(0)) > 1}\n"


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs CPU affinity (Linux)")
def test_a_process_on_one_cpu_does_not_fork() -> None:
    code = "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); from brainbone.ledger import forked; print(forked.available())"
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert answer == "False\n"
