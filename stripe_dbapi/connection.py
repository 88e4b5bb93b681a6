"""PEP 249 Connection.

Stripe has no transactions: every statement takes effect when it runs.
``commit()`` and ``rollback()`` therefore do nothing (and must not raise:
SQLAlchemy's pool calls ``rollback()`` on every connection it takes back).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from . import exceptions as exc
from .catalog import load_catalog
from .client import StripeClient
from .sql.search_fallback import SearchAvailability
from .write_log import WriteLog

DEFAULT_BASE_URL = "https://api.stripe.com"


class FixedSettingError(exc.InterfaceError, AttributeError):
    """Assigning a safety setting after connect(). An InterfaceError (PEP 249: misuse
    of the interface) that is also the AttributeError Python raises for a read-only
    attribute, so ``except AttributeError`` code catches it too."""


class _FixedAtConnect:
    """A safety setting, read-only once the connection is open: a guard that code
    could switch off at run time (``conn.readonly = False``) would guard nothing."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, conn, owner=None):
        return self if conn is None else conn._fixed_settings[self.name]

    def __set__(self, conn, value) -> None:
        raise FixedSettingError(
            f"{self.name} is fixed when the connection is opened; "
            f"open another with connect({self.name}={value!r})"
        )

    def __delete__(self, conn) -> None:
        raise FixedSettingError(f"{self.name} is fixed when the connection is opened")


class Connection:
    # PEP 249 optional extension: the exception classes as attributes, so code
    # holding only a connection can catch them.
    Warning = exc.Warning
    Error = exc.Error
    InterfaceError = exc.InterfaceError
    DatabaseError = exc.DatabaseError
    DataError = exc.DataError
    OperationalError = exc.OperationalError
    IntegrityError = exc.IntegrityError
    InternalError = exc.InternalError
    ProgrammingError = exc.ProgrammingError
    NotSupportedError = exc.NotSupportedError

    readonly = _FixedAtConnect()  # refuse every write and action
    allow_full_table_writes = _FixedAtConnect()  # permit UPDATE/DELETE that touch every object

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        account_id: str | None = None,
        api_version: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        readonly: bool = False,
        allow_full_table_writes: bool = False,
        use_search: bool = True,
        max_concurrency: int = 8,
        transport: Any = None,
        client: StripeClient | None = None,
    ) -> None:
        api_key = api_key or os.environ.get("STRIPE_API_KEY")
        if not api_key and client is None:
            raise exc.InterfaceError(
                "no Stripe API key: pass api_key=... to connect() or set the "
                "STRIPE_API_KEY environment variable"
            )
        _check_options(timeout=timeout, max_retries=max_retries, max_concurrency=max_concurrency)
        self.catalog = load_catalog()
        self._fixed_settings = {
            "readonly": bool(readonly),
            "allow_full_table_writes": bool(allow_full_table_writes),
        }
        self.use_search = bool(use_search)
        self.write_log = WriteLog()
        # Whether Stripe's Search answered "not available" on this connection (and why).
        self.search_availability = SearchAvailability()
        self.client = client or StripeClient(
            api_key,  # type: ignore[arg-type]
            base_url=base_url,
            account_id=account_id,
            # Responses must match the catalog's schema, so pin its version.
            api_version=api_version or self.catalog.version,
            timeout=timeout,
            max_retries=max_retries,
            max_concurrency=max_concurrency,
            transport=transport,
        )
        self._closed = False

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<stripe_dbapi.Connection {state} {self.client!r}>"

    @property
    def closed(self) -> bool:
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise exc.InterfaceError("the connection is closed")

    def cursor(self):
        from .cursor import Cursor

        self._check_open()
        return Cursor(self)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.client.close()

    def commit(self) -> None:
        """No-op: every statement already took effect in Stripe."""
        self._check_open()

    def rollback(self) -> None:
        """No-op: Stripe cannot undo a write. Nothing is pending, so nothing is lost."""
        self._check_open()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def resend(self, outcome: exc.UnknownOutcome) -> dict:
        """Send again a write whose outcome is unknown (``PartialWriteError.unknown``),
        with the Idempotency-Key it was first sent with: Stripe replays the first
        result if it was applied, or applies it now; once either way, within the
        24 hours Stripe keeps keys. Returns Stripe's object."""
        from .writes.run import check_writable, log_write

        self._check_open()
        check_writable(self, f"{outcome.method} {outcome.path}")
        if outcome.method == "POST":
            obj = self.client.post(
                outcome.path,
                outcome.params,
                idempotency_key=outcome.idempotency_key,
                resending=True,
            )
        elif outcome.method == "DELETE":
            obj = self.client.delete(outcome.path, outcome.params or None, resending=True)
        else:
            raise exc.ProgrammingError(f"resend takes a write (POST or DELETE), not {outcome.method}")
        log_write(self, None, obj)
        return obj

    # Convenience mirroring sqlite3: conn.execute(sql, params) -> cursor.
    def execute(self, operation: str, parameters: Sequence | Mapping | None = None):
        cursor = self.cursor()
        cursor.execute(operation, parameters)
        return cursor


def _check_options(*, timeout: float, max_retries: int, max_concurrency: int) -> None:
    """Refuse option values that would make every request fail or hang, by name."""
    problems = []
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        problems.append(f"timeout must be a number of seconds > 0, not {timeout!r}")
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
        problems.append(f"max_retries must be an integer >= 0, not {max_retries!r}")
    if not isinstance(max_concurrency, int) or isinstance(max_concurrency, bool) or max_concurrency < 1:
        problems.append(f"max_concurrency must be an integer >= 1, not {max_concurrency!r}")
    if problems:
        raise exc.InterfaceError("invalid connect() option: " + "; ".join(problems))
