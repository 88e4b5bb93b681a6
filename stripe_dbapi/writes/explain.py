"""EXPLAIN INSERT/UPDATE/DELETE: the Stripe calls a write would make, none sent.

Rows have the columns of SELECT's EXPLAIN (stripe_dbapi/sql/explain.py): a
write by id lists one call per id; a write by any other predicate lists the
plan of the SELECT that finds the ids, then "one POST/DELETE per matching id".
"""

from __future__ import annotations

from sqlglot import exp

from ..result import Result
from ..sql.explain import call_row, explain_result, plan_rows
from .targets import direct_targets, object_path, target_select


def explain_write(conn, expr: exp.Expression) -> Result:
    from . import prepare_write

    return explain_result(prepare_write(conn, expr).explain())


def explain_per_target(
    conn, table, table_expr, where, order, limit, per_row, method, path_template, body
) -> list[tuple]:
    """The planned calls of an UPDATE/DELETE: one per named id, or the
    id-finding SELECT's plan then one call per matching id."""
    direct = None
    if not per_row and order is None and limit is None and where is not None:
        if isinstance(where, exp.Literal) and where.is_string:
            where = exp.column("id").eq(exp.Literal.string(where.this))
        direct = direct_targets(conn, table, where)
    if direct is not None:
        return [
            call_row(table.name, "by id", method, object_path(path_template, key), body, 1)
            for key in direct
        ]
    extra = [e for _, e in per_row]
    rows = plan_rows(conn, target_select(table, table_expr, where, extra, order, limit))
    rows.append(
        call_row(
            table.name,
            f"one {method} per matching id, concurrently",
            method,
            path_template,
            body,
            None,
        )
    )
    return rows
