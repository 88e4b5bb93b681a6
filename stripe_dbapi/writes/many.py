"""``executemany`` of writes and CALL: every parameter set checked before the first request.

stripe_dbapi/execute.py classifies the statement and hands writes and CALLs here.

A one-row ``INSERT ... VALUES`` sends every parameter set's row as one
concurrent batch (Stripe has no bulk create; run one by one, N creates would
cost N round trips in sequence), each with its own Idempotency-Key, with the
same partial-failure report as a multi-row INSERT.

Any other INSERT, UPDATE, DELETE or CALL is prepared once per parameter set
(names, values, ids, RETURNING all checked with no request), then the sets run
in order. A failure part-way raises PartialWriteError listing the ids written,
the parameter sets not done and the calls of unknown outcome; a failure before
anything was (or may have been) written raises Stripe's own error, with empty
``done`` and the sets in ``not_done``.
"""

from __future__ import annotations

import dataclasses

from sqlglot import exp

from ..context import StatementContext
from ..exceptions import DatabaseError, Error, PartialWriteError, QueryCanceledError
from ..result import Result
from .prepared import PreparedWrite
from .run import WriteReport, check_writable, raise_write_failure


def call_many(conn: StatementContext, sql: str, parameter_sets: list) -> Result:
    """CALL once per parameter set, in order, every set bound and checked first."""
    from ..procedures import prepare_call

    prepared = [prepare_call(conn, sql, parameters) for parameters in parameter_sets]
    check_writable(conn, "CALL")
    return _run_in_order(prepared, "CALL")


def write_many(conn: StatementContext, template: exp.Expression, parameter_sets: list) -> Result:
    """An INSERT/UPDATE/DELETE (parsed, not bound) once per parameter set."""
    from ..sql.bind import bind_parameters
    from . import execute_write, prepare_write

    check_writable(conn, template.key.upper())
    if _batchable(template):
        rows = []
        for parameters in parameter_sets:
            rows.extend(bind_parameters(template.copy(), parameters).expression.expressions)
        if not rows:
            return Result(description=None, rows=iter(()), rowcount=0)
        batch = template.copy()
        batch.expression.set("expressions", rows)
        return execute_write(conn, batch)
    prepared = [
        prepare_write(conn, bind_parameters(template.copy(), parameters))
        for parameters in parameter_sets
    ]
    return _run_in_order(prepared, template.key.upper())


def _run_in_order(prepared: list[PreparedWrite], verb: str) -> Result:
    rowcount, lastrowid = 0, None
    for number, write in enumerate(prepared):
        try:
            result = write.run()
        except DatabaseError as error:
            # A stopped write reports Stripe's error (its cause), not the PartialWriteError.
            cause = error.__cause__ if isinstance(error, PartialWriteError) else None
            raise_write_failure(
                cause if isinstance(cause, Error) else error,
                f"executemany {verb}",
                f"{number} of {len(prepared)} parameter sets",
                _report(prepared, number, error),
            )
        rowcount += max(result.rowcount or 0, 0)
        lastrowid = result.lastrowid or lastrowid
    return Result(description=None, rows=iter(()), rowcount=rowcount, lastrowid=lastrowid)


def _report(prepared: list[PreparedWrite], number: int, error: Exception) -> WriteReport:
    """Where the parameter sets stand after set ``number`` (from 0) stopped at ``error``."""
    this_set = f"parameter set {number + 1}"
    unknown = [
        dataclasses.replace(outcome, row=f"{this_set}: {outcome.row}")
        for outcome in getattr(error, "unknown", None) or []
    ]
    # A set whose every row was written or may have been is not to be run again.
    settled = bool(unknown) and not getattr(error, "not_done", None)
    later = [f"parameter set {n}" for n in range(number + 2, len(prepared) + 1)]
    return WriteReport(
        done=[i for w in prepared[: number + 1] for i in w.written],
        not_done=later if settled else [this_set, *later],
        failed=[] if settled or isinstance(error, QueryCanceledError) else [this_set],
        unknown=unknown,
    )


def _batchable(expression: exp.Expression) -> bool:
    return (
        isinstance(expression, exp.Insert)
        and isinstance(expression.expression, exp.Values)
        and len(expression.expression.expressions) == 1
        and expression.args.get("returning") is None
    )
