"""What the planner and the executors read from a connection: ``StatementContext``.

Every function that runs part of a statement takes it as ``conn``. ``Connection`` is
one; ``stripe_dbapi.testing.OfflineConnection`` is another (any catalog, a client that
answers from a test's transport), for tests and benchmarks that plan or execute
without a real connection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .catalog.loader import Catalog
    from .client import StripeClient
    from .replica import Replica
    from .sql.search_fallback import SearchAvailability
    from .write_log import WriteLog


@runtime_checkable
class StatementContext(Protocol):
    catalog: Catalog  # tables, columns and procedures, and name lookups
    client: StripeClient  # every request goes through it
    write_log: WriteLog  # this connection's recent writes, merged into Search results
    search_availability: SearchAvailability  # whether Stripe's Search answered here
    use_search: bool  # may the planner use the Search API
    # Asked before a write's first request: (statement, objects) -> go ahead? (writes/run.py)
    confirm_writes: Callable[[str, int], bool] | None
    replica: Replica | None  # the local replica (connect(replica=...)), or None

    @property
    def readonly(self) -> bool: ...  # refuse every write and action

    @property
    def allow_full_table_writes(self) -> bool: ...  # permit UPDATE/DELETE without WHERE
