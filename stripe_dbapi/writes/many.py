"""``executemany`` of writes and CALL: every parameter set checked before the first request.

stripe_dbapi/execute.py classifies the statement and hands writes and CALLs here.

A one-row ``INSERT ... VALUES`` sends every parameter set's row as one
concurrent batch (Stripe has no bulk create; run one by one, N creates would
cost N round trips in sequence), each with its own Idempotency-Key, with the
same partial-failure report as a multi-row INSERT.

Any other INSERT, UPDATE, DELETE or CALL is prepared once per parameter set
(names, values, ids, RETURNING all checked with no request), then the sets run
in order. A failure part-way raises PartialWriteError listing the ids written
and the parameter sets not done; a failure before anything was written raises
Stripe's own error, with empty ``done`` and the sets in ``not_done``.
"""

from __future__ import annotations

from sqlglot import exp

from ..exceptions import DatabaseError, PartialWriteError
from ..result import Result
from .prepared import PreparedWrite
from .run import annotate_progress, check_writable, partial_write_error


def call_many(conn, sql: str, parameter_sets: list) -> Result:
    """CALL once per parameter set, in order, every set bound and checked first."""
    from ..procedures import prepare_call

    prepared = [prepare_call(conn, sql, parameters) for parameters in parameter_sets]
    check_writable(conn, "CALL")
    return _run_in_order(prepared, "CALL")


def write_many(conn, template: exp.Expression, parameter_sets: list) -> Result:
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
            done = [i for w in prepared[:number] for i in w.written] + list(write.written)
            not_done = [f"parameter set {n}" for n in range(number + 1, len(prepared) + 1)]
            failed = [not_done[0]]
            cause = error
            if isinstance(error, PartialWriteError):
                cause = error.__cause__ or error
            if not done:
                annotate_progress(error, [], not_done, failed)
                raise
            progress = f"{number} of {len(prepared)} parameter sets"
            raise partial_write_error(
                cause, f"executemany {verb}", progress, done, not_done, failed
            ) from cause
        rowcount += max(result.rowcount or 0, 0)
        lastrowid = result.lastrowid or lastrowid
    return Result(description=None, rows=iter(()), rowcount=rowcount, lastrowid=lastrowid)


def _batchable(expression: exp.Expression) -> bool:
    return (
        isinstance(expression, exp.Insert)
        and isinstance(expression.expression, exp.Values)
        and len(expression.expression.expressions) == 1
        and expression.args.get("returning") is None
    )
