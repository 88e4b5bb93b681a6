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
    ProxyAuthenticationError,
    QueryCanceledError,
    RateLimitError,
    UnknownOutcome,
    Warning,
    WriteCanceledError,
    WriteNotConfirmed,
)
from .settings import connect_doc, connect_signature

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


def connect(api_key: str | None = None, **options: Any):
    """Open a connection to Stripe (or to any Stripe-compatible server).

    Every option is keyword-only; an unknown one is an InterfaceError naming the
    nearest valid one.

{options}
    """
    from .connection import Connection

    return Connection(api_key, **options)


# help(connect) and IDEs show each option with its default: stripe_dbapi/settings.py
# declares them, and the dialect's stripe:// URL options come from the same list.
connect.__signature__ = connect_signature()  # type: ignore[attr-defined]
connect.__doc__ = connect.__doc__.format(options=connect_doc())  # type: ignore[union-attr]


def save_connection(name: str, **settings: Any):
    """Save connection ``name`` in the connections file, for ``connect(connection=name)``
    (stripe_dbapi/named.py: the file, its keys, and how the API key is referred to)."""
    from .named import save_connection as save

    return save(name, **settings)


__version__ = "0.1.0"

__all__ = [
    # globals
    "apilevel",
    "threadsafety",
    "paramstyle",
    "connect",
    "save_connection",
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
    "ProxyAuthenticationError",
    "APIError",
    "CardError",
    "IdempotencyError",
    "PartialWriteError",
    "WriteNotConfirmed",
    "QueryCanceledError",
    "WriteCanceledError",
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
