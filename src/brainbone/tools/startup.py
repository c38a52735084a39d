"""What every Python process of the book's environment does at start: skip `rfc3987_syntax`.

jsonschema imports rfc3987_syntax (when it is installed) to check "iri" formats, and it compiles
about 35 Earley parsers on import: 0.7–2 s in every process that loads nbformat, which myst-nb,
jupyter-cache and every kernel do (python-jsonschema/jsonschema#1428). Nothing in this book
validates an IRI, so the module is marked absent and jsonschema leaves that one format unchecked.

`make setup` runs `python -m brainbone.tools.startup`, which writes `brainbone-startup.pth` into the
environment's site-packages; Python runs its one line at every start, so the build, the
preview's build process, the executor's workers and every Jupyter kernel all skip the import.
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

BLOCKED = ("rfc3987_syntax",)
PTH_NAME = "brainbone-startup.pth"
# One line, run by site.py at every start; it must not import brainbone (a broken checkout must
# not break every Python process of the environment).
# BRAINBONE_STOCK=1 turns it off: `make bench` times a stock Jupyter Book as its floor.
PTH_LINE = (
    "import os, sys; os.environ.get('BRAINBONE_STOCK') or "
    f"[sys.modules.setdefault(name, None) for name in {BLOCKED!r}]\n"
)


def pth_path() -> Path:
    return Path(sysconfig.get_paths()["purelib"]) / PTH_NAME


def install() -> Path:
    """Write the .pth file into this interpreter's site-packages (idempotent)."""
    path = pth_path()
    if not path.exists() or path.read_text(encoding="utf-8") != PTH_LINE:
        path.write_text(PTH_LINE, encoding="utf-8")
    return path


def block() -> None:
    """The same, for a process started without the .pth file."""
    for name in BLOCKED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


if __name__ == "__main__":
    print(f"wrote {install()}")
