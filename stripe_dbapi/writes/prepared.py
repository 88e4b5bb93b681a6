"""A write checked and planned, not yet sent.

Every executor first *prepares* its statement: names, values, RETURNING,
targets' WHERE are checked with no request at all. The prepared write can then
be run, explained (EXPLAIN INSERT/UPDATE/DELETE lists the planned calls without
sending any), or, in ``executemany``, prepared for every parameter set before
the first one is run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from ..context import StatementContext
from ..result import Result


@dataclass(frozen=True)
class PreparedWrite:
    run: Callable[[], Result]
    explain: Callable[[], list[tuple]]  # rows in stripe_dbapi.sql.explain.COLUMNS order
    # Ids written by run(), filled as it goes (executemany reports them on failure).
    written: list[str] = field(default_factory=list)


def check_sendable(conn: StatementContext, prepared: PreparedWrite) -> None:
    """Every call the write plans (its EXPLAIN rows) must be a request that can be sent: a
    100,000-character id cannot travel in a URL. DataError before the first is sent.
    Calls whose path still has a placeholder (``/v1/customers/{id}``: ids found at run
    time) are checked by the client when they are built."""
    for row in prepared.explain():
        method, path, params = row[2], row[3], row[4]
        if method and path and "{" not in path:
            conn.client.check_request(method, path, json.loads(params) if params else None)
