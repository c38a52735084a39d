"""The ledger as a Frictionless data package: `data/datapackage.json`, generated from the one table
definition (`brainbone.ledger.catalog` and its pandera schemas, `brainbone.ledger.vocabulary`), so that the two
cannot drift; a test regenerates it and compares. Also the package as one zip, for the explorer.

The licence comes from CITATION.cff (`brainbone.version.read_licence`); the columns quoted from the
seed pages (`brainbone.ledger.schema.quoted`) and the stored pages are named as their publishers' text,
which it does not cover. `python -m brainbone.ledger.datapackage` rewrites the descriptor and the licence
block of data/README.md (`make datapackage`); `--check` fails when either is stale.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import zipfile
from pathlib import Path

from brainbone import layout, words
from brainbone.ledger import catalog, schema
from brainbone.ledger import vocabulary as vocab
from brainbone.version import book_version, read_licence

DESCRIPTOR = f"{layout.DATA_DIR}/datapackage.json"
ZIP_NAME = "ledger-datapackage.zip"
NAME = "brain-bone-axis-ledger"
TITLE = "The Brain–Bone Axis: claims ledger"
# Its first words count the seeds ("What five popular web pages say ..."), from sources.csv.
DESCRIPTION = (
    "say about how mental health and bone health act on each other: one row per "
    "claim, each excerpt verbatim from its page, with its coding and appraisal; the pages' parts, topics and "
    "quantitative results; the checked context from the wider research; and the vocabulary every coded value "
    "comes from. Columns and values are documented in data/README.md and data/CONTEXT.md."
)
# Besides one source per seed page (from sources.csv):
REFERENCES_SOURCE = {
    "title": "The project's checked notes on the primary studies and the wider research (references.bib)"
}
README = f"{layout.DATA_DIR}/README.md"
# data/README.md's licence block lies between these lines; `make datapackage` rewrites what is between.
README_START = "<!-- licence: written by `make datapackage` from CITATION.cff and sources.csv; do not edit -->"
README_END = "<!-- end of licence -->"
SEED_NOTE = "third-party text, quoted for review and criticism; not covered by the package licence"
QUOTED_NOTE = "third-party text quoted from a seed page, for review and criticism; not covered by the package licence"
# The vocabulary table: read by brainbone.ledger.vocabulary, not by the catalog; its columns are text
# except `order`, a whole number.
VOCABULARY_TYPES = {"order": "integer"}
_TYPES = {"str": "string", "float64": "number", "Int64": "integer", "int64": "integer", "bool": "boolean"}


def _field_type(column) -> str:
    dtype = str(column.dtype) if column.dtype is not None else "str"
    return _TYPES.get(dtype, "string")


def _field(name: str, column) -> dict:
    metadata = column.metadata or {}
    field: dict = {"name": name, "type": _field_type(column)}
    constraints: dict = {}
    if not column.nullable:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if "allowed" in metadata:
        constraints["enum"] = list(metadata["allowed"])
    if "pattern" in metadata:  # Table Schema patterns match the whole value: no anchors
        constraints["pattern"] = metadata["pattern"].removeprefix("^").removesuffix("$")
    for check in column.checks:
        if check.name == "greater_than" and field["type"] == "integer":
            constraints["minimum"] = int(check.statistics["min_value"]) + 1
    if metadata.get("foreign_key") == "references":
        field["description"] = "a key in references.bib"
    if metadata.get(schema.QUOTED):
        field["description"] = QUOTED_NOTE
    if constraints:
        field["constraints"] = constraints
    return field


def _resource(spec: catalog.TableSpec, vocabulary: vocab.Vocabulary, keys: dict[str, str | None]) -> dict:
    schema_ = spec.build_schema(vocabulary)
    fields = [_field(name, column) for name, column in schema_.columns.items()]
    table_schema: dict = {"fields": fields, "missingValues": [""]}
    if spec.primary_key:
        table_schema["primaryKey"] = list(spec.primary_key)
    foreign = [
        {"fields": [name], "reference": {"resource": target, "fields": [keys[target]]}}
        for name, column in schema_.columns.items()
        if (target := (column.metadata or {}).get("foreign_key")) and target in keys
    ]
    if foreign:
        table_schema["foreignKeys"] = foreign
    return _csv_resource(spec.name, spec.file, table_schema, required=spec.required)


def _csv_resource(name: str, file: str, table_schema: dict, *, required: bool = True) -> dict:
    resource = {
        "name": name,
        "path": Path(file).relative_to(layout.DATA_DIR).as_posix(),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": table_schema,
    }
    if not required:
        resource["description"] = "optional: the ledger treats a missing file as an empty table"
    return resource


def _vocabulary_resource() -> dict:
    fields = [{"name": column, "type": VOCABULARY_TYPES.get(column, "string")} for column in vocab.COLUMNS]
    for item in fields:
        item["constraints"] = {"required": True}
    table_schema = {"fields": fields, "missingValues": [""], "primaryKey": ["field", "value"]}
    return _csv_resource("vocabulary", layout.VOCABULARY_FILE, table_schema)


def _seed_sources(root: Path) -> list[dict[str, str]]:
    """Each seed page as sources.csv lists it: publisher, title and stored file."""
    sources_file = Path(root) / catalog.spec("sources").file
    with sources_file.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def quoted_columns(tables: tuple[catalog.TableSpec, ...] = catalog.TABLES) -> list[str]:
    """Every column that holds text quoted from a seed page, as "column (file)", in table order."""
    return [
        f"{name} ({Path(spec.file).name})"
        for spec in tables
        for name, column in spec.build_schema(vocab.DEFAULT).columns.items()
        if (column.metadata or {}).get(schema.QUOTED)
    ]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def third_party_sentence(root: Path, tables: tuple[catalog.TableSpec, ...] = catalog.TABLES) -> str:
    """What the licence does not cover, with the publishers named from sources.csv."""
    # A seed just started by `make new-seed` has no outlet yet: it is named once the editor fills it in.
    publishers = list(dict.fromkeys(row["outlet"] for row in _seed_sources(root) if row["outlet"]))
    return (
        f"It does not cover the text quoted from the seed pages, in the columns {_and(quoted_columns(tables))}, "
        f"or the stored pages in {layout.SEEDS_DIR}/: that is third-party text, quoted for review and criticism, "
        f"and it belongs to its publishers, {_and(publishers)}."
    )


def licence_statement(root: Path, tables: tuple[catalog.TableSpec, ...] = catalog.TABLES) -> str:
    """The licence and what it does not cover, as two sentences (the descriptor, data/README.md, About)."""
    return f"{read_licence(root).sentence()} {third_party_sentence(root, tables)}"


def descriptor(root: Path, tables: tuple[catalog.TableSpec, ...] = catalog.TABLES) -> dict:
    """The data package descriptor for every declared table (present on disk or not) and the vocabulary."""
    root = Path(root)
    vocabulary = vocab.load(root)
    keys = {spec.name: spec.key for spec in tables if spec.key}
    resources = [_resource(spec, vocabulary, keys) for spec in tables if (root / spec.file).is_file()]
    resources.append(_vocabulary_resource())
    seeds = [
        {"title": f"{row['outlet']}, “{row['title']}”, stored as {row['file']}: {SEED_NOTE}"}
        for row in _seed_sources(root)
    ]
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": f"What {words.pages(len(seeds))} {DESCRIPTION} {licence_statement(root, tables)}",
        "version": book_version(),
        "licenses": [read_licence(root).descriptor()],
        "sources": [*seeds, REFERENCES_SOURCE],
        "resources": resources,
    }


def readme_with_licence(text: str, statement: str) -> str:
    """data/README.md's text with its licence block holding `statement` (one sentence per line)."""
    if README_START not in text or README_END not in text:
        raise ValueError(f"{README}: no licence block; put the lines {README_START} and {README_END} where it goes")
    before, rest = text.split(README_START, 1)
    after = rest.split(README_END, 1)[1]
    lines = statement.replace(". ", ".\n")
    return f"{before}{README_START}\n{lines}\n{README_END}{after}"


