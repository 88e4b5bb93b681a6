"""Bad input (issue 10): only PEP 249 errors, of the right class, and no request
before a statement is known to be valid.

Every case runs on a connection whose transport records requests and answers
every call with an empty list: whatever fails therefore fails on the input, and
must have sent nothing. The corpus holds the classes the fuzzing found
(recursion, URL length, undecodable bytes, non-finite numbers, API misuse,
statements sqlglot accepts and SQLite refuses, other drivers' placeholders); a
hypothesis test throws token soup and odd values at the same connection.
"""

from __future__ import annotations

import decimal
import os

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stripe_dbapi
from stripe_dbapi import DataError, InterfaceError, NotSupportedError, ProgrammingError


class Recorder:
    def __init__(self):
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method == "POST":  # a write or an action that Stripe accepted
            return httpx.Response(200, json={"id": "cus_new", "object": "customer"})
        return httpx.Response(200, json={"object": "list", "data": [], "has_more": False})


@pytest.fixture(scope="module")
def recorder():
    return Recorder()


@pytest.fixture(scope="module")
def conn(recorder):
    connection = stripe_dbapi.connect(
        api_key="sk_test_123", transport=httpx.MockTransport(recorder), max_retries=0
    )
    yield connection
    connection.close()


@pytest.fixture
def requests(recorder):
    recorder.requests.clear()
    return recorder.requests


def nested_parentheses(depth):
    return "SELECT id FROM customers WHERE " + "(" * depth + "email = 'a'" + ")" * depth


def nested_subselects(depth):
    return "SELECT id FROM customers WHERE id IN (" * depth + "SELECT 'x'" + ")" * depth


LONG_TEXT = "x" * 100_000

# (sql, parameters, the exact class expected)
CORPUS = [
    # deep nesting: a clear ProgrammingError, not a RecursionError
    (nested_parentheses(300), None, ProgrammingError),
    (nested_subselects(100), None, ProgrammingError),
    (" UNION ".join(["SELECT id FROM customers"] * 1000), None, ProgrammingError),
    # values
    ("SELECT id FROM customers WHERE email = ?", (LONG_TEXT,), DataError),
    ("SELECT id FROM customers WHERE id = ?", (LONG_TEXT,), DataError),
    ("SELECT id FROM customers WHERE email = ?", (b"\xff",), DataError),
    ("SELECT id FROM customers WHERE email = ?", ("\ud800",), DataError),
    ("SELECT id FROM customers WHERE email = ?", ("a\x00b",), DataError),
    ("SELECT id FROM customers WHERE email = ?", (decimal.Decimal("sNaN"),), DataError),
    ("SELECT id FROM customers WHERE email = ?", (decimal.Decimal("-Infinity"),), DataError),
    ("SELECT id FROM customers WHERE email = ?", (float("nan"),), DataError),
    ("SELECT id FROM customers WHERE email = ?", ({"k": object()},), DataError),
    ("SELECT id FROM customers LIMIT 'x'", None, DataError),
    ("INSERT INTO customers (name) VALUES (?)", (decimal.Decimal("sNaN"),), DataError),
    ("INSERT INTO customers (name) VALUES (?)", (b"\xff\xfe",), DataError),
    ("UPDATE customers SET name = ? WHERE id = ?", ("x", "\udfff"), DataError),
    ("CALL CancelQuote(?)", (LONG_TEXT,), DataError),
    ("CALL CancelQuote(?)", ("\ud800",), DataError),
    # API misuse
    ("SELECT id FROM customers WHERE email = ?", 5, InterfaceError),
    ("SELECT id FROM customers", 5, InterfaceError),
    ("SELECT id FROM customers WHERE email = ?", "a", InterfaceError),
    ("SELECT id FROM customers WHERE email = ?", (object(),), InterfaceError),
    ("CALL CancelQuote(?)", 5, InterfaceError),
    (None, None, InterfaceError),
    (b"SELECT 1", None, InterfaceError),
    # SQL that sqlglot accepts and SQLite (or Stripe's shapes) do not
    ("SELECT FROM customers c JOIN charges ch ON ch.customer = c.id", None, ProgrammingError),
    ("SELECT id FROM customers GROUP BY", None, ProgrammingError),
    ("SELECT nosuchfunction(id) FROM customers", None, ProgrammingError),
    ("SELECT id FROM customers ORDER BY 5", None, ProgrammingError),
    ("SELECT * FROM customers c, charges c", None, ProgrammingError),
    ("DELETE é", None, ProgrammingError),
    ("EXPLAIN DELETE é", None, ProgrammingError),
    ("DELETE customers", None, ProgrammingError),
    ("UPDATE customers", None, ProgrammingError),
    ("INSERT INTO customers (name)", None, ProgrammingError),
    ("EXPLAIN", None, ProgrammingError),
    ("", None, ProgrammingError),
    ("SELECT 1; SELECT 2", None, ProgrammingError),
    ("DROP TABLE customers", None, NotSupportedError),
    # other drivers' placeholders
    ("SELECT id FROM customers WHERE email = %(name)s", {"name": "a"}, ProgrammingError),
    ("SELECT id FROM customers WHERE email = %s", ("a",), ProgrammingError),
    ("SELECT id FROM customers WHERE email = $1", ("a",), ProgrammingError),
    ("SELECT id FROM customers WHERE email = ?1", ("a",), ProgrammingError),
]


