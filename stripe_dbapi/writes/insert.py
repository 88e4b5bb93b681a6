"""INSERT -> one Stripe create per row (POST create_path), concurrent, each
with its own Idempotency-Key so a retried create never creates twice."""

from __future__ import annotations

import uuid

from sqlglot import exp

from ..exceptions import NotSupportedError, ProgrammingError
from ..result import Result
from .params import build_request, fill_path
from .returning import write_result
from .run import run_per_row
from .values import constant_value


def execute_insert(conn, expr: exp.Insert) -> Result:
    table_expr, column_names = _target(expr)
    table = conn.catalog.table(table_expr.name)
    if table.create_path is None:
        raise NotSupportedError(f"Stripe has no create for {table.name}")
    rows = _rows(conn, expr, column_names)
    # Build and check every request before sending any: a bad value in row 3
    # must not leave rows 1 and 2 created.
    requests = [
        build_request(
            conn.catalog, table, table.create_params, list(zip(column_names, row)), "INSERT"
        )
        for row in rows
    ]
    _check_required(table, column_names, requests)
    # Keys are fixed now, one per logical create, and reused by every retry.
    jobs = [(f"row {n}", request, str(uuid.uuid4())) for n, request in enumerate(requests, 1)]

    def create(job):
        _, request, key = job
        obj = conn.client.post(
            fill_path(table.create_path, request.url_params), request.body, idempotency_key=key
        )
        conn.write_log.record(table.name, obj)
        return obj

    objects = run_per_row(conn, jobs, create, lambda job: job[0], f"INSERT INTO {table.name}")
    lastrowid = objects[-1].get("id") if objects else None
    return write_result(conn, table, expr.args.get("returning"), objects, lastrowid)


def _check_required(table, column_names, requests) -> None:
    required = [p.name for p in table.create_params if p.required]
    for request in requests:
        missing = [name for name in required if name not in request.body]
        if missing:
            raise ProgrammingError(
                f"INSERT INTO {table.name} needs {', '.join(missing)} (Stripe requires "
                f"{'it' if len(missing) == 1 else 'them'}); columns given: {', '.join(column_names)}"
            )


def _target(expr: exp.Insert) -> tuple[exp.Table, list[str]]:
    for unsupported in ("conflict", "alternative", "overwrite"):
        if expr.args.get(unsupported):
            raise NotSupportedError(
                "INSERT OR .../ON CONFLICT is not supported: Stripe creates are plain creates"
            )
    target = expr.this
    if isinstance(target, exp.Schema) and target.expressions:
        return target.this, [identifier.name for identifier in target.expressions]
    table = target.this if isinstance(target, exp.Schema) else target
    if expr.args.get("default"):
        return table, []  # DEFAULT VALUES: one object with Stripe's defaults
    raise ProgrammingError(
        f"INSERT INTO {table.name} needs a column list, e.g. INSERT INTO {table.name} (name) VALUES ('x')"
    )


def _rows(conn, expr: exp.Insert, column_names: list[str]) -> list[tuple]:
    source = expr.expression
    if source is None and expr.args.get("default"):
        return [()]
    if isinstance(source, exp.Values):
        rows = [
            tuple(constant_value(item, "an INSERT value") for item in _tuple_items(row))
            for row in source.expressions
        ]
    elif isinstance(source, exp.Query):
        from ..sql.select import execute_select

        rows = [tuple(row) for row in execute_select(conn, source).rows]
    else:
        raise NotSupportedError("INSERT takes VALUES (...) or a SELECT")
    for number, row in enumerate(rows, 1):
        if len(row) != len(column_names):
            raise ProgrammingError(
                f"INSERT row {number} has {len(row)} values for {len(column_names)} columns"
            )
    return rows


def _tuple_items(row: exp.Expression) -> list[exp.Expression]:
    return row.expressions if isinstance(row, exp.Tuple) else [row]
