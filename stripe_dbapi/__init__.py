"""stripe_dbapi: Stripe as a SQL database, a PEP 249 (DB-API 2.0) driver.

    import stripe_dbapi
    conn = stripe_dbapi.connect(api_key="sk_test_...")
    cur = conn.cursor()
    cur.execute("SELECT id, email FROM customers WHERE created >= ?", ("2024-01-01",))

Every statement takes effect in Stripe when it runs: ``commit()`` and
``rollback()`` are accepted and do nothing.
"""

from __future__ import annotations

from typing import Any

# --- Module interface: globals (PEP 249) ----------------------------------------------

apilevel = "2.0"
# Threads may share the module and connections, but not cursors: a connection's
# HTTP client and catalog are thread-safe, a cursor's result iterator is not.
threadsafety = 2
# `?` placeholders; `:name` with a mapping is accepted too.
paramstyle = "qmark"

# --- Exceptions (PEP 249) ----------------------------------------------------------------

from .exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    CardError,
    DatabaseError,
    DataError,
    Error,
    IdempotencyError,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PartialWriteError,
    PermissionError,
    ProgrammingError,
    RateLimitError,
    UnknownOutcome,
    Warning,
)

# --- Type objects and constructors (PEP 249) ---------------------------------------------
from .types import (
    BINARY,
    BOOLEAN,
    DATETIME,
    JSON,
    NUMBER,
    ROWID,
    STRING,
    Binary,
    Date,
    DateFromTicks,
    Time,
    TimeFromTicks,
    Timestamp,
    TimestampFromTicks,
)

# --- Connection constructor (PEP 249) ------------------------------------------------------


def connect(
    api_key: str | None = None,
    *,
    base_url: str = "https://api.stripe.com",
    account_id: str | None = None,
    api_version: str | None = None,
    timeout: float = 30.0,
    max_retries: int = 2,
    readonly: bool = False,
    allow_full_table_writes: bool = False,
    use_search: bool = True,
    max_concurrency: int = 8,
    transport: Any = None,
):
    """Open a connection to Stripe (or to any Stripe-compatible server).

    api_key: a secret or restricted key; defaults to ``STRIPE_API_KEY``.
    base_url: where to send requests (the emulator, localstripe, a proxy).
    account_id: a Connect account id, sent as ``Stripe-Account`` on every request.
    api_version: overrides the ``Stripe-Version`` the catalog was generated for.
    timeout / max_retries: per request; retries back off exponentially.
    readonly: refuse every write and action before any request.
    allow_full_table_writes: permit UPDATE/DELETE without WHERE.
    use_search: let the planner use Stripe's Search API.
    max_concurrency: parallel requests for one statement.
    transport: an httpx transport (tests).
    """
    from .connection import Connection

    return Connection(
        api_key,
        base_url=base_url,
        account_id=account_id,
        api_version=api_version,
        timeout=timeout,
        max_retries=max_retries,
        readonly=readonly,
        allow_full_table_writes=allow_full_table_writes,
        use_search=use_search,
        max_concurrency=max_concurrency,
        transport=transport,
    )


__version__ = "0.1.0"

__all__ = [
    # globals
    "apilevel",
    "threadsafety",
    "paramstyle",
    "connect",
    # exceptions
    "Warning",
    "Error",
    "InterfaceError",
    "DatabaseError",
    "DataError",
    "OperationalError",
    "IntegrityError",
    "InternalError",
    "ProgrammingError",
    "NotSupportedError",
    "AuthenticationError",
    "PermissionError",
    "RateLimitError",
    "APIConnectionError",
    "APIError",
    "CardError",
    "IdempotencyError",
    "PartialWriteError",
    "UnknownOutcome",
    # types
    "STRING",
    "BINARY",
    "NUMBER",
    "DATETIME",
    "ROWID",
    "BOOLEAN",
    "JSON",
    "Date",
    "Time",
    "Timestamp",
    "DateFromTicks",
    "TimeFromTicks",
    "TimestampFromTicks",
    "Binary",
]
