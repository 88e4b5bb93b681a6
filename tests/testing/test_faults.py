"""Fault injection: scripted 5xx/429, dropped connections, rate limits, latency, seeded randomness."""

from __future__ import annotations

import threading

import httpx
import pytest

from stripe_dbapi.testing import Faults


def test_fail_next_answers_with_the_status_then_recovers(api, fresh_emulator, error_of):
    fresh_emulator.faults.fail_next("/v1/customers", status=500, count=2, should_retry=True)
    for _ in range(2):
        failed = api.get("/v1/customers")
        assert failed.status_code == 500
        assert error_of(failed)["type"] == "api_error"
        assert failed.headers["Stripe-Should-Retry"] == "true"
    assert api.get("/v1/customers").status_code == 200


def test_fail_next_matches_globs_and_methods(api, fresh_emulator):
    fresh_emulator.faults.fail_next("/v1/customers/*", status=503, method="POST")
    customer = api.post("/v1/customers").json()["id"]  # /v1/customers does not match the glob
    assert api.get(f"/v1/customers/{customer}").status_code == 200  # GET does not match
    assert api.post(f"/v1/customers/{customer}", data={"name": "x"}).status_code == 503
    assert api.post(f"/v1/customers/{customer}", data={"name": "x"}).status_code == 200


def test_scripted_429_carries_the_rate_limited_reason(api, fresh_emulator, error_of):
    fresh_emulator.faults.fail_next(
        "/v1/charges", status=429, rate_limited_reason="global-concurrency", should_retry=False
    )
    response = api.get("/v1/charges")
    assert response.status_code == 429
    assert response.headers["Stripe-Rate-Limited-Reason"] == "global-concurrency"
    assert response.headers["Stripe-Should-Retry"] == "false"
    assert error_of(response)["code"] == "rate_limit"


def test_dropped_connection_after_processing_then_idempotent_retry(api, fresh_emulator):
    fresh_emulator.faults.fail_next("/v1/customers", drop_after_processing=True, method="POST")
    headers = {"Idempotency-Key": "drop-1"}
    with pytest.raises(httpx.TransportError):
        api.post("/v1/customers", data={"name": "Lost answer"}, headers=headers)
    assert fresh_emulator.count("customers") == 1  # the object was created anyway
    retried = api.post("/v1/customers", data={"name": "Lost answer"}, headers=headers)
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.json()["id"] == fresh_emulator.objects("customers")[0]["id"]
    assert fresh_emulator.count("customers") == 1


def test_global_and_endpoint_rate_limits(api, fresh_emulator):
    fresh_emulator.faults.endpoint_rate = 1.0
    statuses = [api.get("/v1/customers").status_code for _ in range(3)]
    assert statuses[0] == 200
    limited = api.get("/v1/customers")
    assert limited.status_code == 429
    assert limited.headers["Stripe-Rate-Limited-Reason"] == "endpoint-rate"
    assert api.get("/v1/products").status_code == 200  # another endpoint has its own bucket
    fresh_emulator.faults.clear()
    fresh_emulator.faults.global_rate = 1.0
    api.get("/v1/products")
    assert api.get("/v1/prices").headers.get("Stripe-Rate-Limited-Reason") == "global-rate"


def test_search_rate_limit(api, fresh_emulator):
    fresh_emulator.faults.search_rate = 1.0
    query = {"query": 'email:"a@example.com"'}
    assert api.get("/v1/customers/search", params=query).status_code == 200
    limited = api.get("/v1/products/search", params={"query": 'name:"x"'})
    assert limited.status_code == 429
    assert limited.headers["Stripe-Rate-Limited-Reason"] == "resource-specific"
    assert api.get("/v1/customers").status_code == 200  # lists are not searches


def test_stripe_limits_preset():
    faults = Faults()
    faults.stripe_limits()
    assert (faults.global_rate, faults.endpoint_rate, faults.search_rate) == (25.0, 25.0, 20.0)
    faults.stripe_limits(live=True)
    assert faults.global_rate == 100.0


def test_latency_and_jitter_are_seeded():
    one, two = Faults(seed=7, latency=0.05, jitter=0.02), Faults(seed=7, latency=0.05, jitter=0.02)
    delays = [one.delay() for _ in range(20)]
    assert delays == [two.delay() for _ in range(20)]
    assert all(0.05 <= d <= 0.07 for d in delays)
    assert len(set(delays)) > 1


def test_random_errors_are_deterministic_under_a_seed():
    def run(seed):
        faults = Faults(seed=seed, error_rate=0.3)
        return [
            faults.pick("GET", "/v1/customers", "/v1/customers", False) is not None
            for _ in range(50)
        ]

    assert run(3) == run(3)
    assert 5 < sum(run(3)) < 30
    assert run(3) != run(4)


def test_concurrency_limit_answers_429_global_concurrency(fresh_emulator):
    fresh_emulator.faults.concurrency_limit = 1
    fresh_emulator.faults.latency = 0.5  # keeps each request in flight long enough to overlap
    barrier = threading.Barrier(3)
    answers = []

    def call():
        with httpx.Client(
            base_url=fresh_emulator.base_url, headers={"Authorization": "Bearer sk_test_c"}
        ) as c:
            barrier.wait()
            answers.append(c.get("/v1/customers"))

    threads = [threading.Thread(target=call) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    limited = [a for a in answers if a.status_code == 429]
    assert 1 <= len(limited) <= 2
    assert all(a.headers["Stripe-Rate-Limited-Reason"] == "global-concurrency" for a in limited)
    assert any(a.status_code == 200 for a in answers)


@pytest.mark.parametrize("how,status,words", [
    ("region", 400, "temporarily unavailable in your region"),
    ("restricted_key", 403, "does not have the required permissions"),
    ("not_found", 404, "Not Found"),
])
def test_disable_search_answers_every_search_as_where_search_is_missing(
        api, fresh_emulator, error_of, how, status, words):
    fresh_emulator.faults.disable_search(how)
    for path in ("/v1/customers/search", "/v1/charges/search"):
        answer = api.get(path, params={"query": 'metadata["k"]:"v"'})
        assert answer.status_code == status
        assert words in error_of(answer)["message"]
        assert error_of(answer)["type"] == "invalid_request_error"
    assert api.get("/v1/customers").status_code == 200  # lists still answer
    fresh_emulator.faults.disable_search(None)
    assert api.get("/v1/customers/search", params={"query": 'metadata["k"]:"v"'}).status_code == 200
    fresh_emulator.faults.disable_search("region")
    fresh_emulator.faults.clear()
    assert api.get("/v1/customers/search", params={"query": 'metadata["k"]:"v"'}).status_code == 200


def test_disable_search_refuses_an_unknown_mode_naming_the_valid_ones():
    with pytest.raises(ValueError, match="region, restricted_key, not_found"):
        Faults().disable_search("india")
    with pytest.raises(ValueError, match="unknown search_unavailable 'nope'"):
        Faults(search_unavailable="nope")
