"""The Brain–Bone Axis: a verified claims ledger and the code that reads, checks and draws it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brainbone.errors import Issue, IssueKind, LedgerError
    from brainbone.ledger.loader import Ledger, load_ledger

__all__ = ["Issue", "IssueKind", "Ledger", "LedgerError", "load_ledger"]
_HOMES = {
    "Issue": "errors",
    "IssueKind": "errors",
    "LedgerError": "errors",
    "Ledger": "ledger.loader",
    "load_ledger": "ledger.loader",
}


def __getattr__(name: str):
    """Import lazily (PEP 562): `brainbone.layout` or `brainbone.tools.execution` should not pay for pandas."""
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f"brainbone.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'brainbone' has no attribute {name!r}")
