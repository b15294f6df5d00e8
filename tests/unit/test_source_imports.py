"""Sources only read: no reader module reaches the connection, the writer, the batch driver or bulk.

Read from the source files' import statements (ast), not by importing them, and followed through
the package: a reader that imports a module that imports graph.write reaches the writer too. The
readers are graph/sources/*.py and graph/dataset.py (the seed format's reader). A source never
imports another source: only the package's interface (graph/sources/__init__.py) and the one
reader of tabular files (rows.py).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

GRAPH = Path(__file__).resolve().parents[2] / "graph"
READERS = sorted(p for p in (GRAPH / "sources").glob("*.py")) + [GRAPH / "dataset.py"]
WRITING = {"graph.connection", "graph.write", "graph.batch", "graph.bulk", "graph.pipeline"}
SHARED = {"graph.sources", "graph.sources.rows"}


def module_name(path: Path) -> str:
    parts = path.relative_to(GRAPH.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The graph.* modules a file imports (`from . import x` counts x when it is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("graph")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("graph"):
                continue
            out.add(target)
            for alias in node.names:  # `from . import write`: the module graph.write
                candidate = f"{target}.{alias.name}"
                if _file(candidate) is not None:
                    out.add(candidate)
    return out


def _file(name: str) -> Path | None:
    rel = Path(*name.split(".")[1:])
    for path in (GRAPH / rel.with_suffix(".py"), GRAPH / rel / "__init__.py"):
        if path.is_file():
            return path
    return None


def reached(path: Path) -> dict[str, str]:
    """Every graph module `path` reaches through imports -> the module that imports it first."""
    seen: dict[str, str] = {}
    todo = [(module_name(path), path)]
    while todo:
        name, file = todo.pop()
        for target in sorted(imported(file)):
            parents = target.split(".")
            for i in range(2, len(parents) + 1):  # importing graph.sources.rows runs graph.sources too
                mod = ".".join(parents[:i])
                mod_file = _file(mod)
                if mod not in seen and mod_file is not None:
                    seen[mod] = name
                    todo.append((mod, mod_file))
    return seen


def test_the_readers_are_found():
    names = {module_name(p) for p in READERS}
    assert {"graph.sources.rows", "graph.sources.crunchbase", "graph.sources.deals", "graph.sources.seed",
            "graph.dataset"} <= names


@pytest.mark.parametrize("path", READERS, ids=lambda p: p.name)
def test_no_reader_reaches_the_database_or_the_writers(path):
    found = reached(path)
    bad = {mod: by for mod, by in found.items() if mod in WRITING}
    assert not bad, f"{module_name(path)} reaches {', '.join(f'{m} (through {b})' for m, b in bad.items())}"


@pytest.mark.parametrize("path", [p for p in READERS if p.parent.name == "sources"], ids=lambda p: p.name)
def test_a_source_imports_no_other_source(path):
    others = {module_name(p) for p in READERS if p.parent.name == "sources"} - SHARED - {module_name(path)}
    assert not (imported(path) & others), f"{module_name(path)} imports {imported(path) & others}"


def test_the_check_sees_an_import_through_another_module(tmp_path):
    """What the checks rely on: `from .. import write` and an import one module away are both seen."""
    assert "graph.write" in imported(GRAPH / "load.py")
    assert "graph.connection" in reached(GRAPH / "queries.py")
