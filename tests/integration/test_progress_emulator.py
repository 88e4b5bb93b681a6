"""Progress callbacks and cancel on the emulator: what a callback sees, and that a canceled
statement sends no request after it (the emulator's own request log)."""

from __future__ import annotations

import signal
import threading
import time

import pytest
import sqlalchemy

import stripe_dbapi
from stripe_dbapi import progress
from stripe_dbapi.testing.skewed import skewed_objects

START, END = 1_600_000_000, 1_700_000_000
CUSTOMERS = 2_500  # 25 pages


@pytest.fixture
def every_event(monkeypatch):
    """Report every event (no throttling), so a test sees the whole sequence."""
    monkeypatch.setattr(progress, "DEFAULT_INTERVAL", 0.0)


@pytest.fixture
def customers(fresh_emulator):
    fresh_emulator.bulk_insert("customers", skewed_objects(
        "customer", "cus", CUSTOMERS, start=START, end=END, bursts=5, seed=12))
    return fresh_emulator


def connect(emulator, **options):
    return stripe_dbapi.connect(api_key="sk_test_progress", base_url=emulator.base_url,
                                max_requests_per_second=1000,
                                max_endpoint_requests_per_second=1000, **options)


def requests_to(emulator, path="/v1/customers") -> int:
    return sum(1 for r in emulator.requests if r.path.startswith(path))


def settled_count(emulator, path="/v1/customers") -> int:
    """The request count, read twice a moment apart: the same if nothing is still sending."""
    before = requests_to(emulator, path)
    time.sleep(0.3)
    assert requests_to(emulator, path) == before, "requests were sent after the statement ended"
    return before


def assert_monotonic(reports):
    for earlier, later in zip(reports, reports[1:], strict=False):
        assert later.rows_read >= earlier.rows_read
        assert later.rows_written >= earlier.rows_written
        assert later.requests >= earlier.requests
        assert later.elapsed >= earlier.elapsed


def test_a_scan_reports_rows_and_requests_then_done(customers, every_event):
    reports = []
    with connect(customers, progress=reports.append) as conn:
        rows = conn.execute("SELECT id FROM customers").fetchall()
        client_requests = conn.client.request_count
    assert len(rows) == CUSTOMERS
    assert_monotonic(reports)
    assert [p.done for p in reports].count(True) == 1 and reports[-1].done
    last = reports[-1]
    assert (last.phase, last.table, last.rows, last.canceled) == ("read", "customers", CUSTOMERS,
                                                                  False)
    assert last.requests == client_requests == requests_to(customers)
    assert len(reports) > 25  # one report per request and per page at least
    # A range open to the past has no size to take a share of: no estimate, no ETA.
    assert all(p.estimated_rows is None and p.eta_seconds is None for p in reports)


def test_a_scan_of_a_bounded_range_estimates_its_rows(customers, every_event):
    reports = []
    low = START + (END - START) // 4
    with connect(customers, max_concurrency=4, progress=reports.append) as conn:
        rows = conn.execute("SELECT id FROM customers WHERE created >= ?", (low,)).fetchall()
    estimated = [p for p in reports if p.estimated_rows is not None]
    assert estimated and any(p.eta_seconds is not None for p in estimated[:-1])
    # Exact once every second of the range was read.
    assert reports[-1].done and reports[-1].estimated_rows == reports[-1].rows == len(rows)


def test_the_cursor_s_callback_overrides_the_connection_s(customers):
    on_connection, on_cursor = [], []
    with connect(customers, progress=on_connection.append) as conn:
        mine = conn.cursor()
        mine.progress = on_cursor.append
        mine.execute("SELECT id FROM customers LIMIT 3").fetchall()
        assert on_cursor and not on_connection
        conn.cursor().execute("SELECT id FROM customers LIMIT 3").fetchall()
        assert on_connection[-1].done and on_connection[-1].rows == 3
        conn.progress = None
        count = len(on_connection)
        conn.cursor().execute("SELECT id FROM customers LIMIT 3").fetchall()
        assert len(on_connection) == count


