"""Every process the book starts skips rfc3987_syntax (brainbone.tools.startup): the build, the
live preview's rebuilds and the kernels all run the environment's Python, which reads the .pth."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from brainbone.tools import startup

PROBE = "import sys, jsonschema; print(repr(sys.modules.get('rfc3987_syntax', 'not imported')))"


def test_make_setup_installed_the_startup_file() -> None:
    path = startup.pth_path()
    assert path.is_file(), "run `make setup` (or python -m brainbone.tools.startup)"
    assert path.read_text(encoding="utf-8") == startup.PTH_LINE


def test_a_fresh_interpreter_never_imports_it() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "None"


def test_the_build_and_preview_commands_run_this_interpreter() -> None:
    # jupyter-book, sphinx-build and sphinx-autobuild (whose rebuilds run `sys.executable -m sphinx`)
    # are scripts of this environment, so the .pth file applies to them too.
    bin_dir = Path(sys.executable).parent
    for script in ("jupyter-book", "sphinx-build", "sphinx-autobuild"):
        first_line = (bin_dir / script).read_text(encoding="utf-8").splitlines()[0]
        assert first_line == f"#!{sys.executable}" or Path(first_line[2:]).resolve() == Path(sys.executable).resolve()


def test_a_kernel_never_imports_it() -> None:
    from jupyter_client.manager import start_new_kernel

    outputs: list[dict] = []
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        reply = client.execute_interactive(PROBE, timeout=60, output_hook=lambda msg: outputs.append(msg))
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    texts = [m["content"]["text"] for m in outputs if m["msg_type"] == "stream"]
    assert "".join(texts).strip() == "None"


def test_without_the_block_the_module_would_be_imported() -> None:
    # The probe is honest: with the block turned off (as make bench does for its stock floor),
    # jsonschema does import the module.
    env = {**os.environ, "BRAINBONE_STOCK": "1"}
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, env=env)
    assert "module 'rfc3987_syntax'" in result.stdout
