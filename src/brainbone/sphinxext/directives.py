"""Directives: `{claim}` (a quoted claim as a block), `{seed-text}` (a seed page's body) and
`{build-facts}` (the About page's tables, filled when the page is written)."""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from brainbone.errors import IssueKind
from brainbone.sphinxext import contextext, render
from brainbone.sphinxext.domain import domain_of, warn
from brainbone.sphinxext.nodes import build_facts

# Each build-facts table and its caption.
BUILD_FACTS = {
    "build": "Where and when this copy of the book was built",
    "seeds": "The seed files and their SHA-256 checksums",
    "maintainers": "Who maintains the book, and what they declare",
    "currency": "When the research, the seeds and the ledger were last checked",
    "jama": "The JAMA benchmarks applied to this book",
}


class ClaimDirective(SphinxDirective):
    """```{claim} nativepath-003``` quotes a claim as a block, with its source, badges and grade."""

    required_arguments = 1
    has_content = False
    option_spec = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        claim_id = self.arguments[0].strip()
        domain = domain_of(self.env)
        cited = domain.cite(claim_id, self.get_location(), block=True)
        if cited is None:
            return [nodes.paragraph(classes=["bb-missing-claim"], text=f"[claim {claim_id} could not be quoted]")]
        claim, cite_id = cited
        context = contextext.layer(self.env.app)
        verdicts = context.verdicts(claim_id) if context is not None else []
        block = render.quote_block(
            claim,
            self.env.docname,
            domain.seed_docname(claim.seed_id),
            cite_id,
            verdicts=verdicts,
            vocabulary=domain.ledger.vocabulary,
        )
        block["classes"].extend(self.options.get("class", []))
        return [block]


class SeedTextDirective(SphinxDirective):
    """```{seed-text} nativepath``` renders a seed's metadata and full, escaped, highlighted text."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        domain = domain_of(self.env)
        ledger = domain.ledger
        seed_id = self.arguments[0].strip()
        domain.note_dependencies()
        if seed_id not in ledger.seed_texts:
            warn(
                IssueKind.UNKNOWN_SEED, f"unknown seed '{seed_id}': no readable seed with that id", self.get_location()
            )
            return []
        return [render.seed_metadata(ledger, seed_id), *render.seed_body(ledger, seed_id, self.state.document)]


class BuildFactsDirective(SphinxDirective):
    """```{build-facts} build``` (or `seeds`): a table about this build. The page holds a placeholder,
    filled when it is written (`fill_build_facts`): the commit and date describe this build, and a
    prose edit elsewhere re-reads nothing here."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        which = self.arguments[0].strip()
        if which not in BUILD_FACTS:
            raise self.error(f"build-facts: expected one of {', '.join(BUILD_FACTS)}, got '{which}'")
        domain_of(self.env).note_dependencies()
        # The table and its caption exist when the page is read, so Sphinx numbers it; its rows come later.
        table = nodes.table(classes=["bb-facts"])
        table += nodes.title(BUILD_FACTS[which], BUILD_FACTS[which])
        table += build_facts(which=which)
        return [table]


def fill_build_facts(ledger, doctree: nodes.document) -> None:
    """Replace each `build_facts` placeholder by its table's rows, computed now."""
    placeholders = list(doctree.findall(build_facts))
    if not placeholders:
        return
    from brainbone.book import about  # only the About page needs git and the tool versions

    for placeholder in placeholders:
        which = placeholder["which"]
        tables = {
            "build": lambda: about.build_facts(ledger),
            "seeds": lambda: about.seed_checksums(ledger),
            "maintainers": lambda: about.maintainers_table(ledger.root),
            "currency": lambda: about.currency_table(ledger.root),
            "jama": lambda: about.jama_table(ledger.root, ledger),
        }
        frame = tables[which]()
        placeholder.replace_self(render.dataframe_rows(frame))


class SafetyBoxDirective(SphinxDirective):
    """```{safety-box}``` lists every safety-flagged claim of the ledger, each quoted with its badges
    and its safety note; the selection is `brainbone.appraisal.safety.flagged`, so the box cannot miss one."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from brainbone.appraisal import safety

        domain = domain_of(self.env)
        items = []
        contexts = safety.safety_context(domain.ledger)
        for claim_id, row in safety.flagged(domain.ledger.claims).iterrows():
            cited = domain.cite(claim_id, self.get_location(), block=True)
            if cited is None:
                continue
            claim, cite_id = cited
            block = render.quote_block(
                claim,
                self.env.docname,
                domain.seed_docname(claim.seed_id),
                cite_id,
                vocabulary=domain.ledger.vocabulary,
            )
            items.append((block, row.safety_note, safety.context_lines(contexts[claim_id])))
        # The rule numbers link to the coding manual's appendix where the book has one (not in a test project).
        has_manual = any(name.endswith("coding-manual") for name in self.env.found_docs)
        return [render.safety_box(items, self.env.docname, link_rules=has_manual)]


class BookTableDirective(SphinxDirective):
    """```{book-table} exaggeration-per-seed``` renders one of `brainbone.book.booktables.TABLES` at build
    time as a captioned, numbered docutils table (a Table, not a Figure); `:name:` labels it."""

    required_arguments = 1
    option_spec = {"name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        from brainbone.book import booktables

        domain = domain_of(self.env)
        domain.note_dependencies()
        key = self.arguments[0].strip()
        if key not in booktables.TABLES:
            known = ", ".join(sorted(booktables.TABLES))
            raise self.error(f"book-table: unknown table '{key}'; expected one of: {known}")
        spec = booktables.TABLES[key]
        for path in spec.reads(domain.ledger.root):
            self.env.note_dependency(str(path))
        table = render.dataframe_table(spec.build(domain.ledger), spec.caption)
        table["classes"].append("bb-book-table")
        table["classes"].extend(spec.classes)
        self.add_name(table)
        return [table]


__all__ = [
    "BookTableDirective",
    "BuildFactsDirective",
    "ClaimDirective",
    "SafetyBoxDirective",
    "SeedTextDirective",
    "fill_build_facts",
]
