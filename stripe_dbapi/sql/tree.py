"""Reading sqlglot's tree the same way on every sqlglot the project supports.

sqlglot names some arguments after Python keywords and has spelt them both
ways over its versions (``from`` / ``from_``, ``with`` / ``with_``,
``for`` / ``for_``). A hand-written ``node.args.get("from")`` silently reads
nothing where the tree says ``from_`` (that is how ``UPDATE ... FROM`` once
slipped past its check). Every read of such an argument goes through here:
``arg`` asks the node's own class which spelling this sqlglot declares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

# Any node of the tree, as read off another (``node.this``, ``node.left``...): sqlglot 30
# types those as ``exp.Expr``, the base of ``exp.Expression``; sqlglot 28 has only
# ``Expression``. For annotations (type checking runs on the newest sqlglot).
if TYPE_CHECKING:
    Node = exp.Expr
else:
    Node = getattr(exp, "Expr", exp.Expression)


def arg_name(node: exp.Expression, name: str) -> str:
    """The key under which this sqlglot stores argument ``name`` ("from" or
    "from_") on ``node``'s class; ``name`` itself when neither is declared."""
    declared = type(node).arg_types
    base = name.rstrip("_")
    for spelling in (base, base + "_"):
        if spelling in declared:
            return spelling
    return name


def arg(node: exp.Expression, name: str):
    """Argument ``name`` of ``node`` (either spelling), or None when unset."""
    value = node.args.get(arg_name(node, name))
    if value is None:
        # A tree built by hand (or by another sqlglot) may use the other spelling.
        base = name.rstrip("_")
        value = node.args.get(base) or node.args.get(base + "_")
    return value


def from_clause(node: exp.Expression) -> exp.From | None:
    """The FROM of a SELECT, or of an ``UPDATE ... FROM``."""
    return arg(node, "from")


def with_clause(node: exp.Expression) -> exp.With | None:
    """The WITH (common table expressions) before a query or a write."""
    return arg(node, "with")


def where_condition(node: exp.Expression) -> exp.Expression | None:
    """The condition of a statement's WHERE (without the Where wrapper), or None."""
    where = arg(node, "where")
    return where.this if where is not None else None
