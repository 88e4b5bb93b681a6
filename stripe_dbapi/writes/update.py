"""UPDATE -> one Stripe update per target object (POST update_path)."""

from __future__ import annotations

import uuid

from sqlglot import exp

from ..exceptions import NotSupportedError, ProgrammingError
from .explain import explain_per_target
from .missing import skip_missing
from .params import build_request, resolve_target
from .prepared import PreparedWrite
from .returning import check_returning, write_result
from .run import run_per_row
from .targets import (
    check_target_where,
    find_targets,
    key_column,
    object_path,
    select_rows,
    where_keys,
)
from .values import constant_value


def prepare_update(conn, expr: exp.Update) -> PreparedWrite:
    table_expr = expr.this
    table = conn.catalog.table(table_expr.name)
    if table.update_path is None:
        raise NotSupportedError(f"Stripe has no update for {table.name}")
    if expr.args.get("from") or expr.args.get("joins"):
        raise NotSupportedError("UPDATE ... FROM is not supported; use WHERE id IN (SELECT ...)")
    where, order, limit = _where(expr), expr.args.get("order"), expr.args.get("limit")
    # Everything below is checked before any request, including the SELECT
    # that finds the targets.
    check_target_where(conn, table, where, "UPDATE")
    constants, per_row = _assignments(conn, table, expr, where)
    request = build_request(conn.catalog, table, table.update_params, constants, "UPDATE")
    per_row_targets = [
        resolve_target(conn.catalog, table, table.update_params, n, "UPDATE") for n, _ in per_row
    ]
    if request.url_params or any(target.in_url for target in per_row_targets):
        raise ProgrammingError(
            f"UPDATE cannot move {table.name} to another {table.parent.column}: "
            "Stripe has no such update (delete and insert instead)"
        )
    returning = expr.args.get("returning")
    check_returning(conn, table, returning)

    def jobs() -> list:
        if not per_row:
            keys = find_targets(conn, table, table_expr, where, "UPDATE", order, limit)
            return [(key, request.body, str(uuid.uuid4())) for key in keys]
        # Values that depend on the row (SET x = name || '!'): the SELECT that
        # finds the objects computes them too; every body is built before sending.
        names = [name for name, _ in per_row]
        rows = select_rows(
            conn, table, table_expr, where, [e for _, e in per_row], order=order, limit=limit
        )

        def body(values) -> dict:
            pairs = constants + list(zip(names, values))
            return build_request(conn.catalog, table, table.update_params, pairs, "UPDATE").body

        return [(key, body(values), str(uuid.uuid4())) for key, values in rows]

    written: list[str] = []

    @skip_missing
    def update(job):
        key, body, idempotency_key = job
        obj = conn.client.post(
            object_path(table.update_path, key), body, idempotency_key=idempotency_key
        )
        conn.write_log.record(table.name, obj)
        written.append(key.id)
        return obj

    def run():
        results = run_per_row(
            conn, jobs(), update, lambda job: job[0].label, f"UPDATE {table.name}"
        )
        objects = [obj for obj in results if obj is not None]
        return write_result(conn, table, returning, objects, None)

    def explain() -> list[tuple]:
        body = (
            request.body
            if not per_row
            else {**request.body, **{name: e.sql("sqlite") for name, e in per_row}}
        )
        return explain_per_target(
            conn,
            table,
            table_expr,
            where,
            order,
            limit,
            per_row,
            "POST",
            table.update_path,
            body,
        )

    return PreparedWrite(run, explain, written)


def _assignments(
    conn, table, expr: exp.Update, where
) -> tuple[list[tuple[str, object]], list[tuple[str, exp.Expression]]]:
    """(constant assignments as values, per-row assignments as expressions)."""
    constants, per_row = [], []
    keys = where_keys(conn, table, where)
    for item in expr.expressions:
        if not isinstance(item, exp.EQ) or not isinstance(item.this, exp.Column):
            raise ProgrammingError(f"UPDATE SET takes column = value, got {item.sql('sqlite')!r}")
        name, value = item.this.name, item.expression
        if value.find(exp.Column) is not None and not value.find(exp.Select):
            per_row.append((name, value))
            continue
        value = constant_value(value, f"the value for {name}")
        if _repeats_key(conn, table, keys, name, value):
            continue
        constants.append((name, value))
    return constants, per_row


def _repeats_key(conn, table, keys, name: str, value) -> bool:
    """``SET Id = 'card_1', CustomerId = 'cus_1' ... WHERE CustomerId = 'cus_1' AND
    Id = 'card_1'`` (the connector spec's card update): a key column set to the
    value the WHERE already gives it changes nothing and is ignored. Set to
    another value it is an error: Stripe cannot rename or move an object."""
    column = key_column(conn, table, name)
    if column is None:
        return False
    if keys.get(column) == [value]:
        return True
    if column != "id":
        raise ProgrammingError(
            f"UPDATE cannot move {table.name} to another {column}: "
            "Stripe has no such update (delete and insert instead)"
        )
    raise ProgrammingError(
        f"column {name!r} cannot be set by UPDATE: it names the object (only the value "
        f"the WHERE gives {column} may be repeated in SET)"
    )


def _where(expr: exp.Expression):
    where = expr.args.get("where")
    return where.this if where is not None else None
