"""The `{claim}` role (a claim quoted inline, with a link to its passage on the seed page) and the
`{grade}` role (a claim's grade, read from the ledger, in a sentence)."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from brainbone.errors import IssueKind
from brainbone.sphinxext import render
from brainbone.sphinxext.domain import domain_of, warn


class ClaimRole(SphinxRole):
    """{claim}`nativepath-003` quotes a claim inline, with a link to its passage."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        claim_id = self.text.strip()
        domain = domain_of(self.env)
        cited = domain.cite(claim_id, self.get_location(), block=False)
        if cited is None:
            return [nodes.inline(text=f"[claim {claim_id} could not be quoted]", classes=["bb-missing-claim"])], []
        claim, cite_id = cited
        return [render.quote_inline(claim, self.env.docname, domain.seed_docname(claim.seed_id), cite_id)], []


class GradeRole(SphinxRole):
    """{grade}`sciencealert-015` writes the claim's grade, as the ledger has it, into a sentence
    ("… is graded {grade}`x`"), so that prose naming a claim's grade cannot disagree with the ledger."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        domain = domain_of(self.env)
        ledger = domain.ledger
        domain.note_dependencies()
        claim_id = self.text.strip()
        if not ledger.has_claim(claim_id):
            nearest = ledger.nearest_claim_id(claim_id)
            hint = f" (nearest: '{nearest}')" if nearest else ""
            warn(
                IssueKind.UNKNOWN_CLAIM,
                f"unknown claim_id '{claim_id}' in a grade role: no such row in {ledger.table_files['claims']}{hint}",
                self.get_location(),
            )
            return [nodes.inline(text=f"[grade of {claim_id} unknown]", classes=["bb-missing-claim"])], []
        return [render.grade_inline(ledger.claim(claim_id))], []


__all__ = ["ClaimRole", "GradeRole"]
