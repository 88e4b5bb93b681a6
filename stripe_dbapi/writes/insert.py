"""INSERT -> one Stripe create per row (POST create_path), concurrent, each
with its own Idempotency-Key so a retried create never creates twice."""

from __future__ import annotations

import uuid

from sqlglot import exp

from ..context import StatementContext
from ..exceptions import NotSupportedError, ProgrammingError
from ..paths import fill_path
from ..result import Result
from ..sql.explain import call_row, plan_rows
from .params import build_request
from .prepared import PreparedWrite
from .returning import check_returning, write_result
from .run import run_per_row
from .targets import parent_id_name
from .values import constant_value


def prepare_insert(conn: StatementContext, expr: exp.Insert) -> PreparedWrite:
    table_expr, column_names = _target(expr)
    table = conn.catalog.table(table_expr.name)
    create_path = table.create_path
    if create_path is None:
        raise NotSupportedError(f"Stripe has no create for {table.name}")
    returning = expr.args.get("returning")
    check_returning(conn, table, returning)
    source = expr.expression
    from_select = isinstance(source, exp.Query)
    if not from_select and not (isinstance(source, exp.Values) or expr.args.get("default")):
        raise NotSupportedError("INSERT takes VALUES (...), DEFAULT VALUES or a SELECT")

    def build(rows) -> list:
        # Build and check every request before sending any: a bad value in row 3
        # must not leave rows 1 and 2 created. NULLs are left out of a create
        # (Stripe rejects "" for many create parameters).
        requests = [
            build_request(
                conn.catalog,
                table,
                table.create_params,
                list(zip(column_names, _check_width(number, row, column_names), strict=True)),
                "INSERT",
                omit_null=True,
            )
            for number, row in enumerate(rows, 1)
        ]
        _check_required(table, column_names, requests)
        return requests

    # VALUES are checked now, with no request; INSERT ... SELECT once its rows are read.
    requests = None if from_select else build(_constant_rows(expr))

    written: list[str] = []

    def create(job) -> dict:
        _, request, key = job
        return conn.client.post(
            fill_path(create_path, request.url_params), request.body, idempotency_key=key
        )

    def run() -> Result:
        from ..sql.select import execute_select

        todo = requests
        if todo is None:
            todo = build([tuple(row) for row in execute_select(conn, source).rows])
        # Keys are fixed now, one per logical create, and reused by every retry.
        jobs = [(f"row {n}", request, str(uuid.uuid4())) for n, request in enumerate(todo, 1)]
        objects = run_per_row(
            conn,
            jobs,
            create,
            lambda job: job[0],
            f"INSERT INTO {table.name}",
            table=table.name,
            written=written,
        )
        lastrowid = objects[-1].get("id") if objects else None
        return write_result(conn, table, returning, objects, lastrowid)

    def explain() -> list[tuple]:
        if requests is None:
            rows = plan_rows(conn, source)
            rows.append(
                call_row(
                    table.name,
                    "one POST per selected row, concurrently",
                    "POST",
                    create_path,
                    {},
                    None,
                )
            )
            return rows
        return [
            call_row(
                table.name,
                f"create row {n}",
                "POST",
                fill_path(create_path, request.url_params),
                request.body,
                1,
            )
            for n, request in enumerate(requests, 1)
        ]

    return PreparedWrite(run, explain, written)


def _check_required(table, column_names, requests) -> None:
    required = [p.name for p in table.create_params if p.required]
    for request in requests:
        if table.parent is not None and table.parent.path_param not in request.url_params:
            raise ProgrammingError(
                f"INSERT INTO {table.name} needs {parent_id_name(table.parent)} "
                f"({table.name} live under {table.list_path})"
            )
        missing = [name for name in required if name not in request.body]
        if missing:
            raise ProgrammingError(
                f"INSERT INTO {table.name} needs {', '.join(missing)} (Stripe requires "
                f"{'it' if len(missing) == 1 else 'them'}); columns given: "
                f"{', '.join(column_names)}"
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
        f"INSERT INTO {table.name} needs a column list, e.g. INSERT INTO {table.name} (name) "
        "VALUES ('x')"
    )


def _constant_rows(expr: exp.Insert) -> list[tuple]:
    source = expr.expression
    if source is None:
        return [()]  # DEFAULT VALUES: one object with Stripe's defaults
    return [
        tuple(constant_value(item, "an INSERT value") for item in _tuple_items(row))
        for row in source.expressions
    ]


def _check_width(number: int, row: tuple, column_names: list[str]) -> tuple:
    if len(row) != len(column_names):
        raise ProgrammingError(
            f"INSERT row {number} has {len(row)} values for {len(column_names)} columns"
        )
    return row


def _tuple_items(row: exp.Expression) -> list[exp.Expression]:
    return row.expressions if isinstance(row, exp.Tuple) else [row]