def _label(case):
    sql, params, expected = case
    return f"{expected.__name__}:{str(sql)[:40]}:{str(params)[:20]}"


@pytest.mark.parametrize("sql, params, expected", CORPUS, ids=[_label(c) for c in CORPUS])
def test_bad_input_is_the_right_pep249_error_and_sends_nothing(conn, requests, sql, params, expected):
    with pytest.raises(stripe_dbapi.Error) as info:
        conn.cursor().execute(sql, params)
    assert type(info.value) is expected, f"{type(info.value).__name__}: {info.value}"
    assert info.value.__cause__ is None or isinstance(info.value.__cause__, stripe_dbapi.Error)
    assert requests == []


EXPLAINABLE = [
    case for case in CORPUS
    if isinstance(case[0], str) and case[0].strip() and not case[0].startswith(("EXPLAIN", "DROP"))
]


@pytest.mark.parametrize("sql, params, expected", EXPLAINABLE, ids=[_label(c) for c in EXPLAINABLE])
def test_explain_refuses_what_execute_refuses(conn, requests, sql, params, expected):
    with pytest.raises(stripe_dbapi.Error) as info:
        conn.cursor().execute("EXPLAIN " + sql, params)
    assert type(info.value) is expected
    assert requests == []


def test_messages_say_what_is_wrong_in_the_users_terms(conn):
    cases = {
        "SELECT id FROM customers WHERE email = %(name)s": ("use ? ", {"name": "a"}),
        "DELETE é": ("DELETE needs FROM", None),
        nested_parentheses(300): ("statement too deeply nested", None),
        nested_subselects(100): ("statement too deeply nested", None),
        nested_subselects(25): ("statement too deeply nested", None),  # SQLite's parser stack
    }
    for sql, (expected, params) in cases.items():
        with pytest.raises(stripe_dbapi.Error) as info:
            conn.cursor().execute(sql, params)
        assert expected in str(info.value)
        assert "sqlglot" not in str(info.value) and "<class" not in str(info.value)


def test_long_or_and_and_chains_work(conn, requests):
    emails = [f"a{i}@example.com" for i in range(1000)]
    cursor = conn.cursor()
    cursor.execute("SELECT id FROM customers WHERE " + " OR ".join(["email = ?"] * 1000), emails)
    assert cursor.fetchall() == []
    cursor.execute(
        "SELECT id FROM customers WHERE " + " AND ".join(["email <> ?"] * 1000) + " AND balance > 0", emails
    )
    assert cursor.fetchall() == []
    assert 1 <= len(requests) <= 2


def test_a_join_sqlite_refuses_lists_no_table(conn, requests):
    with pytest.raises(ProgrammingError, match="syntax error"):
        conn.cursor().execute("SELECT FROM customers c JOIN charges ch ON ch.customer = c.id")
    assert requests == []


