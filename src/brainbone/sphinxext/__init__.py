"""Sphinx extension: the `{claim}` role and directive, generated seed pages, and ledger warnings.

A thin layer: loading, validation and matching live in `brainbone.ledger.loader` and `brainbone.ledger.seeds`.
State lives in `BrainboneDomain` (domain.py); roles, directives, nodes and the seed pages each have
a module. Every warning is typed (`brainbone.<kind>`) and located, so `-W` fails at the exact line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from brainbone import layout
from brainbone.book import manuals
from brainbone.book.fingerprint import input_files, prepare
from brainbone.book.frontmatter import is_notebook
from brainbone.ledger.cache import load_cached
from brainbone.sphinxext import bibstyle, contextext, forestext, pagehtml, seedpages
from brainbone.sphinxext.directives import (
    BookTableDirective,
    BuildFactsDirective,
    ClaimDirective,
    SafetyBoxDirective,
    SeedTextDirective,
    fill_build_facts,
)
from brainbone.sphinxext.domain import BrainboneDomain, book_root, domain_of, set_ledger, warn
from brainbone.sphinxext.nodes import build_facts, claim_backlinks, quote_ref
from brainbone.sphinxext.roles import ClaimRole, GradeRole
from brainbone.version import book_version


def seed_docname(config: Any, seed_id: str) -> str:
    return layout.seed_docname(seed_id, config.brainbone_seed_pages)


# ---------------------------------------------------------------------------------------
# Loading the ledger and writing the seed pages, once per build


def load(app: Sphinx, config: Any) -> None:
    """Load the ledger (validated once per content, shared with the kernels through brainbone.ledger.cache)
    and (re)write one stub page per seed, before Sphinx looks for documents."""
    root = book_root(config, app.srcdir)
    # Smart quotes would turn a seed's straight quotes and "--" into typographic ones: not verbatim.
    config.smartquotes = False
    # The cache lives in the book's own _build/; a test project that only reads a book writes nothing there.
    ledger = load_cached(root, store=Path(app.outdir).resolve().is_relative_to(root / layout.BUILD_DIR))
    set_ledger(root, ledger)
    seedpages.write_stubs(Path(app.srcdir) / config.brainbone_seed_pages, ledger)
    if Path(app.srcdir).resolve() == Path(root).resolve():  # the book itself, not a test project reading one
        manuals.write_pages(root, Path(app.srcdir))  # the coding manual and rating guide, as appendices


def report_issues(app: Sphinx) -> None:
    ledger = domain_of(app.env).ledger
    for issue in ledger.issues:
        path = ledger.root / issue.file
        warn(issue.kind, issue.message, f"{path}:{issue.line}" if issue.line else str(path))


def add_inputs_cell(app: Sphinx, docname: str, source: list[str]) -> None:
    """Key each chapter's cached outputs on the files it reads, not only on its code."""
    root = book_root(app.config, app.srcdir)
    source[0] = prepare(root, source[0])
    if is_notebook(source[0]):
        # A chapter's outputs change with the files it reads, even one that quotes no claim.
        for path in input_files(root, source[0]):
            app.env.note_dependency(str(path))


def resolve_placeholders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    seedpages.resolve_backlinks(app, doctree, docname)
    seedpages.resolve_quote_refs(app, doctree, docname)
    fill_build_facts(domain_of(app.env).ledger, doctree)


def setup(app: Sphinx) -> ExtensionMetadata:
    bibstyle.register()  # `bibtex_default_style: brainbone_author_year` in _config.yml
    app.add_config_value("brainbone_root", None, "env", [str, type(None)])
    app.add_config_value("brainbone_seed_pages", layout.SEED_PAGES_DIR, "env", [str])
    # Pages about the build itself (the About page: commit, date), written anew on every build.
    app.add_config_value("brainbone_always_rebuild", [], "env", [list])
    app.add_domain(BrainboneDomain)
    app.connect("config-inited", load)
    app.connect("builder-inited", report_issues)
    contextext.setup(app)  # the context layer: its check, the {context-box} directive and roles
    forestext.setup(app)  # one forest plot per key question, drawn from the checked context rows
    app.connect("source-read", add_inputs_cell)
    app.connect("env-purge-doc", seedpages.note_purge)
    app.connect("env-get-updated", seedpages.pages_to_rewrite)
    app.connect("doctree-resolved", resolve_placeholders)
    app.add_directive("claim", ClaimDirective)
    app.add_role("claim", ClaimRole())
    app.add_role("grade", GradeRole())
    app.add_directive("seed-text", SeedTextDirective)
    app.add_directive("build-facts", BuildFactsDirective)
    app.add_directive("safety-box", SafetyBoxDirective)
    app.add_directive("book-table", BookTableDirective)
    app.add_node(claim_backlinks)
    app.add_node(build_facts)
    app.add_node(quote_ref)
    pagehtml.setup(app)  # static assets and html-page-context handlers
    app.setup_extension("brainbone.sphinxext.versioning")  # the version in every footer, the citation on About
    app.setup_extension("brainbone.sphinxext.whatsnew")  # the What's new page, from the git history of data/
    app.setup_extension("brainbone.sphinxext.downloads")  # the data package zip for the explorer
    app.setup_extension("brainbone.sphinxext.scorecard")  # the instruments' scorecards (issue 10)
    app.setup_extension("brainbone.sphinxext.computedtables")  # glued tables numbered as Tables, not Figures
    return {"version": book_version(), "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
