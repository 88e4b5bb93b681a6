"""Which objects an UPDATE or DELETE touches.

``WHERE id = ?`` and ``WHERE id IN (...)`` (plus the parent id for nested
tables: ``CustomerId = ? AND Id = ?`` on cards) name the objects directly and
cost no read. Any other predicate is answered by the SELECT engine, which
pushes it down to Stripe: ``SELECT id[, parent] FROM t WHERE <same where>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

from ..catalog.model import Parent, Table
from ..context import StatementContext
from ..exceptions import ProgrammingError
from ..paths import fill_path, is_valid_id
from ..sql.entity_id import bare_entity_id
from ..sql.tree import Node
from .reach import Reach, where_reach
from .values import constant_value


@dataclass(frozen=True)
class RowKey:
    id: str
    parent_id: str | None = None  # the customer of a card, for nested tables

    @property
    def label(self) -> str:
        return self.id


def find_targets(
    conn: StatementContext,
    table: Table,
    table_expr: exp.Table,
    where: exp.Expression | None,
    verb: str,
    order: exp.Order | None = None,
    limit: exp.Limit | None = None,
) -> list[RowKey]:
    """The objects a statement touches. ``order``/``limit`` (``DELETE ... ORDER BY
    created LIMIT 1``) go into the id-finding SELECT, so only those are touched."""
    check_target_where(conn, table, where, verb)
    named = named_targets(conn, table, where, order, limit)
    if named is not None:
        return named
    return _select_targets(conn, table, table_expr, where, order, limit)


def named_targets(
    conn: StatementContext,
    table: Table,
    where,
    order=None,
    limit=None,
) -> list[RowKey] | None:
    """The objects the WHERE names by id (found with no read), or None when a
    SELECT must find them (any other predicate, ORDER BY, LIMIT)."""
    if where is None:
        return None
    if where_reach(conn, table, where) is Reach.NONE:
        return []  # WHERE 0, WHERE 1 = 2, WHERE NULL: nothing matches, nothing is sent
    if order is not None or limit is not None:
        return None
    # The connector spec's filterClause may be just the entity id: WHERE 'pi_...'.
    object_id = bare_entity_id(where)
    if object_id is not None:
        return [RowKey(object_id)]
    return direct_targets(conn, table, where)


def check_target_where(conn: StatementContext, table: Table, where, verb: str) -> None:
    """Refuse, before any request, a WHERE that would touch every object (none,
    or one that does not depend on the object: ``WHERE 1=1``, see reach.py) or
    (nested tables) every parent: cards need their customer named."""
    if where_reach(conn, table, where) is Reach.EVERY:
        _check_full_table(conn, table, where, verb)
    if table.parent is not None and not _names_parent(conn, table, where):
        raise ProgrammingError(
            f"{verb} {table.name} needs {parent_id_name(table.parent)} = ... in WHERE "
            f"({table.name} live under {table.list_path})"
        )


def parent_id_name(parent: Parent) -> str:
    """The SQL name users write for a nested table's parent: customer -> CustomerId."""
    return "".join(part.capitalize() for part in parent.column.split("_")) + "Id"


def _names_parent(conn: StatementContext, table: Table, where) -> bool:
    return any(column != "id" for column in where_keys(conn, table, where))


def where_keys(conn: StatementContext, table: Table, where) -> dict[str, list[str]]:
    """Key column ("id" or the parent column) -> the values a top-level
    ``col = 'x'`` / ``col IN (...)`` conjunct of ``where`` allows."""
    if where is None:
        return {}
    object_id = bare_entity_id(where)
    if object_id is not None:
        return {"id": [object_id]}
    keys: dict[str, list[str]] = {}
    for conjunct in where.flatten() if isinstance(where, exp.And) else [where]:
        bound = _id_constraint(conn, table, conjunct)
        if bound is not None:
            keys.setdefault(bound[0], bound[1])
    return keys


def direct_targets(
    conn: StatementContext,
    table: Table,
    where: exp.Expression,
) -> list[RowKey] | None:
    """Keys named by equalities on id (and parent id) alone, else None."""
    ids: set[str] | None = None
    order: list[str] = []
    parents: set[str] | None = None
    for conjunct in where.flatten() if isinstance(where, exp.And) else [where]:
        bound = _id_constraint(conn, table, conjunct)
        if bound is None:
            return None
        column, values = bound
        if column == "id":
            order = order or values
            ids = set(values) if ids is None else ids & set(values)
        else:
            parents = set(values) if parents is None else parents & set(values)
    if ids is None:
        return None
    if table.parent is not None:
        if parents is None or len(parents) > 1:
            return None  # which parent each id belongs to is not known: ask Stripe
        if not parents:
            return []
    parent_id = next(iter(parents)) if parents else None
    if parent_id is not None and not is_valid_id(parent_id):
        return []  # no object can have that id: nothing matches, nothing is sent
    return [RowKey(i, parent_id) for i in dict.fromkeys(order) if i in ids and is_valid_id(i)]


