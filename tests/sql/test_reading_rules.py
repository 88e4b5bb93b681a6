"""Reading rules for values a user may not expect (issue 10): 8-digit strings against
datetime columns, equalities outside a column's documented values. Real catalog, a
transport that records requests and answers with canned rows."""

import datetime as dt
import json

import httpx
import pytest

import stripe_dbapi
from stripe_dbapi.sql.values import parse_datetime

UTC = dt.timezone.utc


@pytest.fixture
def recorded():
    requests = []

    def handler(request):
        requests.append(request)
        rows = [
            {"id": "ch_new", "object": "charge", "created": 1771804800, "status": "succeeded"},  # 2026-02-23
            {"id": "ch_old", "object": "charge", "created": 1771632000, "status": "succeeded"},  # 2026-02-21
        ]
        return httpx.Response(200, json={"object": "list", "data": rows, "has_more": False})

    conn = stripe_dbapi.connect(api_key="sk_test_123", transport=httpx.MockTransport(handler))
    yield conn, requests
    conn.close()


def test_an_eight_digit_string_is_a_compact_date_not_unix_seconds():
    assert parse_datetime("20260222") == dt.datetime(2026, 2, 22, tzinfo=UTC)
    assert parse_datetime(" 19991231 ") == dt.datetime(1999, 12, 31, tzinfo=UTC)
    # Other digit-only strings, and numbers, stay unix seconds.
    assert parse_datetime("1704067200") == dt.datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_datetime(20260222) == dt.datetime(1970, 8, 23, 11, 50, 22, tzinfo=UTC)


def test_an_eight_digit_string_that_is_no_date_is_a_data_error():
    with pytest.raises(stripe_dbapi.DataError, match="compact date YYYYMMDD"):
        parse_datetime("20261399")


def test_compact_dates_push_down_and_filter_locally_alike(recorded):
    conn, requests = recorded
    cursor = conn.cursor()
    cursor.execute("SELECT id FROM charges WHERE created >= '20260222'")
    assert cursor.fetchall() == [("ch_new",)]
    assert [r.url.params["created[gte]"] for r in requests] == ["1771718400"]
    with pytest.raises(stripe_dbapi.DataError):
        cursor.execute("SELECT id FROM charges WHERE created >= ?", ("20260230",))
    assert len(requests) == 1


def test_an_equality_outside_the_columns_values_is_a_contradiction(recorded):
    conn, requests = recorded
    cursor = conn.cursor()
    cursor.execute("SELECT id FROM charges WHERE status = 'PAID'")
    assert cursor.fetchall() == []
    cursor.execute("SELECT id FROM charges WHERE status IN ('Succeeded', ?)", ("pending ",))
    assert cursor.fetchall() == []
    assert requests == []
    cursor.execute("EXPLAIN SELECT id FROM invoices WHERE status = 'PAID'")
    assert cursor.fetchone()[1].startswith("none")


def test_only_the_documented_values_of_an_in_list_are_asked_for(recorded):
    conn, requests = recorded
    conn.cursor().execute("SELECT id FROM invoices WHERE status IN ('paid', 'PAID', 'Open')").fetchall()
    assert [dict(r.url.params) for r in requests] == [{"status": "paid", "limit": "100"}]
    cursor = conn.cursor()
    cursor.execute("EXPLAIN SELECT id FROM invoices WHERE status IN ('paid', 'PAID')")
    assert json.loads(cursor.fetchone()[4]) == {"status": "paid", "limit": 100}