def test_a_callback_that_raises_does_not_stop_the_statement(customers):
    def broken(p):
        raise RuntimeError("display bug")

    with connect(customers, progress=broken) as conn:
        assert len(conn.execute("SELECT id FROM customers").fetchall()) == CUSTOMERS


def test_a_write_reports_rows_written_of_the_rows_to_write(fresh_emulator, every_event):
    reports = []
    values = ", ".join(f"('w{n}@example.com')" for n in range(6))
    with connect(fresh_emulator, progress=reports.append) as conn:
        conn.execute(f"INSERT INTO customers (email) VALUES {values}")
    assert_monotonic(reports)
    last = reports[-1]
    assert (last.phase, last.table, last.done) == ("write", "customers", True)
    assert last.rows == last.rows_written == last.estimated_rows == 6


def test_cancel_from_another_thread_stops_the_scan(customers, every_event):
    customers.faults.latency = 0.05
    started = threading.Event()

    def note(p):
        if p.rows_read >= 300:
            started.set()

    with connect(customers, max_concurrency=4, progress=note) as conn:
        cursor = conn.cursor()
        canceler = threading.Thread(target=lambda: started.wait(30) and cursor.cancel())
        canceler.start()
        with pytest.raises(stripe_dbapi.QueryCanceledError, match="canceled"):
            cursor.execute("SELECT id FROM customers ORDER BY email")  # loads every row first
        canceler.join()
        sent = settled_count(customers)
        assert sent < CUSTOMERS // 100  # stopped well before the 25 pages
        # The connection is still usable.
        assert cursor.execute("SELECT id FROM customers LIMIT 2").fetchall()


def test_cancel_stops_a_streamed_result_between_fetches(customers):
    customers.faults.latency = 0.01
    with connect(customers) as conn:
        cursor = conn.execute("SELECT id FROM customers")  # streams page by page
        assert len(cursor.fetchmany(150)) == 150
        cursor.cancel()
        with pytest.raises(stripe_dbapi.QueryCanceledError):
            cursor.fetchall()
        sent = settled_count(customers)
        with pytest.raises(stripe_dbapi.QueryCanceledError):  # every later fetch says so too
            cursor.fetchone()
        assert requests_to(customers) == sent < CUSTOMERS // 100


def canceled_insert(emulator, rows: int, cancel_when, **options):
    """INSERT ``rows`` customers, canceled at the first report ``cancel_when(p)`` accepts."""

    def maybe_cancel(p):
        if cancel_when(p):
            cursor.cancel()

    values = ", ".join(f"('c{n}@example.com')" for n in range(rows))
    with connect(emulator, **options) as conn:
        cursor = conn.cursor()
        cursor.progress = maybe_cancel
        with pytest.raises(stripe_dbapi.QueryCanceledError) as raised:
            cursor.execute(f"INSERT INTO customers (email) VALUES {values}")
    return raised.value


def test_a_canceled_write_says_what_was_written(fresh_emulator, every_event):
    error = canceled_insert(fresh_emulator, 10, lambda p: p.rows_written >= 3, max_concurrency=1)
    assert isinstance(error, stripe_dbapi.WriteCanceledError)
    assert isinstance(error, stripe_dbapi.PartialWriteError)
    written = [c["id"] for c in fresh_emulator.objects("customers")]
    assert sorted(error.done) == sorted(written) and len(written) == 3
    assert error.not_done == [f"row {n}" for n in range(4, 11)]
    assert error.failed == [] and error.unknown == []
    assert "stopped after 3 of 10 rows" in str(error) and "not attempted" in str(error)
    assert requests_to(fresh_emulator) == 3


