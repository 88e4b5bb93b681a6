"""The one module that talks HTTP to Stripe (or a Stripe-compatible server).

Everything the wire needs lives here: auth, ``Stripe-Version``,
``Stripe-Account``, form encoding, list and Search pagination, idempotency
keys, retries and the mapping of Stripe's errors to PEP 249 exceptions.
Planners and executors call the methods below and never see httpx. What is under
the ``httpx.Client`` (a proxy, TLS verification) comes from proxy.py as its transport.
"""

from __future__ import annotations

import json
import logging
import ssl
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from . import exceptions as exc
from . import progress
from .error_mapping import error_from_response, mask_key, redact
from .form import encode_params
from .pacing import NoPacing
from .proxy import PROXY_ANSWER
from .retry import RetryPolicy
from .verbose import QUIET, ConnectionLog

__all__ = ["MAX_PAGE_SIZE", "RequestRecord", "StripeClient", "encode_params"]

log = logging.getLogger("stripe_dbapi.client")

MAX_PAGE_SIZE = 100  # Stripe's largest `limit` for lists and Search
REQUEST_LOG_SIZE = 10_000

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    params: dict


class StripeClient:
    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = "https://api.stripe.com",
        account_id: str | None = None,
        api_version: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        max_concurrency: int = 8,
        transport: httpx.BaseTransport | None = None,
        verify: ssl.SSLContext | bool = True,
        retry_policy: RetryPolicy | None = None,
        pacer: Any = None,
        sleep: Callable[[float], None] = time.sleep,
        verbose_log: ConnectionLog = QUIET,
    ) -> None:
        check_api_key(api_key)
        self._api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.account_id = account_id
        self.api_version = api_version
        self.max_concurrency = max(1, int(max_concurrency))
        self._retry = retry_policy or RetryPolicy(max_retries=max_retries)
        # Acquired before every request, told about every 429 (pacing.py).
        self._pacer = pacer or NoPacing()
        self._sleep = sleep
        self._verbose = verbose_log  # the connection's verbosity (verbose.py)
        headers = {
            "Authorization": f"Bearer {api_key}",
            "User-Agent": "stripe-dbapi/0.1",
        }
        if api_version:
            headers["Stripe-Version"] = api_version
        if account_id:
            headers["Stripe-Account"] = account_id
        self._http = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout, transport=transport,
            verify=verify,
        )
        self._lock = threading.Lock()
        self._request_count = 0
        self._request_log: deque[RequestRecord] = deque(maxlen=REQUEST_LOG_SIZE)
        self._executor: ThreadPoolExecutor | None = None
        self._closed = False

    def __repr__(self) -> str:
        # Never the key itself: only Stripe's masked form.
        return (
            f"<StripeClient {self.base_url} key={mask_key(self._api_key)}"
            f" account={self.account_id or '-'}>"
        )

    # --- bookkeeping read by tests and EXPLAIN -----------------------------------

    @property
    def pacer(self):
        """The pacing shared by every client of this key (pacing.py)."""
        return self._pacer

    @property
    def request_count(self) -> int:
        return self._request_count

    @property
    def request_log(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._request_log)

    def reset_request_log(self) -> None:
        with self._lock:
            self._request_log.clear()
            self._request_count = 0

    # --- verbs ---------------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict:
        return self._request("GET", path, params)

    def post(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
        resending: bool = False,
    ) -> dict:
        """``resending``: an earlier send of this write may have been applied (its
        answer was lost), so a failure now still leaves its outcome unknown."""
        # One key per logical write, fixed before the first attempt so that every
        # retry is the same request to Stripe and can never create twice.
        key = idempotency_key or str(uuid.uuid4())
        return self._request("POST", path, params, idempotency_key=key, resending=resending)

    def delete(
        self, path: str, params: Mapping[str, Any] | None = None, *, resending: bool = False
    ) -> dict:
        """``resending`` as for ``post``; a 404 then means the earlier send deleted it."""
        return self._request("DELETE", path, params, resending=resending)

    def retrieve(self, path: str, params: Mapping[str, Any] | None = None) -> dict | None:
        """GET one object; None when Stripe says it does not exist."""
        try:
            return self.get(path, params)
        except exc.ProgrammingError as error:
            if error.http_status == 404:
                return None
            raise

    def list_pages(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        page_size: int = MAX_PAGE_SIZE,
        max_rows: int | None = None,
    ) -> Iterator[list[dict]]:
        """Pages of a list endpoint, following ``starting_after`` while ``has_more``."""

        def next_cursor(page: dict, data: list[dict]) -> dict | None:
            return {"starting_after": data[-1]["id"]} if page.get("has_more") else None

        return self._pages(path, dict(params or {}), page_size, max_rows, next_cursor)

    def search_pages(
        self,
        path: str,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        page_size: int = MAX_PAGE_SIZE,
        max_rows: int | None = None,
    ) -> Iterator[list[dict]]:
        """Pages of a Search endpoint, following ``next_page`` while ``has_more``."""

        def next_cursor(page: dict, data: list[dict]) -> dict | None:
            next_page = page.get("next_page")
            return {"page": next_page} if page.get("has_more") and next_page else None

        request = dict(params or {})
        request["query"] = query
        return self._pages(path, request, page_size, max_rows, next_cursor)

    def _pages(
        self,
        path: str,
        request: dict,
        page_size: int,
        max_rows: int | None,
        next_cursor: Callable[[dict, list[dict]], dict | None],
    ) -> Iterator[list[dict]]:
        fetched = 0
        while max_rows is None or fetched < max_rows:
            request["limit"] = _page_limit(page_size, max_rows, fetched)
            page = self.get(path, request)
            data = page.get("data") or []
            if max_rows is not None:
                data = data[: max_rows - fetched]
            fetched += len(data)
            if data:
                yield data
            cursor = next_cursor(page, data) if data else None
            if cursor is None:
                return
            request.update(cursor)

    def map_concurrently(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``[fn(x) for x in items]`` on a bounded pool; results in input order.

        On the first error, calls not yet started are cancelled and the error is
        raised: a failing batch stops starting new requests. The calls run under the
        statement's progress monitor; an interrupt (KeyboardInterrupt) while waiting
        cancels it, so the workers send nothing more, and is raised once they stopped.
        """
        items = list(items)
        if len(items) <= 1 or self.max_concurrency == 1:
            return [fn(item) for item in items]
        # Outside a statement, a monitor of the batch's own, so an interrupt stops it too.
        monitor = progress.current() if progress.running() else progress.Monitor()
        executor = self._pool()
        futures = [executor.submit(monitor.run, fn, item) for item in items]
        try:
            _, pending = wait(futures, return_when=FIRST_EXCEPTION)
        except BaseException:
            monitor.cancel()
            for future in futures:
                future.cancel()
            wait(futures)
            raise
        for future in futures:
            if future.done() and future.exception() is not None:
                for other in pending:
                    other.cancel()
                wait([f for f in pending if not f.cancelled()])
                raise future.exception()  # type: ignore[misc]
        return [future.result() for future in futures]

    def check_request(
        self, method: str, path: str, params: Mapping[str, Any] | None = None
    ) -> None:
        """DataError if this call could not be sent (see _build); nothing is sent."""
        self._build(method, path, encode_params(params), {})

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        self._http.close()

    # --- internals -------------------------------------------------------------------

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.max_concurrency, thread_name_prefix="stripe-dbapi"
                )
            return self._executor

    def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        *,
        idempotency_key: str | None = None,
        resending: bool = False,
    ) -> dict:
        if self._closed:
            raise exc.InterfaceError("the Stripe client is closed")
        monitor = progress.current()
        monitor.check()
        pairs = encode_params(params)
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        request = self._build(method, path, pairs, headers)
        with self._lock:
            self._request_log.append(RequestRecord(method, path, dict(params or {})))
        attempt = 0
        # Whether an attempt may have been applied by Stripe without the driver
        # seeing its answer: sent and then the connection failed, or answered 5xx
        # (which Stripe calls indeterminate).
        unseen = resending
        while True:
            self._verbose.paced(method, path, self._pacer.acquire(method, path) or 0.0)
            if monitor.canceled:  # while waiting for the pace, or before a retry
                raise _with_outcome(
                    monitor.canceled_error(), unseen, method, path, params, idempotency_key
                )
            monitor.sent()
            with self._lock:
                self._request_count += 1
            self._verbose.sending(request, attempt)
            started = time.perf_counter()
            try:
                response = self._http.send(request)
            except httpx.TransportError as error:
                self._verbose.unreachable(request, error, time.perf_counter() - started)
                unseen = unseen or not isinstance(error, _NOT_SENT)
                if self._retry.should_retry(attempt, None, {}):
                    self._backoff(
                        attempt, method, path, f"connection error: {type(error).__name__}"
                    )
                    attempt += 1
                    continue
                unreachable = exc.APIConnectionError(
                    f"could not reach Stripe at {self.base_url} for {method} {path}: "
                    f"{redact(str(error), self._api_key)}"
                )
                raise _with_outcome(
                    unreachable, unseen, method, path, params, idempotency_key
                ) from None
            self._verbose.received(request, response, time.perf_counter() - started)
            if response.status_code < 400:
                body = _json_body(response, method, path)
                if method == "GET":
                    monitor.received(_objects_in(body))
                return body
            if method == "DELETE" and unseen and _is_missing(response):
                # An earlier attempt deleted it; only its answer was lost.
                return {"id": path.rstrip("/").rsplit("/", 1)[-1], "deleted": True}
            unseen = unseen or response.status_code >= 500
            reason = response.headers.get("stripe-rate-limited-reason")
            if response.status_code == 429 and reason:
                # Someone else spends this key's budget too: pace lower for a while.
                self._pacer.rate_limited(method, path, reason)
            if self._retry.should_retry(attempt, response.status_code, response.headers):
                self._backoff(attempt, method, path, f"HTTP {response.status_code}")
                attempt += 1
                continue
            failure = self._proxy_failure(response, method, path) or error_from_response(
                response.status_code,
                _json_or_none(response),
                response.headers,
                method=method,
                path=path,
                api_key=self._api_key,
            )
            if response.status_code == 429:
                _add_tries(failure, attempt + 1, reason)
            raise _with_outcome(failure, unseen, method, path, params, idempotency_key)

    def _proxy_failure(
        self, response: httpx.Response, method: str, path: str
    ) -> exc.Error | None:
        """A forwarding proxy's own answer that it could not reach Stripe (proxy.py marks
        it): an APIConnectionError naming the proxy, as a refused CONNECT is, not an
        error of Stripe's."""
        proxy = response.extensions.get(PROXY_ANSWER)
        if proxy is None:
            return None
        return exc.APIConnectionError(
            f"could not reach Stripe at {self.base_url} for {method} {path}: the proxy "
            f"{proxy} answered HTTP {response.status_code} {response.reason_phrase}".rstrip(),
            http_status=response.status_code,
        )

    def _build(self, method: str, path: str, pairs, headers) -> httpx.Request:
        """The request, built once (every retry sends the same one). A value that cannot
        travel in a URL (too long: httpx caps URLs at 64 KiB) or in a form body is a
        DataError here, before the request is counted or sent."""
        try:
            if method == "POST":
                return self._http.build_request(
                    method, path, data=dict_from_pairs(pairs), headers=headers
                )
            return self._http.build_request(method, path, params=pairs, headers=headers)
        except httpx.InvalidURL as error:
            size = sum(len(k) + len(v) for k, v in pairs) + len(path)
            raise exc.DataError(
                f"{method} {path[:80]}: a value is too long for a Stripe request "
                f"({size:,} characters of parameters; {error})"
            ) from None
        except UnicodeError:
            raise exc.DataError(f"{method} {path[:80]}: a value is not valid text") from None

    def _backoff(self, attempt: int, method: str, path: str, reason: str) -> None:
        delay = self._retry.delay(attempt)
        log.info("retrying %s %s after %s in %.2fs", method, path, reason, delay)
        self._verbose.retrying(method, path, reason, delay, attempt)
        progress.pause(delay, self._sleep)


