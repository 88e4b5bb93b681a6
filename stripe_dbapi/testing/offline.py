"""``OfflineConnection``: a StatementContext (stripe_dbapi/context.py) over any catalog.

For tests and benchmarks that plan or run statements without ``connect()``: a
hand-built catalog, and the real client on a transport the test provides. Without
one, every request fails, so code that must not send any can be run as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from ..client import StripeClient
from ..sql.search_fallback import SearchAvailability
from ..write_log import WriteLog

OFFLINE_KEY = "sk_test_offline"


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"an offline connection sent a request: {request.method} {request.url}")


def offline_client(transport: httpx.BaseTransport | None = None) -> StripeClient:
    """The real client, on ``transport`` (default: one that refuses every request)."""
    return StripeClient(
        OFFLINE_KEY,
        base_url="https://stripe.test",
        transport=transport or httpx.MockTransport(_refuse),
        max_retries=0,
    )


@dataclass
class OfflineConnection:
    catalog: Any  # a Catalog, or a test's stand-in with the same lookups
    client: StripeClient = field(default_factory=offline_client)
    write_log: WriteLog = field(default_factory=WriteLog)
    search_availability: SearchAvailability = field(default_factory=SearchAvailability)
    use_search: bool = True
    readonly: bool = False
    allow_full_table_writes: bool = False
    confirm_writes: Any = None
    replica: Any = None  # a stripe_dbapi.replica.Replica, or None

    def close(self) -> None:
        self.client.close()