def test_a_write_canceled_before_its_first_call_writes_nothing(fresh_emulator, every_event):
    fresh_emulator.bulk_insert("customers", [
        {"id": f"cus_{n}", "object": "customer", "created": START + n, "email": f"{n}@x.com"}
        for n in range(2)])

    def cancel_once_targets_are_read(p):
        if p.rows_read:
            cursor.cancel()

    with connect(fresh_emulator) as conn:
        cursor = conn.cursor()
        cursor.progress = cancel_once_targets_are_read
        with pytest.raises(stripe_dbapi.QueryCanceledError) as raised:
            cursor.execute("UPDATE customers SET description = 'x' WHERE email LIKE '%@x.com'")
    assert not isinstance(raised.value, stripe_dbapi.PartialWriteError)
    assert raised.value.done == [] and sorted(raised.value.not_done) == ["cus_0", "cus_1"]
    assert [r.method for r in fresh_emulator.requests] == ["GET"]
    assert all(c.get("description") is None for c in fresh_emulator.objects("customers"))


def test_a_concurrent_write_canceled_part_way_accounts_for_every_row(fresh_emulator):
    fresh_emulator.faults.latency = 0.02
    error = canceled_insert(fresh_emulator, 40, lambda p: p.rows_written >= 5, max_concurrency=4)
    assert isinstance(error, stripe_dbapi.WriteCanceledError)
    sent = settled_count(fresh_emulator)
    written = {c["id"] for c in fresh_emulator.objects("customers")}
    assert set(error.done) == written and sent == len(written) < 40
    assert len(error.done) + len(error.not_done) == 40


def test_an_interrupt_while_waiting_on_the_pool_stops_the_workers(fresh_emulator, every_event):
    """KeyboardInterrupt in the main thread while the pool writes: the workers send
    nothing more (the calls in flight finish), and the interrupt is raised."""
    fresh_emulator.faults.latency = 0.02
    main = threading.main_thread().ident
    interrupted = []

    def interrupt_main(p):
        if p.rows_written >= 5 and not interrupted and threading.get_ident() != main:
            interrupted.append(True)
            signal.pthread_kill(main, signal.SIGINT)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    values = ", ".join(f"('k{n}@example.com')" for n in range(60))
    try:
        with connect(fresh_emulator, max_concurrency=4, progress=interrupt_main) as conn, \
                pytest.raises(KeyboardInterrupt):
            conn.execute(f"INSERT INTO customers (email) VALUES {values}")
    finally:
        signal.signal(signal.SIGINT, previous)
    sent = settled_count(fresh_emulator)
    assert interrupted and sent == fresh_emulator.count("customers") < 60


@pytest.mark.parametrize("how", ["connect_args", "connect event"])
def test_sqlalchemy_users_set_the_callback_on_the_engine(customers, how):
    reports = []
    url = f"stripe://sk_test_progress@?base_url={customers.base_url}"
    if how == "connect_args":
        engine = sqlalchemy.create_engine(url, connect_args={"progress": reports.append})
    else:
        engine = sqlalchemy.create_engine(url)

        @sqlalchemy.event.listens_for(engine, "connect")
        def report_progress(dbapi_connection, connection_record):
            dbapi_connection.progress = reports.append

    with engine.connect() as connection:
        rows = connection.execute(sqlalchemy.text("SELECT id FROM customers")).fetchall()
    engine.dispose()
    assert len(rows) == CUSTOMERS
    assert reports[-1].done and reports[-1].rows == CUSTOMERS and reports[-1].table == "customers"


def test_a_streamed_result_is_done_when_read_or_closed(customers):
    reports = []
    with connect(customers, progress=reports.append) as conn:
        cursor = conn.execute("SELECT id FROM customers")  # streams: pages follow the fetches
        assert len(cursor.fetchmany(150)) == 150
        assert not any(p.done for p in reports)
        cursor.close()
        assert reports[-1].done and reports[-1].rows < CUSTOMERS
        cursor = conn.execute("SELECT id FROM customers")
        cursor.fetchall()
        assert reports[-1].done and reports[-1].rows == CUSTOMERS
