"""`make new-seed FILE=page.txt ID=seed-id` starts a seed; `make move-claims ID=seed-id` files its coded claims.

new-seed refuses an empty file or one that is not UTF-8, naming it; copies the page byte for byte to
`seeds/NNN_<seed-id>.txt` (NNN: one more than the highest number in seeds/); adds its row to
data/sources.csv with its sha256 (title, outlet and kind left for the editor); proposes its parts in
data/seed_parts.csv, one per heading; writes the draft claims sheet data/drafts/<seed-id>-claims.csv,
one row per sentence with its excerpt verbatim (whitespace collapsed, which the verbatim check allows);
and regenerates data/datapackage.json. move-claims moves the sheet's fully coded rows into
data/claims.csv, numbering them, keeps the rows marked `not_a_claim`, the record of what was read and
judged not to be a claim (brainbone.ledger.status reports the rest), and regenerates the data package again.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from brainbone import layout
from brainbone.ledger import catalog
from brainbone.ledger.seeds import collapse_whitespace, digest

DRAFTS_DIR = f"{layout.DATA_DIR}/drafts"
NOT_A_CLAIM = "not_a_claim"
SOURCES_COLUMNS = ("seed_id", "file", "title", "outlet", "kind", "published", "author", "products_promoted", "sha256")
PARTS_COLUMNS = ("seed_id", "part_id", "kind", "label", "starts_with")
CLAIMS_COLUMNS = (
    "claim_id",
    "seed_id",
    "excerpt",
    "section",
    "topic",
    "direction",
    "outcome",
    "claimed_effect",
    "speaker",
    "evidence_type",
    "primary_source",
    "commercial_context",
    "appraisal",
    "appraisal_note",
    "causal_language",
    "species_dropped",
    "advice",
    "safety_flag",
    "safety_note",
    "reference_target",
)
DRAFT_COLUMNS = (NOT_A_CLAIM, *CLAIMS_COLUMNS)
# Columns a claim may leave empty (data/README.md); every other column must be coded before it is moved.
OPTIONAL_CLAIM_COLUMNS = ("claim_id", "primary_source", "safety_note")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SEED_NUMBER = re.compile(r"^(\d{3})_")
# A sentence ends at . ! ? or … (and any closing quotes or brackets), before whitespace and a capital,
# a digit or an opening quote; a line break ends one unless the next line starts in lower case.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s+[\"'“‘(\[A-Z0-9])")
# A heading: a line alone between blank lines, short, with a letter, not ending like a sentence part.
HEADING_MAX_CHARS = 80
HEADING_MAX_WORDS = 12
STARTS_WITH_CHARS = 60
# A run of text between blank lines (a blank line may hold spaces, tabs or a carriage return).
BLOCK = re.compile(r"\S(?:.|\n(?![ \t\r]*\n))*")
# Part kinds guessed from a heading's words; every other heading opens an `article` part.
KIND_WORDS = (
    (re.compile(r"\bcomments?\b|\breplies\b", re.IGNORECASE), "reader_comments"),
    (re.compile(r"\breferences?\b|\bfootnotes?\b|\bbibliography\b|\bsources\b", re.IGNORECASE), "footnotes"),
)


class NewSeedError(Exception):
    """A page or an id new-seed cannot take, with the file and the fix."""


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str  # the seed's characters, whitespace runs collapsed


def read_page(path: Path) -> tuple[bytes, str]:
    """The page's bytes and text; an error naming the file when it is missing, empty or not UTF-8."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NewSeedError(f"{path}: no such file; give the page saved as plain text, FILE=path/to/page.txt") from None
    except IsADirectoryError:
        raise NewSeedError(f"{path}: is a folder, not a file; give the page saved as plain text") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise NewSeedError(
            f"{path}: not UTF-8: byte 0x{raw[error.start]:02x} at line {line}, column {column} cannot be decoded; "
            "save the page as UTF-8 text (for a Windows-1252 file: iconv -f windows-1252 -t utf-8 page.txt > page-utf8.txt)"
        ) from None
    if not text.strip():
        what = "empty" if not raw else "only whitespace"
        raise NewSeedError(f"{path}: the file is {what}; save the page's text into it and run again")
    return raw, text


