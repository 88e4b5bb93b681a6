"""Statement dispatch: a classified statement -> the executor that owns its kind.

``execute`` and ``executemany`` both come here; stripe_dbapi/statement.py is
the one place that decides what kind a statement is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from . import exceptions as exc
from . import progress
from .context import StatementContext
from .result import Result
from .statement import CALL, WRITE, Statement, classify

Parameters = Sequence | Mapping | None


def execute_statement(connection: StatementContext, sql: str, parameters: Parameters) -> Result:
    return run_statement(connection, classify(sql), parameters)


def run_statement(
    connection: StatementContext, statement: Statement, parameters: Parameters
) -> Result:
    """Bind ``parameters`` into an already classified statement and run (or explain) it."""
    _announce(statement)
    if statement.kind == CALL:
        from . import procedures

        run = procedures.explain_call if statement.explain else procedures.execute_call
        return run(connection, statement.text, parameters)
    from .sql.bind import bind_parameters

    assert statement.tree is not None  # only a CALL (run above) has no tree
    tree = bind_parameters(statement.tree, parameters)
    if statement.kind == WRITE:
        from .writes import execute_write, explain_write

        return (explain_write if statement.explain else execute_write)(connection, tree)
    from .sql.explain import execute_explain
    from .sql.select import execute_select

    return (execute_explain if statement.explain else execute_select)(connection, tree)


_PHASES = {CALL: progress.CALL, WRITE: progress.WRITE}


def _announce(statement: Statement) -> None:
    """Tell the progress callback what kind of statement runs (EXPLAIN only reads)."""
    kind = progress.READ if statement.explain else _PHASES.get(statement.kind, progress.READ)
    progress.current().describe(phase=kind)


def execute_many(
    connection: StatementContext, sql: str, seq_of_parameters: Iterable[Parameters]
) -> Result:
    """PEP 249 ``executemany``. Writes and CALL: every parameter set is checked before the
    first request, a one-row INSERT ... VALUES runs as one concurrent batch of creates
    (stripe_dbapi/writes/many.py). Anything else (SELECT, EXPLAIN) runs once per set; the
    last set's result stays fetchable and rowcount adds up the sets' known counts."""
    from .writes.many import call_many, write_many

    statement = classify(sql)
    parameter_sets = _parameter_sets(seq_of_parameters)
    _announce(statement)
    if not statement.explain and statement.kind == CALL:
        return call_many(connection, statement.text, parameter_sets)
    if not statement.explain and statement.kind == WRITE:
        assert statement.tree is not None  # a write is parsed
        return write_many(connection, statement.tree, parameter_sets)
    result, total = Result(description=None, rows=iter(()), rowcount=0), 0
    for parameters in parameter_sets:
        result.close()
        result = run_statement(connection, statement, parameters)
        total += max(result.rowcount, 0)
    result.rowcount = total
    return result


def explain_lines(connection: StatementContext, sql: str, parameters: Parameters) -> list[str]:
    """The plan of ``sql`` as EXPLAIN gives it, one line per row (for the verbose log);
    a statement that cannot be planned has none (running it reports why)."""
    from dataclasses import replace

    try:
        statement = classify(sql)
        result = run_statement(connection, replace(statement, explain=True), parameters)
        rows = list(result.rows)
    except Exception:  # noqa: BLE001 - the statement's own run raises it, with context
        return []
    return [_plan_line(*row) for row in rows]


def _plan_line(table, step, method, path, params, pushed, residual, _exact, requests) -> str:
    """One EXPLAIN row (stripe_dbapi/sql/explain.py's COLUMNS) as a line of text."""
    parts = [f"{table}:" if table else "", step, method, path, params]
    if pushed not in (None, "[]"):
        parts.append(f"pushed {pushed}")
    if residual not in (None, "[]"):
        parts.append(f"residual {residual}")
    parts.append(f"~{requests} requests")
    return " ".join(str(part) for part in parts if part)


def _parameter_sets(seq_of_parameters) -> list:
    if isinstance(seq_of_parameters, (str, bytes, Mapping)) or not isinstance(
        seq_of_parameters, Iterable
    ):
        raise exc.InterfaceError(
            "executemany() takes a sequence of parameter sets (a list of tuples or of dicts), "
            f"not {type(seq_of_parameters).__name__}"
        )
    return list(seq_of_parameters)
