"""The driver's errors in Apache Superset's terms: its error types, one line each.

Superset matches ``custom_errors`` (regex -> message, ``SupersetErrorType``, extra)
against the text its engine spec's ``_extract_error_message`` gives for a failure,
and shows the first match's message with that error type (``extract_errors``).
The text is the driver's ``str(error)``: its message and the details it appends,
``(http_status=401, code=..., request_id=...)``, which the patterns read.

Superset reaches the driver's error four ways: the driver's own exception (a
cursor), SQLAlchemy's ``DBAPIError`` around it (``.orig``), a ``DBAPIError(text,
None, None)`` that keeps only the text (as its ``statement``) when it tests a
connection, and in SQL Lab the text of ``extract_error_message`` ("stripe error:
..."). ``error_text`` finds the driver's words in each.

A ``{name}`` in a message is filled from the pattern's named groups; the text
never carries the API key (the driver masks it).
"""

from __future__ import annotations

import re
from typing import Any

import stripe_dbapi

try:  # pragma: no cover - exercised only where Superset is installed
    from superset.errors import SupersetErrorType as _ErrorType
except ImportError:  # Superset is optional; its error types are plain strings (a StrEnum)
    _ErrorType = None


def _error_type(name: str) -> Any:
    return _ErrorType(name) if _ErrorType is not None else name


# Superset formats a message with ``message % groups``; an empty message shows the
# driver's own line, for errors whose wording is already the clearest one.
_ERRORS: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    (
        r"no Stripe API key",
        (
            "No Stripe API key: put one in the URL (stripe://:sk_test_...@) "
            "or set STRIPE_API_KEY for the Superset server."
        ),
        "CONNECTION_MISSING_PARAMETERS_ERROR",
        {"missing": ["password"]},
    ),
    (
        r"http_status=401\b",
        (
            "Stripe rejected the API key: check the key in the connection URL "
            "(a live key in test mode, a revoked or mistyped key)."
        ),
        "CONNECTION_INVALID_PASSWORD_ERROR",
        {"invalid": ["password"]},
    ),
    (
        r"^(?P<stripe_message>.*?) \(http_status=403\b",
        "This Stripe key lacks a permission: %(stripe_message)s",
        "CONNECTION_DATABASE_PERMISSIONS_ERROR",
        {},
    ),
    (
        r"http_status=429\b",
        (
            "Stripe's rate limit was reached and the retries did not get through: "
            "run it again in a moment, or lower max_concurrency in the URL."
        ),
        "GENERIC_DB_ENGINE_ERROR",
        {},
    ),
    (
        r"could not reach Stripe at (?P<base_url>\S+)",
        (
            "Stripe could not be reached at %(base_url)s: check the network, "
            "or base_url in the connection URL."
        ),
        "CONNECTION_HOST_DOWN_ERROR",
        {"invalid": ["host"]},
    ),
    (r"\bunknown table '(?P<table>[^']*)'", "", "TABLE_DOES_NOT_EXIST_ERROR", {}),
    (r"\bunknown column '(?P<column>[^']*)'", "", "COLUMN_DOES_NOT_EXIST_ERROR", {}),
)

CUSTOM_ERRORS: dict[re.Pattern[str], tuple[str, Any, dict[str, Any]]] = {
    re.compile(pattern): (message, _error_type(error_type), extra)
    for pattern, message, error_type, extra in _ERRORS
}


def _is_text_only_dbapi_error(error: BaseException) -> bool:
    # Superset's connection test: DBAPIError(str(failure), None, None).
    return (
        type(error).__name__ == "DBAPIError"
        and getattr(error, "orig", True) is None
        and isinstance(getattr(error, "statement", None), str)
    )


def error_text(error: BaseException | str, engine: str = "stripe") -> str:
    """The driver's one-line account of ``error``, however Superset holds it."""
    if isinstance(error, str):  # SQL Lab: f"{engine} error: {message}"
        return error_text(Exception(error.removeprefix(f"{engine} error: ")))
    for candidate in (error, getattr(error, "orig", None)):
        if isinstance(candidate, stripe_dbapi.Error):
            text = str(candidate)
            break
    else:
        text = error.statement if _is_text_only_dbapi_error(error) else str(error)  # type: ignore[attr-defined]
    lines = text.strip().splitlines()
    return lines[0] if lines else type(error).__name__