def sentences(text: str) -> list[Sentence]:
    """The page's sentences in reading order, with their offsets: blank lines and sentence ends
    divide them, and so does a line break unless the next line starts in lower case."""
    found: list[Sentence] = []
    for block in re.finditer(BLOCK, text):  # runs of text between blank lines
        cuts = [block.start()]
        body = block.group()
        for match in SENTENCE_END.finditer(body):
            cuts.append(block.start() + match.end())
        for match in re.finditer(r"\n[ \t]*(?=\S)", body):
            following = body[match.end()]
            if not following.islower():
                cuts.append(block.start() + match.start())
        cuts = sorted(set(cuts)) + [block.end()]
        for start, end in zip(cuts, cuts[1:], strict=False):
            piece = text[start:end]
            stripped = piece.strip()
            if stripped:
                offset = start + (len(piece) - len(piece.lstrip()))
                found.append(Sentence(offset, offset + len(stripped), collapse_whitespace(stripped)))
    return found


def headings(text: str) -> list[tuple[int, str]]:
    """(offset, line) of each line that stands alone between blank lines and reads like a heading."""
    found = []
    for block in re.finditer(BLOCK, text):
        line = block.group().strip()
        if (
            "\n" not in line
            and len(line) <= HEADING_MAX_CHARS
            and len(line.split()) <= HEADING_MAX_WORDS
            and re.search(r"[A-Za-z]", line)
            and not line.endswith((".", ",", ";", ":"))
        ):
            found.append((block.start(), line))
    return found


