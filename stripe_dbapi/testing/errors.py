"""Stripe-shaped error answers raised inside the emulator and turned into HTTP responses."""

from __future__ import annotations


class StripeError(Exception):
    """An error the emulator answers with Stripe's error body.

    ``{"error": {"type", "code", "message", "param", "doc_url", "request_log_url"}}``
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.headers = dict(headers or {})

    def body(self, request_id: str) -> dict:
        error: dict = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        if self.decline_code:
            error["decline_code"] = self.decline_code
        error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        return {"error": error}


def invalid(message: str, *, param: str | None = None, code: str | None = None) -> StripeError:
    """A 400 invalid_request_error."""
    return StripeError(400, message, param=param, code=code)


def missing(object_type: str, object_id: str, param: str = "id") -> StripeError:
    """Stripe's 404 for an id that does not exist."""
    return StripeError(
        404,
        f"No such {object_type}: '{object_id}'",
        code="resource_missing",
        param=param,
    )


def unknown_parameter(name: str) -> StripeError:
    return invalid(f"Received unknown parameter: {name}", param=name, code="parameter_unknown")


def missing_parameter(name: str) -> StripeError:
    return invalid(f"Missing required param: {name}.", param=name, code="parameter_missing")


def unexpected_state(message: str) -> StripeError:
    """An action not allowed in the object's current state."""
    return invalid(message, code="resource_unexpected_state")


def unrecognized_url(method: str, path: str) -> StripeError:
    """Stripe's 404 for a route it does not have (any method: Stripe never answers 405)."""
    hint = (
        "If you are trying to list objects, remove the trailing slash. If you are trying to "
        "retrieve an object, make sure you passed a valid (non-empty) identifier in your code. "
        if path.endswith("/")
        else ""
    )
    return StripeError(
        404,
        f"Unrecognized request URL ({method}: {path}). {hint}Please see https://stripe.com/docs "
        "or we can help at https://support.stripe.com/.",
    )
