"""Stripe error responses -> PEP 249 exceptions.

Stripe's body is ``{"error": {type, code, decline_code, message, param, doc_url,
request_log_url}}`` (https://docs.stripe.com/api/errors). The class is chosen by
Stripe's ``type`` first, then by HTTP status; every field Stripe sent is kept on
the exception, with the ``Request-Id`` header, so callers can act on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import exceptions as exc
from .redaction import mask_key, redact

__all__ = ["error_class", "error_from_response", "mask_key", "redact"]

# invalid_request_error codes that say "this value is wrong" rather than "this
# request is wrong": PEP 249 calls those DataError.
_DATA_ERROR_CODES = frozenset(
    {
        "amount_too_large",
        "amount_too_small",
        "country_code_invalid",
        "email_invalid",
        "invalid_charge_amount",
        "invalid_characters",
        "invalid_number",
        "postal_code_invalid",
        "url_invalid",
        "string_length_exceeds_maximum",
    }
)


def error_class(status: int, error_type: str | None, code: str | None) -> type[exc.Error]:
    if error_type == "card_error" or status == 402:
        return exc.CardError
    if error_type == "idempotency_error":
        return exc.IdempotencyError
    if status == 401:
        return exc.AuthenticationError
    if status == 403:
        return exc.PermissionError
    if status == 429:
        return exc.RateLimitError
    if status >= 500 or error_type == "api_error":
        return exc.APIError
    if status == 409:
        # Conflicts (lock_timeout, concurrent idempotent request) are transient.
        return exc.OperationalError
    if code and (code in _DATA_ERROR_CODES or code.startswith("parameter_invalid")):
        return exc.DataError
    return exc.ProgrammingError


def error_from_response(
    status: int,
    body: Any,
    headers: Mapping[str, str],
    *,
    method: str,
    path: str,
    api_key: str | None = None,
) -> exc.Error:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        error = {}
    error_type = error.get("type")
    code = error.get("code")
    message = error.get("message") or f"Stripe answered HTTP {status} to {method.upper()} {path}"
    cls = error_class(status, error_type, code)
    return cls(
        redact(message, api_key),
        http_status=status,
        type=error_type,
        code=code,
        param=error.get("param"),
        decline_code=error.get("decline_code"),
        doc_url=error.get("doc_url"),
        request_log_url=error.get("request_log_url"),
        request_id=headers.get("request-id"),
    )
