"""`BrainboneDomain`: the extension's state, kept the way Sphinx expects (like sphinxcontrib-bibtex's
BibtexDomain): the ledger it quotes, and which page quotes which claim, purged per document and
merged after parallel reads. Also the typed, located warnings every part of the extension uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from brainbone import layout
from brainbone.errors import IssueKind
from brainbone.ledger.loader import Claim, Ledger

logger = logging.getLogger(__name__)

# The ledger of each book root, loaded once per process (brainbone.ledger.cache) when the build starts.
_LEDGERS: dict[Path, Ledger] = {}


def warn(kind: IssueKind, message: str, location: Any) -> None:
    """A located warning, typed `brainbone.<kind>`, so `-W` fails at the exact line and one kind
    can still be silenced by name (`suppress_warnings = ["brainbone.<kind>"]`)."""
    logger.warning(message, type="brainbone", subtype=kind.value, location=location)


class Citation(TypedDict):
    docname: str
    cite_id: str  # the id of the quote on its page, which a back-link points at
    block: bool  # a quote box (the {claim} directive, the Safety box), not the inline {claim} role


class DomainData(TypedDict):
    version: int
    citations: dict[str, list[Citation]]  # claim_id -> every quote of it, in reading order


def book_root(config: Any, srcdir: str | Path) -> Path:
    return Path(config.brainbone_root or srcdir).resolve()


def set_ledger(root: Path, ledger: Ledger) -> None:
    _LEDGERS[root] = ledger


class BrainboneDomain(Domain):
    """Owns the ledger, the citations of claims and the seed pages' docnames."""

    name = "brainbone"
    label = "The Brain–Bone Axis"
    data_version = 2  # 2: a citation says whether it is a quote box; an older saved environment is rebuilt
    initial_data: DomainData = {"version": data_version, "citations": {}}  # type: ignore[assignment]
    data: DomainData  # type: ignore[assignment]

    @property
    def ledger(self) -> Ledger:
        return _LEDGERS[book_root(self.env.config, self.env.srcdir)]

    @property
    def citations(self) -> dict[str, list[Citation]]:
        return self.data["citations"]

    def seed_docname(self, seed_id: str) -> str:
        return layout.seed_docname(seed_id, self.env.config.brainbone_seed_pages)

    def seed_docnames(self) -> set[str]:
        return {self.seed_docname(seed_id) for seed_id in self.ledger.seed_texts}

    def note_dependencies(self) -> None:
        """The current page is re-read when any file of the ledger changes. An optional table the
        ledger lacks is not noted: Sphinx re-reads a page on every build while a dependency (file or
        folder) is missing, so adding one of those tables needs a full build (`--all`)."""
        for path in self.ledger.paths:
            if Path(path).is_file():
                self.env.note_dependency(str(path))

    def cite(self, claim_id: str, location: Any, *, block: bool) -> tuple[Claim, str] | None:
        """Record a quote of `claim_id` on the current page (a quote box if `block`, else inline) and
        return the claim and the quote's id; warn, located, and return None if the claim is unknown or
        its excerpt is not verbatim."""
        ledger = self.ledger
        self.note_dependencies()
        claims_file = ledger.table_files.get("claims", layout.table_file("claims"))
        if not ledger.has_claim(claim_id):
            nearest = ledger.nearest_claim_id(claim_id)
            hint = f" (nearest: '{nearest}')" if nearest else ""
            warn(
                IssueKind.UNKNOWN_CLAIM,
                f"unknown claim_id '{claim_id}': no such row in {claims_file}{hint}; "
                "cite an existing claim or add the row first",
                location,
            )
            return None
        claim = ledger.claim(claim_id)
        if not claim.verified:
            warn(
                IssueKind.EXCERPT_MISMATCH,
                f"claim '{claim_id}' is cited but its excerpt is not verbatim in {claim.seed_file} "
                f"({claims_file} line {claim.line}); run `make check` for the nearest passage",
                location,
            )
            return None
        uses = self.citations.setdefault(claim_id, [])
        docname = self.env.docname
        cite_id = layout.cite_anchor(claim_id, sum(1 for use in uses if use["docname"] == docname) + 1)
        uses.append({"docname": docname, "cite_id": cite_id, "block": block})
        return claim, cite_id

    @property
    def page_titles(self) -> dict[str, str | None]:
        """The title of each page as its last reading left it, which back-links show. Sphinx drops a
        page's title before the `env-purge-doc` handlers that would want it, so it is kept here."""
        return self.data.setdefault("titles", {})  # type: ignore[typeddict-item]

    def quotes_in(self, docname: str) -> set[tuple[str, str, bool]]:
        """(claim_id, cite_id, block) of every quote on the page `docname`."""
        return {
            (claim_id, use["cite_id"], use["block"])
            for claim_id, uses in self.citations.items()
            for use in uses
            if use["docname"] == docname
        }

    def seeds_of(self, claim_ids: set[str]) -> set[str]:
        ledger = self.ledger
        return {ledger.claims.at[claim_id, "seed_id"] for claim_id in claim_ids if ledger.has_claim(claim_id)}

    def quoted_seeds(self, docnames: set[str]) -> set[str]:
        """The seeds whose claims any of `docnames` quotes."""
        ledger = self.ledger
        return {
            ledger.claims.at[claim_id, "seed_id"]
            for claim_id, uses in self.citations.items()
            if ledger.has_claim(claim_id) and any(use["docname"] in docnames for use in uses)
        }

    def quote_box(self, claim_id: str) -> Citation | None:
        """Where `claim_id` is quoted in a box (each excerpt is boxed on one page only), if anywhere."""
        return next((use for use in self.citations.get(claim_id, []) if use["block"]), None)

    def quoting_inline(self, claim_ids: set[str]) -> set[str]:
        """The pages that quote any of `claim_ids` inline: their links to the box follow it."""
        return {
            use["docname"] for claim_id in claim_ids for use in self.citations.get(claim_id, []) if not use["block"]
        }

    def clear_doc(self, docname: str) -> None:
        for claim_id in list(self.citations):
            self.citations[claim_id] = [use for use in self.citations[claim_id] if use["docname"] != docname]

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        for claim_id, uses in otherdata["citations"].items():
            self.citations.setdefault(claim_id, []).extend(use for use in uses if use["docname"] in docnames)

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):  # noqa: ANN001
        return []  # quotes link through the std domain's labels; nothing resolves here


def domain_of(env: BuildEnvironment) -> BrainboneDomain:
    return env.get_domain(BrainboneDomain.name)  # type: ignore[return-value]


__all__ = ["BrainboneDomain", "Citation", "DomainData", "book_root", "domain_of", "set_ledger", "warn"]
