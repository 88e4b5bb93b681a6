"""Search that is not there (issue 10): a query that lists can answer never fails.

On the emulator with Search disabled in each way Stripe answers (``faults.disable_search``)
and on localstripe, which has no Search at all (404): the statement falls back to lists
with local filtering, the connection remembers it (no second Search request), EXPLAIN
and the ``stripe_dbapi.search`` log say why; a real error of a Search request is raised.
"""

from __future__ import annotations

import logging
import uuid

import pandas as pd
import pytest
import sqlalchemy

import stripe_dbapi
from stripe_dbapi.testing import Emulator

KEY = "sk_test_123"
GOLD_SQL = "SELECT id, email FROM customers WHERE json_extract(metadata, '$.tier') = 'gold'"


@pytest.fixture
def emu():
    with Emulator(seed=None, search_lag=0) as emulator:
        for i in range(6):
            emulator.insert("customers", {"id": f"cus_{i}", "created": 1_700_000_000 + i,
                                          "email": f"c{i}@example.com",
                                          "metadata": {"tier": "gold" if i % 3 == 0 else "basic"}})
        # Newest charges are small: a LIMIT pushed to the list would miss the large ones.
        for i in range(8):
            emulator.insert("charges", {"id": f"ch_{i}", "created": 1_700_000_000 + i, "currency": "usd",
                                        "amount": 5000 + i if i < 4 else 100 + i, "metadata": {}})
        yield emulator


@pytest.fixture
def conn(emu):
    connection = stripe_dbapi.connect(api_key=KEY, base_url=emu.base_url, max_retries=0)
    yield connection
    connection.close()


def _paths(emu):
    return [r.path for r in emu.requests]


@pytest.mark.parametrize("how", ["region", "restricted_key", "not_found"])
def test_a_statement_falls_back_to_lists_and_the_connection_remembers(emu, conn, caplog, how):
    emu.faults.disable_search(how)
    cursor = conn.cursor()
    with caplog.at_level(logging.INFO, logger="stripe_dbapi.search"):
        cursor.execute(GOLD_SQL)  # streams: the switch happens before the first row
        assert sorted(cursor.fetchall()) == [("cus_0", "c0@example.com"), ("cus_3", "c3@example.com")]
    assert _paths(emu) == ["/v1/customers/search", "/v1/customers"]
    (record,) = [r for r in caplog.records if r.levelno == logging.INFO]
    assert "Search is not available on this connection" in record.getMessage()
    assert "GET /v1/customers/search answered HTTP" in record.getMessage()

    emu.reset_requests()
    cursor.execute(GOLD_SQL + " ORDER BY id")  # a later statement: lists at once
    assert [r[0] for r in cursor.fetchall()] == ["cus_0", "cus_3"]
    assert _paths(emu) == ["/v1/customers"]
    cursor.execute("EXPLAIN " + GOLD_SQL)
    step = cursor.fetchone()[1]
    assert step.startswith("list (Search is not available on this connection: GET /v1/customers/search")


def test_the_list_keeps_its_own_limit(emu, conn):
    emu.faults.disable_search("not_found")
    cursor = conn.cursor()
    # Search is exact here (numeric) and would take limit=2; the list is not exact, so
    # its LIMIT stays local (the 4 newest charges are small: limit=2 would find none).
    cursor.execute("SELECT id FROM charges WHERE amount > 1000 LIMIT 2")
    assert len(cursor.fetchall()) == 2
    assert _paths(emu) == ["/v1/charges/search", "/v1/charges"]
    assert emu.requests[-1].params["limit"] == "100"
    emu.reset_requests()
    cursor.execute("SELECT id, amount FROM charges WHERE amount > 1000 ORDER BY created DESC LIMIT 2")
    assert cursor.fetchall() == [("ch_3", 5003), ("ch_2", 5002)]
    assert _paths(emu) == ["/v1/charges"]


def test_a_join_falls_back_for_the_table_that_searched(emu, conn):
    emu.faults.disable_search("region")
    cursor = conn.cursor()
    cursor.execute("SELECT c.id, count(ch.id) FROM customers c LEFT JOIN charges ch ON ch.customer = c.id "
                   "WHERE c.metadata ->> 'tier' = 'gold' GROUP BY c.id ORDER BY c.id")
    assert cursor.fetchall() == [("cus_0", 0), ("cus_3", 0)]
    assert "/v1/customers/search" in _paths(emu) and "/v1/customers" in _paths(emu)


def test_a_real_error_of_a_search_request_is_raised_and_search_stays_on(emu, conn):
    emu.faults.fail_next("/v1/customers/search", status=400)  # not a "not available" answer
    cursor = conn.cursor()
    with pytest.raises(stripe_dbapi.ProgrammingError, match="injected by the emulator"):
        cursor.execute(GOLD_SQL)
        cursor.fetchall()
    assert conn.search_availability.reason is None
    emu.reset_requests()
    cursor.execute(GOLD_SQL)
    assert len(cursor.fetchall()) == 2 and _paths(emu) == ["/v1/customers/search"]


def test_each_connection_finds_out_for_itself(emu, conn):
    emu.faults.disable_search("not_found")
    conn.cursor().execute(GOLD_SQL).fetchall()
    other = stripe_dbapi.connect(api_key=KEY, base_url=emu.base_url)
    try:
        emu.faults.disable_search(None)
        emu.reset_requests()
        assert len(other.cursor().execute(GOLD_SQL).fetchall()) == 2
        assert _paths(emu) == ["/v1/customers/search"]
    finally:
        other.close()


# --- localstripe: no Search at all (404), an independent server -------------------------


@pytest.fixture(scope="module")
def gold_customers(localstripe_url):
    tag = uuid.uuid4().hex[:8]
    with stripe_dbapi.connect(api_key=KEY, base_url=localstripe_url) as setup:
        ids = [setup.client.post("/v1/customers", {"email": f"{tag}-{i}@example.com",
                                                   "metadata": {"tag": tag, "tier": "gold" if i else "basic"}})["id"]
               for i in range(3)]
    return localstripe_url, tag, sorted(ids[1:])


def test_search_queries_answer_on_localstripe(gold_customers):
    url, tag, gold = gold_customers
    sql = (GOLD_SQL.replace("id, email", "id") + f" AND json_extract(metadata, '$.tag') = '{tag}'")
    with stripe_dbapi.connect(api_key=KEY, base_url=url) as conn:
        cursor = conn.cursor()
        cursor.execute("EXPLAIN " + sql)
        assert cursor.fetchone()[3] == "/v1/customers/search"  # planned as a Search
        cursor.execute(sql)
        assert sorted(r[0] for r in cursor.fetchall()) == gold
        assert "HTTP 404" in conn.search_availability.reason
        cursor.execute(sql + " ORDER BY id LIMIT 1")
        assert cursor.fetchall() == [(gold[0],)]


def test_pandas_read_sql_over_a_search_query_on_localstripe(gold_customers):
    url, tag, gold = gold_customers
    engine = sqlalchemy.create_engine(f"stripe://{KEY}@?base_url={url}")
    try:
        frame = pd.read_sql(sqlalchemy.text(
            "SELECT id, metadata ->> 'tier' AS tier FROM customers "
            "WHERE metadata ->> 'tier' = 'gold' AND metadata ->> 'tag' = :tag ORDER BY id"),
            engine, params={"tag": tag})
    finally:
        engine.dispose()
    assert frame["id"].tolist() == gold and set(frame["tier"]) == {"gold"}
