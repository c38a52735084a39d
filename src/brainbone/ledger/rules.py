"""Rules across the ledger's tables: seeds read and checksummed, parts located, every excerpt found
verbatim in its seed, and who speaks where, what sells, and effects quoted in their claims.

Pure functions over frames validated by `brainbone.ledger.validation`; each appends located issues.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from brainbone import layout
from brainbone.errors import Issue, IssueKind, did_you_mean
from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.reading import Table
from brainbone.ledger.seeds import SeedText, digest, lookalike_diagnosis, seed_of


def rows(frame: pd.DataFrame):
    """(index, row as a dict) for each row: what `iterrows()` gives, without building a Series per
    row, which dominated `make check` on large ledgers."""
    if not frame.columns.is_unique:  # records would drop the repeats; keep iterrows' behaviour
        return frame.iterrows()
    return zip(frame.index, frame.to_dict("records"), strict=True)


def sells(sources: pd.DataFrame) -> pd.Series:
    """Which seeds sell or promote something: a non-empty `products_promoted`. The one seller rule."""
    products = sources.get("products_promoted", pd.Series(None, index=sources.index, dtype=object))
    return products.notna() & (products != "")


def keyed(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Index a table by its id column, keeping the column (and leaving the index unnamed)."""
    if column not in frame:
        return frame
    frame = frame.set_index(column, drop=False)
    frame.index.name = None
    return frame


def _is_file(path: Path) -> bool:
    """Whether `path` is a file; a name too long or with a NUL byte is not one (hypothesis found both)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def read_seeds(root: Path, table: Table, sources: pd.DataFrame, issues: list[Issue]) -> dict[str, SeedText]:
    texts: dict[str, SeedText] = {}
    present = sorted(p.relative_to(root).as_posix() for p in (root / layout.SEEDS_DIR).glob(layout.SEED_GLOB))
    listed = set()
    for index, row in rows(sources):
        if row.get("seed_id") is None or row.get("file") is None:
            continue
        listed.add(row["file"])
        path = root / row["file"]
        line = table.line(index)
        if not _is_file(path):
            issues.append(
                Issue(
                    IssueKind.MISSING_SEED,
                    table.file,
                    line,
                    f"seed file '{row['file']}' for seed '{row['seed_id']}' does not exist"
                    f"{did_you_mean(row['file'], present)}; copy the page byte for byte, as received, into seeds/",
                )
            )
            continue
        raw = path.read_bytes()
        actual = digest(raw)
        if row.get("sha256") is not None and actual != row["sha256"]:
            issues.append(
                Issue(
                    IssueKind.CHECKSUM_MISMATCH,
                    table.file,
                    line,
                    f"checksum mismatch for '{row['file']}': the file's sha256 is {actual}, the sha256 column has "
                    f"{row['sha256']}; seeds are never edited, so restore the file from the page as received, "
                    "or, for a deliberately new seed, record its sha256",
                )
            )
        unreadable = _unreadable_seed(row["file"], raw)
        if unreadable is not None:
            issues.append(Issue(IssueKind.UNREADABLE_SEED, row["file"], unreadable[0], unreadable[1]))
            continue
        texts[row["seed_id"]] = seed_of(raw)
    for rel in present:
        if rel not in listed:
            issues.append(
                Issue(
                    IssueKind.LEDGER_INVALID,
                    rel,
                    None,
                    f"seed file has no row in {table.file}; add one (see CONTRIBUTING.md)",
                )
            )
    return texts


def _unreadable_seed(file: str, raw: bytes) -> tuple[int | None, str] | None:
    """Why a seed file's bytes are no page (empty, blank, or not UTF-8), with the line; else None."""
    if not raw.strip():
        what = "empty" if not raw else "blank (only whitespace)"
        return None, (
            f"seed file is {what}; save the page's text into {file} (copy it byte for byte, as received), "
            "then record its sha256 in data/sources.csv"
        )
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return line, (
            f"seed file is not UTF-8: byte 0x{raw[error.start]:02x} at line {line}, column {column} cannot be "
            "decoded; save the page as UTF-8 text (e.g. `iconv -f windows-1252 -t utf-8`), then record its new sha256"
        )
    return None


