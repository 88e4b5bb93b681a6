"""How much of a table an UPDATE/DELETE's WHERE can touch, decided before any request.

The full-table guard must see through a WHERE that does not look at the objects:
``WHERE 1=1``, ``WHERE true``, ``WHERE 1``, ``WHERE NOT 0``, ``WHERE 'a' = 'a'``,
``WHERE 1=1 OR id = 'x'`` hold for every object, just as no WHERE at all does.

The rule. Each part of the WHERE that mentions no column of the target table is
evaluated by SQLite (the project's one evaluator: ``WHERE (SELECT 1)``,
``WHERE abs(-1)`` are true, ``WHERE 'abc'`` is false, as in SQLite); AND, OR and
NOT combine the parts with SQL's three-valued logic. The WHERE is then

- ``EVERY``: true whatever the object (a constant true), or the same for every
  object but known only when it runs (a subquery on another table:
  ``WHERE EXISTS (SELECT 1 FROM charges)``) or arbitrary (``random()``): it
  touches every object, or an arbitrary subset, so it counts as no WHERE;
- ``NONE``: false or NULL whatever the object: nothing is touched, nothing sent;
- ``FILTERED``: it depends on a column of the object. A condition on a column is
  a filter even when it happens to hold for every object (``id = id``,
  ``created > 0``): the guard catches WHEREs that do not look at the objects,
  it does not prove tautologies about their values.

A column inside a subquery is the target's when qualified with the target's
name (``WHERE EXISTS (SELECT 1 FROM charges WHERE charges.customer = customers.id)``),
or unqualified, named after a column of the target, and not a column of the
subquery's own tables (SQLite resolves the innermost table first).
"""

from __future__ import annotations

import enum
import sqlite3

from sqlglot import exp

from ..catalog.model import Table
from ..context import StatementContext
from ..exceptions import ProgrammingError
from ..sql.constants import is_volatile, truth_of
from ..sql.entity_id import bare_entity_id
from ..sql.tree import Node, from_clause


class Reach(enum.Enum):
    EVERY = "every object"
    NONE = "no object"
    FILTERED = "the objects the WHERE selects"


# Truth of a part of the WHERE besides True / False / None (SQL NULL):
_ROW = "depends on the object"
_UNKNOWN = "the same for every object, known only when it runs"


def where_reach(conn: StatementContext, table: Table, where: exp.Expression | None) -> Reach:
    if where is None:
        return Reach.EVERY
    if bare_entity_id(where) is not None:
        return Reach.FILTERED  # the connector spec's filterClause: WHERE 'pi_...' is an id
    truth = _truth(where, _TargetColumns(conn, table, where))
    if truth is True or truth is _UNKNOWN:
        return Reach.EVERY
    if truth is _ROW:
        return Reach.FILTERED
    return Reach.NONE  # false or NULL


def _truth(node: Node, target: _TargetColumns):
    if isinstance(node, exp.Paren):
        return _truth(node.this, target)
    if isinstance(node, exp.Not):
        inner = _truth(node.this, target)
        return not inner if isinstance(inner, bool) else inner
    if isinstance(node, (exp.And, exp.Or)):
        return _combine(
            isinstance(node, exp.Or), _truth(node.left, target), _truth(node.right, target)
        )
    if target.read_by(node):
        return _ROW
    if node.find(exp.Table, exp.Placeholder, exp.Parameter) or is_volatile(node):
        return _UNKNOWN
    try:
        return truth_of(node)
    except sqlite3.Error:
        return _ROW  # the SELECT that finds the targets reports the error in context


def _combine(is_or: bool, left, right):
    """Three-valued AND / OR, with the two unknown kinds. ``x OR <unknown>`` may hold
    for every object, so it stays unknown; ``x AND <unknown>`` filters by x."""
    sides = (left, right)
    decisive = is_or  # TRUE decides an OR, FALSE an AND
    if any(side is decisive for side in sides):
        return decisive
    for kind in (_UNKNOWN, _ROW) if is_or else (_ROW, _UNKNOWN):
        if kind in sides:
            return kind
    if None in sides:
        return None
    return not decisive


class _TargetColumns:
    """Which column references in a WHERE are the target object's."""

    def __init__(self, conn: StatementContext, table: Table, where: exp.Expression) -> None:
        self._conn, self._table, self._root = conn, table, where

    def read_by(self, node: Node) -> bool:
        return any(self._is_target(column) for column in node.find_all(exp.Column))

    def _is_target(self, column: exp.Column) -> bool:
        select = self._enclosing_select(column)
        if select is None:
            return True  # outside any subquery: a column of the statement's table
        inner = _source_tables(select)
        if column.table:
            return column.table.lower() not in {t.alias_or_name.lower() for t in inner}
        if not self._has(self._table, column.name):
            return False
        for source in inner:
            try:
                if self._has(self._conn.catalog.table(source.name), column.name):
                    return False
            except ProgrammingError:
                return True  # not a Stripe table (a CTE?): let the engine decide
        return True

    def _enclosing_select(self, column: exp.Column) -> exp.Select | None:
        node = column.parent
        while node is not None and node is not self._root:
            if isinstance(node, exp.Select):
                return node
            node = node.parent
        return None

    def _has(self, table: Table, name: str) -> bool:
        try:
            self._conn.catalog.column(table, name)
        except ProgrammingError:
            return False
        return True


def _source_tables(select: exp.Select) -> list[exp.Table]:
    sources = []
    from_ = from_clause(select)
    for node in [from_.this if from_ is not None else None] + [
        join.this for join in select.args.get("joins") or []
    ]:
        if isinstance(node, exp.Table):
            sources.append(node)
    return sources
