"""When and how long to wait before retrying a Stripe request.

Follows stripe-python: ``Stripe-Should-Retry`` decides when present; otherwise
409, 429 and 5xx and connection errors are retried. A 429 is retried too (the
SDK does not, but a driver that backs off may: pacing keeps them rare). POSTs
are safe to retry because every POST carries an Idempotency-Key that is reused
on every attempt.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

RETRYABLE_STATUS = frozenset({409, 429, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    max_retries: int = 2
    initial_delay: float = 0.5  # seconds; stripe-python's INITIAL_DELAY
    max_delay: float = 5.0  # stripe-python's MAX_DELAY
    rng: random.Random = field(default_factory=random.Random)

    def should_retry(self, attempt: int, status: int | None, headers: Mapping[str, str]) -> bool:
        """``attempt`` counts retries already made; status None = connection error."""
        if attempt >= self.max_retries:
            return False
        should = headers.get("stripe-should-retry")
        if should == "true":
            return True
        if should == "false":
            return False
        return status is None or status in RETRYABLE_STATUS or status >= 500

    def delay(self, attempt: int) -> float:
        """Exponential backoff with 50-100 % jitter, never under the initial delay."""
        base = min(self.initial_delay * (2 ** attempt), self.max_delay)
        return max(base * (0.5 + self.rng.random() / 2), self.initial_delay)
