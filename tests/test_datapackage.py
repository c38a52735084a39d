"""data/datapackage.json: generated from the table definitions, valid for the frictionless library,
picking up every declared table, and shipped as one zip."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandera.pandas as pa
import pytest
import yaml
from frictionless import Package

from bookutils import ROOT, TINY, replace_in
from brainbone import version as versions
from brainbone.ledger import catalog, datapackage, schema
from brainbone.ledger import vocabulary as vocab


def copy_data(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOT / "data", root / "data")
    for name in ("_config.yml", "CITATION.cff"):
        shutil.copy(ROOT / name, root / name)
    return root


CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_the_descriptors_licence_is_the_one_citation_cff_states() -> None:
    package = json.loads((ROOT / datapackage.DESCRIPTOR).read_text(encoding="utf-8"))
    assert [licence["name"] for licence in package["licenses"]] == [CFF["license"]]
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]


def test_a_licence_changed_in_citation_cff_changes_the_descriptor(tmp_path: Path, monkeypatch) -> None:
    root = copy_data(tmp_path)
    monkeypatch.setitem(
        versions.LICENCES, "CC0-1.0", ("CC0 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/")
    )
    replace_in(root / "CITATION.cff", "license: CC-BY-4.0", "license: CC0-1.0")
    package = datapackage.descriptor(root)
    assert package["licenses"] == [
        {"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/", "title": "CC0 1.0 Universal"}
    ]
    assert "licensed under CC0 1.0 Universal (CC0-1.0, " in package["description"]


def test_a_missing_licence_fails_with_a_message_saying_where_to_state_it(tmp_path: Path) -> None:
    root = copy_data(tmp_path)
    replace_in(root / "CITATION.cff", "license: CC-BY-4.0\n", "")
    message = (
        "CITATION.cff: no `license:`; state the licence of the book's own data and text there, once, "
        "as an SPDX identifier, e.g. `license: CC-BY-4.0`"
    )
    with pytest.raises(versions.LicenceError) as raised:
        datapackage.descriptor(root)
    assert str(raised.value) == message
    command = [sys.executable, "-m", "brainbone.ledger.datapackage", "--check", "--root", str(root)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (1, f"error: {message}\n")


def test_an_unknown_licence_fails_with_the_known_ones(tmp_path: Path) -> None:
    root = copy_data(tmp_path)
    replace_in(root / "CITATION.cff", "license: CC-BY-4.0", "license: CC-BY-40")
    with pytest.raises(versions.LicenceError) as raised:
        datapackage.descriptor(root)
    assert str(raised.value) == (
        "CITATION.cff: license 'CC-BY-40' is not one brainbone.version can name in full; expected one of: "
        "CC-BY-4.0 (add its title and URL to LICENCES)"
    )


def test_the_quoted_text_and_its_publishers_are_named_outside_the_licence(tiny_root: Path) -> None:
    # Hand-written for the tiny fixture: one seed, published by "Tiny Health".
    assert datapackage.licence_statement(tiny_root) == (
        "The book's own data and text are licensed under Creative Commons Attribution 4.0 "
        "(CC-BY-4.0, https://creativecommons.org/licenses/by/4.0/). "
        "It does not cover the text quoted from the seed pages, in the columns title (sources.csv), starts_with "
        "(seed_parts.csv), excerpt (claims.csv) and evidence (source_ratings.csv), or the stored pages in seeds/: "
        "that is third-party text, quoted for review and criticism, and it belongs to its publishers, Tiny Health."
    )
    package = datapackage.descriptor(tiny_root)
    assert package["sources"][0] == {
        "title": "Tiny Health, \u201cA Tiny Page About Bones\u201d, stored as seeds/tiny.txt: third-party text, "
        "quoted for review and criticism; not covered by the package licence"
    }
    claims = next(r for r in package["resources"] if r["name"] == "claims")["schema"]["fields"]
    quoted = [field["name"] for field in claims if "not covered by the package licence" in field.get("description", "")]
    assert quoted == ["excerpt"]


def test_the_real_descriptor_and_readme_name_every_publisher_of_sources_csv() -> None:
    with (ROOT / "data/sources.csv").open(encoding="utf-8", newline="") as handle:
        outlets = {row["outlet"] for row in csv.DictReader(handle)}
    assert outlets >= {"NativePath", "ScienceAlert", "Save Our Bones"}
    package = json.loads((ROOT / datapackage.DESCRIPTOR).read_text(encoding="utf-8"))
    readme = (ROOT / "data/README.md").read_text(encoding="utf-8")
    block = readme.split(datapackage.README_START)[1].split(datapackage.README_END)[0]
    for outlet in outlets:
        assert outlet in package["description"] and outlet in block, outlet
        assert any(source["title"].startswith(f"{outlet}, ") for source in package["sources"]), outlet
    assert "Creative Commons Attribution 4.0 (CC-BY-4.0, https://creativecommons.org/licenses/by/4.0/)." in block
    assert "excerpt (claims.csv)" in block and "seeds/" in block


def test_a_stale_readme_licence_block_fails_the_check(tmp_path: Path) -> None:
    root = copy_data(tmp_path)
    replace_in(root / "data/README.md", "Creative Commons Attribution 4.0 (", "Creative Commons Attribution 3.0 (")
    command = [sys.executable, "-m", "brainbone.ledger.datapackage", "--check", "--root", str(root)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (
        1,
        "error: data/README.md is stale; regenerate it with `make datapackage`\n",
    )
    subprocess.run(
        [sys.executable, "-m", "brainbone.ledger.datapackage", "--root", str(root)], check=True, capture_output=True
    )
    assert (root / "data/README.md").read_bytes() == (ROOT / "data/README.md").read_bytes()


def test_the_committed_descriptor_is_the_generated_one() -> None:
    committed = (ROOT / datapackage.DESCRIPTOR).read_text(encoding="utf-8")
    assert committed == datapackage.render(datapackage.descriptor(ROOT)), "run `make datapackage`"


def test_every_declared_table_and_the_vocabulary_are_described() -> None:
    package = json.loads((ROOT / datapackage.DESCRIPTOR).read_text(encoding="utf-8"))
    names = [resource["name"] for resource in package["resources"]]
    present = [spec.name for spec in catalog.TABLES if (ROOT / spec.file).is_file()]
    assert names == [*present, "vocabulary"]
    claims = next(r for r in package["resources"] if r["name"] == "claims")["schema"]
    assert claims["primaryKey"] == ["claim_id"]
    assert {"fields": ["seed_id"], "reference": {"resource": "sources", "fields": ["seed_id"]}} in claims["foreignKeys"]
    speaker = next(f for f in claims["fields"] if f["name"] == "speaker")
    assert "reader_comment" in speaker["constraints"]["enum"]


def test_the_codings_and_their_reconciliation_are_described_with_their_keys() -> None:
    package = json.loads((ROOT / datapackage.DESCRIPTOR).read_text(encoding="utf-8"))
    resources = {resource["name"]: resource for resource in package["resources"]}
    to_claims = {"fields": ["claim_id"], "reference": {"resource": "claims", "fields": ["claim_id"]}}
    for name in ("second_coding", "second_coding_round2"):
        table = resources[name]["schema"]
        assert resources[name]["path"] == f"{name}.csv"
        assert table["primaryKey"] == ["claim_id"]
        assert table["foreignKeys"] == [to_claims]
        fields = {field["name"]: field for field in table["fields"]}
        assert list(fields) == [
            "claim_id",
            "appraisal",
            "evidence_type",
            "speaker",
            "direction",
            "commercial_context",
            "causal_language",
            "species_dropped",
            "advice",
            "safety_flag",
        ]
        assert fields["claim_id"]["constraints"] == {"required": True, "unique": True}
        assert fields["advice"]["constraints"]["enum"] == ["none", "implicit", "explicit"]
        assert fields["safety_flag"]["constraints"]["enum"] == ["true", "false"]
    reconciliation = resources["reconciliation"]["schema"]
    assert reconciliation["primaryKey"] == ["claim_id", "field"]
    assert reconciliation["foreignKeys"] == [
        {"fields": ["claim_id"], "reference": {"resource": "second_coding", "fields": ["claim_id"]}}
    ]
    field = next(f for f in reconciliation["fields"] if f["name"] == "field")
    assert field["constraints"]["enum"][:2] == ["appraisal", "evidence_type"] and len(field["constraints"]["enum"]) == 9


def test_frictionless_finds_the_package_valid() -> None:
    report = Package(str(ROOT / datapackage.DESCRIPTOR)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_finds_a_dangling_foreign_key_and_an_unknown_value(tmp_path: Path) -> None:
    root = copy_data(tmp_path)
    effects = (root / "data/effects.csv").read_text(encoding="utf-8").splitlines()
    first = effects[1].split(",")
    first[1] = "no-such-claim-001"
    (root / "data/effects.csv").write_text(
        "\n".join([effects[0], ",".join(first), *effects[2:]]) + "\n", encoding="utf-8"
    )
    replace_in(root / "data/claims.csv", ",article,", ",artikel,")
    report = Package(str(root / datapackage.DESCRIPTOR)).validate()
    found = {(task.name, error.row_number, error.type) for task in report.tasks for error in task.errors}
    assert ("effects", 2, "foreign-key") in found
    assert any(task == "claims" and kind == "constraint-error" for task, _, kind in found)


def _write_line(path: Path, number: int, old: str, new: str) -> None:
    """Replace `old` by `new` once in line `number` (1-based) of a CSV file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def test_frictionless_finds_dangling_keys_in_the_codings_and_the_reconciliation(tmp_path: Path) -> None:
    root = copy_data(tmp_path)
    _write_line(root / "data/second_coding.csv", 3, "nativepath-002,", "nativepath-902,")
    _write_line(root / "data/second_coding_round2.csv", 4, "nativepath-003,", "nativepath-903,")
    reconciled = (root / "data/reconciliation.csv").read_text(encoding="utf-8").splitlines()[2].split(",")[0]
    _write_line(root / "data/reconciliation.csv", 3, f"{reconciled},", f"{reconciled}x,")
    report = Package(str(root / datapackage.DESCRIPTOR)).validate()
    found = {(task.name, error.row_number, error.type) for task in report.tasks for error in task.errors}
    assert found == {
        ("second_coding", 3, "foreign-key"),
        ("second_coding_round2", 4, "foreign-key"),
        ("reconciliation", 3, "foreign-key"),
    }


