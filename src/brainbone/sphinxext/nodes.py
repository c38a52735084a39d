"""The extension's own docutils nodes: placeholders filled once every page has been read."""

from __future__ import annotations

from docutils import nodes


class claim_backlinks(nodes.Inline, nodes.Element):  # noqa: N801 - docutils names nodes in lower case
    """Placeholder on a seed page, replaced once every chapter has been read by links back to
    the places that quote the claim."""


class build_facts(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for a table about this build (`which`: "build" or "seeds"), filled when the page
    is written, so that the page is rewritten on every build without being read again."""


class quote_ref(nodes.Inline, nodes.Element):  # noqa: N801
    """Placeholder after an inline quote, replaced once every page has been read by a link to the
    claim's quote box ("quoted in Associations"), or removed if no page boxes it."""


__all__ = ["build_facts", "claim_backlinks", "quote_ref"]
