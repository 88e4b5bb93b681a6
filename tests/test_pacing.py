"""Pacing: token buckets per key (global, per endpoint, Search), shared process-wide.

Time is a fake clock that ``sleep`` advances, so the pace is checked without timing.
"""

import httpx
import pytest

import stripe_dbapi
from stripe_dbapi import pacing
from stripe_dbapi.client import StripeClient
from stripe_dbapi.pacing import Limits, Pacer, endpoint_of, shared_pacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sent: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def paced(limits: Limits) -> tuple[Pacer, FakeTime]:
    time = FakeTime()
    return Pacer(limits, clock=time.clock, sleep=time.sleep), time


def send(pacer: Pacer, time: FakeTime, method: str, path: str, count: int) -> list[float]:
    at = []
    for _ in range(count):
        pacer.acquire(method, path)
        at.append(time.now)
    return at


@pytest.mark.parametrize(
    "method,path,expected",
    [
        ("GET", "/v1/customers", "GET /v1/customers"),
        ("GET", "/v1/customers/cus_NffrFeUfNV2Hib", "GET /v1/customers/{id}"),
        ("GET", "/v1/customers/cus_0001/sources", "GET /v1/customers/{id}/sources"),
        ("POST", "/v1/payment_intents/pi_3Mtw/confirm", "POST /v1/payment_intents/{id}/confirm"),
        ("GET", "/v1/invoices/in_1/lines", "GET /v1/invoices/{id}/lines"),
        ("GET", "/v1/checkout/sessions", "GET /v1/checkout/sessions"),
        ("GET", "/v1/charges/search", "GET /v1/charges/search"),
        ("GET", "/v1/treasury/financial_accounts", "GET /v1/treasury/financial_accounts"),
    ],
)
def test_endpoint_templates_replace_ids_only(method, path, expected):
    assert endpoint_of(method, path) == expected


def test_limits_follow_the_key_mode_and_overrides():
    assert Limits.for_key("sk_test_x") == Limits(25.0, 25.0, 20.0)
    assert Limits.for_key("rk_test_x").global_rate == 25.0
    assert Limits.for_key("sk_live_x").global_rate == 100.0
    assert Limits.for_key("sk_live_x", global_rate=50, endpoint_rate=10, search_rate=5) == Limits(50.0, 10.0, 5.0)


def window_counts(times: list[float], width: float = 1.0) -> int:
    """The most requests sent in any window of ``width`` seconds."""
    return max(sum(1 for t in times if start <= t < start + width) for start in times)


def test_one_endpoint_is_paced_at_its_rate():
    pacer, time = paced(Limits(global_rate=100, endpoint_rate=25))
    times = send(pacer, time, "GET", "/v1/charges", 100)
    assert window_counts(times) <= 25 + pacing.BURST
    assert times[-1] - times[0] >= (100 - pacing.BURST) / 25 - 1e-9


def test_the_global_rate_spans_endpoints():
    pacer, time = paced(Limits(global_rate=25, endpoint_rate=25))
    times = []
    for n in range(60):
        pacer.acquire("GET", f"/v1/customers/cus_{n:04d}" if n % 2 else "/v1/charges")
        times.append(time.now)
    assert window_counts(times) <= 25 + pacing.BURST


def test_separate_endpoints_go_at_their_own_rate_under_a_live_global_rate():
    pacer, time = paced(Limits(global_rate=100, endpoint_rate=25))
    times = []
    for _ in range(50):
        for path in ("/v1/charges", "/v1/customers", "/v1/invoices", "/v1/refunds"):
            pacer.acquire("GET", path)
            times.append(time.now)
    # Four endpoints at 25/s each use the whole 100/s.
    assert window_counts(times) > 60
    assert window_counts(times) <= 100 + pacing.BURST


def test_search_endpoints_share_one_bucket():
    pacer, time = paced(Limits(global_rate=100, endpoint_rate=25, search_rate=20))
    times = []
    for n in range(80):
        pacer.acquire("GET", "/v1/charges/search" if n % 2 else "/v1/customers/search")
        times.append(time.now)
    assert window_counts(times) <= 20 + pacing.BURST


def test_a_429_lowers_the_named_bucket_then_it_recovers():
    pacer, time = paced(Limits(global_rate=100, endpoint_rate=25))
    pacer.rate_limited("GET", "/v1/charges", "endpoint-rate")
    assert pacer.rates("GET", "/v1/charges") == {"global": 100, "endpoint": 12.5}
    assert pacer.rates("GET", "/v1/customers")["endpoint"] == 25  # other endpoints untouched
    pacer.rate_limited("GET", "/v1/charges", "global-rate")
    assert pacer.rates("GET", "/v1/customers")["global"] == 50
    time.now += pacing.RECOVERY_SECONDS
    assert pacer.rates("GET", "/v1/charges") == {"global": 100, "endpoint": 25}
    assert pacer.rate_limited_count == 2


def test_a_lowered_bucket_sends_fewer_requests():
    pacer, time = paced(Limits(global_rate=100, endpoint_rate=20))
    pacer.rate_limited("GET", "/v1/charges", "endpoint-rate")
    times = send(pacer, time, "GET", "/v1/charges", 20)
    # At 10/s, recovering by 2/s each second: far fewer than 20 in the first second.
    assert window_counts(times) <= 12 + pacing.BURST


