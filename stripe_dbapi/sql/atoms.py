"""One WHERE conjunct as simple per-column constraints ("atoms"), or not pushable.

``amount > 5 AND customer IN ('a', 'b')`` is [amount gt 5, customer in (a, b)];
anything that is not that simple (a function of a column, OR across columns,
LIKE, a subquery) raises NotPushable and stays a local filter. One small rule
per node kind, each a function over the tree, as in sqlglot's optimizer.
No catalog here: whether a column exists and how its values compare is for
``analysis.py`` and ``constraints.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from stripe_dbapi.sql.tree import Node
from stripe_dbapi.sql.values import literal_value


class NotPushable(Exception):
    """The conjunct (or value) is not a constraint Stripe could be asked about."""


@dataclass(frozen=True)
class Atom:
    column: str
    op: str  # "in" | "gt" | "gte" | "lt" | "lte" | "meta" | "truth" (x, NOT x, x IS TRUE/FALSE)
    values: tuple = ()  # for "in": the allowed values; for ranges: one value
    key: str | None = None  # metadata key for "meta"


_FLIP = {"gt": "lt", "gte": "lte", "lt": "gt", "lte": "gte"}
_RANGE_OPS = {exp.GT: "gt", exp.GTE: "gte", exp.LT: "lt", exp.LTE: "lte"}


def atoms_of(conjunct: Node) -> list[Atom]:
    """The conjunct as constraints; raises NotPushable if it is not that simple."""
    node = conjunct
    while isinstance(node, exp.Paren):
        node = node.this
    for kinds, rule in _RULES:
        if isinstance(node, kinds):
            return rule(node)
    raise NotPushable


def literal(node: Node):
    """The Python value of a literal node; NotPushable for anything else."""
    try:
        return literal_value(node)
    except ValueError:
        raise NotPushable from None


def _column_name(node: Node) -> str:
    if not isinstance(node, exp.Column):
        raise NotPushable
    return node.name


def _and(node: exp.And) -> list[Atom]:
    return atoms_of(node.left) + atoms_of(node.right)


def _truth(node: exp.Column) -> list[Atom]:
    """``WHERE active``: true for booleans only (checked against the column's type)."""
    return [Atom(node.name, "truth", (True,))]


def _not(node: exp.Not) -> list[Atom]:
    return [Atom(_column_name(node.this), "truth", (False,))]


def _is(node: exp.Is | exp.NullSafeEQ) -> list[Atom]:
    """``x IS v``: sqlglot 28.10 parses it as Is, 30 as NullSafeEQ (IS TRUE/FALSE: Is in both)."""
    name = _column_name(node.this)
    # `x IS TRUE` / `x IS FALSE` are `x` / `NOT x` (NULL is neither). `x IS NOT TRUE`
    # (a Not around this) also holds for NULL, which no list filter returns: not pushed.
    if isinstance(node.expression, exp.Boolean):
        return [Atom(name, "truth", (node.expression.this,))]
    # `x IS v` is `x = v` for a non-NULL v.
    value = literal(node.expression)
    if value is None:
        raise NotPushable
    return [Atom(name, "in", (value,))]


def _or(node: exp.Or) -> list[Atom]:
    """``x = a OR x = b`` (or IN lists) on one column is ``x IN (a, b)``; no other OR is."""
    disjuncts = [atoms_of(d) for d in (node.left, node.right)]
    if all(len(d) == 1 and d[0].op == "in" for d in disjuncts):
        first, second = disjuncts[0][0], disjuncts[1][0]
        if first.column == second.column and first.key is None:
            return [Atom(first.column, "in", first.values + second.values)]
    raise NotPushable


def _eq(node: exp.EQ) -> list[Atom]:
    for a, b in ((node.left, node.right), (node.right, node.left)):
        key = metadata_key(a)
        if key is not None:
            value = literal(b)
            if isinstance(value, str):
                return [Atom("metadata", "meta", (value,), key)]
            raise NotPushable
        if isinstance(a, exp.Column):
            return [Atom(a.name, "in", (literal(b),))]
    raise NotPushable


def _in(node: exp.In) -> list[Atom]:
    if node.args.get("query") or node.args.get("unnest"):
        raise NotPushable
    return [Atom(_column_name(node.this), "in", tuple(literal(v) for v in node.expressions))]


def _range(node: exp.Binary) -> list[Atom]:
    op = _RANGE_OPS[type(node)]
    if isinstance(node.left, exp.Column):
        return [Atom(node.left.name, op, (literal(node.right),))]
    if isinstance(node.right, exp.Column):
        return [Atom(node.right.name, _FLIP[op], (literal(node.left),))]
    raise NotPushable


def _between(node: exp.Between) -> list[Atom]:
    name = _column_name(node.this)
    return [
        Atom(name, "gte", (literal(node.args["low"]),)),
        Atom(name, "lte", (literal(node.args["high"]),)),
    ]


# (node classes, the rule that reads a node of those classes as atoms)
_RULES: tuple[tuple[type | tuple[type, ...], Callable[[Any], list[Atom]]], ...] = (
    (exp.And, _and),
    (exp.Column, _truth),
    (exp.Not, _not),
    ((exp.Is, exp.NullSafeEQ), _is),
    (exp.Or, _or),
    (exp.EQ, _eq),
    (exp.In, _in),
    (tuple(_RANGE_OPS), _range),
    (exp.Between, _between),
)


def metadata_key(node: Node) -> str | None:
    """``json_extract(metadata, '$.k')`` / ``metadata ->> 'k'`` -> "k" (the scalar forms only)."""
    if isinstance(node, exp.JSONExtract) and node.args.get("only_json_types") is not None:
        return None  # `->` returns JSON text, not the value
    if not isinstance(node, (exp.JSONExtract, exp.JSONExtractScalar)):
        return None
    if not (isinstance(node.this, exp.Column) and node.this.name == "metadata"):
        return None
    path = node.expression
    if isinstance(path, exp.JSONPath):
        parts = path.expressions
        if (
            len(parts) == 2
            and isinstance(parts[0], exp.JSONPathRoot)
            and isinstance(parts[1], exp.JSONPathKey)
        ):
            return str(parts[1].this)
        return None
    if isinstance(path, exp.Literal) and path.is_string:
        text = path.this.removeprefix("$.")
        return text if text.replace("_", "").replace("-", "").isalnum() else None
    return None
