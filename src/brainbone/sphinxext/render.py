"""Docutils nodes for quotes and seed pages; every piece of seed text goes in as a Text node,
which the HTML writer escapes, so nothing from a seed is ever rendered as markup."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes

from brainbone import layout
from brainbone.appraisal import badges, context
from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.loader import Claim, Ledger
from brainbone.ledger.seeds import collapse_whitespace
from brainbone.sphinxext.nodes import claim_backlinks, quote_ref


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation mark, so MyST shows the text literally."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def badge(text: str, *classes: str) -> nodes.inline:
    return nodes.inline(text, text, classes=["bb-badge", *classes])


def claim_badges(claim: Claim, vocabulary: vocab.Vocabulary = vocab.DEFAULT) -> list[nodes.Node]:
    """Speaker, evidence, appraisal and commercial badges (brainbone.appraisal.badges), spaced."""
    parts = [nodes.inline(b.text, b.text, classes=list(b.classes)) for b in badges.claim_badges(claim, vocabulary)]
    spaced: list[nodes.Node] = []
    for part in parts:
        spaced.extend([part, nodes.Text(" ")])
    return spaced[:-1]


def seed_link(claim: Claim, docname: str, seed_docname: str, *content: nodes.Node) -> addnodes.pending_xref:
    """A link to the claim's highlighted passage on its seed page, resolved (and checked) by Sphinx."""
    ref = addnodes.pending_xref(
        "",
        *content,
        refdomain="std",
        reftype="ref",
        reftarget=layout.claim_anchor(claim.claim_id),
        refexplicit=True,
        refwarn=True,
        refdoc=docname,
    )
    ref["classes"].append("bb-source-link")
    return ref


def quote_block(
    claim: Claim,
    docname: str,
    seed_docname: str,
    cite_id: str,
    verdicts: list[tuple[str, str, str]] = (),
    vocabulary: vocab.Vocabulary = vocab.DEFAULT,
) -> nodes.container:
    """The `{claim}` directive: the verbatim excerpt, its outlet and badges, and the reason for its grade,
    followed by what the checked wider research says on each linked question (never instead of the grade)."""
    box = nodes.container(classes=["bb-quote", f"bb-appraisal-{claim.appraisal}"], ids=[cite_id])
    quote = nodes.block_quote(classes=["bb-quote-text"])
    excerpt = collapse_whitespace(claim.excerpt)
    quote += nodes.paragraph(excerpt, excerpt)
    box += quote
    meta = nodes.paragraph(classes=["bb-quote-meta"])
    label = f"{claim.outlet} · {claim.claim_id}"
    meta += nodes.Text("— ")
    meta += seed_link(claim, docname, seed_docname, nodes.inline(label, label))
    meta += nodes.Text(" ")
    meta.extend(claim_badges(claim, vocabulary))
    box += meta
    note = nodes.paragraph(classes=["bb-appraisal-note"])
    note += nodes.strong("Why this grade: ", "Why this grade: ")
    note += nodes.Text(claim.appraisal_note)
    for question, verdict, reason in verdicts:
        words = f"Wider research ({question}, {context.QUESTION_LABELS[question]}): "
        line = nodes.inline(classes=["bb-context-verdict", f"bb-context-{verdict}"])
        line += nodes.strong(words, words)
        line += badge(context.VERDICT_LABELS[verdict], "bb-verdict", f"bb-verdict-{verdict}")
        line += nodes.Text(f" — {reason}.")
        note += nodes.Text(" ")
        note += line
    box += note
    return box


def quote_inline(claim: Claim, docname: str, seed_docname: str, cite_id: str) -> nodes.inline:
    """The `{claim}` role: “excerpt” followed by a small link to the passage in its seed, and a
    placeholder for a link to the claim's quote box, wherever that is (each excerpt is boxed once)."""
    excerpt = collapse_whitespace(claim.excerpt)
    node = nodes.inline(classes=["bb-quote-inline", f"bb-appraisal-{claim.appraisal}"], ids=[cite_id])
    # An excerpt that opens with the seed's own quotation mark is not wrapped in a second pair.
    quoted = excerpt[:1] in "“‘\"'"
    node += nodes.Text(excerpt if quoted else f"“{excerpt}”")
    node += nodes.Text(" ")
    label = f"[{claim.outlet}, {vocab.label(claim.appraisal, 'appraisal')}]"
    node += seed_link(claim, docname, seed_docname, nodes.inline(label, label, classes=["bb-source-ref"]))
    node += quote_ref(claim_id=claim.claim_id)
    return node