# --- executemany and callproc -------------------------------------------------------


@pytest.mark.parametrize(
    "sql, sets, expected",
    [
        ("INSERT INTO customers (name) VALUES (?)", [("a",), (b"\xff",)], DataError),
        ("INSERT INTO customers (name) VALUES (?)", [("a",), (decimal.Decimal("NaN"),)], DataError),
        ("UPDATE customers SET name = ? WHERE id = ?", [("a", "cus_1"), ("b", LONG_TEXT)], DataError),
        ("DELETE FROM customers WHERE id = ?", [("cus_1",), 5], InterfaceError),
        ("CALL CancelQuote(?)", [("qt_1",), ("\ud800",)], DataError),
        ("CALL CancelQuote(?)", [("qt_1",), None], ProgrammingError),
        ("SELECT id FROM customers WHERE email = ?", [("a",), ({1},)], InterfaceError),
        ("DELETE é", [()], ProgrammingError),
        ("INSERT INTO customers (name) VALUES (?)", None, InterfaceError),
        ("INSERT INTO customers (name) VALUES (?)", 5, InterfaceError),
    ],
)
def test_executemany_bad_input(conn, requests, sql, sets, expected):
    with pytest.raises(stripe_dbapi.Error) as info:
        conn.cursor().executemany(sql, sets)
    assert type(info.value) is expected, f"{type(info.value).__name__}: {info.value}"
    if not sql.startswith("SELECT"):  # a SELECT runs its first set before binding the second
        assert requests == []


@pytest.mark.parametrize(
    "name, params, expected",
    [
        (None, None, InterfaceError),
        (5, ("qt_1",), InterfaceError),
        ("CancelQuote", 5, InterfaceError),
        ("CancelQuote", "qt_1", InterfaceError),
        ("CancelQuote", (b"\xff",), DataError),
        ("CancelQuote", {"QuoteId": "\ud800"}, DataError),
        ("CancelQuote", (LONG_TEXT,), DataError),
        ("CancelQuote", (decimal.Decimal("sNaN"),), DataError),
        ("NoSuchProcedure", (), ProgrammingError),
    ],
)
def test_callproc_bad_input(conn, requests, name, params, expected):
    with pytest.raises(stripe_dbapi.Error) as info:
        conn.cursor().callproc(name, params)
    assert type(info.value) is expected, f"{type(info.value).__name__}: {info.value}"
    assert requests == []


# --- fuzzing ------------------------------------------------------------------------

WORDS = ["SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "(", ")", ",", "=", "<", ">=", "*",
         "customers", "charges", "c", "id", "email", "created", "amount", "status", "JOIN", "ON",
         "GROUP BY", "ORDER BY", "LIMIT", "UNION", "?", ":p", "'x'", "1", "NULL", "INSERT INTO",
         "VALUES", "UPDATE", "SET", "DELETE", "CALL", "CancelQuote", "EXPLAIN", "%s", "->>", "é",
         "count(*)", "AS", "DISTINCT", "HAVING", "BETWEEN", "LIKE", ";", "'20260222'", "'PAID'"]
# More for a longer local run: STRIPE_DBAPI_FUZZ_EXAMPLES=20000 pytest tests/test_bad_input.py -k fuzz
FUZZ_EXAMPLES = int(os.environ.get("STRIPE_DBAPI_FUZZ_EXAMPLES", "300"))
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(), st.text(max_size=20),
    st.binary(max_size=8), st.dates(), st.datetimes(), st.lists(st.integers(), max_size=3),
)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=14),
       params=st.one_of(st.lists(VALUES, max_size=3), st.dictionaries(st.just("p"), VALUES)))
def test_fuzzed_statements_fail_only_with_pep249_errors_and_only_before_requests(conn, recorder, words, params):
    _fails_only_cleanly_before_requests(conn, recorder, " ".join(words), params)