def locate_parts(
    table: Table, parts: pd.DataFrame, seed_texts: dict[str, SeedText], issues: list[Issue]
) -> dict[str, list[tuple[int, str, str, str]]]:
    """For each seed, its parts in reading order as (start offset, part_id, kind, label)."""
    located: dict[str, list[tuple[int, str, str, str]]] = {}
    for index, row in rows(parts):
        seed = seed_texts.get(row.get("seed_id"))
        if seed is None or row.get("starts_with") is None:
            continue
        previous = located.setdefault(row["seed_id"], [])
        after = previous[-1][0] + 1 if previous else 0
        span = seed.find(row["starts_with"], after)
        if span is None:
            nearest = seed.nearest(row["starts_with"])
            issues.append(
                Issue(
                    IssueKind.BAD_PART,
                    table.file,
                    table.line(index),
                    f"part '{row.get('part_id')}': starts_with is not found verbatim in seed '{row['seed_id']}' after the "
                    f"previous part; nearest passage ({nearest.score:g}% similar): “{nearest.text}”",
                )
            )
            continue
        if not previous and seed.collapsed and span.start != seed.first_offset:
            issues.append(
                Issue(
                    IssueKind.BAD_PART,
                    table.file,
                    table.line(index),
                    f"part '{row.get('part_id')}' is the first part of seed '{row['seed_id']}' but does not start at the "
                    "beginning of the seed; make starts_with the seed's first words",
                )
            )
        previous.append((span.start, row.get("part_id"), row.get("kind"), row.get("label")))
    return located


def enrich_claims(
    table: Table,
    claims: pd.DataFrame,
    sources: pd.DataFrame,
    seed_texts: dict[str, SeedText],
    part_starts: dict[str, list[tuple[int, str, str, str]]],
    verify: bool,
    issues: list[Issue],
) -> pd.DataFrame:
    claims = claims.copy()
    claims["line"] = table.lines[: len(claims)]
    outlets = dict(zip(sources.get("seed_id", []), sources.get("outlet", []), strict=False))
    files = dict(zip(sources.get("seed_id", []), sources.get("file", []), strict=False))
    count = len(claims)
    starts = np.full(count, -1, dtype=np.int64)
    ends = np.full(count, -1, dtype=np.int64)
    part_ids = np.full(count, None, dtype=object)
    part_kinds = np.full(count, "article", dtype=object)
    # Claims are matched seed by seed, each seed's excerpts in one batch (fast on large ledgers).
    groups = claims.groupby("seed_id", sort=False).indices if count else {}
    matched = [(seed_id, positions) for seed_id, positions in groups.items() if verify and seed_id in seed_texts]
    if matched:
        positions = np.concatenate([group for _, group in matched])
        starts[positions], ends[positions] = match_excerpts(table, claims, seed_texts, files, matched, issues)
    for seed_id, group in matched:
        parts = part_starts.get(seed_id)
        if parts:
            found_starts = starts[group]
            offsets = np.array([part[0] for part in parts])
            which = np.searchsorted(offsets, found_starts, side="right") - 1  # last part starting at or before
            located = (found_starts >= 0) & (which >= 0)
            part_ids[group[located]] = np.array([part[1] for part in parts], dtype=object)[which[located]]
            part_kinds[group[located]] = np.array([part[2] for part in parts], dtype=object)[which[located]]
    # The offsets as nullable integers: missing (-1) where an excerpt was not found.
    claims["start"] = pd.arrays.IntegerArray(np.where(starts >= 0, starts, 0), starts < 0)
    claims["end"] = pd.arrays.IntegerArray(np.where(ends >= 0, ends, 0), ends < 0)
    claims["verified"] = claims["start"].notna()
    claims["part_id"] = part_ids
    claims["part_kind"] = part_kinds
    claims["outlet"] = claims["seed_id"].map(outlets)
    claims["seed_file"] = claims["seed_id"].map(files)
    claims["commercial_context"] = claims["commercial_context"] == "true"
    return claims


