"""``executemany`` of an INSERT: every parameter set's row in one concurrent batch.

Stripe has no bulk create, so N parameter sets are N creates; run one by one
they would cost N round trips in sequence. Binding each set and sending all
rows as one multi-row INSERT runs them concurrently (bounded by the client),
each with its own Idempotency-Key, with the same partial-failure report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlglot import exp

from ..result import Result


def execute_many(conn, sql: str, seq_of_parameters: Iterable[Sequence | Mapping]) -> Result | None:
    """The batch's Result, or None when the statement is not a one-row
    ``INSERT ... VALUES`` (the caller then executes each set on its own)."""
    from ..procedures import is_procedure_call
    from ..sql.bind import bind_parameters
    from ..sql.parse import parse_statement
    from . import execute_write

    if not isinstance(sql, str) or is_procedure_call(sql):
        return None
    template = parse_statement(sql)
    if not _batchable(template):
        return None
    rows = []
    for parameters in seq_of_parameters:
        bound = bind_parameters(template.copy(), parameters)
        rows.extend(bound.expression.expressions)
    if not rows:
        return Result(description=None, rows=iter(()), rowcount=0)
    batch = template.copy()
    batch.expression.set("expressions", rows)
    return execute_write(conn, batch)


def _batchable(expression: exp.Expression) -> bool:
    return (
        isinstance(expression, exp.Insert)
        and isinstance(expression.expression, exp.Values)
        and len(expression.expression.expressions) == 1
        and expression.args.get("returning") is None
    )
