"""Pacing against the emulator's Stripe-like rate limits (429 with Stripe-Rate-Limited-Reason).

Rates are scaled up from Stripe's (25/s) so the tests stay short; what is checked is that
the client stays under whatever the server enforces. ``max_retries=0`` makes any 429 fail
the statement, so success means none was received. No timing is asserted.
"""

import threading

import pytest

import stripe_dbapi


def customers(count: int, prefix: str = "cus_p") -> list[dict]:
    return [{"id": f"{prefix}{n:05d}", "object": "customer", "created": 1_700_000_000 + n}
            for n in range(count)]


@pytest.fixture
def limited(fresh_emulator):
    def limit(rate: float):
        fresh_emulator.faults.global_rate = rate
        fresh_emulator.faults.endpoint_rate = rate
        fresh_emulator.faults.search_rate = rate
        return fresh_emulator

    return limit


def connect(emulator, key: str, rate: float, **options):
    return stripe_dbapi.connect(api_key=key, base_url=emulator.base_url, max_retries=0,
                                max_requests_per_second=rate, max_endpoint_requests_per_second=rate,
                                **options)


def statuses(emulator) -> list:
    return [r.status for r in emulator.requests]


def test_a_300_request_fan_out_gets_no_429(limited):
    emulator = limited(100)
    emulator.bulk_insert("customers", customers(297))
    with connect(emulator, "sk_test_pacing_fan_out", 100) as conn:
        rows = conn.execute("SELECT id FROM cards").fetchall()
    assert rows == []
    sent = statuses(emulator)
    assert len(sent) == 3 + 297  # 3 pages of parents, one list per parent
    assert 429 not in sent


def test_a_sliced_full_read_gets_no_429(limited):
    from stripe_dbapi.testing.skewed import skewed_objects

    emulator = limited(20)  # fewer than the read's requests: unpaced, the burst runs out
    emulator.bulk_insert("customers", skewed_objects("customer", "cus", 3_000, start=1_600_000_000,
                                                     end=1_700_000_000, seed=5))
    with connect(emulator, "sk_test_pacing_slices", 20) as conn:
        rows = conn.execute("SELECT id FROM customers").fetchall()
    assert len({r[0] for r in rows}) == len(rows) == 3_000
    sent = emulator.requests
    assert any("lt" in (r.params.get("created") or {}) for r in sent)  # sliced: concurrent workers
    assert 429 not in statuses(emulator)


def test_id_in_retrieves_concurrently_under_the_limits(limited):
    emulator = limited(100)
    emulator.bulk_insert("customers", customers(250))
    ids = [c["id"] for c in customers(250)]
    with connect(emulator, "sk_test_pacing_ids", 100) as conn:
        rows = conn.execute(f"SELECT id FROM customers WHERE id IN ({', '.join('?' * len(ids))})",
                            ids).fetchall()
    assert sorted(r[0] for r in rows) == ids
    sent = statuses(emulator)
    assert len(sent) == 250 and 429 not in sent


def test_two_connections_with_one_key_share_the_budget(limited):
    emulator = limited(50)
    emulator.bulk_insert("customers", customers(98))
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            with connect(emulator, "sk_test_pacing_shared", 50) as conn:
                conn.execute("SELECT id FROM cards").fetchall()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sent = statuses(emulator)
    assert len(sent) == 2 * (1 + 98)
    assert 429 not in sent


def test_a_server_that_answers_429_for_a_while_slows_the_client_and_the_statement_succeeds(fresh_emulator):
    fresh_emulator.bulk_insert("customers", customers(5))
    fresh_emulator.faults.fail_next("/v1/customers", 429, count=2, rate_limited_reason="global-rate")
    with stripe_dbapi.connect(api_key="sk_test_pacing_429", base_url=fresh_emulator.base_url) as conn:
        rows = conn.execute("SELECT id FROM customers").fetchall()
        rates = conn.client.pacer.rates("GET", "/v1/customers")
    assert len(rows) == 5
    assert statuses(fresh_emulator) == [429, 429, 200]
    assert rates["global"] < 25  # lowered for a while after the 429s