def test_frictionless_finds_a_field_reconciled_twice(tmp_path: Path) -> None:
    root = copy_data(tmp_path)
    path = root / "data/reconciliation.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    report = Package(str(root / datapackage.DESCRIPTOR)).validate()
    found = {(task.name, error.row_number, error.type) for task in report.tasks for error in task.errors}
    assert found == {("reconciliation", len(lines) + 1, "primary-key")}


def test_a_new_declared_table_is_picked_up_without_code_changes(tmp_path: Path) -> None:
    root = copy_data(tmp_path)
    (root / "data/third_coding.csv").write_text("claim_id,coder,appraisal\n", encoding="utf-8")

    def third_coding_schema() -> pa.DataFrameSchema:
        return pa.DataFrameSchema(
            {"claim_id": schema.foreign_key("claims"), "coder": schema.text(), "appraisal": schema.enum("appraisal")}
        )

    tables = (*catalog.TABLES, catalog.TableSpec("third_coding", third_coding_schema))
    resource = datapackage.descriptor(root, tables)["resources"][-2]
    assert resource["name"] == "third_coding" and resource["path"] == "third_coding.csv"
    assert resource["schema"]["foreignKeys"] == [
        {"fields": ["claim_id"], "reference": {"resource": "claims", "fields": ["claim_id"]}}
    ]
    # the vocabulary table's values for that field (data/vocabulary.csv), in its order
    assert resource["schema"]["fields"][2]["constraints"]["enum"] == list(vocab.load(root).values("appraisal"))
    assert "overstated" in resource["schema"]["fields"][2]["constraints"]["enum"]


