"""HTTP around ``StripeApp``: auth, accounts, idempotency keys, faults, request log.

A stdlib ``ThreadingHTTPServer`` speaking HTTP/1.1 with keep-alive, so the
driver's connection pool behaves as it does against api.stripe.com.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from .app import StripeApp
from .errors import StripeError
from .faults import Fault, Faults
from .forms import parse_form
from .store import PLATFORM

MAX_LOGGED_REQUESTS = 100_000  # the log keeps the newest ones (benchmarks send millions)
# Keys the emulator accepts: test-mode secret and restricted keys only, so a live
# key pasted by mistake fails here exactly as a wrong key would.
ACCEPTED_KEY_PREFIXES = ("sk_test_", "rk_test_")


@dataclass
class RequestRecord:
    """One request as the emulator received it (the API key is redacted)."""

    method: str
    path: str
    params: dict
    headers: dict
    status: int | None = None
    account: str = PLATFORM
    at: float = field(default_factory=time.time)

    @property
    def query(self) -> dict:  # alias: tests read GET params as "query"
        return self.params


class _Answer:
    """A response, serialized when made: stored objects change later, and an
    idempotent replay must send the first answer as it was."""

    __slots__ = ("headers", "payload", "status")

    def __init__(self, status: int, body, headers: dict) -> None:
        self.status = status
        self.payload = (
            body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":")).encode()
        )
        self.headers = headers


def redact_key(key: str) -> str:
    """``sk_test_...abcd`` as Stripe shows keys in its messages."""
    if not key:
        return ""
    prefix = next(
        (
            p
            for p in ("sk_test_", "rk_test_", "sk_live_", "rk_live_", "pk_test_", "pk_live_")
            if key.startswith(p)
        ),
        "",
    )
    return f"{prefix}***{key[-4:]}" if len(key) > 12 else "***"


class Idempotency:
    """Stripe's Idempotency-Key: replay the first answer for the same key and request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._saved: dict[tuple[str, str], tuple[str, _Answer]] = {}
        self._running: set[tuple[str, str]] = set()

    def begin(self, scope: tuple[str, str], fingerprint: str) -> _Answer | None:
        """A saved answer to replay, or None after marking the key as running."""
        with self._lock:
            saved = self._saved.get(scope)
            if saved is not None:
                if saved[0] != fingerprint:
                    raise StripeError(
                        400,
                        "Keys for idempotent requests can only be used with the same parameters "
                        "they were first used with. Try using a key other than "
                        f"'{scope[1]}' if you meant to execute a different request.",
                        type="idempotency_error",
                    )
                answer = saved[1]
                return _Answer(
                    answer.status, answer.payload, {**answer.headers, "Idempotent-Replayed": "true"}
                )
            if scope in self._running:
                raise StripeError(
                    409,
                    "There is currently another in-progress request using this "
                    "Stripe-Idempotency-Key (that probably means you submitted twice, and the "
                    "other request is still going through): "
                    f"{scope[1]}. Please try again later.",
                    code="idempotency_key_in_use",
                )
            self._running.add(scope)
            return None

    def finish(self, scope: tuple[str, str], fingerprint: str, answer: _Answer | None) -> None:
        with self._lock:
            self._running.discard(scope)
            if answer is not None:
                self._saved[scope] = (fingerprint, answer)

    def clear(self) -> None:
        with self._lock:
            self._saved.clear()


