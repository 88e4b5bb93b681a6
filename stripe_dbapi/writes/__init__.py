"""INSERT / UPDATE / DELETE on Stripe objects (see docs/writes_and_procedures.md).

``execute_write`` receives a parsed, bound statement from ``execute.py``.
Every write is refused on a ``readonly=True`` connection before any request.
"""

from __future__ import annotations

from sqlglot import exp

from ..exceptions import NotSupportedError
from ..result import Result
from .delete import execute_delete
from .insert import execute_insert
from .run import check_writable
from .update import execute_update

_EXECUTORS = {exp.Insert: execute_insert, exp.Update: execute_update, exp.Delete: execute_delete}


def execute_write(conn, expr: exp.Expression) -> Result:
    executor = _EXECUTORS.get(type(expr))
    if executor is None:
        raise NotSupportedError(f"not a write statement: {expr.key.upper()}")
    check_writable(conn, expr.key.upper())
    if expr.args.get("with") or expr.args.get("with_"):
        raise NotSupportedError("WITH before INSERT/UPDATE/DELETE is not supported")
    return executor(conn, expr)


__all__ = ["execute_write"]
