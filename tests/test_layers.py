"""The package's folders are layers of the pipeline, and imports only point down them (README, "Layout"):
`tools → sphinxext → book → appraisal → ledger → {layout, errors, version}`. A module may import its own
layer or a lower one, never a higher one, and no two modules import each other, directly or around a loop.
Imports are read from the source (ast), lazy ones inside functions and "module:function" strings included;
an import only for type hints (`if TYPE_CHECKING:`) counts for the layers but forms no cycle, as it never runs.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "brainbone"
# Lowest first; a top-level module (layout, errors, version, paths) is layer 0.
LAYERS = ("top", "ledger", "appraisal", "book", "sphinxext", "tools")
# "brainbone.ledger.catalog:sources_schema": a function the catalog names, imported when the ledger loads.
NAMED = re.compile(r"^(brainbone(?:\.\w+)+):\w+$")


def module_name(path: Path, package_dir: Path) -> str:
    parts = (package_dir.name, *path.relative_to(package_dir).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else "top"


def _type_only_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports(path: Path, package_dir: Path, modules: set[str], *, running: bool = False) -> list[tuple[str, int]]:
    """The package's modules that `path` imports, with the line of each import; with `running`, only the
    imports that run (not those for type hints)."""
    name = module_name(path, package_dir)
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, int]] = []

    def resolve(base: str, names: list[str], line: int) -> None:
        for item in names:
            found.append((f"{base}.{item}" if f"{base}.{item}" in modules else base, line))

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_only_lines(tree) if running else set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here.split(".")[: len(here.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            resolve(base, [alias.name for alias in node.names], node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and NAMED.match(node.value):
            found.append((NAMED.match(node.value).group(1), node.lineno))
    root = package_dir.name
    return [(module, line) for module, line in found if module == root or module.startswith(root + ".")]


def graph(package_dir: Path = PACKAGE_DIR, *, running: bool = False) -> dict[str, list[tuple[str, int]]]:
    paths = sorted(package_dir.rglob("*.py"))
    modules = {module_name(path, package_dir) for path in paths}
    return {module_name(path, package_dir): imports(path, package_dir, modules, running=running) for path in paths}


def upward_imports(package_dir: Path = PACKAGE_DIR) -> list[str]:
    problems = []
    for module, targets in graph(package_dir).items():
        if module == package_dir.name:
            continue  # the package's façade: `brainbone.load_ledger`, imported lazily on first use
        for target, line in targets:
            if target != package_dir.name and LAYERS.index(layer(target)) > LAYERS.index(layer(module)):
                problems.append(
                    f"{module} (layer {layer(module)}, line {line}) imports {target} (layer {layer(target)}), "
                    f"a layer above it; imports point down: {' → '.join(reversed(LAYERS))}"
                )
    return problems


def cycles(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Import loops as "a → b → a" (from the loop's first module in sorted order): at least one wherever
    modules import each other, directly or around a loop."""
    edges = {
        module: sorted({target for target, _ in targets if target != module})
        for module, targets in graph(package_dir, running=True).items()
    }
    loops: set[tuple[str, ...]] = set()

    def walk(module: str, stack: list[str]) -> None:
        for target in edges.get(module, []):
            if target in stack:
                loop = stack[stack.index(target) :]
                start = loop.index(min(loop))
                loops.add(tuple(loop[start:] + loop[:start]))
            elif target not in done:
                walk(target, [*stack, target])
        done.add(module)

    done: set[str] = set()
    for module in sorted(edges):
        if module not in done:
            walk(module, [module])
    return [" → ".join((*loop, loop[0])) for loop in sorted(loops)]


def test_no_import_points_up_the_layers():
    assert upward_imports() == []


def test_no_import_cycle():
    assert cycles() == []


def test_every_module_is_in_a_layer():
    assert {layer(module) for module in graph()} == set(LAYERS)
    stray = sorted(module for module in graph() if layer(module) == "top" and module.count(".") > 1)
    assert stray == []


@pytest.fixture
def package(tmp_path):
    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "brainbone"
        for rel, text in {"__init__.py": "", **files}.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        return root

    return make


def test_an_upward_import_is_named_with_its_line(package):
    root = package(
        {
            "layout.py": "",
            "ledger/__init__.py": "",
            "ledger/catalog.py": "from brainbone import layout\n\n\ndef f():\n    from brainbone.appraisal import ratings\n",
            "appraisal/__init__.py": "",
            "appraisal/ratings.py": "from brainbone.ledger import catalog\n",
        }
    )
    assert upward_imports(root) == [
        "brainbone.ledger.catalog (layer ledger, line 5) imports brainbone.appraisal.ratings (layer appraisal), "
        "a layer above it; imports point down: tools → sphinxext → book → appraisal → ledger → top"
    ]


def test_a_module_named_by_string_counts_as_an_import(package):
    root = package(
        {
            "ledger/__init__.py": "",
            "ledger/catalog.py": 'TABLES = ["brainbone.appraisal.sof:sof_schema"]\n',
            "appraisal/__init__.py": "",
            "appraisal/sof.py": "",
        }
    )
    assert upward_imports(root) == [
        "brainbone.ledger.catalog (layer ledger, line 1) imports brainbone.appraisal.sof (layer appraisal), "
        "a layer above it; imports point down: tools → sphinxext → book → appraisal → ledger → top"
    ]


def test_a_cycle_within_a_layer_is_named(package):
    root = package(
        {
            "tools/__init__.py": "",
            "tools/serve/__init__.py": "",
            "tools/serve/server.py": "def start():\n    from brainbone.tools.serve.worker import worker\n",
            "tools/serve/worker.py": "from typing import TYPE_CHECKING\n\nfrom .server import start\n",
            "tools/serve/status.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from .worker import start\n",
        }
    )
    assert upward_imports(root) == []
    assert cycles(root) == [
        "brainbone.tools.serve.server → brainbone.tools.serve.worker → brainbone.tools.serve.server"
    ]
