"""The latest preview build's problems, in a file the worker writes and the server's banner reads: apart
from both, so that neither imports the other."""

from __future__ import annotations

import json
from pathlib import Path

from brainbone import layout

STATUS_FILE = f"{layout.SERVE_DIR}/status.json"  # the latest preview build's problems, read by the banner


def write_status(root: Path, problems: list[str]) -> None:
    path = root / STATUS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"ok": not problems, "problems": problems}, indent=1), encoding="utf-8")


def read_problems(root: Path) -> list[str]:
    """The latest build's problems (empty when it was clean or has not finished)."""
    try:
        return list(json.loads((root / STATUS_FILE).read_text(encoding="utf-8")).get("problems", []))
    except (OSError, ValueError):
        return []


__all__ = ["STATUS_FILE", "read_problems", "write_status"]
