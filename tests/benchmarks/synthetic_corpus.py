"""Synthetic ledgers for the benchmark: the real one replicated N times, under new ids and seed files.

Each replica renames every seed, part, claim and effect, and gives each seed file a new sha256
(one line appended after its text), so that `make check` does the same work per row as on the
real ledger: parse, validate, checksum, and find every excerpt verbatim in its own seed.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

TABLES = ("sources", "topics", "seed_parts", "claims", "effects")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _renamed(value: str, seed_id: str, replica: int) -> str:
    """`nativepath-003` → `nativepath-r2-003`: the seed's prefix renamed, the rest kept."""
    if replica == 0:
        return value
    if seed_id and value.startswith(seed_id):
        return f"{seed_id}-r{replica}{value[len(seed_id) :]}"
    return f"{value}-r{replica}"


def replicate(source: Path, destination: Path, factor: int) -> dict[str, int]:
    """Write `factor` copies of `source`'s ledger (data/, seeds/, references.bib) into
    `destination`; replica 0 is the real ledger unchanged. Returns the row counts written."""
    data = destination / "data"
    seeds = destination / "seeds"
    data.mkdir(parents=True, exist_ok=True)
    seeds.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "references.bib", destination / "references.bib")
    tables = {name: _read(source / "data" / f"{name}.csv") for name in TABLES}
    claim_seed = {row["claim_id"]: row["seed_id"] for row in tables["claims"][1]}
    out: dict[str, list[dict[str, str]]] = {name: [] for name in TABLES}
    out["topics"] = tables["topics"][1]  # a vocabulary, shared by every replica

    for replica in range(factor):
        for row in tables["sources"][1]:
            seed_id = row["seed_id"]
            text = (source / row["file"]).read_bytes()
            if replica:
                text += f"\n[benchmark replica {replica}]\n".encode()
            name = Path(row["file"]).name if replica == 0 else f"r{replica:04d}_{Path(row['file']).name}"
            (seeds / name).write_bytes(text)
            out["sources"].append(
                {
                    **row,
                    "seed_id": _renamed(seed_id, seed_id, replica),
                    "file": f"seeds/{name}",
                    "sha256": hashlib.sha256(text).hexdigest(),
                }
            )
        for row in tables["seed_parts"][1]:
            seed_id = row["seed_id"]
            out["seed_parts"].append(
                {
                    **row,
                    "seed_id": _renamed(seed_id, seed_id, replica),
                    "part_id": _renamed(row["part_id"], seed_id, replica),
                }
            )
        for row in tables["claims"][1]:
            seed_id = row["seed_id"]
            out["claims"].append(
                {
                    **row,
                    "seed_id": _renamed(seed_id, seed_id, replica),
                    "claim_id": _renamed(row["claim_id"], seed_id, replica),
                }
            )
        for row in tables["effects"][1]:
            seed_id = claim_seed.get(row["claim_id"], "")
            out["effects"].append(
                {
                    **row,
                    "effect_id": _renamed(row["effect_id"], "", replica),
                    "claim_id": _renamed(row["claim_id"], seed_id, replica),
                }
            )

    for name in TABLES:
        _write(data / f"{name}.csv", tables[name][0], out[name])
    return {name: len(rows) for name, rows in out.items()}