def test_connections_with_one_key_share_one_pacer():
    first = stripe_dbapi.connect(api_key="sk_test_share_one", base_url="http://127.0.0.1:9")
    second = stripe_dbapi.connect(api_key="sk_test_share_one", base_url="http://127.0.0.1:9")
    other = stripe_dbapi.connect(api_key="sk_test_share_two", base_url="http://127.0.0.1:9")
    try:
        assert first.client.pacer is second.client.pacer
        assert other.client.pacer is not first.client.pacer
    finally:
        for conn in (first, second, other):
            conn.close()


def test_connected_accounts_use_the_platform_budget_unless_asked():
    limits = Limits.for_key("sk_test_accounts")
    platform = shared_pacer("sk_test_accounts", None, limits)
    assert shared_pacer("sk_test_accounts", "acct_1", limits) is platform
    own = shared_pacer("sk_test_accounts", "acct_1", limits, per_account=True)
    assert own is not platform
    assert shared_pacer("sk_test_accounts", "acct_1", limits, per_account=True) is own


def test_connect_sets_the_pace():
    conn = stripe_dbapi.connect(api_key="sk_live_pace_options", base_url="http://127.0.0.1:9",
                                max_requests_per_second=40, max_endpoint_requests_per_second=10,
                                max_search_requests_per_second=5)
    try:
        assert conn.client.pacer.limits == Limits(40.0, 10.0, 5.0)
    finally:
        conn.close()


@pytest.mark.parametrize("option", ["max_requests_per_second", "max_endpoint_requests_per_second",
                                    "max_search_requests_per_second"])
@pytest.mark.parametrize("value", [0, -1, "fast", True])
def test_invalid_rates_are_refused_by_name(option, value):
    with pytest.raises(stripe_dbapi.InterfaceError, match=option):
        stripe_dbapi.connect(api_key="sk_test_x", **{option: value})


def rate_limited_then_ok(failures: int, reason: str = "endpoint-rate"):
    answers = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        answers["n"] += 1
        if answers["n"] <= failures:
            return httpx.Response(429, headers={"Stripe-Rate-Limited-Reason": reason},
                                  json={"error": {"type": "invalid_request_error",
                                                  "message": "Too many requests hit the API too quickly."}})
        return httpx.Response(200, json={"object": "list", "data": [], "has_more": False})

    return httpx.MockTransport(handler)


def test_the_client_lowers_its_pace_on_429_and_retries():
    pacer, time = paced(Limits(global_rate=25))
    client = StripeClient("sk_test_x", transport=rate_limited_then_ok(2), max_retries=2,
                          pacer=pacer, sleep=time.sleep)
    assert client.get("/v1/charges")["data"] == []
    assert client.request_count == 3
    assert pacer.rates("GET", "/v1/charges")["endpoint"] < 25


def test_the_final_429_says_how_many_tries_were_made():
    pacer, time = paced(Limits(global_rate=25))
    client = StripeClient("sk_test_x", transport=rate_limited_then_ok(5, "global-rate"), max_retries=2,
                          pacer=pacer, sleep=time.sleep)
    with pytest.raises(stripe_dbapi.RateLimitError, match=r"global-rate.*after 3 tries") as info:
        client.get("/v1/charges")
    assert info.value.tries == 3
    assert pacer.rates("GET", "/v1/charges")["global"] < 25


# -- cancel during a wait ------------------------------------------------------------------


def test_a_pace_wait_ends_early_when_the_statement_is_canceled():
    """One request per 10 s: after the burst of two, the third waits 10 s. cancel()
    during that wait ends it within a step, and the request is not sent."""
    from stripe_dbapi.progress import CANCEL_POLL_SECONDS, Monitor

    time = FakeTime()
    slept: list[float] = []
    monitor = Monitor()

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)
        if len(slept) == 3:
            monitor.cancel()  # Ctrl-C, 0.3 s into the wait

    pacer = Pacer(Limits(global_rate=0.1), clock=time.clock, sleep=sleep)
    sent = []
    client = StripeClient("sk_test_x", transport=httpx.MockTransport(
        lambda request: sent.append(request) or httpx.Response(
            200, json={"object": "list", "data": [], "has_more": False})),
        pacer=pacer, sleep=sleep)
    with monitor.active():
        client.get("/v1/charges")
        client.get("/v1/charges")
        with pytest.raises(stripe_dbapi.QueryCanceledError):
            client.get("/v1/charges")
    assert len(sent) == 2
    assert slept == [CANCEL_POLL_SECONDS] * 3  # not one sleep of 10 s


def test_a_retry_backoff_ends_early_when_the_statement_is_canceled():
    from stripe_dbapi.progress import CANCEL_POLL_SECONDS, Monitor
    from stripe_dbapi.retry import RetryPolicy

    slept: list[float] = []
    monitor = Monitor()

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        monitor.cancel()

    pacer, _ = paced(Limits(global_rate=1000))
    client = StripeClient("sk_test_x", transport=rate_limited_then_ok(5), pacer=pacer,
                          sleep=sleep, retry_policy=RetryPolicy(max_retries=3, initial_delay=2.0))
    with monitor.active(), pytest.raises(stripe_dbapi.QueryCanceledError):
        client.get("/v1/charges")
    assert slept == [CANCEL_POLL_SECONDS]


def test_outside_a_statement_a_wait_is_one_sleep():
    time = FakeTime()
    slept: list[float] = []
    pacer = Pacer(Limits(global_rate=0.1), clock=time.clock,
                  sleep=lambda s: slept.append(s) or time.sleep(s))
    for _ in range(3):  # the burst of two, then a wait of 1 / rate
        pacer.acquire("GET", "/v1/charges")
    assert slept == [pytest.approx(10.0)]
