"""EXPLAIN INSERT/UPDATE/DELETE: the Stripe calls a write would make, none sent.

Rows have the columns of SELECT's EXPLAIN (stripe_dbapi/sql/explain.py): a
write by id lists one call per id; a write by any other predicate lists the
plan of the SELECT that finds the ids, then "one POST/DELETE per matching id".
"""

from __future__ import annotations

from ..context import StatementContext
from ..sql.explain import call_row, plan_rows
from .targets import object_path


def explain_per_target(
    conn: StatementContext, table, named, target_select_expr, method, path_template, body
) -> list[tuple]:
    """The planned calls of an UPDATE/DELETE: one per id the WHERE names
    (``named``); when ``named`` is None, the plan of ``target_select_expr`` (the
    SELECT that finds the ids) then one call per matching id."""
    if named is not None:
        return [
            call_row(table.name, "by id", method, object_path(path_template, key), body, 1)
            for key in named
        ]
    rows = plan_rows(conn, target_select_expr)
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
