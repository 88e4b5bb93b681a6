"""The SELECT path on the project's emulator (real HTTP, the generated catalog):
the request-count table, the pushdown soundness property on generated data, and
rows/types end to end. Data is loaded into a fresh emulator per module, so the
counts do not depend on what other tests write."""

from __future__ import annotations

import datetime as dt
import importlib.util
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stripe_dbapi
from stripe_dbapi.testing import Emulator

SQL_TESTS = pathlib.Path(__file__).resolve().parent.parent / "sql"
UTC = dt.timezone.utc


def _load(name: str, filename: str):
    # tests/ is not a package (importlib mode): load the shared table and data by path.
    spec = importlib.util.spec_from_file_location(name, SQL_TESTS / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REQUEST_COUNTS = _load("_select_request_counts", "test_request_counts.py").REQUEST_COUNTS
SOUNDNESS = _load("_select_soundness", "test_pushdown_soundness.py")
DATA = _load("_select_data", "conftest.py")

TABLE_OF_PATH = {"/v1/customers": "customers", "/v1/charges": "charges", "/v1/subscriptions": "subscriptions",
                 "/v1/products": "products", "/v1/prices": "prices"}


class _EmulatorLoader:
    """Takes the fake Stripe's ``add(path, obj)`` calls and puts the objects in the emulator."""

    def __init__(self, emulator: Emulator):
        self.emulator = emulator

    def add(self, path: str, obj: dict) -> None:
        table = TABLE_OF_PATH.get(path) or ("cards" if path.endswith("/sources") else None)
        self.emulator.insert(table, obj)


@pytest.fixture(scope="module")
def emu():
    with Emulator(seed=None, search_lag=0) as emulator:
        DATA.demo_data(_EmulatorLoader(emulator))
        yield emulator


@pytest.fixture
def econn(emu):
    connection = stripe_dbapi.connect(api_key="sk_test_123", base_url=emu.base_url)
    yield connection
    connection.close()


@pytest.mark.parametrize("sql,expected,why", REQUEST_COUNTS, ids=[r[0][:60] for r in REQUEST_COUNTS])
def test_request_count_is_the_minimum_on_the_emulator(econn, emu, sql, expected, why):
    emu.reset_requests()
    cursor = econn.cursor()
    cursor.execute(sql)
    cursor.fetchall()
    assert econn.client.request_count == expected, why
    assert len(emu.requests) == expected


def test_rows_and_types_end_to_end(econn):
    cursor = econn.cursor()
    cursor.execute("SELECT c.id, c.created, c.livemode, count(ch.id) AS n, sum(ch.amount) AS total "
                   "FROM customers c JOIN charges ch ON ch.customer = c.id "
                   "WHERE c.id IN (?, ?) GROUP BY c.id ORDER BY c.id", ["cus_0001", "cus_0002"])
    assert cursor.fetchall() == [
        ("cus_0001", dt.datetime(2023, 11, 14, 23, 13, 20, tzinfo=UTC), False, 3, 3003),
        ("cus_0002", dt.datetime(2023, 11, 15, 0, 13, 20, tzinfo=UTC), False, 3, 3006),
    ]
    assert [d[1] for d in cursor.description] == ["string", "datetime", "boolean", "integer", "integer"]


def test_search_pushdown_on_the_emulator_and_write_log_merge(econn, emu):
    cursor = econn.cursor()
    cursor.execute("SELECT id FROM customers WHERE metadata ->> 'tier' = 'gold' ORDER BY id")
    assert [r[0] for r in cursor.fetchall()] == [f"cus_{i:04d}" for i in range(0, 30, 5)]
    assert emu.requests[-1].path == "/v1/customers/search"


def test_explain_makes_no_request(econn, emu):
    emu.reset_requests()
    cursor = econn.cursor()
    cursor.execute("EXPLAIN SELECT * FROM charges WHERE currency = 'usd' AND amount > 600")
    rows = cursor.fetchall()
    assert emu.requests == [] and econn.client.request_count == 0
    assert rows[0][:4] == ("charges", "search + recent writes", "GET", "/v1/charges/search")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=SOUNDNESS.wheres, use_search=st.booleans())
def test_pushdown_equals_full_scan_on_the_emulator(econn, where, use_search):
    econn.use_search = use_search
    cursor = econn.cursor()
    cursor.execute(f"SELECT id FROM charges WHERE {where}")
    pushed = sorted(r[0] for r in cursor.fetchall())
    cursor.execute(f"SELECT id FROM (SELECT * FROM charges LIMIT -1) AS t WHERE {where}")
    assert pushed == sorted(r[0] for r in cursor.fetchall())


charges_data = st.lists(
    st.fixed_dictionaries({
        "amount": st.integers(400, 1600),
        "currency": st.sampled_from(["usd", "eur"]),
        "status": st.sampled_from(["succeeded", "failed"]),
        "customer": st.sampled_from(["cus_0001", "cus_0002", "cus_0017", None]),
        "created": st.integers(1_700_000_000 - 100, 1_700_000_000 + 31 * 3600),
        "refunded": st.booleans(),
        "metadata": st.sampled_from([{}, {"order": "o10"}, {"order": "o21"}]),
    }),
    max_size=40,
)


