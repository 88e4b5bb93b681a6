"""The package's modules form no import cycle, counting imports inside functions
(a function-level import is how a cycle hides): each module has one job and the
modules it builds on never need it back. Imports under ``if TYPE_CHECKING:`` do not
count (they never run: annotations only)."""

import ast
from pathlib import Path

import pytest

import sqlalchemy_dialect
import stripe_dbapi

PACKAGES = [stripe_dbapi, sqlalchemy_dialect]


def _module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` but those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in (
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        ):
            yield from (n for child in node.orelse for n in _runtime_nodes_of(child))
            continue
        yield from _runtime_nodes_of(node)


def _runtime_nodes_of(node: ast.AST):
    yield node
    yield from _runtime_nodes(node)


def _imported_names(node: ast.AST, package: str, modules: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:  # relative: from the module's package, one level up per extra dot
        anchor = package.rsplit(".", node.level - 1)[0]
        base = f"{anchor}.{base}" if base else anchor
    submodules = [f"{base}.{alias.name}" for alias in node.names]
    submodules = [name for name in submodules if name in modules]
    # `from pkg import sub` needs the module sub; `from pkg import name` needs pkg itself.
    return submodules if len(submodules) == len(node.names) else [base, *submodules]


def _imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """The package's modules ``path`` (module ``name``) imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        found.update(n for n in _imported_names(node, package, modules) if n in modules)
    return found


def import_graph(package=stripe_dbapi) -> dict[str, set[str]]:
    root = Path(package.__file__).parent
    paths = {_module_name(root, p): p for p in root.rglob("*.py")}
    modules = set(paths)
    return {name: _imports(name, path, modules) - {name} for name, path in paths.items()}


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


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_no_module_of_the_package_imports_itself_back(package):
    assert cycles(import_graph(package)) == []


def test_the_cycle_finder_sees_function_level_imports(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert "stripe_dbapi.sql.syntax" in import_graph()["stripe_dbapi.sql.rewrite"]


def test_the_graph_resolves_relative_imports_and_skips_type_checking_ones():
    graph = import_graph()
    # stripe_dbapi/testing/demo/builder.py: `from .. import behaviours`, `from ..app import Ctx`.
    assert {"stripe_dbapi.testing.behaviours", "stripe_dbapi.testing.app"} <= graph[
        "stripe_dbapi.testing.demo.builder"
    ]
    # stripe_dbapi/context.py names the client only under `if TYPE_CHECKING:`.
    assert "stripe_dbapi.client" not in graph["stripe_dbapi.context"]
