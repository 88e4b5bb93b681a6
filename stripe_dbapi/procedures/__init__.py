"""Stripe actions as stored procedures: CALL, EXECUTE and cursor.callproc.

``CALL ConfirmPaymentIntent('pi_...')``, named ``Name => value`` arguments,
CData's ``EXECUTE Name Param = value, ...`` and ``cursor.callproc(name,
sequence | mapping)`` all end in ``call_procedure``. Every action POST carries
its own Idempotency-Key; a ``readonly=True`` connection refuses actions before
any request (OperationalError). See docs/writes_and_procedures.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from ..context import StatementContext
from ..exceptions import InterfaceError, ProgrammingError
from ..result import Result
from ..sql.bind import bound_values, check_parameters, checked_value
from ..sql.explain import call_row, explain_result
from ..writes.prepared import PreparedWrite, check_sendable
from ..writes.run import check_writable, run_per_row
from .arguments import build_action_request
from .local import local_procedure, prepare_local
from .results import action_result
from .syntax import Placeholder, parse_call


def execute_call(
    conn: StatementContext,
    sql: str,
    params: Sequence | Mapping | None = None,
) -> Result:
    return prepare_call(conn, sql, params).run()


def explain_call(
    conn: StatementContext,
    sql: str,
    params: Sequence | Mapping | None = None,
) -> Result:
    """EXPLAIN CALL ...: the one Stripe call the action would make, not sent."""
    return explain_result(prepare_call(conn, sql, params).explain())


def prepare_call(
    conn: StatementContext,
    sql: str,
    params: Sequence | Mapping | None = None,
) -> PreparedWrite:
    """Parse, bind and check a CALL with no request (run or explain it)."""
    parsed = parse_call(sql)
    positional: list[Any] = []
    named: dict[str, Any] = {}
    bind = _binder(parsed, params, sql)
    for argument in parsed.arguments:
        value = bind(argument.value)
        if argument.name is None:
            if named:
                raise ProgrammingError("positional arguments must come before named ones")
            positional.append(value)
        else:
            if argument.name in named:
                raise ProgrammingError(f"parameter {argument.name} given twice")
            named[argument.name] = value
    return _prepare(conn, parsed.name, positional, named)


def call_procedure(
    conn: StatementContext,
    name: str,
    params: Sequence | Mapping | None = None,
) -> Result:
    if not isinstance(name, str):
        raise InterfaceError(
            f"callproc() takes the procedure name as a string, not {type(name).__name__}"
        )
    check_parameters(params)
    if params is None:
        return _prepare(conn, name, [], {}).run()
    if isinstance(params, Mapping):
        return _prepare(conn, name, [], {k: checked_value(v) for k, v in params.items()}).run()
    return _prepare(conn, name, [checked_value(v) for v in params], {}).run()


def _prepare(conn: StatementContext, name: str, positional: list, named: dict) -> PreparedWrite:
    # A schema prefix (stripe.ConfirmPaymentIntent) names the same procedure.
    name = name.rsplit(".", 1)[-1]
    local = local_procedure(name)
    if local is not None:
        return prepare_local(conn, local, positional, named)
    procedure = conn.catalog.procedure(name)
    request = build_action_request(procedure, positional, named)
    written: list[str] = []

    def send(request) -> dict:
        if request.method == "POST":
            return conn.client.post(request.path, request.body, idempotency_key=str(uuid.uuid4()))
        if request.method == "DELETE":
            return conn.client.delete(request.path, request.body or None)
        return conn.client.get(request.path, request.body or None)

    def run() -> Result:
        what = f"CALL {procedure.name}"
        check_writable(conn, what)
        # One call, reported like a write's rows: a lost answer is an unknown outcome.
        [obj] = run_per_row(
            conn, [request], send, lambda _: what, what, table=None, written=written
        )
        return action_result(conn, procedure, obj)

    def explain() -> list[tuple]:
        table = procedure.table or ""
        return [
            call_row(table, f"CALL {procedure.name}", request.method, request.path, request.body, 1)
        ]

    prepared = PreparedWrite(run, explain, written)
    check_sendable(conn, prepared)
    return prepared


def _binder(parsed, params, sql: str):
    """Placeholder -> its bound value (sql/bind.py matches and checks them all first)."""
    placeholders = [a.value for a in parsed.arguments if isinstance(a.value, Placeholder)]
    keys = [p.key for p in placeholders]
    values = dict(zip(keys, bound_values(keys, params, lambda: sql), strict=True))

    def bind(value):
        if not isinstance(value, Placeholder):
            return value
        return values[value.name if value.name is not None else value.index]

    return bind


__all__ = ["call_procedure", "execute_call", "explain_call", "prepare_call"]
