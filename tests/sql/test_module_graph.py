"""The SQL package's modules form no import cycle, counting imports inside functions
(a function-level import is how a cycle hides): each module has one job and the
modules it builds on never need it back."""

import ast
from pathlib import Path

import stripe_dbapi.sql

PACKAGE = "stripe_dbapi.sql"
ROOT = Path(stripe_dbapi.sql.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules ``path`` imports anywhere in its body."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in modules)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in ROOT.rglob("*.py")}
    modules = set(paths)
    return {name: _imports(path, modules) - {name} for name, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each as the path from a module back to itself."""
    found = []

    def visit(module, trail):
        for imported in sorted(graph[module]):
            if imported == trail[0]:
                found.append(trail + [imported])
            elif imported not in trail and imported > trail[0]:
                visit(imported, trail + [imported])

    for start in sorted(graph):
        visit(start, [start])
    return found


def test_no_module_of_the_sql_package_imports_itself_back():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_sees_function_level_imports(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert "stripe_dbapi.sql.syntax" in import_graph()["stripe_dbapi.sql.rewrite"]
