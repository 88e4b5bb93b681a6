"""PEP 249 exception hierarchy, plus Stripe-specific subclasses.

Driver-specific errors extend the PEP 249 classes so callers can catch by the
PEP's class (a declined card is a ``DatabaseError``, a bad query a
``ProgrammingError``) and still read Stripe's details off the exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Warning(Exception):
    """Important warnings, e.g. data truncation (PEP 249)."""


class Error(Exception):
    """Base class of every error the driver raises (PEP 249).

    Errors that come from a Stripe response keep what Stripe said: ``type``,
    ``code``, ``param``, ``decline_code``, ``doc_url``, ``request_log_url``, the
    HTTP ``http_status`` and the ``Request-Id`` header as ``request_id``.
    """

    # Set only on some errors (absent on the others); declared so their readers type-check.
    tries: int  # a rate limit the client gave up on: the tries it made
    unknown_outcome: UnknownOutcome | None  # a write call Stripe may have applied
    # A stopped write (writes.run.raise_write_failure); PartialWriteError always has them.
    done: list[str]
    not_done: list[str]
    failed: list[str]
    unknown: list[UnknownOutcome]

    def __init__(
        self,
        message: str = "",
        *,
        http_status: int | None = None,
        type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        doc_url: str | None = None,
        request_log_url: str | None = None,
        request_id: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.type = type
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.doc_url = doc_url
        self.request_log_url = request_log_url
        self.request_id = request_id
        for key, value in extra.items():
            setattr(self, key, value)

    def __str__(self) -> str:
        details = [
            f"{name}={value}"
            for name, value in (
                ("http_status", self.http_status),
                ("code", self.code),
                ("param", self.param),
                ("decline_code", self.decline_code),
                ("request_id", self.request_id),
            )
            if value is not None
        ]
        if not details:
            return self.message
        return f"{self.message} ({', '.join(details)})"


class InterfaceError(Error):
    """Misuse of the driver's interface, e.g. a closed cursor (PEP 249)."""


class DatabaseError(Error):
    """Errors related to the database, here Stripe (PEP 249)."""


class DataError(DatabaseError):
    """A value is wrong: out of range, wrong type, not convertible (PEP 249)."""


class OperationalError(DatabaseError):
    """Errors in Stripe's operation, not under the programmer's control (PEP 249)."""


class IntegrityError(DatabaseError):
    """Relational integrity is affected (PEP 249)."""


class InternalError(DatabaseError):
    """The driver's own state is inconsistent (PEP 249)."""


class ProgrammingError(DatabaseError):
    """Bad SQL, unknown table or column, wrong parameters (PEP 249)."""


class NotSupportedError(DatabaseError):
    """An operation Stripe (or the driver) does not have (PEP 249)."""


# --- Stripe-specific subclasses -------------------------------------------------


class AuthenticationError(OperationalError):
    """Stripe answered 401: no valid API key."""


class PermissionError(OperationalError):
    """Stripe answered 403: the key may not do this."""


class RateLimitError(OperationalError):
    """Stripe answered 429 and retries did not get through."""


class APIConnectionError(OperationalError):
    """The network failed (connect, read, dropped connection) after retries."""


class ProxyAuthenticationError(OperationalError):
    """The proxy answered 407: it refused (or was given no) proxy credentials.
    ``proxy`` names it (scheme, host and port; never a user or a password)."""


class APIError(OperationalError):
    """Stripe answered 5xx (its side) after retries."""


class CardError(DatabaseError):
    """Stripe's ``card_error``: the card was declined or is invalid (HTTP 402)."""


class IdempotencyError(DatabaseError):
    """Stripe's ``idempotency_error``: a key was reused with other parameters."""


class PartialWriteError(DatabaseError):
    """A write stopped part-way, or may have been applied without the driver knowing.

    ``done`` lists the ids written, ``not_done`` what was not attempted or failed
    (safe to run again), ``unknown`` the calls whose outcome is not known
    (``UnknownOutcome``: Stripe may have applied them; re-send them with their
    Idempotency-Key rather than running them again); ``__cause__`` is the error
    that stopped it.
    """


class WriteNotConfirmed(OperationalError):
    """A write or action that the connection's ``confirm_writes`` callback declined
    before its first write request: nothing was written. ``statement`` says what
    ("UPDATE customers"), ``count`` how many objects it would have written."""

    statement: str
    count: int


class QueryCanceledError(OperationalError):
    """The statement was canceled (``cursor.cancel()``, or Ctrl-C in ``stripe-sql``):
    it sent no request after that. Requests already on their way were answered and
    their answers dropped, except a write's: a canceled write raises
    ``WriteCanceledError`` when anything was or may have been written, else this
    error with empty ``done`` and the rows in ``not_done``."""


class WriteCanceledError(QueryCanceledError, PartialWriteError):
    """A write canceled part-way: ``done``, ``not_done`` and ``unknown`` as
    PartialWriteError says them. Caught by ``except QueryCanceledError`` and by
    ``except PartialWriteError`` alike."""


@dataclass(frozen=True)
class UnknownOutcome:
    """A write call whose answer never came: the connection failed after the request
    may have reached Stripe, or Stripe answered 5xx, which it calls indeterminate.
    Stripe may have applied it.

    A POST carries the ``idempotency_key`` it was sent with: sending the same
    ``method``/``path``/``params`` with that key again (``Connection.resend``) within
    Stripe's 24 hours replays the first result or applies it once, never twice. A
    DELETE has no key (None): running it again is safe, and a 404 then means it
    was deleted.
    """

    row: str  # what the statement calls it: "row 2", the object's id, "CALL PayInvoice"
    method: str
    path: str
    params: dict = field(repr=False)  # as sent; may hold values a repr should not show
    idempotency_key: str | None = None

    def __str__(self) -> str:
        if self.idempotency_key is None:
            return self.row
        return f"{self.row} (Idempotency-Key {self.idempotency_key})"


__all__ = [
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "CardError",
    "DataError",
    "DatabaseError",
    "Error",
    "IdempotencyError",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "PartialWriteError",
    "PermissionError",
    "ProgrammingError",
    "ProxyAuthenticationError",
    "QueryCanceledError",
    "RateLimitError",
    "UnknownOutcome",
    "Warning",
    "WriteCanceledError",
]