def seed_metadata(ledger: Ledger, seed_id: str) -> nodes.field_list:
    source = ledger.source(seed_id)
    claims = ledger.claims[ledger.claims.seed_id == seed_id]
    rows = [
        ("Outlet", source.outlet),
        ("Kind of page", source.kind),
        ("Published", source.published or "not stated on the page"),
        ("Author", source.author or "not stated on the page"),
        ("Says it sells or advertises", source.products_promoted or "nothing found on the page"),
        ("File", source.file),
        ("SHA-256", source.sha256),
        ("Claims in the ledger", f"{len(claims)} ({int(claims.verified.sum())} verified verbatim)"),
    ]
    fields = nodes.field_list(classes=["bb-seed-meta"])
    for name, value in rows:
        body = nodes.field_body("", nodes.paragraph(str(value), str(value)))
        fields += nodes.field("", nodes.field_name(name, name), body)
    return fields


def seed_body(ledger: Ledger, seed_id: str, document: nodes.document) -> list[nodes.Node]:
    """The seed's full text, part by part and line by line, with every claim highlighted and anchored."""
    seed = ledger.seed_texts[seed_id]
    text = seed.text
    claims = ledger.claims[(ledger.claims.seed_id == seed_id) & ledger.claims.verified]
    spans = sorted((int(r.start), int(r.end), r.claim_id, r.appraisal) for r in claims.itertuples())
    result: list[nodes.Node] = []
    anchored: set[str] = set()
    for part in ledger.part_spans(seed_id):
        start, end, kind, label = part.start, part.end, part.kind, part.label
        box = nodes.container(classes=["bb-part", f"bb-part-{kind}"])
        heading = nodes.paragraph(classes=["bb-part-label"])
        heading += nodes.strong(label, label)
        heading += nodes.Text(f" — {ledger.vocabulary.term('part_kind', kind).description}")
        box += heading
        offset = start
        for line in text[start:end].split("\n"):
            line_start, offset = offset, offset + len(line) + 1
            if line.strip():
                box += _line(text, line_start, line_start + len(line), spans, anchored, document)
        result.append(box)
    return result


def _line(
    text: str, start: int, end: int, spans: list, anchored: set[str], document: nodes.document
) -> nodes.paragraph:
    """One line of the seed as a paragraph, split where claims begin and end."""
    inside = [s for s in spans if s[0] < end and s[1] > start]
    cuts = sorted({start, end, *(max(s[0], start) for s in inside), *(min(s[1], end) for s in inside)})
    paragraph = nodes.paragraph(classes=["bb-seed-line"])
    for left, right in zip(cuts, cuts[1:], strict=False):
        piece = text[left:right]
        covering = [s for s in inside if s[0] <= left and s[1] >= right]
        if not covering:
            paragraph += nodes.Text(piece)
            continue
        innermost = min(covering, key=lambda s: s[1] - s[0])
        highlight = nodes.inline(
            piece, piece, classes=["bb-claim", f"bb-appraisal-{innermost[3]}"] + [f"bb-{s[2]}" for s in covering]
        )
        for s in covering:
            if s[2] not in anchored:
                anchored.add(s[2])
                highlight["ids"].append(layout.claim_anchor(s[2]))
                highlight["names"].append(layout.claim_anchor(s[2]))
        if highlight["ids"]:
            # Registers the anchors as labels, so quotes link here through Sphinx's checked `ref`.
            document.note_explicit_target(highlight, highlight)
        paragraph += highlight
        for s in covering:
            if s[1] == right:
                tag = nodes.inline(classes=["bb-claim-tag"])
                tag += nodes.Text(f"[{s[2]}: {s[3]}]")
                tag += claim_backlinks(claim_id=s[2])
                paragraph += tag
    return paragraph


def dataframe_table(frame, caption: str) -> nodes.table:
    """A pandas DataFrame as a plain docutils table; every cell is a Text node, so it is escaped."""
    table = nodes.table(classes=["bb-facts"])
    table += nodes.title(caption, caption)
    table += dataframe_rows(frame)
    return table


