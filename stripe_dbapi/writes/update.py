"""UPDATE -> one Stripe update per target object (POST update_path)."""

from __future__ import annotations

import uuid

from sqlglot import exp

from ..exceptions import NotSupportedError, ProgrammingError
from ..result import Result
from .missing import skip_missing
from .params import build_request
from .returning import write_result
from .run import run_per_row
from .targets import find_targets, object_path
from .values import constant_value


def execute_update(conn, expr: exp.Update) -> Result:
    table_expr = expr.this
    table = conn.catalog.table(table_expr.name)
    if table.update_path is None:
        raise NotSupportedError(f"Stripe has no update for {table.name}")
    if expr.args.get("from") or expr.args.get("joins"):
        raise NotSupportedError("UPDATE ... FROM is not supported; use WHERE id IN (SELECT ...)")
    assignments = [_assignment(item) for item in expr.expressions]
    # Checked before any request, including the SELECT that finds the targets.
    request = build_request(conn.catalog, table, table.update_params, assignments, "UPDATE")
    if request.url_params:
        raise ProgrammingError(
            f"UPDATE cannot move {table.name} to another {table.parent.column}: "
            "Stripe has no such update (delete and insert instead)"
        )
    keys = find_targets(conn, table, table_expr, _where(expr), "UPDATE")
    jobs = [(key, str(uuid.uuid4())) for key in keys]

    @skip_missing
    def update(job):
        key, idempotency_key = job
        obj = conn.client.post(
            object_path(table.update_path, key), request.body, idempotency_key=idempotency_key
        )
        conn.write_log.record(table.name, obj)
        return obj

    results = run_per_row(conn, jobs, update, lambda job: job[0].label, f"UPDATE {table.name}")
    objects = [obj for obj in results if obj is not None]
    return write_result(conn, table, expr.args.get("returning"), objects, None)


def _assignment(item: exp.Expression) -> tuple[str, object]:
    if not isinstance(item, exp.EQ) or not isinstance(item.this, exp.Column):
        raise ProgrammingError(f"UPDATE SET takes column = value, got {item.sql('sqlite')!r}")
    name = item.this.name
    return name, constant_value(item.expression, f"the value for {name}")


def _where(expr: exp.Expression):
    where = expr.args.get("where")
    return where.this if where is not None else None
