"""The build environment (.venv, from requirements.txt) holds no JupyterLab and nothing only it needs.

JupyterLab's server brings jsonschema's format checkers, among them `rfc3987_syntax`, which compiles
about 35 parsers when imported: 0.7-2 s in every process that loads nbformat (the build, the executor,
every kernel). So `make lab` has an environment of its own (.venv-lab, from requirements-lab.txt).
"""

from __future__ import annotations

import importlib.util
import re

from bookutils import ROOT


def requirement_names(file: str) -> set[str]:
    names = set()
    for line in (ROOT / file).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*==", line)
        if match:
            names.add(match.group(1).lower())
    return names


def test_the_build_environment_lacks_what_only_jupyterlab_needs() -> None:
    for module in ("rfc3987_syntax", "jupyterlab", "jupyter_server"):
        assert importlib.util.find_spec(module) is None, (
            f"{module} is installed in the build environment; it comes only with JupyterLab, which belongs "
            "in .venv-lab (requirements-lab.txt): rm -rf .venv && make setup"
        )


def test_jupyterlab_is_required_only_for_make_lab() -> None:
    assert "jupyterlab" not in requirement_names("requirements.txt")
    assert "jupyterlab" in requirement_names("requirements-lab.txt")