# Statements with the shape of real ones (so they reach the planner, the writers and SQLite)
# and odd parts: unknown names, out-of-range or mistyped values, NUL, LIMIT 1.5, ...
TABLE_NAMES = st.sampled_from(["customers", "charges", "invoices", "cards", "subscriptions", "prices",
                               "Customer", "InvoiceItems", "sys_tables", "nosuch"])
COLUMN_NAMES = st.sampled_from(["id", "email", "created", "amount", "status", "customer", "metadata",
                                "active", "CustomerId", "unit_amount", "nosuch"])
LITERALS = st.sampled_from(["'x'", "NULL", "1", "-1", "0.5", "1e999", "99999999999999999999", "''", "'..'",
                            "'2024-01-01'", "'20260222'", "'20261399'", "'PAID'", "'paid'", "'yesterday'",
                            "date('now')", "x'ff'", "char(0)", "(SELECT id FROM customers)", "?"])
COMPARISONS = st.sampled_from(["=", "<>", "<", ">=", "IS", "IS NOT", "LIKE"])
CONDITIONS = st.recursive(
    st.one_of(
        st.builds("{} {} {}".format, COLUMN_NAMES, COMPARISONS, LITERALS),
        st.builds("{} IN ({})".format, COLUMN_NAMES, st.lists(LITERALS, max_size=3).map(", ".join)),
        st.builds("{} BETWEEN {} AND {}".format, COLUMN_NAMES, LITERALS, LITERALS),
        st.builds("metadata ->> 'k' = {}".format, LITERALS),
        COLUMN_NAMES,
    ),
    lambda inner: st.one_of(
        st.builds("({} AND {})".format, inner, inner),
        st.builds("({} OR {})".format, inner, inner),
        st.builds("NOT {}".format, inner),
    ),
    max_leaves=6,
)
SHAPED = st.one_of(
    st.builds("SELECT {} FROM {} WHERE {}{}".format,
              st.sampled_from(["*", "id", "count(*)", "max(created)", "datetime(created, 'start of day')"]),
              TABLE_NAMES, CONDITIONS,
              st.sampled_from(["", " ORDER BY created DESC", " GROUP BY status", " LIMIT 5", " LIMIT 1.5",
                               " LIMIT 'x'", " LIMIT 99999999999999999999", " OFFSET -1"])),
    st.builds("SELECT a.id FROM {} a JOIN {} b ON b.{} = a.{} WHERE {}".format,
              TABLE_NAMES, TABLE_NAMES, COLUMN_NAMES, COLUMN_NAMES, CONDITIONS),
    st.builds("INSERT INTO {} ({}) VALUES ({})".format, TABLE_NAMES, COLUMN_NAMES, LITERALS),
    st.builds("UPDATE {} SET {} = {} WHERE {}".format, TABLE_NAMES, COLUMN_NAMES, LITERALS, CONDITIONS),
    st.builds("DELETE FROM {} WHERE {}".format, TABLE_NAMES, CONDITIONS),
    st.builds("CALL {}({})".format, st.sampled_from(["CancelQuote", "PayInvoice", "Nope"]), LITERALS),
)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(sql=SHAPED, explain=st.booleans(), value=VALUES)
def test_shaped_statements_fail_only_with_pep249_errors_and_only_before_requests(conn, recorder, sql, explain,
                                                                                 value):
    params = [value] * sql.count("?")
    _fails_only_cleanly_before_requests(conn, recorder, ("EXPLAIN " if explain else "") + sql, params)


# --- the API key ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["sk_test_4eC39HqLyjWDarjtT1zdp7dc\n", " sk_test_4eC39HqLyjWDarjtT1zdp7dc",
     "sk_test_4eC39HqLyjWDarjtT1zdp7dcé", "sk_test_4eC39Hq LyjWDarjtT1zdp7dc", "sk_test_4eC39Hq\x00jWDar"],
)
def test_an_api_key_that_cannot_be_a_header_fails_at_connect_masked(key):
    recorder = Recorder()
    with pytest.raises(InterfaceError) as info:
        stripe_dbapi.connect(api_key=key, transport=httpx.MockTransport(recorder))
    assert "4eC39HqLyjWDar" not in str(info.value) and key.strip() not in str(info.value)
    assert "sk_test_****" in str(info.value)
    assert recorder.requests == []