@pytest.fixture(scope="module")
def scratch():
    with Emulator(seed=None, search_lag=0) as emulator:
        yield emulator


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=charges_data, where=SOUNDNESS.wheres)
def test_pushdown_equals_full_scan_on_generated_data(scratch, data, where):
    scratch.reset()
    for i, charge in enumerate(data):
        scratch.insert("charges", {"id": f"ch_{i:04d}_{i % 3}", "object": "charge", **charge})
    conn = stripe_dbapi.connect(api_key="sk_test_123", base_url=scratch.base_url)
    try:
        cursor = conn.cursor()
        cursor.execute(f"SELECT id FROM charges WHERE {where}")
        pushed = sorted(r[0] for r in cursor.fetchall())
        cursor.execute(f"SELECT id FROM (SELECT * FROM charges LIMIT -1) AS t WHERE {where}")
        assert pushed == sorted(r[0] for r in cursor.fetchall())
    finally:
        conn.close()


customer_atoms = st.one_of(
    st.sampled_from(["'User 1 Plain'", "'user 1 plain'", "'User 10 Gold'", "'Gold'", "'User'"]).map(
        lambda v: f"name = {v}"),
    st.sampled_from(["'user3@example.com'", "'USER3@example.com'", "'example.com'"]).map(lambda v: f"email = {v}"),
    st.sampled_from(["'gold'", "'GOLD'", "'basic'"]).map(lambda v: f"metadata ->> 'tier' = {v}"),
    st.integers(0, 300).map(lambda v: f"balance > {v}"),
    st.integers(1_700_000_000, 1_700_000_000 + 30 * 3600).map(lambda v: f"created >= {v}"),
    st.sampled_from(["name LIKE '%Gold'", "phone IS NULL", "id IN ('cus_0001', 'cus_0007')"]),
)
customer_wheres = st.recursive(
    customer_atoms,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda t: f"({t[0]} AND {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} OR {t[1]})"),
    ),
    max_leaves=3,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=customer_wheres)
def test_search_word_matching_is_always_rechecked_locally(econn, where):
    cursor = econn.cursor()
    cursor.execute(f"SELECT id FROM customers WHERE {where}")
    pushed = sorted(r[0] for r in cursor.fetchall())
    cursor.execute(f"SELECT id FROM (SELECT * FROM customers LIMIT -1) AS t WHERE {where}")
    assert pushed == sorted(r[0] for r in cursor.fetchall())


def test_an_id_stays_in_its_path_segment_on_the_emulator(econn, emu):
    emu.reset_requests()
    cursor = econn.cursor()
    cursor.execute("SELECT id FROM charges WHERE id = ?", ["../charges/ch_0001_0"])
    assert cursor.fetchall() == []
    assert [r.path for r in emu.requests] == ["/v1/charges/..%2Fcharges%2Fch_0001_0"]
    cursor.execute("SELECT id FROM prices WHERE active IS TRUE AND product = 'prod_1'")
    assert cursor.fetchall() == [("price_1_0",)]
    assert emu.requests[-1].params == {"active": "true", "product": "prod_1", "limit": "100"}


def test_the_spec_s_bare_entity_id_reads_one_object(econn, emu):
    emu.reset_requests()
    cursor = econn.cursor()
    cursor.execute("SELECT Id, Email FROM Customer WHERE 'cus_0001'")  # filterClause 'cus_...'
    assert cursor.fetchall() == [("cus_0001", "user1@example.com")]
    assert [r.path for r in emu.requests] == ["/v1/customers/cus_0001"]


def test_connect_account_id_reads_a_connected_account_and_refuses_an_unknown_one(emulator):
    with stripe_dbapi.connect(api_key="sk_test_123", base_url=emulator.base_url,
                              account_id="acct_demo_connected") as connected:
        rows = connected.cursor().execute("SELECT email FROM customers ORDER BY email").fetchall()
    assert rows == [("connected0@example.com",), ("connected1@example.com",)]
    unknown = stripe_dbapi.connect(api_key="sk_test_123", base_url=emulator.base_url,
                                   account_id="acct_nobody", max_retries=0)
    with unknown, pytest.raises(stripe_dbapi.OperationalError,
                                match="does not have access to account") as caught:
        unknown.cursor().execute("SELECT id FROM customers").fetchall()
    assert caught.value.http_status == 403 and caught.value.code == "account_invalid"


def test_an_id_with_a_slash_round_trips_through_the_driver(fresh_emulator):
    with stripe_dbapi.connect(api_key="sk_test_123", base_url=fresh_emulator.base_url) as conn:
        cursor = conn.cursor()
        cursor.execute("INSERT INTO products (id, name) VALUES ('prod_odd/slash', 'Odd')")
        cursor.execute("UPDATE products SET name = 'Renamed' WHERE id = 'prod_odd/slash'")
        assert cursor.execute("SELECT id, name FROM products WHERE 'prod_odd/slash'").fetchall() == [
            ("prod_odd/slash", "Renamed")]
    assert "/v1/products/prod_odd%2Fslash" in [r.path for r in fresh_emulator.requests]
