"""Resolve a `{numref}` to a figure or table of its own page against the page being written.

Sphinx's standard domain resolves each `{numref}` by unpickling the whole doctree of the page
that holds its target, once per reference (Sphinx 7.4 keeps the pickled bytes, not the tree).
Nearly every `{numref}` in this book points at a figure or table of its own chapter, so each
chapter was unpickled again for each of its references: 32 unpicklings, about 1.2 s of every full
build. This post-transform runs just before Sphinx's own resolver and hands the standard domain
the page being written when the target is on that page; every other reference, and any that
does not resolve here, is left to Sphinx as before, with its own warnings.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import ReferencesResolver, SphinxPostTransform


class _PageAsWritten:
    """The build environment, except that `get_doctree` of `docname` is the tree being written."""

    def __init__(self, env: BuildEnvironment, docname: str, doctree: nodes.document) -> None:
        self._env, self._docname, self._doctree = env, docname, doctree

    def get_doctree(self, docname: str) -> nodes.document:
        return self._doctree if docname == self._docname else self._env.get_doctree(docname)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._env, name)


class ResolveNumrefsOnTheirPage(SphinxPostTransform):
    default_priority = ReferencesResolver.default_priority - 1

    def run(self, **kwargs: Any) -> None:
        std = self.env.domains["std"]
        docname = self.env.docname
        page = _PageAsWritten(self.env, docname, self.document)
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("refdomain") != "std" or node.get("reftype") != "numref":
                continue
            target = node["reftarget"]
            label = std.labels.get(target) or std.anonlabels.get(target)
            # The target must be in the tree at hand (the single-page build assembles its own).
            if not label or label[0] != docname or label[1] not in self.document.ids:
                continue
            node.setdefault("refdoc", docname)
            resolved = std.resolve_xref(page, docname, self.app.builder, "numref", target, node, node[0].deepcopy())
            if resolved is not None:
                node.replace_self(resolved)


def setup(app: Sphinx) -> None:
    app.add_post_transform(ResolveNumrefsOnTheirPage)
