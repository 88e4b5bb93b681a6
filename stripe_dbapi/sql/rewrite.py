"""Tree rewrites before name resolution: result names, and more predicates for Stripe.

- ``name_computed_columns``: an unaliased computed result column is named by its
  SQL as written (``count(*)``), before names are rewritten, as SQLite names it.
- ``fold_constants``: a column-free expression compared with a column
  (``created >= date('now', '-7 days')``) is evaluated once by SQLite and
  replaced by its value, so it can be pushed like a literal. SQLite itself
  evaluates 'now' once per statement, so the meaning is unchanged.
- ``push_into_derived_tables``: BI tools wrap queries as
  ``SELECT ... FROM (SELECT * FROM charges) AS virtual_table WHERE ...``; an outer
  conjunct on plain columns of a simple derived table is copied into its WHERE
  (and kept outside too, where it is a no-op), so it is pushed to Stripe.
"""

from __future__ import annotations

import sqlite3

from sqlglot import exp

from stripe_dbapi.sql.constants import evaluate_constant, is_volatile
from stripe_dbapi.sql.syntax import conjuncts_of
from stripe_dbapi.sql.tree import Node, from_clause

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)


def name_computed_columns(expression: exp.Expression) -> None:
    """Alias unnamed result expressions with their SQL as written (``count(*)``), before
    names are rewritten, so result column names do not show temp tables or quoting."""
    select = expression
    while isinstance(select, (exp.Union, exp.Intersect, exp.Except)):
        select = select.this
    if not isinstance(select, exp.Select):
        return
    for projection in list(select.expressions):
        if not isinstance(projection, (exp.Alias, exp.Column, exp.Star)):
            projection.replace(
                exp.alias_(projection.copy(), projection.sql(dialect="sqlite"), quoted=True)
            )


def fold_constants(expression: exp.Expression) -> None:
    candidates = []
    for node in expression.find_all(*_COMPARISONS, exp.Between, exp.In):
        if isinstance(node, exp.Between):
            if isinstance(node.this, exp.Column):
                candidates += [node.args.get("low"), node.args.get("high")]
        elif isinstance(node, exp.In):
            if isinstance(node.this, exp.Column):
                candidates += list(node.expressions)
        elif isinstance(node, exp.Binary):  # the comparisons
            if isinstance(node.left, exp.Column):
                candidates.append(node.right)
            elif isinstance(node.right, exp.Column):
                candidates.append(node.left)
    foldable = [c for c in candidates if c is not None and _foldable(c)]
    if not foldable:
        return
    for node in foldable:
        try:
            value = evaluate_constant(node)
        except sqlite3.Error:
            continue  # leave it to the engine, which reports it in context
        node.replace(_literal(value))


def _foldable(node: exp.Expression) -> bool:
    if isinstance(node, (exp.Literal, exp.Null, exp.Boolean)):
        return False
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
        return False
    if node.find(exp.Column, exp.Select, exp.AggFunc, exp.Window, exp.Placeholder, exp.Star):
        return False
    return not is_volatile(node)


def _literal(value) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return exp.Literal.string(str(value))


def push_into_derived_tables(expression: exp.Expression) -> None:
    for select in list(expression.find_all(exp.Select)):
        from_ = from_clause(select)
        where = select.args.get("where")
        if from_ is None or where is None or select.args.get("joins"):
            continue
        derived = from_.this
        if not isinstance(derived, exp.Subquery) or not isinstance(derived.this, exp.Select):
            continue
        inner = derived.this
        mapping = _plain_outputs(inner)
        if mapping is None:
            continue
        alias = derived.alias.lower()
        for conjunct in conjuncts_of(where.this):
            copied = _rewritten(conjunct, mapping, alias)
            if copied is not None:
                inner.where(copied, copy=False)


def _plain_outputs(inner: exp.Select):
    """Output name -> inner column, for a derived table whose rows are its source's rows."""
    if any(
        inner.args.get(k)
        for k in ("group", "having", "distinct", "limit", "offset", "joins", "qualify")
    ):
        return None
    inner_from = from_clause(inner)
    if inner_from is None or not isinstance(inner_from.this, exp.Table):
        return None
    mapping: dict = {}
    for projection in inner.expressions:
        if projection.find(exp.AggFunc, exp.Window):
            return None
        if isinstance(projection, exp.Star):
            mapping["*"] = True
        elif isinstance(projection, exp.Column) and not isinstance(projection.this, exp.Star):
            mapping[projection.name.lower()] = projection.name
        elif isinstance(projection, exp.Alias) and isinstance(projection.this, exp.Column):
            mapping[projection.alias.lower()] = projection.this.name
    return mapping


def _rewritten(conjunct: Node, mapping: dict, alias: str):
    if conjunct.find(exp.Select, exp.AggFunc, exp.Window):
        return None
    copied = conjunct.copy()
    for column in list(copied.find_all(exp.Column)):
        if column.table and column.table.lower() != alias:
            return None
        name = mapping.get(column.name.lower())
        if name is None and not mapping.get("*"):
            return None
        column.replace(exp.column(name or column.name))
    return copied