# --- a streamed read that fails part-way --------------------------------------------


def test_after_a_streamed_read_fails_every_fetch_raises_again():
    calls = []

    def handler(request):
        calls.append(request)
        if "starting_after" in request.url.params:
            return httpx.Response(500, json={"error": {"type": "api_error", "message": "boom"}})
        return httpx.Response(200, json={
            "object": "list", "has_more": True,
            "data": [{"id": f"cus_{i}", "object": "customer"} for i in range(100)],
        })

    conn = stripe_dbapi.connect(api_key="sk_test_123", transport=httpx.MockTransport(handler), max_retries=0)
    cursor = conn.cursor()
    cursor.execute("SELECT id FROM customers")
    assert len(cursor.fetchmany(100)) == 100
    with pytest.raises(stripe_dbapi.APIError) as first:
        cursor.fetchmany(100)
    for fetch in (cursor.fetchone, cursor.fetchall, lambda: cursor.fetchmany(5)):
        with pytest.raises(stripe_dbapi.APIError) as again:
            fetch()
        assert again.value is first.value
    with pytest.raises(stripe_dbapi.APIError):
        list(cursor)
    cursor.execute("SELECT id FROM customers WHERE id = 'cus_1'")  # a new statement starts clean
    assert cursor.fetchall() == []
    conn.close()


# --- the SQLAlchemy dialect -----------------------------------------------------------


def test_sqlalchemy_sees_the_dbapi_classes_and_nothing_is_sent():
    import sqlalchemy

    recorder = Recorder()
    engine = sqlalchemy.create_engine(
        "stripe://", connect_args={"api_key": "sk_test_123", "transport": httpx.MockTransport(recorder)}
    )
    with engine.connect() as connection:
        for sql, params, expected in [
            ("SELECT FROM customers c JOIN charges ch ON ch.customer = c.id", {}, sqlalchemy.exc.ProgrammingError),
            (nested_parentheses(300), {}, sqlalchemy.exc.ProgrammingError),
            ("SELECT id FROM customers WHERE email = :e", {"e": b"\xff"}, sqlalchemy.exc.DataError),
            ("SELECT id FROM customers WHERE email = :e", {"e": decimal.Decimal("sNaN")}, sqlalchemy.exc.DataError),
        ]:
            with pytest.raises(expected) as info:
                connection.execute(sqlalchemy.text(sql), params)
            assert isinstance(info.value.orig, stripe_dbapi.Error)
        # executemany: every parameter set is checked before the first create
        with pytest.raises(sqlalchemy.exc.DataError):
            connection.execute(sqlalchemy.text("INSERT INTO customers (name) VALUES (:n)"),
                               [{"n": "a"}, {"n": b"\xff"}])
    engine.dispose()
    assert recorder.requests == []


def test_sqlalchemy_refuses_a_key_with_a_newline_at_connect_masked():
    import sqlalchemy

    recorder = Recorder()
    engine = sqlalchemy.create_engine(
        "stripe://", connect_args={"api_key": "sk_test_4eC39HqLyjWDarjtT1zdp7dc\n",
                                   "transport": httpx.MockTransport(recorder)}
    )
    with pytest.raises(sqlalchemy.exc.InterfaceError) as info:
        engine.connect()
    assert "4eC39HqLyjWDar" not in str(info.value) and "sk_test_****" in str(info.value)
    assert recorder.requests == []


def _fails_only_cleanly_before_requests(conn, recorder, sql, params):
    """Runs the statement; if it fails, the error is a plain PEP 249 one (no internal
    error, no parser internals) raised before any request. The transport answers every
    call with success, so a failure is about the input."""
    recorder.requests.clear()
    try:
        cursor = conn.cursor()
        cursor.execute(sql, params)
        if cursor.description is not None:
            cursor.fetchall()
    except stripe_dbapi.Error as error:
        assert not isinstance(error, stripe_dbapi.InternalError), error
        assert "<class" not in str(error) and "sqlglot" not in str(error), error
        assert recorder.requests == [], error
