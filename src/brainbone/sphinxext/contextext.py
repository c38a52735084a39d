"""Sphinx layer of the context layer (its check against the shared file is a ledger rule, reported
with the ledger's other problems): the `{context-box}` directive ("What the wider research says") and the `{context-effect}` and
`{context-size}` roles, which print a checked row's numbers from data/context_effects.csv."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from brainbone.appraisal import context as ctx
from brainbone.errors import IssueKind
from brainbone.ledger import context_tables

logger = logging.getLogger(__name__)


def warn(kind: IssueKind, message: str, location: Any) -> None:
    logger.warning(message, type="brainbone", subtype=kind.value, location=location)


def layer(app: Sphinx) -> ctx.Context | None:
    """The book's context tables, loaded (and checked against the shared file) with the ledger,
    whose problems the extension reports as located warnings."""
    from brainbone.sphinxext.domain import domain_of

    try:
        ledger = domain_of(app.env).ledger
    except KeyError:  # the ledger is loaded at config-inited; nothing to quote before that
        return None
    return ctx.from_ledger(ledger)


class _ContextMixin:
    env: Any

    def context(self) -> ctx.Context | None:
        context = layer(self.env.app)
        if context is not None:
            for path in context.paths:
                self.env.note_dependency(str(path))
        return context


class ContextEffectRole(_ContextMixin, SphinxRole):
    """{context-effect}`wu2018-1` prints the row's estimate and interval as reported;
    {context-size}`wu2018-1` prints its number of studies and participants."""

    def __init__(self, render) -> None:
        self.render = render

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        context_id = self.text.strip()
        context = self.context()
        row = context.effect(context_id) if context is not None else None
        if row is None:
            warn(
                IssueKind.UNKNOWN_CLAIM,
                f"unknown context_id '{context_id}': no such row in {context_tables.EFFECTS_FILE}",
                self.get_location(),
            )
            return [nodes.inline(text=f"[context row {context_id} not found]", classes=["bb-missing-claim"])], []
        text = self.render(row)
        return [nodes.inline(text, text, classes=["bb-context-number"])], []


class ContextBoxDirective(_ContextMixin, SphinxDirective):
    """```{context-box} Q2``` a marked box: the chapter's plain-words summary (the content), then
    the checked studies on the question and the verdicts on the seed claims linked to it."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        question = self.arguments[0].strip()
        if question not in ctx.QUESTIONS:
            warn(
                IssueKind.BAD_VALUE,
                f"context-box: unknown question '{question}'; expected one of: {', '.join(ctx.QUESTIONS)}",
                self.get_location(),
            )
            return []
        context = self.context()
        title = f"What the wider research says: {ctx.QUESTION_LABELS[question]}"
        box = nodes.admonition(classes=["bb-context-box"], ids=[f"context-{question.lower()}"])
        box += nodes.title(title, title)
        box.extend(self.parse_content_to_nodes())
        rows = context.rows_for(question) if context is not None else None
        if rows is None or rows.empty:
            box.extend(
                self.parse_text_to_nodes(
                    "The book's checked context file holds no study on this question, so the book found no checked "
                    "evidence here; that is not the same as there being none."
                )
            )
        else:
            studies = []
            for study_key, group in rows.groupby("study_key", sort=False):
                first = group.iloc[0]
                studies.append(f"- {{cite:t}}`{study_key}`: {_escape(first.design)}; {_escape(ctx.size_text(first))}")
            box.extend(self.parse_text_to_nodes("Checked studies on this question:\n\n" + "\n".join(studies)))
        if context is not None:
            links = context.links[context.links.question == question]
            if len(links):
                counts = links.verdict.value_counts()
                tally = ", ".join(f"{int(counts[v])} {ctx.VERDICT_LABELS[v]}" for v in ctx.VERDICTS if counts.get(v, 0))
                box.extend(
                    self.parse_text_to_nodes(
                        f"Verdicts on the {len(links)} seed claims linked to this question: {tally}; "
                        "each verdict is shown with its claim."
                    )
                )
        return [box]


def _escape(text: str) -> str:
    """Backslash-escape MyST punctuation, so a checked value prints literally."""
    import re

    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", str(text))


def setup(app: Sphinx) -> None:
    app.add_directive("context-box", ContextBoxDirective)
    app.add_role("context-effect", ContextEffectRole(ctx.effect_text))
    app.add_role("context-size", ContextEffectRole(ctx.size_text))
