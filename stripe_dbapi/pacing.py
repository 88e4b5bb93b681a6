"""Client-side pacing: stay under Stripe's rate limits instead of collecting 429s.

Stripe allows 25 requests/s in test mode and 100/s in live mode per account, 25/s per
endpoint (method + path template), and 20/s across all Search endpoints (STRIPE_FACTS.md).
A ``Pacer`` holds one bucket per limit and is shared by every connection, cursor and
thread of the process that uses the same API key (and, if asked, the same
``Stripe-Account``): a SQLAlchemy pool opens several connections, and together they must
stay under the one limit Stripe counts.

Buckets are virtual-time buckets (GCRA): each keeps the time its next request may go;
``acquire`` finds the earliest moment every bucket of the request allows, books it in all
of them under one lock, and sleeps until then outside the lock. A 429 with
``Stripe-Rate-Limited-Reason`` halves the named bucket's rate (someone else is using the
same key); the rate climbs back linearly to its limit over ``RECOVERY_SECONDS``.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from . import progress

TEST_MODE_PREFIXES = ("sk_test_", "rk_test_")
TEST_MODE_RATE = 25.0  # requests/s per account in test mode
LIVE_MODE_RATE = 100.0  # requests/s per account in live mode
ENDPOINT_RATE = 25.0  # requests/s per endpoint, both modes
SEARCH_RATE = 20.0  # requests/s across all Search endpoints

BURST = 2  # requests a bucket lets through back to back: small, Stripe's own burst is unknown
DECREASE = 0.5  # a 429 multiplies the bucket's rate by this...
MIN_RATE = 1.0  # ...but never below this many requests/s
RECOVERY_SECONDS = 10.0  # then the rate climbs back to its limit over this long

# A Stripe object id as a path segment: a lowercase prefix, "_", then a body with a digit
# or a capital (cus_NffrFeUfNV2Hib, ch_0001_0, acct_1); resource names such as
# payment_intents or line_items have neither.
_ID_SEGMENT = re.compile(r"^[a-z][a-z0-9]*_(?=[A-Za-z0-9_%.-]*[A-Z0-9%])[A-Za-z0-9_%.-]+$")


def endpoint_of(method: str, path: str) -> str:
    """``GET /v1/customers/{id}/sources`` for ``GET /v1/customers/cus_1/sources``: the
    key Stripe's per-endpoint limit counts under (ids replaced by a placeholder)."""
    segments = path.split("?", 1)[0].split("/")
    template = [
        "{id}" if index > 2 and _ID_SEGMENT.match(segment) else segment
        for index, segment in enumerate(segments)
    ]
    return f"{method.upper()} {'/'.join(template)}"


def is_search(path: str) -> bool:
    return path.split("?", 1)[0].rstrip("/").endswith("/search")


@dataclass(frozen=True)
class Limits:
    """Requests per second the pacer allows: per account, per endpoint, for Search."""

    global_rate: float
    endpoint_rate: float = ENDPOINT_RATE
    search_rate: float = SEARCH_RATE

    @classmethod
    def for_key(
        cls,
        api_key: str,
        *,
        global_rate: float | None = None,
        endpoint_rate: float | None = None,
        search_rate: float | None = None,
    ) -> Limits:
        """Stripe's defaults for the key's mode, with the given overrides."""
        default = TEST_MODE_RATE if api_key.startswith(TEST_MODE_PREFIXES) else LIVE_MODE_RATE
        return cls(
            global_rate=float(global_rate or default),
            endpoint_rate=float(endpoint_rate or ENDPOINT_RATE),
            search_rate=float(search_rate or SEARCH_RATE),
        )


class _Bucket:
    """One rate limit as virtual time: ``next_at`` is when the next request may go."""

    def __init__(self, rate: float) -> None:
        self.limit = rate
        self.lowered_to = rate  # the rate right after the last 429
        self.lowered_at: float | None = None
        self.next_at = float("-inf")

    def rate(self, now: float) -> float:
        if self.lowered_at is None:
            return self.limit
        climbed = (now - self.lowered_at) / RECOVERY_SECONDS * self.limit
        if self.lowered_to + climbed >= self.limit:
            self.lowered_at = None
            return self.limit
        return self.lowered_to + climbed

    def earliest(self, now: float) -> float:
        # A bucket lets BURST requests through back to back, then one per 1/rate.
        return max(now, self.next_at - (BURST - 1) / self.rate(now))

    def book(self, at: float, now: float) -> None:
        self.next_at = max(self.next_at, at) + 1 / self.rate(now)

    def lower(self, now: float) -> None:
        self.lowered_to = max(MIN_RATE, self.rate(now) * DECREASE)
        self.lowered_at = now
        # Requests already booked at the old rate are not recalled; later ones wait longer.
        self.next_at = max(self.next_at, now + 1 / self.lowered_to)