def match_excerpts(
    table: Table,
    claims: pd.DataFrame,
    seed_texts: dict[str, SeedText],
    files: dict[str, str],
    groups: list[tuple[str, np.ndarray]],
    issues: list[Issue],
) -> tuple[np.ndarray, np.ndarray]:
    """Find the excerpts of each group (a seed's id and its claims' positions in `claims`) in the
    seed: the start and end offsets, -1 where not found, in the order of the groups' positions; each
    excerpt not found is an issue giving the nearest passage."""
    excerpts = claims["excerpt"].tolist()
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    for seed_id, positions in groups:
        seed = seed_texts[seed_id]
        found_starts, found_ends = seed.find_many([excerpts[i] for i in positions])
        starts.append(found_starts)
        ends.append(found_ends)
        for position in positions[found_starts < 0]:
            excerpt = excerpts[position]
            if not excerpt:
                continue
            row = claims.iloc[position]
            nearest = seed.nearest(excerpt)
            lookalike = lookalike_diagnosis(excerpt, nearest.text)  # a Cyrillic 'а', a zero-width space...
            issues.append(
                Issue(
                    IssueKind.EXCERPT_MISMATCH,
                    table.file,
                    row.line,
                    f"claim '{row.claim_id}': excerpt is not verbatim in {files.get(seed_id)} "
                    f"(only runs of whitespace may differ). Expected: “{excerpt}”. "
                    f"Nearest passage ({nearest.score:g}% similar): “{nearest.text}”. "
                    + (f"{lookalike} " if lookalike else "")
                    + nearest.fix("excerpt"),
                )
            )
    empty = np.array([], dtype=np.int64)
    return np.concatenate([empty, *starts]), np.concatenate([empty, *ends])


def cross_check(tables: dict[str, Table], claims: pd.DataFrame, sources: pd.DataFrame, issues: list[Issue]) -> None:
    """Rules that span tables: who speaks where, what sells, and effects quoted in their claims."""
    claims_file = tables["claims"].file
    # A table missing its id column has already been reported (hypothesis found the KeyError).
    sellers = set(sources.loc[sells(sources), "seed_id"]) if len(sources) and "seed_id" in sources.columns else set()
    if len(claims) and {"start", "part_kind", "speaker", "commercial_context", "seed_id"} <= set(claims.columns):
        # Vectorised masks pick the few rows that break a rule; only those are looped over.
        located = claims["start"].notna()
        in_comments = claims["part_kind"] == "reader_comments"
        speaker_wrong = located & (in_comments != claims["speaker"].isin(vocab.COMMENT_THREAD_SPEAKERS))
        selling_wrong = located & claims["commercial_context"].astype(bool) & ~claims["seed_id"].isin(sellers)
        # Positions, not index labels: the index repeats when claim ids do (hypothesis found it).
        for position in np.flatnonzero((speaker_wrong | selling_wrong).to_numpy()):
            row = claims.iloc[position]
            if speaker_wrong.iloc[position]:
                where = "in the reader comments" if in_comments.iloc[position] else f"in a '{row.part_kind}' part"
                issues.append(
                    Issue(
                        IssueKind.SPEAKER_MISMATCH,
                        claims_file,
                        row.line,
                        f"claim '{row.claim_id}': speaker is '{row.speaker}' but the excerpt is {where}; "
                        "the comment thread's words are speaker 'reader_comment' (a reader) or 'site_reply' "
                        "(the site's own reply), and only theirs",
                    )
                )
            if selling_wrong.iloc[position]:
                issues.append(
                    Issue(
                        IssueKind.BAD_VALUE,
                        claims_file,
                        row.line,
                        f"claim '{row.claim_id}': commercial_context is true but seed '{row.seed_id}' has no "
                        f"products_promoted in {tables['sources'].file}; set it to false or record the product",
                    )
                )
    if len(claims) and {"safety_flag", "safety_note"} <= set(claims.columns):
        flagged = claims["safety_flag"] == "true"
        noted = claims["safety_note"].fillna("").str.strip() != ""
        wrong = (flagged != noted).to_numpy()
        # Positional, not by label: a broken claims table may repeat an index value (hypothesis found it).
        for row, is_flagged in zip(claims[wrong].itertuples(), flagged.to_numpy()[wrong], strict=True):
            wanted = "a safety_note saying what the harm could be" if is_flagged else "an empty safety_note"
            issues.append(
                Issue(
                    IssueKind.BAD_VALUE,
                    claims_file,
                    row.line,
                    f"claim '{row.claim_id}': safety_flag is '{row.safety_flag}', so it needs {wanted} "
                    "(data/CODING.md, section 5)",
                )
            )
    effects = tables["effects"]
    for index, row in rows(effects.frame):
        claim_id, value = row.get("claim_id"), row.get("value")
        if claim_id not in claims.index or value is None:
            continue
        excerpt = claims.loc[claim_id, "excerpt"]
        if isinstance(excerpt, pd.Series):  # a repeated claim id, reported already: its first row
            excerpt = excerpt.iloc[0]
        if str(value) not in (excerpt or ""):
            issues.append(
                Issue(
                    IssueKind.EFFECT_MISMATCH,
                    effects.file,
                    effects.line(index),
                    f"effect '{row.get('effect_id')}': value '{value}' is not written in the excerpt of claim "
                    f"'{claim_id}'; copy the value exactly as the seed writes it",
                )
            )


