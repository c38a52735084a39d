"""The Brain–Bone Axis: a verified claims ledger and the code that reads, checks and draws it."""

from brainbone.errors import Issue, IssueKind, LedgerError
from brainbone.ledger import Ledger, load_ledger

__all__ = ["Issue", "IssueKind", "Ledger", "LedgerError", "load_ledger"]
