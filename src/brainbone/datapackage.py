"""The ledger as a Frictionless data package: `data/datapackage.json`, generated from the one table
definition (`brainbone.catalog` and its pandera schemas, `brainbone.vocabulary`), so that the two
cannot drift; a test regenerates it and compares. Also the package as one zip, for the explorer.

`python -m brainbone.datapackage` rewrites the descriptor (`make datapackage`); `--check` fails,
naming the difference, when the committed one is stale.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from pathlib import Path

from brainbone import catalog, layout
from brainbone import vocabulary as vocab
from brainbone.version import book_version

DESCRIPTOR = f"{layout.DATA_DIR}/datapackage.json"
ZIP_NAME = "ledger-datapackage.zip"
NAME = "brain-bone-axis-ledger"
TITLE = "The Brain–Bone Axis: claims ledger"
DESCRIPTION = (
    "What five popular web pages say about how mental health and bone health act on each other: one row per "
    "claim, each excerpt verbatim from its page, with its coding and appraisal; the pages' parts, topics and "
    "quantitative results; the checked context from the wider research; and the vocabulary every coded value "
    "comes from. Columns and values are documented in data/README.md and data/CONTEXT.md."
)
SOURCES = [
    {
        "title": "The five seed web pages, as frozen plain-text copies in seeds/ (listed, with checksums, in sources.csv)"
    },
    {"title": "The project's checked notes on the primary studies and the wider research (references.bib)"},
]
# The vocabulary table: read by brainbone.vocabulary, not by the catalog; its columns are text
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


def descriptor(root: Path, tables: tuple[catalog.TableSpec, ...] = catalog.TABLES) -> dict:
    """The data package descriptor for every declared table (present on disk or not) and the vocabulary."""
    vocabulary = vocab.load(root)
    keys = {spec.name: spec.key for spec in tables if spec.key}
    resources = [_resource(spec, vocabulary, keys) for spec in tables if (Path(root) / spec.file).is_file()]
    resources.append(_vocabulary_resource())
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": book_version(),
        "sources": SOURCES,
        "resources": resources,
    }


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m brainbone.datapackage", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=None, help="book root (default: found from here)")
    parser.add_argument("--check", action="store_true", help="fail if data/datapackage.json is stale")
    args = parser.parse_args(argv)
    root = (args.root or layout.find_book_root()).resolve()
    path = root / DESCRIPTOR
    wanted = render(descriptor(root))
    if args.check:
        if not path.is_file() or path.read_text(encoding="utf-8") != wanted:
            print(f"error: {DESCRIPTOR} is stale; regenerate it with `make datapackage`", file=sys.stderr)
            return 1
        print(f"ok: {DESCRIPTOR} describes every table")
        return 0
    path.write_text(wanted, encoding="utf-8")
    print(f"wrote {DESCRIPTOR} ({len(json.loads(wanted)['resources'])} tables)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
