"""A write checked and planned, not yet sent.

Every executor first *prepares* its statement: names, values, RETURNING,
targets' WHERE are checked with no request at all. The prepared write can then
be run, explained (EXPLAIN INSERT/UPDATE/DELETE lists the planned calls without
sending any), or, in ``executemany``, prepared for every parameter set before
the first one is run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..result import Result


@dataclass(frozen=True)
class PreparedWrite:
    run: Callable[[], Result]
    explain: Callable[[], list[tuple]]  # rows in stripe_dbapi.sql.explain.COLUMNS order
    # Ids written by run(), filled as it goes (executemany reports them on failure).
    written: list[str] = field(default_factory=list)
