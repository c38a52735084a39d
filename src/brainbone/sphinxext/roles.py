"""The `{claim}` role: a claim quoted inline, with a link to its passage on the seed page."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from brainbone.sphinxext import render
from brainbone.sphinxext.domain import domain_of


class ClaimRole(SphinxRole):
    """{claim}`nativepath-003` quotes a claim inline, with a link to its passage."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        claim_id = self.text.strip()
        domain = domain_of(self.env)
        cited = domain.cite(claim_id, self.get_location())
        if cited is None:
            return [nodes.inline(text=f"[claim {claim_id} could not be quoted]", classes=["bb-missing-claim"])], []
        claim, cite_id = cited
        return [render.quote_inline(claim, self.env.docname, domain.seed_docname(claim.seed_id), cite_id)], []


__all__ = ["ClaimRole"]
