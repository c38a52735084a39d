"""Chapter kernels forked from one process that has already imported what they import.

A chapter's kernel spends about 1.2 s starting: Python, ipykernel, then pandas, matplotlib, pandera
and the rest that the chapter imports, before its first line runs. The executor
(brainbone.tools.executor) instead starts one *fork server* (Python's `multiprocessing` forkserver) that
imports those modules once; every chapter's kernel is a fork of it, a real ipykernel started from
the kernel's own command line, so its outputs are those of a kernel started afresh.

What a fork keeps and what it does not:
- kept: the third-party modules in `WARM`, already imported (they read no file of the book);
- dropped before the kernel starts: every `brainbone` module, so the chapter imports the package
  again under the kernel's read audit (brainbone.tools.audit), which then still sees each data file it
  reads, and `matplotlib_inline`, whose import hooks figures into the running IPython shell;
- replaced: the environment, the working folder and the command line, by the kernel's own.

Importing this module imports nothing heavy: `start_fork_server` hands the warm set to the fork
server as its `preload`, and the executor asks it for kernels through `ForkedKernelManager`.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import signal
import sys
import uuid
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Dict

# Modules the fork server imports, each once: the kernel's own, then the third-party modules that
# the package's chapter-facing modules import (tests/test_execution.py checks that none is missing).
# No `brainbone` module: a fork drops them anyway, and one that failed to import (a broken data file
# read at import) would take the fork server down instead of failing its chapter with a located error.
WARM = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "myst_nb",
    "numpy",
    "pandas",
    "pandas.io.formats.style",
    "matplotlib.pyplot",
    "pandera.pandas",
    "rapidfuzz",
    "krippendorff",
    "pybtex.database",
    "yaml",
)
# Dropped from a forked kernel before it starts (see above).
COLD_PREFIXES = ("brainbone", "matplotlib_inline")
KERNEL_MODULE = "ipykernel_launcher"


INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets when MPLBACKEND is unset


def kernel_arguments(command: list[str]) -> list[str] | None:
    """The ipykernel arguments of a kernel command line (`python -m ipykernel_launcher …`), or None
    for any other kernel, which is then started the usual way."""
    if len(command) >= 3 and command[1:3] == ["-m", KERNEL_MODULE]:
        return command[3:]
    return None


def _drop_cold_modules() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in COLD_PREFIXES:
            del sys.modules[name]


def run_kernel(arguments: list[str], environment: dict[str, str], folder: str) -> None:
    """In a forked child: become the kernel that `python -m ipykernel_launcher ARGUMENTS` would start."""
    os.setsid()  # its own process group, like a kernel the provisioner starts
    os.chdir(folder)
    os.environ.clear()
    os.environ.update(environment)
    # ipykernel_launcher takes the working folder off sys.path; the shell puts "" back itself.
    sys.path[:] = [entry for entry in sys.path if entry not in ("", os.getcwd())]
    # IPKernelApp reads JPY_PARENT_PID when ipykernel is imported, which was in the fork server.
    arguments = [*arguments, f"--IPKernelApp.parent_handle={environment.get('JPY_PARENT_PID', 0)}"]
    sys.argv = [KERNEL_MODULE, *arguments]
    _drop_cold_modules()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=arguments)


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*WARM, __name__])
    return context


def start_fork_server() -> None:
    """Start the fork server now, so that it imports the warm set while the caller does other work.
    Its environment is this process's, with figures inline as in every kernel."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    _context()
    multiprocessing.forkserver.ensure_running()


class _ForkedProcess:
    """The part of `subprocess.Popen` that LocalProvisioner uses, over a process the fork server forked."""

    stdin = stdout = stderr = None

    def __init__(self, process: multiprocessing.process.BaseProcess) -> None:
        self._process = process
        self.pid = process.pid

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int | None:
        self._process.join(timeout)
        return self._process.exitcode

    def send_signal(self, signum: int) -> None:
        if self._process.exitcode is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedProvisioner(LocalProvisioner):
    """Starts an ipykernel as a fork of the warm fork server; any other kernel as LocalProvisioner does."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        kwargs["env"] = {**(kwargs.get("env") or os.environ), **getattr(self.parent, "environment", {})}
        arguments = kernel_arguments(cmd)
        if arguments is None:
            return await super().launch_kernel(cmd, **kwargs)
        folder = str(kwargs.get("cwd") or os.getcwd())
        # As jupyter_client's launcher does: the kernel knows it has a parent, so it stays quiet
        # about Ctrl-C and exits if the fork server (its parent) goes.
        kwargs["env"].setdefault("JPY_PARENT_PID", str(os.getpid()))
        process = _context().Process(target=run_kernel, args=(arguments, kwargs["env"], folder), daemon=False)
        process.start()
        self.process = _ForkedProcess(process)
        self.pid = process.pid
        # Signals go to the kernel's pid, never to a group: the child leaves the fork server's
        # group (setsid) only once it runs, and that group is the build's own.
        self.pgid = None
        self.cwd = folder
        return self.connection_info


class ForkedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels are forks of the warm fork server (see the module's docstring)."""

    environment = Dict(config=True, help="Variables added to this kernel's environment, over the process's own.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kernel_id = self.kernel_id or str(uuid.uuid4())
        self.provisioner = ForkedProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