def test_the_zip_holds_the_descriptor_and_every_table() -> None:
    archive = zipfile.ZipFile(io.BytesIO(datapackage.zip_bytes(ROOT)))
    package = json.loads(archive.read("datapackage.json"))
    assert archive.namelist() == ["datapackage.json", *(r["path"] for r in package["resources"])]
    assert archive.read("claims.csv") == (ROOT / "data/claims.csv").read_bytes()
    assert datapackage.zip_bytes(ROOT) == datapackage.zip_bytes(ROOT)  # reproducible


def test_check_fails_on_a_stale_descriptor(tmp_path: Path) -> None:
    root = copy_data(tmp_path)
    replace_in(root / datapackage.DESCRIPTOR, '"name": "claims"', '"name": "claimz"')
    command = [sys.executable, "-m", "brainbone.ledger.datapackage", "--check", "--root", str(root)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == "error: data/datapackage.json is stale; regenerate it with `make datapackage`\n"


def test_a_stale_descriptor_is_a_located_build_warning_and_the_zip_is_written(make_app, tmp_path: Path) -> None:
    root = Path(shutil.copytree(TINY, tmp_path / "tiny"))
    descriptor = root / datapackage.DESCRIPTOR
    descriptor.write_text(datapackage.render(datapackage.descriptor(root)), encoding="utf-8")
    srcdir = Path(shutil.copytree(Path(__file__).parent / "roots" / "test-claim-good", tmp_path / "src"))
    app = make_app("html", srcdir=srcdir, confoverrides={"brainbone_root": str(root)})
    assert app._warning.getvalue() == ""
    zipped = zipfile.ZipFile(srcdir / "_build/downloads/ledger-datapackage.zip")
    assert "claims.csv" in zipped.namelist()

    replace_in(descriptor, '"name": "claims"', '"name": "claimz"')
    app = make_app("html", srcdir=srcdir, confoverrides={"brainbone_root": str(root)})
    # (a second app in one process also warns that Sphinx's own nodes are registered again)
    assert re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue()).strip().splitlines()[-1] == (
        f"{descriptor}:1: WARNING: data/datapackage.json does not match what brainbone.ledger.catalog, "
        "data/sources.csv and CITATION.cff give; regenerate it with `make datapackage` [brainbone.datapackage_stale]"
    )
