"""INSERT / UPDATE / DELETE on Stripe objects (see docs/writes_and_procedures.md).

``execute_write`` receives a parsed, bound statement from ``execute.py``.
Every write is refused on a ``readonly=True`` connection before any request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlglot import exp

from ..context import StatementContext
from ..exceptions import NotSupportedError
from ..result import Result
from ..sql.explain import explain_result
from ..sql.tree import with_clause
from .delete import prepare_delete
from .insert import prepare_insert
from .prepared import PreparedWrite, check_sendable
from .run import check_writable
from .update import prepare_update

_PREPARERS: dict[type[exp.Expression], Callable[[StatementContext, Any], PreparedWrite]] = {
    exp.Insert: prepare_insert,
    exp.Update: prepare_update,
    exp.Delete: prepare_delete,
}


def prepare_write(conn: StatementContext, expr: exp.Expression) -> PreparedWrite:
    """Check and plan a write with no request (run it, or explain it)."""
    preparer = _PREPARERS.get(type(expr))
    if preparer is None:
        raise NotSupportedError(f"not a write statement: {expr.key.upper()}")
    if with_clause(expr) is not None:
        raise NotSupportedError("WITH before INSERT/UPDATE/DELETE is not supported")
    prepared = preparer(conn, expr)
    check_sendable(conn, prepared)
    return prepared


def execute_write(conn: StatementContext, expr: exp.Expression) -> Result:
    if type(expr) in _PREPARERS:
        check_writable(conn, expr.key.upper())
    return prepare_write(conn, expr).run()


def explain_write(conn: StatementContext, expr: exp.Expression) -> Result:
    return explain_result(prepare_write(conn, expr).explain())


__all__ = ["execute_write", "explain_write", "prepare_write"]