class Pacer:
    """Token buckets for one API key (and account): global, per endpoint, Search."""

    def __init__(
        self,
        limits: Limits,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._limits = limits
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._global = _Bucket(limits.global_rate)
        self._search = _Bucket(limits.search_rate)
        self._endpoints: dict[str, _Bucket] = {}
        self.rate_limited_count = 0  # 429s with Stripe-Rate-Limited-Reason seen

    @property
    def limits(self) -> Limits:
        return self._limits

    def set_limits(self, limits: Limits) -> None:
        """New limits for every user of this pacer (the last connect() of a key wins)."""
        with self._lock:
            if limits == self._limits:
                return
            self._limits = limits
            self._global = _Bucket(limits.global_rate)
            self._search = _Bucket(limits.search_rate)
            self._endpoints.clear()

    def acquire(self, method: str, path: str) -> float:
        """Wait until every limit this request counts against lets it go; the seconds
        waited."""
        with self._lock:
            now = self._clock()
            buckets = self._buckets(method, path)
            at = max(bucket.earliest(now) for bucket in buckets)
            for bucket in buckets:
                bucket.book(at, now)
        if at > now:
            progress.pause(at - now, self._sleep)
            return at - now
        return 0.0

    def rate_limited(self, method: str, path: str, reason: str | None) -> None:
        """Stripe answered 429: lower the rate of the bucket its reason names."""
        with self._lock:
            self.rate_limited_count += 1
            now = self._clock()
            for bucket in self._named(method, path, reason):
                bucket.lower(now)

    def rates(self, method: str, path: str) -> dict[str, float]:
        """The rates a request to this endpoint is paced at now (global, endpoint[, search])."""
        with self._lock:
            now = self._clock()
            names = ["global", "endpoint"] + (["search"] if is_search(path) else [])
            return {
                name: bucket.rate(now)
                for name, bucket in zip(names, self._buckets(method, path), strict=True)
            }

    def _buckets(self, method: str, path: str) -> list[_Bucket]:
        key = endpoint_of(method, path)
        endpoint = self._endpoints.get(key)
        if endpoint is None:
            endpoint = self._endpoints[key] = _Bucket(self._limits.endpoint_rate)
        buckets = [self._global, endpoint]
        if is_search(path):
            buckets.append(self._search)
        return buckets

    def _named(self, method: str, path: str, reason: str | None) -> list[_Bucket]:
        global_, endpoint, *search = self._buckets(method, path)
        if reason in ("global-rate", "global-concurrency"):
            return [global_]
        if reason in ("endpoint-rate", "endpoint-concurrency"):
            return [endpoint]
        if reason == "resource-specific":
            return search or [endpoint]
        return [global_]  # an unknown reason: slow everything down


class NoPacing:
    """No limits (unit tests with a mocked transport)."""

    rate_limited_count = 0

    def acquire(self, method: str, path: str) -> float:
        return 0.0

    def rate_limited(self, method: str, path: str, reason: str | None) -> None:
        return None


_shared: weakref.WeakValueDictionary[tuple[str, str | None], Pacer] = weakref.WeakValueDictionary()
_shared_lock = threading.Lock()


def shared_pacer(
    api_key: str, account_id: str | None, limits: Limits, *, per_account: bool = False
) -> Pacer:
    """The process's pacer for this key: requests with ``Stripe-Account`` count against the
    platform key's budget unless ``per_account`` (Stripe does not document which applies)."""
    # A digest, not the key: the registry must not be one more place that holds secrets.
    scope = (hashlib.sha256(api_key.encode()).hexdigest(), account_id if per_account else None)
    with _shared_lock:
        pacer = _shared.get(scope)
        if pacer is None:
            pacer = _shared[scope] = Pacer(limits)
        else:
            pacer.set_limits(limits)
        return pacer