def part_claims(
    tables: dict[str, Table],
    claims: pd.DataFrame,
    sources: pd.DataFrame,
    part_starts: dict[str, list[tuple[int, str, str, str]]],
    issues: list[Issue],
) -> None:
    """Every seed has a substantive part, and each substantive part contributes a claim: rules the tests
    once held alone, so that `make check` rejects first."""
    parts = tables["seed_parts"]
    frame = parts.frame
    if not {"seed_id", "part_id", "kind"} <= set(frame.columns) or "seed_id" not in sources.columns:
        return
    with_claims = set(claims["part_id"].dropna()) if "part_id" in claims.columns else set()
    # A part that could not be located has its own issue; its claims could not be assigned to it.
    located = {part[1] for parts_of_seed in part_starts.values() for part in parts_of_seed}
    substantive_seeds = set()
    seeds_with_claims = set(claims["seed_id"].dropna()) if "seed_id" in claims.columns else set()
    # A claim not found in its seed has its own issue and no part: its seed's parts are not judged.
    unlocated = set(claims.loc[claims["start"].isna(), "seed_id"]) if "start" in claims.columns else set()
    for index, row in rows(frame):
        if row.get("kind") not in vocab.SUBSTANTIVE_PART_KINDS:
            continue
        substantive_seeds.add(row.get("seed_id"))
        # A seed with no claim yet gets one issue below, not one a part.
        if (
            row.get("part_id") in located
            and row.get("part_id") not in with_claims
            and row.get("seed_id") in seeds_with_claims
            and row.get("seed_id") not in unlocated
        ):
            issues.append(
                Issue(
                    IssueKind.BAD_PART,
                    parts.file,
                    parts.line(index),
                    f"seed '{row.get('seed_id')}': its {row.get('kind')} part '{row.get('part_id')}' contributes no "
                    f"claim; extract its claims into {tables['claims'].file}, merge it into the part before it, or "
                    "give it a non-substantive kind (furniture, footnotes) if it carries none",
                )
            )
    for _index, row in rows(sources):
        if row.get("seed_id") in substantive_seeds and row.get("seed_id") not in seeds_with_claims:
            issues.append(
                Issue(
                    IssueKind.BAD_PART,
                    tables["claims"].file,
                    None,
                    f"seed '{row.get('seed_id')}' has no claim yet: code the rows of data/drafts/"
                    f"{row.get('seed_id')}-claims.csv and run make move-claims ID={row.get('seed_id')} (CONTRIBUTING.md)",
                )
            )
        if row.get("seed_id") not in substantive_seeds:
            issues.append(
                Issue(
                    IssueKind.BAD_PART,
                    parts.file,
                    None,
                    f"seed '{row.get('seed_id')}' has no substantive part ({', '.join(sorted(vocab.SUBSTANTIVE_PART_KINDS))}); "
                    "give the part that carries its text one of these kinds",
                )
            )


__all__ = [
    "part_claims",
    "reader_comment_grades",
    "sells",
    "cross_check",
    "enrich_claims",
    "keyed",
    "locate_parts",
    "match_excerpts",
    "read_seeds",
    "rows",
]


def reader_comment_grades(claims: pd.DataFrame, claims_file: str) -> list[Issue]:
    """A reader's comment is never evidence, so it is graded unsupported (data/CODING.md). `make check`
    applies it, as the tests do to the real ledger; the loader does not, so that a test fixture may grade
    a comment otherwise to draw two grades."""
    if not len(claims) or not {"speaker", "appraisal"} <= set(claims.columns):
        return []
    wrong = (claims["speaker"] == "reader_comment") & (claims["appraisal"] != "unsupported")
    return [
        Issue(
            IssueKind.BAD_VALUE,
            claims_file,
            row.line,
            f"claim '{row.claim_id}': a reader's comment is graded '{row.appraisal}', but a reader's anecdote is "
            "never evidence: grade it unsupported (data/CODING.md)",
        )
        for row in claims[wrong].itertuples()
    ]