# Transport errors raised before the request could reach the server: nothing was sent.
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.LocalProtocolError,
    httpx.UnsupportedProtocol,
    httpx.ProxyError,
)


def _add_tries(error: exc.Error, tries: int, reason: str | None) -> None:
    """Say how hard the client tried before giving up on a rate limit."""
    why = f"Stripe-Rate-Limited-Reason: {reason}; " if reason else ""
    error.message = f"{error.message} ({why}gave up after {tries} tries; see max_retries)"
    error.args = (error.message,)
    error.tries = tries


def _with_outcome(error: exc.Error, unseen: bool, method, path, params, idempotency_key):
    """Mark a write's error whose outcome is unknown (``error.unknown_outcome``)."""
    error.unknown_outcome = (
        exc.UnknownOutcome(
            row=f"{method} {path}",
            method=method,
            path=path,
            params=dict(params or {}),
            idempotency_key=idempotency_key,
        )
        if unseen and method != "GET"
        else None
    )
    return error


def check_api_key(api_key) -> None:
    """A key that cannot go into an HTTP header is refused here, masked: never a
    UnicodeEncodeError quoting it, nor a request whose headers a debug logger prints."""
    if not api_key:
        raise exc.InterfaceError("an API key is required")
    if not isinstance(api_key, str):
        raise exc.InterfaceError(f"the API key must be a string, not {type(api_key).__name__}")
    problems = []
    if any(c.isspace() for c in api_key):
        problems.append("whitespace (a trailing newline read from a file?)")
    if any(not (c.isascii() and c.isprintable()) for c in api_key if not c.isspace()):
        problems.append("characters that are not printable ASCII")
    if problems:
        raise exc.InterfaceError(
            f"the API key {mask_key(api_key.strip())!r} contains {' and '.join(problems)}; "
            "Stripe keys are letters, digits and underscores (sk_test_..., rk_live_...)"
        )


def dict_from_pairs(pairs: list[tuple[str, str]]):
    # httpx takes a list of pairs for query strings but wants a mapping for form
    # bodies; keys are unique after bracket encoding, so nothing is lost.
    return dict(pairs)


def _page_limit(page_size: int, max_rows: int | None, fetched: int) -> int:
    limit = min(max(int(page_size), 1), MAX_PAGE_SIZE)
    if max_rows is not None:
        limit = max(1, min(limit, max_rows - fetched))
    return limit


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _is_missing(response: httpx.Response) -> bool:
    """Stripe's 404 for an object that does not exist (not for an unknown URL)."""
    if response.status_code != 404:
        return False
    body = _json_or_none(response)
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and error.get("code") == "resource_missing"


def _objects_in(body: dict) -> int:
    """How many Stripe objects a GET brought: a list's or a Search's items, or one."""
    if body.get("object") in ("list", "search_result"):
        return len(body.get("data") or ())
    return 1


def _json_body(response: httpx.Response, method: str, path: str) -> dict:
    body = _json_or_none(response)
    if not isinstance(body, dict):
        raise exc.InterfaceError(
            f"{method} {path} answered HTTP {response.status_code} without a JSON object"
        )
    return body
