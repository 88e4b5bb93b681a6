"""verbosity 1-5 and logfile (stripe_dbapi/verbose.py), against the emulator: what each
level writes and what it does not, where it goes, one connection's level not leaking
into another's, and the settings' errors before any request."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
import sqlalchemy

import stripe_dbapi
from stripe_dbapi.testing import Emulator

KEY = "sk_test_verbose0000000000000000"
CARD = '{"number": "4242424242424242", "exp_month": 12, "exp_year": 2031, "cvc": "739"}'


@pytest.fixture
def emu():
    with Emulator(seed=None, search_lag=0) as emulator:
        emulator.insert("customers", {"id": "cus_Ada0000001", "created": 1_700_000_000,
                                      "email": "ada@example.com", "name": "Ada"})
        yield emulator


def workload(conn, emu) -> None:
    """A read that is retried once, a write with a card, and a failing statement."""
    emu.faults.fail_next("/v1/customers*", 500, method="GET")
    cursor = conn.cursor()
    cursor.execute("SELECT id, email FROM customers WHERE email = ?", ["ada@example.com"])
    assert len(cursor.fetchall()) == 1
    cursor.execute(f"INSERT INTO payment_methods (type, card) VALUES ('card', '{CARD}')")
    with pytest.raises(stripe_dbapi.ProgrammingError):
        cursor.execute("SELECT * FROM no_such_table")


def log_at(level, emu, tmp_path) -> str:
    logfile = tmp_path / f"level{level}.log"
    with stripe_dbapi.connect(KEY, base_url=emu.base_url, verbosity=level,
                              logfile=str(logfile)) as conn:
        workload(conn, emu)
    return logfile.read_text()


# What each level adds, as a line fragment that only it writes.
ADDED_BY = {
    1: ["statement: SELECT id, email FROM customers WHERE email = ? (1 parameter, not shown)",
        "done: 1 row, 2 requests in",
        "failed after 0 requests in", "ProgrammingError: unknown table 'no_such_table'"],
    2: ["plan: customers: list GET /v1/customers", "-> 500 in", "-> 200 in",
        "retry 1 of GET /v1/customers after HTTP 500: backing off", "connection opened:"],
    3: ["> GET /v1/customers headers:", "authorization: Bearer sk_test_****0000",
        "< 200 POST /v1/payment_methods headers:", "request-id: req_"],
    4: ["> POST /v1/payment_methods body: type=card&card[number]=[redacted]",
        "card[cvc]=[redacted]", '< 200 POST /v1/payment_methods body: {"id":"pm_'],
    5: ["tls: none (plain HTTP/1.1 to 127.0.0.1)"],
}


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_each_level_writes_what_it_promises_and_nothing_of_the_next(level, emu, tmp_path):
    text = log_at(level, emu, tmp_path)
    for shown in range(1, level + 1):
        for fragment in ADDED_BY[shown]:
            assert fragment in text, (shown, fragment)
    for hidden in range(level + 1, 6):
        for fragment in ADDED_BY[hidden]:
            assert fragment not in text, (hidden, fragment)
    # The card literal in the SQL is shown without its number and CVC.
    assert '\'card\', \'{"number": "[redacted]", "exp_month": 12, "exp_year": 2031, ' \
           '"cvc": "[redacted]"}\'' in text
    assert "4242424242424242" not in text and KEY not in text


def test_without_verbosity_nothing_is_logged(emu, caplog):
    caplog.set_level(logging.DEBUG, logger="stripe_dbapi")
    with stripe_dbapi.connect(KEY, base_url=emu.base_url) as conn:
        assert conn.verbose_log.level == 0
        workload(conn, emu)
    assert [r for r in caplog.records if r.name == "stripe_dbapi.connection"] == []


def test_without_logfile_records_go_to_the_stripe_dbapi_connection_logger(emu, caplog):
    caplog.set_level(logging.DEBUG)
    with stripe_dbapi.connect(KEY, base_url=emu.base_url, verbosity=2) as conn:
        workload(conn, emu)
    records = [r for r in caplog.records if r.name == "stripe_dbapi.connection"]

    def severity(fragment: str) -> set[str]:
        return {r.levelname for r in records if fragment in r.getMessage()}

    assert severity(" statement: ") == severity(" done: ") == {"INFO"}
    assert severity(" failed after ") == severity("-> 500 in") == {"WARNING"}
    assert severity(" plan: ") == severity("-> 200 in") == {"DEBUG"}
    # nothing added to the root logger by the driver
    assert all(type(h).__module__ != "stripe_dbapi.verbose" for h in logging.getLogger().handlers)


def test_two_connections_log_at_their_own_levels(emu, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    logfile = tmp_path / "quiet.log"
    with stripe_dbapi.connect(KEY, base_url=emu.base_url, verbosity=1,
                              logfile=str(logfile)) as quiet, \
            stripe_dbapi.connect(KEY, base_url=emu.base_url, verbosity=4) as loud, \
            stripe_dbapi.connect(KEY, base_url=emu.base_url, verbosity=1) as other:
        for conn in (quiet, loud, other):
            conn.execute("SELECT id FROM customers").fetchall()
        prefix = {conn: f"#{conn.verbose_log.number} " for conn in (quiet, loud, other)}
    records = [r.getMessage() for r in caplog.records if r.name == "stripe_dbapi.connection"]
    loud_lines = [m for m in records if m.startswith(prefix[loud])]
    other_lines = [m for m in records if m.startswith(prefix[other])]
    assert any(" body: " in m for m in loud_lines)
    assert other_lines and not any(" body: " in m or "plan:" in m for m in other_lines)
    # the logfile connection writes to its file only, and the file has only its lines
    assert not any(m.startswith(prefix[quiet]) for m in records)
    lines = logfile.read_text().splitlines()
    assert lines and all(f" INFO {prefix[quiet]}" in line for line in lines)
    assert "statement: SELECT id FROM customers" in lines[0]


def test_a_streamed_select_is_summed_up_when_its_rows_end_or_are_dropped(emu, tmp_path):
    emu.bulk_insert("customers", [{"id": f"cus_V{n:04d}", "object": "customer",
                                   "created": 1_700_000_000 + n} for n in range(250)])
    logfile = tmp_path / "stream.log"
    with stripe_dbapi.connect(KEY, base_url=emu.base_url, verbosity=1,
                              logfile=str(logfile)) as conn:
        cursor = conn.cursor()
        cursor.execute("SELECT id FROM customers")
        assert len(cursor.fetchmany(2)) == 2
        emu.reset_requests()
        cursor.execute("SELECT id FROM customers")  # drops the first result
        assert len(cursor.fetchall()) == 251
        sent = len(emu.requests)
    done = [line.split(" done: ")[1] for line in logfile.read_text().splitlines()
            if " done: " in line]
    assert done[0].startswith("closed after 2 rows, 1 request in ")
    assert done[1].startswith(f"251 rows, {sent} requests in ") and sent > 1


def test_pacing_waits_are_logged_at_level_2(emu, tmp_path):
    logfile = tmp_path / "paced.log"
    with stripe_dbapi.connect("sk_test_verbose_paced", base_url=emu.base_url, verbosity=2,
                              logfile=str(logfile), max_requests_per_second=20) as conn:
        for _ in range(4):
            conn.execute("SELECT id FROM customers WHERE id = 'cus_nope'").fetchall()
    assert "paced: waited " in logfile.read_text()


@pytest.mark.parametrize("value", [0, 6, "loud", "5", True, 2.5])
def test_a_bad_verbosity_names_the_setting_and_the_levels_before_any_request(value):
    sent = []
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(500))
    with pytest.raises(stripe_dbapi.InterfaceError) as raised:
        stripe_dbapi.connect(KEY, transport=transport, verbosity=value)
    assert f"verbosity must be one of 1, 2, 3, 4, 5, not {value!r}" in str(raised.value)
    assert sent == []


def test_a_bad_verbosity_in_a_url_names_the_levels():
    with pytest.raises(sqlalchemy.exc.ArgumentError) as raised:
        sqlalchemy.create_engine("stripe://sk_test_x@?verbosity=loud")
    assert "'verbosity' has an invalid value 'loud': expected one of 1, 2, 3, 4, 5" in str(
        raised.value
    )


def test_url_and_named_connection_carry_verbosity_and_logfile(emu, tmp_path, connections_file):
    from sqlalchemy_dialect.url import connect_kwargs

    url = sqlalchemy.engine.make_url(f"stripe://{KEY}@?verbosity=5&logfile=/tmp/x.log")
    assert connect_kwargs(url)["verbosity"] == 5
    assert connect_kwargs(url)["logfile"] == "/tmp/x.log"
    logfile = tmp_path / "named.log"
    stripe_dbapi.save_connection("stripe-connection", api_key_env="VERBOSE_KEY",
                                 base_url=emu.base_url, verbosity=5, logfile=str(logfile))
    assert "verbosity = 5" in connections_file.read_text()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("VERBOSE_KEY", KEY)
        with stripe_dbapi.connect(connection="stripe-connection") as conn:
            conn.execute("SELECT id FROM customers").fetchall()
    assert "tls: none" in logfile.read_text()


def test_a_logfile_that_cannot_be_written_or_has_no_verbosity_is_refused(tmp_path):
    with pytest.raises(stripe_dbapi.InterfaceError, match="logfile .*nowhere.* cannot be opened"):
        stripe_dbapi.connect(KEY, verbosity=1, logfile=str(tmp_path / "nowhere" / "x.log"))
    with pytest.raises(stripe_dbapi.InterfaceError, match="needs a verbosity: pass verbosity=1 to 5"):
        stripe_dbapi.connect(KEY, logfile=str(tmp_path / "x.log"))


def test_planning_for_the_log_sends_no_request(emu, tmp_path):
    statements = ["UPDATE customers SET name = 'X' WHERE email LIKE 'ada%'",
                  "SELECT count(*) FROM charges", "DELETE FROM customers WHERE id = 'cus_nope'"]
    sent = {}
    for level in (None, 2):
        options = {"verbosity": level, "logfile": str(tmp_path / "plan.log")} if level else {}
        with stripe_dbapi.connect(KEY, base_url=emu.base_url, **options) as conn:
            emu.reset_requests()
            for sql in statements:
                conn.execute(sql)
            sent[level] = [(r.method, r.path) for r in emu.requests]
    assert sent[2] == sent[None] and sent[None]
    assert (tmp_path / "plan.log").read_text().count(" plan: ") >= len(statements)


def test_a_result_closed_after_its_connection_writes_nowhere_else(emu, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    emu.bulk_insert("customers", [{"id": f"cus_W{n:04d}", "object": "customer",
                                   "created": 1_600_000_000 + n} for n in range(150)])
    logfile = tmp_path / "late.log"
    conn = stripe_dbapi.connect(KEY, base_url=emu.base_url, verbosity=2, logfile=str(logfile))
    cursor = conn.cursor()
    cursor.execute("SELECT id FROM customers")
    cursor.fetchone()
    conn.close()
    cursor.close()  # closes the streamed result after the log file was closed
    assert [r for r in caplog.records if r.name == "stripe_dbapi.connection"] == []
    assert logfile.read_text().rstrip().endswith("connection closed")


def test_a_streamed_select_failing_part_way_logs_the_failure_once(emu, tmp_path):
    emu.bulk_insert("customers", [{"id": f"cus_F{n:04d}", "object": "customer",
                                   "created": 1_650_000_000 + n} for n in range(150)])
    logfile = tmp_path / "broken.log"
    with stripe_dbapi.connect(KEY, base_url=emu.base_url, verbosity=1, logfile=str(logfile),
                              max_retries=0, max_concurrency=1) as conn:
        cursor = conn.cursor()
        cursor.execute("SELECT id FROM customers")
        assert cursor.fetchone() is not None  # the first page is in
        emu.faults.fail_next("/v1/customers*", 400)
        with pytest.raises(stripe_dbapi.Error):
            cursor.fetchall()
        cursor.close()
    lines = [line.split(" INFO ")[-1].split(" WARNING ")[-1]
             for line in logfile.read_text().splitlines()]
    failed = [line for line in lines if " failed after " in line]
    assert len(failed) == 1 and " WARNING " in logfile.read_text()
    assert re.search(r"failed after [2-9]\d* requests in [\d.]+ s: ProgrammingError: ", failed[0])
    assert not any(" done: " in line for line in lines)


def test_executemany_and_callproc_are_statements_too(emu, tmp_path):
    logfile = tmp_path / "many.log"
    with stripe_dbapi.connect(KEY, base_url=emu.base_url, verbosity=2,
                              logfile=str(logfile)) as conn:
        cursor = conn.cursor()
        cursor.executemany("INSERT INTO customers (email, name) VALUES (?, ?)",
                           [["a@example.com", "A"], ["b@example.com", "B"], ["c@example.com", "C"]])
        with pytest.raises(stripe_dbapi.Error):
            cursor.callproc("AttachPaymentMethodToCustomer", ["pm_nope", "cus_Ada0000001"])
    text = logfile.read_text()
    assert ("statement: INSERT INTO customers (email, name) VALUES (?, ?) "
            "(6 parameters, not shown)") in text
    assert text.count(" plan: customers: create row 1 POST /v1/customers") == 1  # the first set
    assert "done: rowcount 3, 3 requests in " in text
    assert "statement: CALL AttachPaymentMethodToCustomer (2 parameters, not shown)" in text
    assert "failed after 1 request in " in text and "No such payment_method" in text


def test_a_card_number_in_a_request_url_is_hidden_though_url_encoded(emu, tmp_path):
    """A Search query holds its value after an encoded colon (``amount%3A4000...``),
    which hid the 16 digits from the card-number rule; the URL is logged decoded."""
    logfile = tmp_path / "search.log"
    with stripe_dbapi.connect(KEY, base_url=emu.base_url, verbosity=2,
                              logfile=str(logfile)) as conn:
        conn.cursor().execute("SELECT id FROM charges WHERE amount = 4000056655665556")
    text = logfile.read_text()
    assert "GET http://" in text and "/v1/charges/search?query=amount:[redacted]" in text
    assert "5665" not in text
