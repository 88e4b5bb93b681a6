"""Statement dispatch: SQL text -> the executor that owns that kind of statement."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from sqlglot import exp

from . import exceptions as exc
from .result import Result

_WRITE_KINDS = (exp.Insert, exp.Update, exp.Delete)
# SQLite's EXPLAIN [QUERY PLAN] prefix; sqlglot has no node for it, so the
# statement after it is parsed on its own and handed to the EXPLAIN executor.
_EXPLAIN = re.compile(r"^\s*EXPLAIN(\s+QUERY\s+PLAN)?\s+", re.IGNORECASE)


def execute_statement(connection, sql: str, parameters: Sequence | Mapping | None) -> Result:
    from . import procedures
    from .sql.bind import bind_parameters
    from .sql.parse import parse_statement

    explain = _EXPLAIN.match(sql)
    if explain:
        sql = sql[explain.end():]
    if procedures.is_procedure_call(sql):
        if explain:
            return procedures.explain_call(connection, sql, parameters)
        return procedures.execute_call(connection, sql, parameters)
    expression = bind_parameters(parse_statement(sql), parameters)
    if explain and isinstance(expression, _WRITE_KINDS):
        from .writes import explain_write

        return explain_write(connection, expression)
    if explain:
        from .sql.explain import execute_explain

        return execute_explain(connection, expression)
    if isinstance(expression, _WRITE_KINDS):
        from .writes import execute_write

        return execute_write(connection, expression)
    if isinstance(expression, exp.Query):
        from .sql.select import execute_select

        return execute_select(connection, expression)
    raise exc.NotSupportedError(
        f"{expression.key.upper()} statements are not supported: Stripe is queried with "
        "SELECT, written with INSERT/UPDATE/DELETE and acted on with CALL"
    )
