"""UPDATE -> one Stripe update per target object (POST update_path)."""

from __future__ import annotations

import uuid

from sqlglot import exp

from ..exceptions import NotSupportedError, ProgrammingError
from ..result import Result
from .missing import skip_missing
from .params import build_request, resolve_target
from .returning import write_result
from .run import run_per_row
from .targets import find_targets, object_path, select_rows
from .values import constant_value


def execute_update(conn, expr: exp.Update) -> Result:
    table_expr = expr.this
    table = conn.catalog.table(table_expr.name)
    if table.update_path is None:
        raise NotSupportedError(f"Stripe has no update for {table.name}")
    if expr.args.get("from") or expr.args.get("joins"):
        raise NotSupportedError("UPDATE ... FROM is not supported; use WHERE id IN (SELECT ...)")
    constants, per_row = _assignments(expr)
    # Checked before any request, including the SELECT that finds the targets.
    request = build_request(conn.catalog, table, table.update_params, constants, "UPDATE")
    per_row_targets = [
        resolve_target(conn.catalog, table, table.update_params, n, "UPDATE") for n, _ in per_row
    ]
    if request.url_params or any(target.in_url for target in per_row_targets):
        raise ProgrammingError(
            f"UPDATE cannot move {table.name} to another {table.parent.column}: "
            "Stripe has no such update (delete and insert instead)"
        )
    if per_row:
        # Values that depend on the row (SET x = name || '!'): the SELECT that
        # finds the objects computes them too; every body is built before sending.
        names = [name for name, _ in per_row]
        rows = select_rows(conn, table, table_expr, _where(expr), [e for _, e in per_row])

        def body(values) -> dict:
            pairs = constants + list(zip(names, values))
            return build_request(conn.catalog, table, table.update_params, pairs, "UPDATE").body

        jobs = [(key, body(values), str(uuid.uuid4())) for key, values in rows]
    else:
        keys = find_targets(conn, table, table_expr, _where(expr), "UPDATE")
        jobs = [(key, request.body, str(uuid.uuid4())) for key in keys]

    @skip_missing
    def update(job):
        key, body, idempotency_key = job
        obj = conn.client.post(
            object_path(table.update_path, key), body, idempotency_key=idempotency_key
        )
        conn.write_log.record(table.name, obj)
        return obj

    results = run_per_row(conn, jobs, update, lambda job: job[0].label, f"UPDATE {table.name}")
    objects = [obj for obj in results if obj is not None]
    return write_result(conn, table, expr.args.get("returning"), objects, None)


def _assignments(
    expr: exp.Update,
) -> tuple[list[tuple[str, object]], list[tuple[str, exp.Expression]]]:
    """(constant assignments as values, per-row assignments as expressions)."""
    constants, per_row = [], []
    for item in expr.expressions:
        if not isinstance(item, exp.EQ) or not isinstance(item.this, exp.Column):
            raise ProgrammingError(f"UPDATE SET takes column = value, got {item.sql('sqlite')!r}")
        name, value = item.this.name, item.expression
        if value.find(exp.Column) is not None and not value.find(exp.Select):
            per_row.append((name, value))
        else:
            constants.append((name, constant_value(value, f"the value for {name}")))
    return constants, per_row


def _where(expr: exp.Expression):
    where = expr.args.get("where")
    return where.this if where is not None else None
