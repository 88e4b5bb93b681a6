"""Read the Stripe Python SDK's sources with ``ast`` (never importing them).

The SDK's annotations name classes imported only under ``TYPE_CHECKING``, some
under aliases, and forward references as strings, so ``typing.get_type_hints``
cannot evaluate them. This module indexes each SDK module's classes and
imports and resolves a name the way Python would at type-check time: inner
classes of the enclosing class chain first, then the module, then its imports.

Used only by ``tools/gen_catalog.py``.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path


def sdk_root() -> Path:
    """Directory of the installed ``stripe`` package (found without importing it)."""
    spec = importlib.util.find_spec("stripe")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the stripe SDK is not installed (pip install stripe==16.1.0)")
    return Path(next(iter(spec.submodule_search_locations)))


@dataclass
class Module:
    name: str  # dotted: "stripe._customer"
    tree: ast.Module
    classes: dict[str, ast.ClassDef]
    imports: dict[str, tuple[str, str]]  # local name -> (module, original name)


@dataclass(frozen=True)
class ClassRef:
    """A class found in the SDK, with the chain of classes enclosing it."""

    module: Module
    chain: tuple[ast.ClassDef, ...]  # outermost first; chain[-1] is the class

    @property
    def node(self) -> ast.ClassDef:
        return self.chain[-1]

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def is_inner(self) -> bool:
        return len(self.chain) > 1

    @property
    def key(self) -> tuple[str, ...]:
        return (self.module.name,) + tuple(c.name for c in self.chain)


@dataclass
class FieldDef:
    name: str
    annotation: ast.expr
    doc: str


@dataclass
class SDK:
    root: Path
    _modules: dict[str, Module | None] = field(default_factory=dict)

    def version(self) -> str:
        text = (self.root / "_api_version.py").read_text()
        match = re.search(r'CURRENT\s*=\s*"([^"]+)"', text)
        assert match, "no CURRENT in stripe/_api_version.py"
        return match.group(1)

    def module(self, dotted: str) -> Module | None:
        if dotted not in self._modules:
            self._modules[dotted] = self._load(dotted)
        return self._modules[dotted]

    def _load(self, dotted: str) -> Module | None:
        parts = dotted.split(".")
        if parts[0] != "stripe":
            return None  # typing, decimal, ...: not SDK classes
        base = self.root.joinpath(*parts[1:])
        path = base.with_suffix(".py")
        if not path.exists():
            path = base / "__init__.py"
            if not path.exists():
                return None
        tree = ast.parse(path.read_text())
        classes: dict[str, ast.ClassDef] = {}
        imports: dict[str, tuple[str, str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    imports[alias.asname or alias.name] = (node.module, alias.name)
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                classes[node.name] = node
        return Module(dotted, tree, classes, imports)

    def module_for_file(self, path: Path) -> Module:
        rel = path.relative_to(self.root).with_suffix("")
        mod = self.module(".".join(("stripe",) + rel.parts))
        assert mod is not None
        return mod

    def resolve(self, name: str, module: Module, chain: tuple[ast.ClassDef, ...] = ()):
        """Resolve a (possibly dotted) class name seen in ``chain`` of ``module``."""
        head, _, rest = name.partition(".")
        found = self._resolve_head(head, module, chain)
        if found is None or not rest:
            return found
        for part in rest.split("."):
            inner = _inner_classes(found.node).get(part)
            if inner is None:
                return None
            found = ClassRef(found.module, found.chain + (inner,))
        return found

    def _resolve_head(self, name, module, chain) -> ClassRef | None:
        for depth in range(len(chain), 0, -1):
            inner = _inner_classes(chain[depth - 1]).get(name)
            if inner is not None:
                return ClassRef(module, chain[:depth] + (inner,))
        if name in module.classes:
            return ClassRef(module, (module.classes[name],))
        if name in module.imports:
            target_module, original = module.imports[name]
            target = self.module(target_module)
            if target is not None and target is not module:
                return self._resolve_head(original, target, ())
        return None


def _inner_classes(node: ast.ClassDef) -> dict[str, ast.ClassDef]:
    return {n.name: n for n in node.body if isinstance(n, ast.ClassDef)}


def clean_doc(text: str) -> str:
    """One line: SDK docstrings are indented, wrapped Markdown."""
    return " ".join(text.split())


def class_fields(node: ast.ClassDef) -> list[FieldDef]:
    """Annotated fields of a class body in source order, with their docstrings."""
    out = []
    body = node.body
    for i, stmt in enumerate(body):
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        name = stmt.target.id
        if name.startswith("_") or _is_classvar(stmt.annotation):
            continue
        doc = ""
        if i + 1 < len(body):
            nxt = body[i + 1]
            if (
                isinstance(nxt, ast.Expr)
                and isinstance(nxt.value, ast.Constant)
                and isinstance(nxt.value.value, str)
            ):
                doc = clean_doc(nxt.value.value)
        out.append(FieldDef(name, stmt.annotation, doc))
    return out


def class_doc(node: ast.ClassDef) -> str:
    doc = ast.get_docstring(node)
    return clean_doc(doc) if doc else ""


def class_var(node: ast.ClassDef, name: str) -> str | None:
    """Value of a ``NAME: ClassVar[...] = "value"`` string class variable."""
    for stmt in node.body:
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.target.id == name
            and isinstance(stmt.value, ast.Constant)
        ):
            return stmt.value.value
    return None


def _is_classvar(annotation: ast.expr) -> bool:
    return (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "ClassVar"
    )


def unstring(node: ast.expr) -> ast.expr:
    """Parse forward references ("Foo", "Literal['a']|Foo") into expressions."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return unstring(ast.parse(node.value, mode="eval").body)
    return node


def union_members(node: ast.expr) -> list[ast.expr]:
    """Members of Union[...], Optional[...] and ``a|b`` (flattened, strings parsed)."""
    node = unstring(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return union_members(node.left) + union_members(node.right)
    if isinstance(node, ast.Subscript) and subscript_name(node) in ("Union", "Optional"):
        members = []
        for item in subscript_args(node):
            members.extend(union_members(item))
        if subscript_name(node) == "Optional":
            members.append(ast.Constant(None))
        return members
    return [node]


def subscript_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Subscript):
        value = node.value
        if isinstance(value, ast.Name):
            return value.id
        if isinstance(value, ast.Attribute):
            return value.attr
    return None


def subscript_args(node: ast.Subscript) -> list[ast.expr]:
    sl = node.slice
    if isinstance(sl, ast.Tuple):
        return list(sl.elts)
    return [sl]


def type_name(node: ast.expr) -> str | None:
    """Dotted name of a Name/Attribute node: ``Foo`` or ``Outer.Inner``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = type_name(node.value)
        return f"{base}.{node.attr}" if base else None
    return None