def _id_constraint(conn: StatementContext, table: Table, conjunct: Node):
    """("id" | parent column, [values]) for ``col = 'x'`` / ``col IN ('x', ...)``."""
    if isinstance(conjunct, exp.Paren):
        return _id_constraint(conn, table, conjunct.this)
    if isinstance(conjunct, exp.EQ):
        column, value = conjunct.this, conjunct.expression
        if isinstance(value, exp.Column) and not isinstance(column, exp.Column):
            column, value = value, column
        values = [value]
    elif (
        isinstance(conjunct, exp.In)
        and not conjunct.args.get("query")
        and not conjunct.args.get("not")
    ):
        column, values = conjunct.this, conjunct.expressions
    else:
        return None
    if not isinstance(column, exp.Column) or not all(_is_constant(v) for v in values):
        return None
    name = key_column(conn, table, column.name)
    if name is None:
        return None
    python_values = [constant_value(v, f"{column.name} value") for v in values]
    if any(not isinstance(v, str) for v in python_values):
        return None  # let SQL decide what comparing an id to a number means
    return name, python_values


def _is_constant(expression: exp.Expression) -> bool:
    return isinstance(expression, (exp.Literal, exp.Null)) or (
        isinstance(expression, exp.Paren) and _is_constant(expression.this)
    )


def key_column(conn: StatementContext, table: Table, name: str) -> str | None:
    """``"id"`` or the parent column when ``name`` means one of them, else None."""
    try:
        column = conn.catalog.column(table, name)
    except ProgrammingError:
        return None
    if column.name == "id":
        return "id"
    if table.parent is not None and column.name == table.parent.column:
        return column.name
    return None


def _check_full_table(conn: StatementContext, table: Table, where, verb: str) -> None:
    if conn.allow_full_table_writes:
        return
    what = (
        f"{verb} without WHERE"
        if where is None
        else f"{verb} with WHERE {where.sql('sqlite')} (which does not depend on the object)"
    )
    raise ProgrammingError(
        f"{what} would touch every object of {table.name}; add a WHERE clause on its "
        "columns, or connect with allow_full_table_writes=True if you mean it"
    )


def _select_targets(
    conn: StatementContext,
    table: Table,
    table_expr: exp.Table,
    where,
    order,
    limit,
) -> list[RowKey]:
    rows = select_rows(conn, table, table_expr, where, [], order=order, limit=limit)
    return list(dict.fromkeys(key for key, _ in rows))


def select_rows(
    conn: StatementContext,
    table: Table,
    table_expr: exp.Table,
    where,
    extra: list[exp.Expression],
    verb: str = "UPDATE",
    order: exp.Order | None = None,
    limit: exp.Limit | None = None,
) -> list[tuple[RowKey, tuple]]:
    """(key, values of ``extra`` for that object) for every object ``where`` selects.

    ``extra`` are per-row expressions (``SET description = name || ' (vip)'``),
    evaluated by the SELECT engine like any other column expression.
    """
    from ..sql.select import execute_select

    check_target_where(conn, table, where, verb)
    select = target_select(table, table_expr, where, extra, order, limit)
    width = 2 if table.parent is not None else 1
    rows = execute_select(conn, select).rows
    return [(RowKey(row[0], row[1] if width > 1 else None), tuple(row[width:])) for row in rows]


def target_select(
    table: Table, table_expr: exp.Table, where, extra=(), order=None, limit=None
) -> exp.Select:
    """``SELECT id[, parent][, extra...] FROM t WHERE <where> [ORDER BY] [LIMIT]``."""
    columns = [exp.column("id")] + (
        [exp.column(table.parent.column)] if table.parent is not None else []
    )
    values = [exp.alias_(e.copy(), f"value_{i}") for i, e in enumerate(extra)]
    select = exp.select(*columns, *values).from_(table_expr.copy())
    if where is not None:
        select = select.where(where.copy())
    if order is not None:
        select.set("order", order.copy())
    if limit is not None:
        select.set("limit", limit.copy())
    return select


def object_path(template: str, key: RowKey) -> str:
    """Fill an update/delete path: the last placeholder is the object's id, the
    one before it (nested tables) the parent's: /v1/customers/{customer}/sources/{id}."""
    placeholders = re.findall(r"{(\w+)}", template)
    values = {placeholders[-1]: key.id} if placeholders else {}
    if len(placeholders) > 1:
        if key.parent_id is None:
            raise ProgrammingError(f"{template} needs the parent id; add it to the WHERE clause")
        values[placeholders[-2]] = key.parent_id
    return fill_path(template, values)