CONCURRENCY_FAULT = Fault(
    429,
    rate_limited_reason="global-concurrency",
    message="Too many concurrent requests: the emulator's concurrency limit was reached.",
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, Nagle's algorithm and
    # delayed ACKs add ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True
    server_version = "stripe-dbapi-emulator"
    sys_version = ""

    def do_GET(self) -> None:
        self.server.frontend.serve(self)  # type: ignore[attr-defined]

    do_POST = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass


class Frontend:
    """Turns HTTP requests into ``StripeApp`` calls (one per server)."""

    def __init__(self, app: StripeApp, faults: Faults, api_version: str) -> None:
        self.app = app
        self.faults = faults
        self.api_version = api_version
        self.idempotency = Idempotency()
        self.requests: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._request_numbers = itertools.count(1)
        self._in_flight = 0

    # -- one request ---------------------------------------------------------------

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        method = handler.command
        split = urlsplit(handler.path)
        path = (
            split.path or "/"
        )  # no trailing-slash folding: Stripe answers 404 to "/v1/customers/"
        length = int(handler.headers.get("Content-Length") or 0)
        raw_body = handler.rfile.read(length).decode("utf-8") if length else ""
        request_id = f"req_{next(self._request_numbers):014d}"
        headers = {k.lower(): v for k, v in handler.headers.items()}
        account = headers.get("stripe-account") or PLATFORM
        shown_headers = dict(headers)
        if "authorization" in shown_headers:
            shown_headers["authorization"] = "Bearer " + redact_key(
                _bearer_key(headers["authorization"])
            )
        record = RequestRecord(method, path, {}, shown_headers, account=account)
        with self._log_lock:
            self.requests.append(record)
            if len(self.requests) > MAX_LOGGED_REQUESTS:
                del self.requests[: MAX_LOGGED_REQUESTS // 2]
            self._in_flight += 1
            limit = self.faults.concurrency_limit
            crowded = limit is not None and self._in_flight > limit
        try:
            answer, drop = self._answer(
                method, path, split.query, raw_body, headers, account, record, request_id, crowded
            )
            record.status = answer.status
            delay = self.faults.delay()
            if delay:
                time.sleep(delay)  # still in flight: latency counts against the concurrency limit
        finally:
            with self._log_lock:
                self._in_flight -= 1
        if drop:
            # The work is done (and saved for the idempotency key); the client never hears back.
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        payload = answer.payload
        handler.send_response(answer.status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.send_header("Request-Id", request_id)
        handler.send_header("Stripe-Version", headers.get("stripe-version") or self.api_version)
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)

    def _answer(
        self, method, path, query_text, raw_body, headers, account, record, request_id, crowded
    ) -> tuple[_Answer, bool]:
        try:
            params = parse_form(query_text) if query_text else {}
            if raw_body:
                params.update(parse_form(raw_body))
            record.params = params
            self._authenticate(headers)
            self._check_account(account, headers)
            if crowded:
                return _fault_answer(CONCURRENCY_FAULT, request_id), False
            route, _ = self.app.router.match(method, path)
            endpoint = route.template if route else path
            fault = self.faults.pick(method, path, endpoint, is_search=endpoint.endswith("/search"))
            if fault is not None and not fault.drop_after_processing:
                return _fault_answer(fault, request_id), False
            version = headers.get("stripe-version")  # None: the account's (the catalog's)
            key = headers.get("idempotency-key")
            if method == "POST" and key:
                answer = self._idempotent(method, path, params, key, account, request_id, version)
            else:
                answer = self._call(method, path, params, account, request_id, version)
            return answer, fault is not None
        except StripeError as error:
            return _error_answer(error, request_id), False

    def _authenticate(self, headers: dict) -> None:
        key = _bearer_key(headers.get("authorization", ""))
        if not key:
            raise StripeError(
                401,
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth "
                "(e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
            )
        if not key.startswith(ACCEPTED_KEY_PREFIXES) or len(key) <= len("sk_test_"):
            raise StripeError(
                401, f"Invalid API Key provided: {redact_key(key)}", code="api_key_invalid"
            )

    def _check_account(self, account: str, headers: dict) -> None:
        """A ``Stripe-Account`` must name an account the platform has (one created through
        ``/v1/accounts``, or a partition the emulator was given objects for); any other is
        Stripe's 403 ``account_invalid``."""
        if account == PLATFORM or self.app.knows_account(account):
            return
        key = redact_key(_bearer_key(headers.get("authorization", "")))
        raise StripeError(
            403,
            f"The provided key '{key}' does not have access to account '{account}' (or that "
            "account does not exist). Application access may have been revoked.",
            code="account_invalid",
        )

    def _idempotent(self, method, path, params, key, account, request_id, version) -> _Answer:
        if len(key) > 255:
            raise StripeError(
                400, "Idempotency-Key is too long: at most 255 characters.", param="Idempotency-Key"
            )
        scope = (account, key)
        fingerprint = json.dumps([method, path, params], sort_keys=True)
        replay = self.idempotency.begin(scope, fingerprint)
        if replay is not None:
            return replay
        answer: _Answer | None = None
        try:
            answer = self._call(method, path, params, account, request_id, version)
            answer.headers["Idempotency-Key"] = key
            return answer
        finally:
            # Stripe saves the result once the endpoint ran (errors it produced included),
            # not when validation failed before it ran (400s).
            keep = answer if answer is not None and answer.status != 400 else None
            self.idempotency.finish(scope, fingerprint, keep)

    def _call(self, method, path, params, account, request_id, version) -> _Answer:
        try:
            with self.app.store.lock:  # serialize before another request changes the objects
                status, body = self.app.handle(method, path, params, account, version)
                return _Answer(status, body, {})
        except StripeError as error:
            return _error_answer(error, request_id)
        except Exception as error:  # noqa: BLE001 - a bug in the emulator: answer like Stripe's 500
            return _Answer(
                500, {"error": {"type": "api_error", "message": f"Emulator error: {error!r}"}}, {}
            )


def _bearer_key(value: str) -> str:
    if value.lower().startswith("bearer "):
        return value[7:].strip()
    if value.lower().startswith("basic "):  # curl -u sk_test_...:
        try:
            return base64.b64decode(value[6:]).decode().split(":", 1)[0]
        except ValueError:
            return ""
    return ""


def _error_answer(error: StripeError, request_id: str) -> _Answer:
    return _Answer(error.status, error.body(request_id), dict(error.headers))


def _fault_answer(fault: Fault, request_id: str) -> _Answer:
    headers = {}
    if fault.rate_limited_reason:
        headers["Stripe-Rate-Limited-Reason"] = fault.rate_limited_reason
    if fault.should_retry is not None:
        headers["Stripe-Should-Retry"] = "true" if fault.should_retry else "false"
    code = "rate_limit" if fault.status == 429 else None
    error = StripeError(
        fault.status, fault.message, type=fault.error_type(), code=code, headers=headers
    )
    return _error_answer(error, request_id)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self, host: str, port: int, frontend: Frontend, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self.frontend = frontend
        self.ssl_context = ssl_context  # serve HTTPS with it (tests of TLS, proxies)
        super().__init__((host, port), _Handler)

    def finish_request(self, request, client_address) -> None:
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        # The TLS handshake runs here, in the connection's own thread, not in the
        # accept loop: a slow or failing client holds up no other.
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # the client gave up on the handshake (e.g. it does not trust the cert)
        try:
            super().finish_request(tls, client_address)
        finally:
            tls.close()
