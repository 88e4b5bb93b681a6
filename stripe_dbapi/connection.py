"""PEP 249 Connection.

Stripe has no transactions: every statement takes effect when it runs.
``commit()`` and ``rollback()`` therefore do nothing (and must not raise:
SQLAlchemy's pool calls ``rollback()`` on every connection it takes back).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import exceptions as exc
from .catalog import load_catalog
from .client import StripeClient
from .named import named_options
from .pacing import Limits, shared_pacer
from .progress import check_callback
from .proxy import tls_context, transport_for
from .settings import settings_from
from .sql.search_fallback import SearchAvailability
from .verbose import for_settings as verbose_log_for
from .write_log import WriteLog


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
        return self if conn is None else getattr(conn.settings, self.name)

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

    def __init__(self, api_key: str | None = None, **options: Any) -> None:
        """Takes connect()'s arguments (stripe_dbapi/settings.py declares them)."""
        options = {"api_key": api_key, **options}
        if options.get("connection") is not None:  # its settings under the explicit ones
            options = named_options(options["connection"], options)
        self.settings = settings = settings_from(options)
        self.catalog = load_catalog()
        # Not fixed like readonly: a switch for comparing plans (tests, benchmarks).
        self.use_search = settings.use_search
        self.write_log = WriteLog()
        # Called before a write's or an action's first request with what it is and how
        # many objects it writes ("UPDATE customers", 3); False cancels it (see README).
        self.confirm_writes: Callable[[str, int], bool] | None = None
        # Whether Stripe's Search answered "not available" on this connection (and why).
        self.search_availability = SearchAvailability()
        self.replica = None
        if settings.replica:  # opened first: a file that cannot be opened leaves nothing open
            from .replica import Replica

            self.replica = Replica(self, settings.replica, settings.max_staleness)
        # What this connection logs at its verbosity (nothing when unset).
        self.verbose_log = verbose_log_for(settings)
        self.client = StripeClient(
            settings.api_key,
            base_url=settings.base_url,
            account_id=settings.account_id,
            # Responses must match the catalog's schema, so pin its version.
            api_version=settings.api_version or self.catalog.version,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            max_concurrency=settings.max_concurrency,
            # Through the proxy, if one is set (proxy.py); checked before any request.
            transport=settings.transport
            or transport_for(settings, events=self.verbose_log.proxy_event),
            verify=tls_context(settings),
            pacer=_pacer_for(settings),
            verbose_log=self.verbose_log,
        )
        self.progress = settings.progress
        self._closed = False

    @property
    def progress(self):
        """The function each statement of this connection's cursors reports its progress
        to (stripe_dbapi/progress.py), unless the cursor has its own; None: none."""
        return self._progress

    @progress.setter
    def progress(self, callback) -> None:
        self._progress = check_callback(callback)

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
        self.verbose_log.close()
        if self.replica is not None:
            self.replica.close()

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
            raise exc.ProgrammingError(
                f"resend takes a write (POST or DELETE), not {outcome.method}"
            )
        log_write(self, None, obj)
        return obj

    # Convenience mirroring sqlite3: conn.execute(sql, params) -> cursor.
    def execute(self, operation: str, parameters: Sequence | Mapping | None = None):
        cursor = self.cursor()
        cursor.execute(operation, parameters)
        return cursor


def _pacer_for(settings):
    """The process-wide pacer of this key (and account, if paced per account)."""
    limits = Limits.for_key(
        settings.api_key,
        global_rate=settings.max_requests_per_second,
        endpoint_rate=settings.max_endpoint_requests_per_second,
        search_rate=settings.max_search_requests_per_second,
    )
    return shared_pacer(settings.api_key, settings.account_id, limits,
                        per_account=settings.pace_per_account)
