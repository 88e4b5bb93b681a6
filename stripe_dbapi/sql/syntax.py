"""Questions about the parsed tree that need no catalog.

Small readers shared by name resolution (``name_resolution.py``), the per-reference facts
(``ref_facts.py``) and the rewrites (``rewrite.py``): the conjuncts of a
condition, a LIMIT's value, the columns a scope writes itself, which side of an
outer join may be NULL. Each is a function over sqlglot's tree; arguments whose
spelling differs between sqlglot versions are read through ``tree.py``.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.optimizer.scope import Scope

from stripe_dbapi.sql.tree import Node, from_clause


def conjuncts_of(condition: Node | None) -> list[Node]:
    """``a AND (b AND c)`` -> [a, b, c]; parentheses around an AND are looked through."""
    if condition is None:
        return []
    if isinstance(condition, exp.Paren):
        return conjuncts_of(condition.this)
    if isinstance(condition, exp.And):
        return conjuncts_of(condition.left) + conjuncts_of(condition.right)
    return [condition]


def int_arg(node) -> int | None:
    """A LIMIT/OFFSET value when it is a plain non-negative integer literal, else None."""
    if node is None:
        return None
    value = node.expression if isinstance(node, (exp.Limit, exp.Offset)) else node
    if isinstance(value, exp.Literal) and not value.is_string:
        try:
            return int(value.this)
        except ValueError:
            return None
    return None


def own_columns(scope: Scope) -> list[exp.Column]:
    """The scope's columns written in its own SELECT. sqlglot also lists a subquery's
    unqualified columns in the enclosing scope (they might be correlated); each
    column is resolved in the scope that contains it, which looks outwards itself."""
    return [c for c in scope.columns if c.find_ancestor(exp.Select) is scope.expression]


def scope_chain(scope: Scope | None):
    """``scope`` and the scopes around it, innermost first."""
    while scope is not None:
        yield scope
        scope = scope.parent


def is_projection_alias(scope: Scope, name: str) -> bool:
    """Whether ``name`` is an alias of the scope's SELECT list (``SELECT x AS name``)."""
    select = scope.expression
    if not isinstance(select, exp.Select):
        return False
    return any(
        isinstance(p, exp.Alias) and p.alias.lower() == name.lower() for p in select.expressions
    )


def is_star(projection: exp.Expression) -> bool:
    """``*`` or ``t.*``."""
    return isinstance(projection, exp.Star) or (
        isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star))


def outer_joined_aliases(select: exp.Select) -> set[str]:
    """Aliases (lower case) on the NULL-supplying side of an outer join: not safe to narrow."""
    nullable: set[str] = set()
    from_ = from_clause(select)
    sources = [from_.this] if from_ else []
    for join in select.args.get("joins") or []:
        side = (join.side or "").upper()
        if side in ("RIGHT", "FULL"):
            nullable.update(s.alias_or_name.lower() for s in sources)
        if side in ("LEFT", "FULL"):
            nullable.add(join.this.alias_or_name.lower())
        sources.append(join.this)
    return nullable


def column_pairs(condition: exp.Expression | None):
    """(left, right) of each conjunct ``a.x = b.y`` that compares two columns."""
    for conjunct in conjuncts_of(condition):
        if isinstance(conjunct, exp.EQ) and isinstance(conjunct.left, exp.Column) and isinstance(
            conjunct.right, exp.Column
        ):
            yield conjunct.left, conjunct.right


def row_at_a_time(select: exp.Select, allow_order: bool = False) -> bool:
    """No clause that needs all rows before the first: joins, ORDER/GROUP BY, aggregates,
    DISTINCT, windows (ORDER BY allowed with ``allow_order``)."""
    if select.args.get("joins"):
        return False
    if any(select.args.get(k) for k in ("group", "having", "distinct", "qualify")):
        return False
    if select.args.get("order") and not allow_order:
        return False
    return not any(p.find(exp.AggFunc, exp.Window) for p in select.expressions)