def _slug(words: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    if len(slug) > 40:  # cut at a hyphen, not inside a word
        slug = slug[:41].rsplit("-", 1)[0]
    return slug or "part"


def _snippet(text: str) -> str:
    """The first words of `text`, at most STARTS_WITH_CHARS characters, cut at a word boundary."""
    line = collapse_whitespace(text.strip().split("\n", 1)[0])
    if len(line) <= STARTS_WITH_CHARS:
        return line
    cut = line[:STARTS_WITH_CHARS].rsplit(" ", 1)[0]
    return cut or line[:STARTS_WITH_CHARS]


def propose_parts(seed_id: str, text: str) -> list[dict[str, str]]:
    """One part per heading, the first starting with the page's first words; kinds guessed from the
    heading (comments, references), else `article`, for the editor to merge and correct."""
    first = len(text) - len(text.lstrip())
    marks = [(line, line) for _, line in headings(text)]
    if not headings(text) or headings(text)[0][0] != first:
        marks.insert(0, ("Page opening", _snippet(text[first:])))
    parts, used = [], set()
    for label, line in marks:
        kind = next((kind for pattern, kind in KIND_WORDS if pattern.search(label)), "article")
        part_id = f"{seed_id}-{_slug(label)}"
        number = 2
        while part_id in used:
            part_id, number = f"{seed_id}-{_slug(label)}-{number}", number + 1
        used.add(part_id)
        parts.append(
            {"seed_id": seed_id, "part_id": part_id, "kind": kind, "label": label, "starts_with": _snippet(line)}
        )
    return parts


def next_seed_file(root: Path, seed_id: str) -> str:
    """`seeds/NNN_<seed-id>.txt`, NNN one more than the highest number the stored seeds use."""
    numbers = [int(m.group(1)) for p in (root / layout.SEEDS_DIR).glob("*.txt") if (m := SEED_NUMBER.match(p.name))]
    return f"{layout.SEEDS_DIR}/{max(numbers, default=-1) + 1:03d}_{seed_id}.txt"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _append(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Append rows to a CSV file, keeping its bytes and starting on a new line."""
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore").writerows(rows)
    existing = path.read_bytes() if path.exists() else b""
    if not existing:
        header = io.StringIO()
        csv.writer(header, lineterminator="\n").writerow(columns)
        existing = header.getvalue().encode()
    elif not existing.endswith(b"\n"):
        existing += b"\n"
    path.write_bytes(existing + buffer.getvalue().encode("utf-8"))


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def draft_file(seed_id: str) -> str:
    return f"{DRAFTS_DIR}/{seed_id}-claims.csv"


def new_seed(root: Path, page: Path, seed_id: str) -> list[str]:
    """Start seed `seed_id` from `page`; returns what was written, one line each."""
    if not SLUG.match(seed_id or ""):
        raise NewSeedError(
            f"ID '{seed_id}': a seed id is lower case letters, digits and hyphens, starting with a letter or digit, "
            "e.g. ID=harvard-depression"
        )
    raw, text = read_page(page)
    sources_path = root / catalog.spec("sources").file
    sources = _rows(sources_path)
    if any(row["seed_id"] == seed_id for row in sources):
        raise NewSeedError(f"ID '{seed_id}': {catalog.spec('sources').file} already has this seed; choose another id")
    sha = digest(raw)
    for row in sources:
        if row.get("sha256") == sha:
            raise NewSeedError(f"{page}: this page is already stored as {row['file']} (seed '{row['seed_id']}')")
    draft = root / draft_file(seed_id)
    if draft.exists():
        raise NewSeedError(f"{draft_file(seed_id)}: a draft sheet for '{seed_id}' exists already; choose another id")
    seed_file = next_seed_file(root, seed_id)
    (root / seed_file).write_bytes(raw)
    _append(sources_path, SOURCES_COLUMNS, [{"seed_id": seed_id, "file": seed_file, "sha256": sha}])
    parts = propose_parts(seed_id, text)
    _append(root / catalog.spec("seed_parts").file, PARTS_COLUMNS, parts)
    found = sentences(text)
    _write(draft, DRAFT_COLUMNS, [{"seed_id": seed_id, "excerpt": s.text} for s in found])
    written = [
        f"wrote {seed_file} ({len(raw):,} bytes, copied byte for byte; sha256 {sha[:12]}…)",
        f"added seed '{seed_id}' to {catalog.spec('sources').file}: fill in title, outlet and kind "
        "(and published, author, products_promoted where the page states them)",
        f"proposed {len(parts)} part(s) from its headings in {catalog.spec('seed_parts').file}: merge, relabel and set "
        "each kind (article, promotion, reader_comments, furniture, ...)",
        f"wrote {draft_file(seed_id)}: {len(found)} sentence(s), one per row; trim and code each claim, or write why "
        f"in {NOT_A_CLAIM}, then run: make move-claims ID={seed_id}",
    ]
    return written


def incomplete(row: dict[str, str]) -> list[str]:
    """The claim columns a draft row still leaves empty."""
    return [c for c in CLAIMS_COLUMNS if c not in OPTIONAL_CLAIM_COLUMNS and not (row.get(c) or "").strip()]


def move_claims(root: Path, seed_id: str) -> list[str]:
    """Move the draft sheet's fully coded rows into data/claims.csv, numbered after the seed's last claim."""
    draft = root / draft_file(seed_id)
    if not draft.is_file():
        raise NewSeedError(f"{draft_file(seed_id)}: no draft sheet for '{seed_id}'; start one with make new-seed")
    rows = _rows(draft)
    claims_path = root / catalog.spec("claims").file
    existing = _rows(claims_path)
    taken = {row["claim_id"] for row in existing}
    numbers = [int(m.group(1)) for c in taken if (m := re.fullmatch(rf"{re.escape(seed_id)}-(\d+)", c))]
    number = max(numbers, default=0)
    moved, kept = [], []
    for row in rows:
        if (row.get(NOT_A_CLAIM) or "").strip() or incomplete(row):
            kept.append(row)
            continue
        if not (row.get("claim_id") or "").strip():
            number += 1
            row["claim_id"] = f"{seed_id}-{number:03d}"
        if row["claim_id"] in taken:
            raise NewSeedError(
                f"{draft_file(seed_id)}: claim_id '{row['claim_id']}' is already used in data/claims.csv"
            )
        taken.add(row["claim_id"])
        moved.append(row)
    _append(claims_path, CLAIMS_COLUMNS, moved)
    _write(draft, DRAFT_COLUMNS, kept)
    waiting = sum(1 for row in kept if not (row.get(NOT_A_CLAIM) or "").strip())
    return [
        f"moved {len(moved)} coded claim(s) to {catalog.spec('claims').file}"
        + (f" ({moved[0]['claim_id']} to {moved[-1]['claim_id']})" if moved else ""),
        f"{draft_file(seed_id)} keeps {len(kept) - waiting} row(s) marked {NOT_A_CLAIM} and {waiting} still to code",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m brainbone.ledger.newseed", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=None, help="book root (default: found from here)")
    parser.add_argument("--id", required=True, help="the new seed's id, e.g. harvard-depression")
    parser.add_argument("--file", type=Path, help="the page saved as UTF-8 text (new-seed)")
    parser.add_argument("--move-claims", action="store_true", help="move the draft sheet's coded rows into claims.csv")
    args = parser.parse_args(argv)
    root = (args.root or layout.find_book_root()).resolve()
    try:
        if args.move_claims:
            lines = move_claims(root, args.id)
        else:
            if args.file is None:
                raise NewSeedError("usage: make new-seed FILE=path/to/page.txt ID=seed-id")
            lines = new_seed(root, args.file, args.id)
    except NewSeedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    from brainbone.ledger import (
        datapackage,
    )  # the descriptor names every seed page, by the sources row the editor filled

    return datapackage.main(["--root", str(root)])


if __name__ == "__main__":
    raise SystemExit(main())