def dataframe_rows(frame) -> nodes.tgroup:
    """The columns, header and rows of a docutils table holding `frame`, each cell a Text node."""
    group = nodes.tgroup(cols=len(frame.columns))
    for _ in frame.columns:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    row = nodes.row()
    for name in frame.columns:
        row += nodes.entry("", nodes.paragraph(str(name), str(name)))
    head += row
    group += head
    body = nodes.tbody()
    for values in frame.itertuples(index=False):
        row = nodes.row()
        for value in values:
            row += nodes.entry("", nodes.paragraph(str(value), str(value)))
        body += row
    group += body
    return group


def label_ref(label: str, text: str, docname: str) -> addnodes.pending_xref:
    """A link to a `(label)=` anywhere in the book, resolved by Sphinx like {ref}; a missing label warns."""
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="ref", reftarget=label, refexplicit=True, refwarn=True, refdoc=docname
    )
    ref += nodes.inline(text, text)
    return ref


def _note_with_rule_links(note: str, docname: str) -> list[nodes.Node]:
    """'Rules 1 and 4: ...' with each rule number linked to the rule in the coding manual's appendix."""
    from brainbone.book import manuals

    match = manuals.SAFETY_RULE.match(note)
    if not match:
        return [nodes.Text(note)]
    parts: list[nodes.Node] = [nodes.Text(note[: match.start(1)])]
    first, second = match.group(1), match.group(2)
    parts.append(label_ref(f"coding-safety-rule-{first}", first, docname))
    if second:
        parts.append(nodes.Text(note[match.end(1) : match.start(2)]))
        parts.append(label_ref(f"coding-safety-rule-{second}", second, docname))
    parts.append(nodes.Text(note[match.end() :]))
    return parts


def safety_box(
    items: list[tuple[nodes.Node, str, list[tuple[str, str]]]], docname: str, *, link_rules: bool = True
) -> nodes.admonition:
    """The `{safety-box}` directive: every safety-flagged claim, quoted with its badges, why it is
    flagged, and what the checked research says. `items` holds each claim's quote block, its safety
    note and its research lines (lead, text) from `brainbone.appraisal.safety.context_lines`; with `link_rules`,
    the rule numbers link to the coding manual's appendix (brainbone.book.manuals)."""
    box = nodes.admonition(classes=["bb-safety", "warning"], ids=["safety-box"])
    box += nodes.title("Safety", "Safety")
    lead = (
        "These claims could lead a reader to harm if acted on: stopping or replacing a prescribed medicine, "
        "distrusting medicines in general, or treating a product as a substitute for medical care. "
        "They are quoted so that they can be recognised, not followed. "
        "Under each, where the book has checked research on its point, is the research verdict on the claim "
        "and what the checked studies say, with the certainty the research summary of findings gives them; "
        "this is what the studies found, not advice for any one reader. "
        "Stopping, reducing or replacing a prescribed medicine is a decision made with the clinician who prescribed it. "
        "The rule numbers are those of "
    )
    paragraph = nodes.paragraph("", "", nodes.Text(lead))
    where = "section 5 of the coding manual"
    paragraph += label_ref("coding-section-5", where, docname) if link_rules else nodes.Text(where)
    paragraph += nodes.Text(", in the appendix.")
    box += paragraph
    for quote, note, research in items:
        why = nodes.strong("Why this is flagged: ", "Why this is flagged: ")
        body = _note_with_rule_links(note, docname) if link_rules else [nodes.Text(note)]
        quote += nodes.paragraph("", "", why, *body, classes=["bb-safety-note"])
        for lead_words, text in research:
            quote += nodes.paragraph(
                "", "", nodes.strong(lead_words, lead_words), nodes.Text(text), classes=["bb-safety-research"]
            )
        box += quote
    return box


def grade_inline(claim: Claim) -> nodes.emphasis:
    """The `{grade}` role: the claim's grade in prose words, emphasised, from the ledger."""
    text = vocab.label(claim.appraisal, "appraisal")
    return nodes.emphasis(text, text, classes=["bb-grade", f"bb-appraisal-{claim.appraisal}"])
