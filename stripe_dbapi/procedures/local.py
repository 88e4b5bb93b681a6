"""Procedures the driver runs itself, not Stripe actions: the replica's controls.

``CALL SyncReplica()`` / ``CALL SyncReplica('charges')`` / ``CALL ResetReplica('charges')``
(also by EXECUTE and ``callproc``), declared in catalog/local.py. They take the same
argument forms as actions (positional, ``TableName => 'charges'``), are listed in
sys_procedures with Method LOCAL, and answer with sys_replica's rows of the tables they
touched. They change the local file only, so a ``readonly`` connection may run them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..catalog.loader import procedure_param
from ..catalog.local import LOCAL_PROCEDURES as CATALOG_LOCAL_PROCEDURES
from ..catalog.local import RESET_REPLICA, SYNC_REPLICA
from ..catalog.model import Procedure, Table
from ..context import StatementContext
from ..exceptions import OperationalError, ProgrammingError
from ..names import normalize
from ..replica.coverage import LIVE
from ..result import Result
from ..sql.systables import SYS_TABLES
from ..writes.prepared import PreparedWrite


@dataclass(frozen=True)
class LocalProcedure:
    procedure: Procedure  # name, parameters, description (method "local")
    run: Callable[[StatementContext, dict[str, Any]], list[tuple]]  # -> sys_replica rows
    explain: str  # what it does, for EXPLAIN CALL


def _sync(conn: StatementContext, args: dict[str, Any]) -> list[tuple]:
    replica = _replica(conn)
    name = args.get("TableName")
    return replica.sync(_table(conn, replica, name) if name is not None else None)


def _reset(conn: StatementContext, args: dict[str, Any]) -> list[tuple]:
    replica = _replica(conn)
    return replica.reset(_table(conn, replica, args["TableName"]))


def _table(conn: StatementContext, replica, name: str) -> Table:
    """The table ``name`` names; unknown: the nearest of those the replica can keep."""
    return conn.catalog.table(name, among=lambda table: replica.coverage(table).kind != LIVE)


def _replica(conn: StatementContext):
    if conn.replica is None:
        raise OperationalError(
            "this connection has no local replica: open it with connect(replica=path) "
            "(stripe://?replica=path)"
        )
    return conn.replica


_RUNNERS = {
    SYNC_REPLICA.name: (_sync, "sync the replica: the events after the last one applied "
                        "(1 request when nothing changed)"),
    RESET_REPLICA.name: (_reset, "drop the table from the replica and fill it again by a "
                         "full read"),
}
LOCAL_PROCEDURES = {
    normalize(procedure.name): LocalProcedure(procedure, *_RUNNERS[procedure.name])
    for procedure in CATALOG_LOCAL_PROCEDURES
}


def local_procedure(name: str) -> LocalProcedure | None:
    return LOCAL_PROCEDURES.get(normalize(name))


def prepare_local(
    conn: StatementContext, local: LocalProcedure, positional: list, named: dict
) -> PreparedWrite:
    procedure = local.procedure
    args = _arguments(procedure, positional, named)

    def run() -> Result:
        rows = local.run(conn, args)
        description = [(c.name, c.type, None, None, None, None, None)
                       for c in SYS_TABLES["sys_replica"].columns]
        return Result(description=description, rows=iter(rows), rowcount=len(rows))

    def explain() -> list[tuple]:
        # No Stripe call of its own: the sync's requests depend on the replica's state.
        step = f"CALL {procedure.name} (local: {local.explain})"
        return [(args.get("TableName") or "", step, None, None, json.dumps(args), "[]", "[]",
                 True, 0)]

    return PreparedWrite(run, explain)


def _arguments(procedure: Procedure, positional: list, named: dict) -> dict[str, Any]:
    if len(positional) > len(procedure.params):
        raise ProgrammingError(
            f"{procedure.name} takes at most {len(procedure.params)} argument(s), "
            f"not {len(positional)}"
        )
    args = {param.name: value for param, value in zip(procedure.params, positional, strict=False)}
    for name, value in named.items():
        param = procedure_param(procedure, name)
        if param.name in args:
            raise ProgrammingError(f"parameter {param.name} given twice")
        args[param.name] = value
    for param in procedure.params:
        value = args.get(param.name)
        if param.required and value is None:
            raise ProgrammingError(f"{procedure.name} needs {param.name}: {param.description}")
        if value is not None and not isinstance(value, str):
            raise ProgrammingError(
                f"{procedure.name}: {param.name} is a table name (text), not {value!r}"
            )
    return args
