"""Fault injection: latency, Stripe's rate limits, 5xx answers, dropped connections.

Everything random draws from one ``random.Random(seed)``, so a run is
reproducible. Rate limits are token buckets on wall-clock time (Stripe's limits
are per second), answered with 429 and ``Stripe-Rate-Limited-Reason``.
"""

from __future__ import annotations

import fnmatch
import random
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Fault:
    """What to do to one request instead of (or after) answering it normally."""

    status: int = 500
    drop_after_processing: bool = False  # process fully, then close without answering
    should_retry: bool | None = None  # sets Stripe-Should-Retry when not None
    rate_limited_reason: str | None = None  # for 429s
    message: str = "An unexpected error occurred (injected by the emulator)."
    type: str | None = None  # Stripe's error type; by default from the status

    def error_type(self) -> str:
        if self.type is not None:
            return self.type
        return "api_error" if self.status >= 500 else "invalid_request_error"


# How Search answers where it is not available (``Faults.search_unavailable``).
SEARCH_UNAVAILABLE = {
    # Stripe, for accounts in regions without Search (India).
    "region": Fault(400, message="The search feature is temporarily unavailable in your region."),
    # Stripe, for a restricted key without the permission.
    "restricted_key": Fault(
        403,
        type="invalid_request_error",
        message="The provided key does not have the required permissions for this endpoint.",
    ),
    # A Stripe-compatible server without the endpoint (localstripe).
    "not_found": Fault(404, message="Not Found"),
}


@dataclass
class _Script:
    pattern: str
    method: str | None
    remaining: int
    fault: Fault


class _Bucket:
    """Token bucket: ``rate`` requests per second, bursts up to ``rate``."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.rate, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass
class Faults:
    """The emulator's fault settings; change them at any time (thread-safe)."""

    seed: int = 0
    latency: float = 0.0  # fixed seconds added to every response
    jitter: float = 0.0  # plus uniform(0, jitter)
    error_rate: float = 0.0  # fraction of requests answered with a 500
    global_rate: float | None = None  # requests/s across the account (Stripe: 25 test, 100 live)
    endpoint_rate: float | None = None  # requests/s per method+path template (Stripe: 25)
    search_rate: float | None = None  # requests/s across all search endpoints (Stripe: 20)
    concurrency_limit: int | None = None  # requests in flight at once (429 global-concurrency)
    # Search answers as where it is not available: a key of SEARCH_UNAVAILABLE, or None.
    search_unavailable: str | None = None
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)
    _scripts: list = field(init=False, repr=False, default_factory=list)
    _buckets: dict = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self.disable_search(self.search_unavailable)

    def disable_search(self, how: str | None = "region") -> None:
        """Answer every Search request as Stripe does where Search is not available:
        ``"region"`` (400), ``"restricted_key"`` (403), ``"not_found"`` (404, as
        localstripe); None makes Search work again."""
        if how is not None and how not in SEARCH_UNAVAILABLE:
            raise ValueError(
                f"unknown search_unavailable {how!r}: use one of {', '.join(SEARCH_UNAVAILABLE)} "
                "or None"
            )
        self.search_unavailable = how

    def reseed(self, seed: int) -> None:
        with self._lock:
            self.seed = seed
            self._rng = random.Random(seed)

    def stripe_limits(self, *, live: bool = False) -> None:
        """Stripe's documented defaults: 25/s test, 100/s live; 25/s an endpoint; search 20/s."""
        self.global_rate = 100.0 if live else 25.0
        self.endpoint_rate = 25.0
        self.search_rate = 20.0

    def fail_next(
        self,
        path_pattern: str,
        status: int = 500,
        count: int = 1,
        drop_after_processing: bool = False,
        *,
        method: str | None = None,
        should_retry: bool | None = None,
        rate_limited_reason: str | None = None,
    ) -> None:
        """Answer the next ``count`` requests whose path matches the glob ``path_pattern``
        (``/v1/customers*``) with ``status``, or process them and drop the connection."""
        if status == 429 and rate_limited_reason is None:
            rate_limited_reason = "endpoint-rate"
        fault = Fault(status, drop_after_processing, should_retry, rate_limited_reason)
        with self._lock:
            self._scripts.append(_Script(path_pattern, method and method.upper(), count, fault))

    def clear(self) -> None:
        """Drop scripted faults, rates, latency and Search unavailability."""
        with self._lock:
            self._scripts.clear()
            self._buckets.clear()
            self.latency = self.jitter = self.error_rate = 0.0
            self.global_rate = self.endpoint_rate = self.search_rate = None
            self.concurrency_limit = None
            self.search_unavailable = None

    # -- used by the server -------------------------------------------------

    def delay(self) -> float:
        with self._lock:
            extra = self._rng.uniform(0, self.jitter) if self.jitter else 0.0
        return self.latency + extra

    def pick(self, method: str, path: str, endpoint: str, is_search: bool) -> Fault | None:
        """The fault for this request, if any: scripted first, then Search not available,
        then rate limits, then random."""
        with self._lock:
            for script in self._scripts:
                if script.method not in (None, method) or not fnmatch.fnmatchcase(
                    path, script.pattern
                ):
                    continue
                script.remaining -= 1
                if script.remaining <= 0:
                    self._scripts.remove(script)
                return script.fault
            if is_search and self.search_unavailable is not None:
                return SEARCH_UNAVAILABLE[self.search_unavailable]
            limited = self._rate_limited(f"{method} {endpoint}", is_search)
            if limited:
                return Fault(
                    429,
                    rate_limited_reason=limited,
                    message="Too many requests hit the API too quickly.",
                )
            if self.error_rate and self._rng.random() < self.error_rate:
                return Fault(500, should_retry=True)
        return None

    def _rate_limited(self, endpoint: str, is_search: bool) -> str | None:
        checks = [
            ("global", self.global_rate, "global-rate"),
            (endpoint, self.endpoint_rate, "endpoint-rate"),
        ]
        if is_search:
            # Search has its own limit; Stripe reports it as a resource-specific one.
            checks.append(("search", self.search_rate, "resource-specific"))
        for name, rate, reason in checks:
            if rate is None:
                continue
            bucket = self._buckets.get(name)
            if bucket is None or bucket.rate != rate:
                bucket = self._buckets[name] = _Bucket(rate)
            if not bucket.take():
                return reason
        return None
