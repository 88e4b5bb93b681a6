"""Sliced full reads against the emulator: skewed data, bursts of same-second objects.

The rows of a sliced read are compared to a raw serial listing of the same endpoint.
"""

import time

import pytest

import stripe_dbapi
from stripe_dbapi.testing.skewed import skewed_objects

START, END = 1_600_000_000, 1_700_000_000


@pytest.fixture
def skewed(fresh_emulator):
    # 2,500 customers (25 pages), bursts of ~50 objects in one second.
    fresh_emulator.bulk_insert("customers", skewed_objects("customer", "cus", 2_500, start=START, end=END,
                                                           bursts=5, seed=12))
    return fresh_emulator


def connect(emulator, **options):
    return stripe_dbapi.connect(api_key="sk_test_scans", base_url=emulator.base_url,
                                max_requests_per_second=1000, max_endpoint_requests_per_second=1000,
                                **options)


def raw_listing(conn, path: str, params=None) -> list[str]:
    return [obj["id"] for page in conn.client.list_pages(path, params) for obj in page]


def list_requests(emulator) -> list:
    return [r for r in emulator.requests if r.path == "/v1/customers"]


def sliced(request) -> bool:
    return "lt" in (request.params.get("created") or {})


def test_a_sliced_read_returns_exactly_the_raw_listing(skewed):
    with connect(skewed) as conn:
        expected = raw_listing(conn, "/v1/customers")
        skewed.reset_requests()
        ids = [row[0] for row in conn.execute("SELECT id FROM customers")]
    assert len(expected) == 2_500
    assert len(ids) == len(set(ids)) == 2_500  # nothing repeated
    assert set(ids) == set(expected)  # nothing lost
    requests = list_requests(skewed)
    assert any(sliced(r) for r in requests)  # it was sliced
    assert len(requests) > 25  # several slices, each ending with a partial page
    assert len(requests) <= 25 + 8 * 4  # at most a few extra requests per worker


def test_seconds_holding_several_pages_of_objects_are_read_once(fresh_emulator):
    # An import: 350 objects in one second, 250 in the next, among 600 spread out.
    burst = [{"id": f"cus_b{n:04d}", "object": "customer", "created": 1_650_000_000} for n in range(350)]
    burst += [{"id": f"cus_c{n:04d}", "object": "customer", "created": 1_650_000_001} for n in range(250)]
    fresh_emulator.bulk_insert("customers", burst + skewed_objects("customer", "cus", 600, start=START,
                                                                    end=END, bursts=0, seed=3))
    with connect(fresh_emulator) as conn:
        expected = raw_listing(conn, "/v1/customers")
        ids = [row[0] for row in conn.execute("SELECT id FROM customers")]
    assert len(expected) == 1_200
    assert len(ids) == len(set(ids)) and set(ids) == set(expected)


def test_slicing_respects_the_query_s_own_created_range(skewed):
    low, high = START + (END - START) // 2, END - (END - START) // 20
    with connect(skewed) as conn:
        expected = raw_listing(conn, "/v1/customers", {"created[gte]": low, "created[lte]": high})
        rows = conn.execute("SELECT id FROM customers WHERE created >= ? AND created <= ?",
                            (low, high)).fetchall()
    assert len(expected) > 200
    assert sorted(r[0] for r in rows) == sorted(expected)


def test_one_worker_pages_serially(skewed):
    with connect(skewed, max_concurrency=1) as conn:
        skewed.reset_requests()
        assert len(conn.execute("SELECT id FROM customers").fetchall()) == 2_500
    requests = list_requests(skewed)
    assert len(requests) == 25 and not any(sliced(r) for r in requests)


def test_order_by_over_a_sliced_read_is_the_query_s_order(skewed):
    with connect(skewed) as conn:
        rows = conn.execute("SELECT id, created FROM customers ORDER BY created DESC, id").fetchall()
    assert len(rows) == 2_500
    assert rows == sorted(rows, key=lambda r: (-r[1].timestamp(), r[0]))


def test_closing_early_stops_the_fetchers(skewed):
    skewed.faults.latency = 0.01
    with connect(skewed) as conn:
        cursor = conn.execute("SELECT id FROM customers")
        assert len(cursor.fetchmany(150)) == 150  # past the first page: the workers run
        cursor.close()
        sent = len(list_requests(skewed))
        time.sleep(0.3)  # no timing asserted: only that nothing more is sent after close
        assert len(list_requests(skewed)) == sent
    assert sent < 25


def test_explain_shows_the_slicing_or_why_not(skewed):
    with connect(skewed) as conn:
        steps = [row[1] for row in conn.execute("EXPLAIN SELECT * FROM customers")]
        assert any("sliced on created" in step and "8 workers" in step for step in steps)
        assert steps[0] == "list"
        limited = [row[1] for row in conn.execute("EXPLAIN SELECT * FROM customers LIMIT 5")]
        assert not any("sliced" in step for step in limited)
        serial = [row[1] for row in conn.execute("EXPLAIN SELECT * FROM quotes")]
        assert any("pages serially: Stripe's /v1/quotes has no created filter" in step for step in serial)