def render(package: dict) -> str:
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


def zip_bytes(root: Path) -> bytes:
    """The descriptor and every file it names, as one zip (fixed timestamps: the same data, the same bytes)."""
    root = Path(root)
    package = json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        names = ["datapackage.json", *(resource["path"] for resource in package["resources"])]
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            path = root / layout.DATA_DIR / name
            if name == Path(layout.VOCABULARY_FILE).name:  # a test book without its own uses the default
                path = layout.vocabulary_file(root)
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def stale(root: Path) -> list[str]:
    """What `make datapackage` would rewrite, one message a file (empty when both are up to date)."""
    root = Path(root)
    if not (root / DESCRIPTOR).is_file():  # a book without a data package (a test book) has none to keep
        return []
    readme = root / README
    readme_text = readme.read_text(encoding="utf-8") if readme.is_file() else None
    try:
        wanted = {DESCRIPTOR: render(descriptor(root))}
        if readme_text is not None:
            wanted[README] = readme_with_licence(readme_text, licence_statement(root))
    except ValueError as error:  # no licence in CITATION.cff, or no licence block in data/README.md
        return [str(error)]
    return [
        f"{rel} is stale (it describes the ledger as it was before the last change to its tables or seeds); "
        "regenerate it with `make datapackage`"
        for rel, text in wanted.items()
        if not (root / rel).is_file() or (root / rel).read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m brainbone.ledger.datapackage", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=None, help="book root (default: found from here)")
    parser.add_argument("--check", action="store_true", help="fail if data/datapackage.json is stale")
    args = parser.parse_args(argv)
    root = (args.root or layout.find_book_root()).resolve()
    path, readme = root / DESCRIPTOR, root / README
    readme_text = readme.read_text(encoding="utf-8") if readme.is_file() else None
    try:
        wanted = render(descriptor(root))
        readme_wanted = readme_with_licence(readme_text, licence_statement(root)) if readme_text is not None else None
    except ValueError as error:  # no licence in CITATION.cff, or no licence block in data/README.md
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.check:
        for rel, current, expected in ((DESCRIPTOR, path, wanted), (README, readme, readme_wanted)):
            if expected is not None and (not current.is_file() or current.read_text(encoding="utf-8") != expected):
                print(f"error: {rel} is stale; regenerate it with `make datapackage`", file=sys.stderr)
                return 1
        print(f"ok: {DESCRIPTOR} describes every table")
        return 0
    path.write_text(wanted, encoding="utf-8")
    if readme_wanted is not None and readme_wanted != readme_text:
        readme.write_text(readme_wanted, encoding="utf-8")
    print(f"wrote {DESCRIPTOR} ({len(json.loads(wanted)['resources'])} tables)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
