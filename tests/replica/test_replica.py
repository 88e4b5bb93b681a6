"""The local replica on the emulator: fill, queries on the file, syncs from events,
read-your-writes, the controls (CALL, sys_replica, EXPLAIN), partitions, degradation."""

from __future__ import annotations

import sqlite3
import threading
import time
import warnings

import pytest

import stripe_dbapi
from stripe_dbapi.replica import ReplicaWarning

from .conftest import KEY, connect, create, events_requests

# Queries a dashboard or an ORM runs, compared live and on the replica.
SAME_RESULT_QUERIES = [
    "SELECT status, COUNT(*), SUM(amount) FROM charges GROUP BY status ORDER BY status",
    "SELECT id, amount, created FROM charges ORDER BY created DESC, id LIMIT 7",
    "SELECT id, paid, refunded, metadata FROM charges WHERE amount > 5000 ORDER BY id",
    "SELECT c.email, COUNT(ch.id) AS n, SUM(ch.amount) AS total FROM customers c "
    "JOIN charges ch ON ch.customer = c.id GROUP BY c.email ORDER BY total DESC, c.email",
    "SELECT id, name FROM customers WHERE json_extract(metadata, '$.tier') = 'pro' "
    "ORDER BY id",
    "SELECT id, email FROM customers WHERE created >= '2020-01-01' ORDER BY created, id "
    "LIMIT 5 OFFSET 2",
    "SELECT strftime('%Y-%m', created) AS month, COUNT(*) FROM charges GROUP BY month "
    "ORDER BY month",
    "SELECT * FROM customers ORDER BY id",
    "SELECT ch.id, r.amount FROM charges ch LEFT JOIN refunds r ON r.charge = ch.id "
    "ORDER BY ch.id",
]


def _rows(conn, sql):
    cursor = conn.cursor()
    cursor.execute(sql)
    return cursor.fetchall(), [d[:2] for d in cursor.description]


def test_queries_give_the_same_rows_and_types_live_and_on_the_replica(emulator, tmp_path):
    live = stripe_dbapi.connect(api_key=KEY, base_url=emulator.base_url)
    replica = stripe_dbapi.connect(api_key=KEY, base_url=emulator.base_url,
                                   replica=str(tmp_path / "r.sqlite"), max_staleness=None)
    try:
        for sql in SAME_RESULT_QUERIES:
            expected = _rows(live, sql)
            assert expected[0], sql  # the demo data answers every query
            assert _rows(replica, sql) == expected, sql
        # Every table of those queries is now stored: none needs a request.
        emulator.reset_requests()
        for sql in SAME_RESULT_QUERIES:
            _rows(replica, sql)
        assert emulator.requests == []
    finally:
        live.close()
        replica.close()


def test_a_sync_shows_creates_updates_and_deletes_made_on_stripe(fresh_emulator, stripe_api,
                                                                  replica_file):
    kept = create(stripe_api, "/v1/customers", name="kept", email="k@x.test")
    changed = create(stripe_api, "/v1/customers", name="before")
    gone = create(stripe_api, "/v1/customers", name="gone")
    with connect(fresh_emulator, replica_file, max_staleness=0) as conn:
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (3,)
        # changed twice between syncs: it ends in its latest state
        create(stripe_api, f"/v1/customers/{changed['id']}", name="middle")
        create(stripe_api, f"/v1/customers/{changed['id']}", name="after", **{"metadata[v]": "2"})
        assert stripe_api.delete(f"/v1/customers/{gone['id']}").status_code == 200
        new = create(stripe_api, "/v1/customers", name="new")
        fresh_emulator.reset_requests()
        rows = conn.execute("SELECT id, name, metadata FROM customers ORDER BY name").fetchall()
    assert rows == [
        (changed["id"], "after", '{"v":"2"}'),
        (kept["id"], "kept", "{}"),
        (new["id"], "new", "{}"),
    ]
    # no list was read again: the events said it all
    assert {r.path for r in fresh_emulator.requests} == {"/v1/events"}


def test_a_sync_when_nothing_changed_is_one_request(fresh_emulator, stripe_api, replica_file):
    create(stripe_api, "/v1/customers", name="a")
    with connect(fresh_emulator, replica_file, max_staleness=0) as conn:
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
        last_event = conn.execute("SELECT LastEvent FROM sys_replica").fetchone()[0]
        fresh_emulator.reset_requests()
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
    assert [(r.method, r.path, r.params) for r in fresh_emulator.requests] == [
        ("GET", "/v1/events", {"ending_before": last_event, "limit": "100"}),
    ]


def test_max_staleness_decides_when_a_query_syncs(fresh_emulator, stripe_api, replica_file):
    create(stripe_api, "/v1/customers", name="a")
    with connect(fresh_emulator, replica_file, max_staleness=60) as conn:
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
        create(stripe_api, "/v1/customers", name="b")
        fresh_emulator.reset_requests()
        # within 60 s: the replica answers as it is, no request
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (1,)
        assert fresh_emulator.requests == []
        conn.replica.clock = lambda: time.time() + 61  # a minute later
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (2,)
        assert len(events_requests(fresh_emulator)) == 1


def test_max_staleness_none_never_syncs_by_itself(fresh_emulator, stripe_api, replica_file):
    create(stripe_api, "/v1/customers", name="a")
    with connect(fresh_emulator, replica_file, max_staleness=None) as conn:
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
        create(stripe_api, "/v1/customers", name="b")
        conn.replica.clock = lambda: time.time() + 86400  # a day later
        fresh_emulator.reset_requests()
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (1,)
        assert fresh_emulator.requests == []
        rows = conn.execute("CALL SyncReplica()").fetchall()
        assert [(r[0], r[3]) for r in rows] == [("customers", 2)]
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (2,)


def test_writes_through_the_driver_are_read_back_at_once(fresh_emulator, stripe_api,
                                                         replica_file):
    create(stripe_api, "/v1/customers", name="a")
    with connect(fresh_emulator, replica_file, max_staleness=None) as conn:
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
        cursor = conn.cursor()
        cursor.execute("INSERT INTO customers (name, email) VALUES ('b', 'b@x.test')")
        new_id = cursor.lastrowid
        cursor.execute("UPDATE customers SET name = 'a2' WHERE name = 'a'")
        fresh_emulator.reset_requests()
        assert conn.execute("SELECT name, email FROM customers ORDER BY name").fetchall() == [
            ("a2", None), ("b", "b@x.test")]
        assert fresh_emulator.requests == []  # max_staleness=None: no sync, no read
        conn.execute("DELETE FROM customers WHERE id = ?", (new_id,))
        assert conn.execute("SELECT name FROM customers").fetchall() == [("a2",)]


def test_reset_replica_drops_and_refills(fresh_emulator, stripe_api, replica_file):
    create(stripe_api, "/v1/customers", name="a")
    with connect(fresh_emulator, replica_file, max_staleness=0) as conn:
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
        # An object Stripe made without an event the replica could follow:
        fresh_emulator.insert("customers", {"id": "cus_silent", "created": 1_700_000_000})
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (1,)
        fresh_emulator.reset_requests()
        rows = conn.execute("CALL ResetReplica('Customer')").fetchall()
        assert [(r[0], r[3]) for r in rows] == [("customers", 2)]
        assert "/v1/customers" in [r.path for r in fresh_emulator.requests]
        assert conn.execute("SELECT id FROM customers WHERE id = 'cus_silent'").fetchall() == [
            ("cus_silent",)]


def test_sys_replica_shows_each_stored_table(fresh_emulator, stripe_api, replica_file):
    create(stripe_api, "/v1/customers", name="a")
    create(stripe_api, "/v1/customers", name="b")
    with connect(fresh_emulator, replica_file, max_staleness=30) as conn:
        assert conn.execute("SELECT * FROM sys_replica").fetchall() == []
        before = time.time()
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
        cursor = conn.cursor()
        cursor.execute("SELECT * FROM sys_replica")
        [row] = cursor.fetchall()
        names = [d[0] for d in cursor.description]
    assert names == ["TableName", "Account", "Livemode", "Rows", "LastEvent", "LastSync",
                     "Freshness", "MaxStaleness", "Note"]
    newest = fresh_emulator.objects("events")[0]["id"]
    table, account, livemode, rows, last_event, last_sync, freshness, bound, note = row
    assert (table, account, livemode, rows, last_event, freshness, bound) == (
        "customers", "platform", False, 2, newest, "events", 30.0)
    assert int(before) <= last_sync.timestamp() <= time.time()
    assert "events" in note


def test_explain_says_where_each_table_comes_from(fresh_emulator, stripe_api, replica_file):
    create(stripe_api, "/v1/customers", name="a")
    sql = ("SELECT c.id, b.amount FROM customers c "
           "JOIN balance_transactions b ON b.source = c.id")
    with connect(fresh_emulator, replica_file, max_staleness=60) as conn:
        explained = conn.execute("EXPLAIN " + sql).fetchall()
        customers = [r for r in explained if r[0] == "customers"]
        assert "not stored yet, filled first by a full read" in customers[0][1]
        assert (customers[1][1], customers[1][3]) == ("fill: list", "/v1/customers")
        assert all(r[1].startswith("fill: ") for r in customers[1:])
        fan_out = [(r[1].split(",")[0], r[3]) for r in conn.execute(
            "EXPLAIN SELECT * FROM subscription_items").fetchall() if r[0]]
        assert fan_out[1:] == [("fill: list parents", "/v1/subscriptions"),
                               ("fill: list per parent", "/v1/subscription_items")]
        ttl = next(r for r in explained if r[0] == "balance_transactions")
        assert ttl[1].startswith("replica (ttl: re-read in full when older than the TTL: Stripe "
                                 "sends no events for balance_transaction objects; may lag "
                                 "Stripe up to 300 s)")
        live = next(r for r in conn.execute("EXPLAIN SELECT id FROM events").fetchall()
                    if r[0] == "events")
        assert live[1].endswith("(answered live: the events are the log a replica follows; "
                                "they are read live)") and live[3] == "/v1/events"
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
        fresh_emulator.reset_requests()
        [fresh] = [r for r in conn.execute("EXPLAIN SELECT * FROM customers").fetchall()
                   if r[0] == "customers"]
        assert "may lag Stripe up to 60 s" in fresh[1] and "no request" in fresh[1]
        assert fresh[8] == 0
        conn.replica.clock = lambda: time.time() + 120
        [stale] = [r for r in conn.execute("EXPLAIN SELECT * FROM customers").fetchall()
                   if r[0] == "customers"]
        last_event = fresh_emulator.objects("events")[0]["id"]
        assert "synced first from the events" in stale[1]
        assert stale[2:5] == ("GET", "/v1/events",
                              f'{{"limit": 100, "ending_before": "{last_event}"}}')
        assert stale[8] == 1
        assert fresh_emulator.requests == []  # EXPLAIN sends nothing


def test_events_refused_turns_event_tables_into_ttl_tables_with_a_warning(
        fresh_emulator, stripe_api, replica_file):
    create(stripe_api, "/v1/customers", name="a")
    fresh_emulator.faults.fail_next("/v1/events*", 403, count=1000)
    with connect(fresh_emulator, replica_file, max_staleness=0) as conn:
        with pytest.warns(ReplicaWarning, match="events cannot be followed"):
            assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (1,)
        [row] = conn.execute("SELECT Freshness, MaxStaleness, Note FROM sys_replica").fetchall()
        assert row[0] == "ttl" and row[1] == 300.0 and "answered 403" in row[2]
        create(stripe_api, "/v1/customers", name="b")
        # within the TTL: answered from the replica, no request at all
        fresh_emulator.reset_requests()
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (1,)
        assert fresh_emulator.requests == []
        conn.replica.clock = lambda: time.time() + 301
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (2,)
        assert [r.path for r in fresh_emulator.requests] == ["/v1/customers"]


def test_a_table_stored_by_another_catalog_version_does_not_break_a_sync(
        fresh_emulator, stripe_api, replica_file):
    create(stripe_api, "/v1/customers", name="a")
    create(stripe_api, "/v1/charges", amount=100, currency="usd", source="tok_visa")
    with connect(fresh_emulator, replica_file, max_staleness=0) as conn:
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
        conn.execute("SELECT COUNT(*) FROM charges").fetchall()
    with sqlite3.connect(replica_file) as db:  # charges as an older catalog stored them
        db.execute("UPDATE replica_tables SET shape = 'older' WHERE table_name = 'charges'")
        db.execute('ALTER TABLE "platform/test/charges" DROP COLUMN description')
    create(stripe_api, "/v1/charges", amount=200, currency="usd", source="tok_visa")
    create(stripe_api, "/v1/customers", name="b")
    with connect(fresh_emulator, replica_file, max_staleness=0) as conn:
        # The sync for customers put the new charge's event into the older table: "table
        # platform/test/charges has 77 columns but 78 values were supplied".
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (2,)
        assert conn.execute("SELECT SUM(amount) FROM charges").fetchone() == (300,)  # refilled


def test_an_account_the_key_cannot_reach_is_its_error_not_an_events_warning(
        fresh_emulator, replica_file):
    # Stripe's 403 account_invalid answers every request, events included: it said "events
    # cannot be followed" and turned the connection's tables into TTL ones for good.
    with connect(fresh_emulator, replica_file, account_id="acct_nobody") as conn:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ReplicaWarning)
            with pytest.raises(stripe_dbapi.DatabaseError, match="acct_nobody"):
                conn.execute("SELECT COUNT(*) FROM customers")
        assert conn.replica.events_refused is None
        assert conn.execute("SELECT * FROM sys_replica").fetchall() == []


def test_a_cursor_older_than_stripe_keeps_events_refills(fresh_emulator, stripe_api,
                                                         replica_file):
    create(stripe_api, "/v1/customers", name="a")
    with connect(fresh_emulator, replica_file, max_staleness=0) as conn:
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
        fresh_emulator.insert("customers", {"id": "cus_silent", "created": 1_700_000_000})
        with sqlite3.connect(replica_file) as db:  # 31 days pass
            db.execute("UPDATE replica_partitions SET cursor_created = cursor_created - ?",
                       (31 * 86400,))
        fresh_emulator.reset_requests()
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (2,)
        assert "/v1/customers" in [r.path for r in fresh_emulator.requests]


def test_each_stripe_account_has_its_own_partition(fresh_emulator, stripe_api, replica_file):
    create(stripe_api, "/v1/customers", name="platform's")
    fresh_emulator.insert("customers", {"id": "cus_connected", "name": "connected's",
                                        "created": 1_700_000_000}, account="acct_1")
    with connect(fresh_emulator, replica_file) as platform, \
            connect(fresh_emulator, replica_file, account_id="acct_1") as connected:
        assert platform.execute("SELECT name FROM customers").fetchall() == [("platform's",)]
        assert connected.execute("SELECT name FROM customers").fetchall() == [("connected's",)]
        assert platform.execute("SELECT name FROM customers").fetchall() == [("platform's",)]
        rows = platform.execute("SELECT Account, TableName, Rows FROM sys_replica").fetchall()
    assert sorted(rows) == [("acct_1", "customers", 1), ("platform", "customers", 1)]


def test_live_tables_are_never_stored(fresh_emulator, replica_file):
    with connect(fresh_emulator, replica_file) as conn:
        conn.execute("SELECT * FROM invoice_lines").fetchall()
        assert conn.execute("SELECT * FROM sys_replica").fetchall() == []
        with pytest.raises(stripe_dbapi.ProgrammingError, match="not kept on the replica"):
            conn.execute("CALL SyncReplica('invoice_lines')")


def test_replica_procedures_suggest_only_tables_the_replica_can_keep(fresh_emulator,
                                                                     replica_file):
    with connect(fresh_emulator, replica_file) as conn:
        # It suggested sys_tables, which no replica procedure takes.
        with pytest.raises(stripe_dbapi.ProgrammingError) as info:
            conn.execute("CALL SyncReplica('nosuchtable')")
        assert str(info.value) == "unknown table 'nosuchtable'"
        with pytest.raises(stripe_dbapi.ProgrammingError,
                           match="unknown table 'chargs'; did you mean: charges"):
            conn.execute("CALL ResetReplica('chargs')")
        with pytest.raises(stripe_dbapi.ProgrammingError,
                           match="sys_replica is a system table: only SELECT reads it"):
            conn.execute("CALL ResetReplica('sys_replica')")
        assert fresh_emulator.requests == []


def test_replica_procedures_need_a_replica(conn):
    with pytest.raises(stripe_dbapi.OperationalError, match=r"connect\(replica=path\)"):
        conn.execute("CALL SyncReplica()")
    procedures = conn.execute(
        "SELECT ProcedureName, Method FROM sys_procedures WHERE Method = 'LOCAL' "
        "ORDER BY 1").fetchall()
    assert procedures == [("ResetReplica", "LOCAL"), ("SyncReplica", "LOCAL")]


def test_a_fill_reports_its_progress(fresh_emulator, replica_file):
    fresh_emulator.bulk_insert("customers", [
        {"id": f"cus_{n:04d}", "object": "customer", "created": 1_700_000_000 + n}
        for n in range(250)])
    reports = []
    with connect(fresh_emulator, replica_file, progress=reports.append) as conn:
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (250,)
    fills = [r for r in reports if r.phase == "replica fill"]
    assert fills and all(r.table == "customers" for r in fills)
    assert reports[-1].done and reports[-1].rows_read == 250
    assert reports[-1].phase == "read"  # the fill is over: the query ran


def test_rows_on_the_replica_are_read_as_the_caller_fetches(fresh_emulator, replica_file):
    fresh_emulator.bulk_insert("customers", [
        {"id": f"cus_{n:05d}", "object": "customer", "created": 1_700_000_000 + n}
        for n in range(3000)])
    with connect(fresh_emulator, replica_file, max_staleness=None) as conn:
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()  # filled
        cursor = conn.cursor()
        cursor.execute("SELECT id FROM customers ORDER BY id")
        assert cursor.rowcount == -1  # not counted in advance: not all read at once
        assert cursor.fetchmany(2) == [("cus_00000",), ("cus_00001",)]
        assert len(cursor.fetchall()) == 2998


def test_an_event_of_another_api_version_is_read_again_in_the_catalog_s(
        fresh_emulator, stripe_api, replica_file):
    customer = create(stripe_api, "/v1/customers", name="a")
    with connect(fresh_emulator, replica_file, max_staleness=0) as conn:
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
        create(stripe_api, f"/v1/customers/{customer['id']}", name="b")
        # Stripe renders data.object in the version of the event's creation
        [event] = [e for e in fresh_emulator.objects("events") if e["type"] == "customer.updated"]
        event["api_version"] = "2019-12-03"
        event["data"]["object"] = {**event["data"]["object"], "name": "shaped otherwise"}
        fresh_emulator.reset_requests()
        assert conn.execute("SELECT name FROM customers").fetchall() == [("b",)]
        assert [r.path for r in fresh_emulator.requests] == [
            "/v1/events", f"/v1/customers/{customer['id']}"]


def test_objects_a_plain_listing_leaves_out_are_not_kept(fresh_emulator, stripe_api,
                                                         replica_file):
    create(stripe_api, "/v1/customers", name="plain")
    clock = create(stripe_api, "/v1/test_helpers/test_clocks", frozen_time=1_700_000_000)
    with connect(fresh_emulator, replica_file, max_staleness=0) as conn:
        conn.execute("SELECT COUNT(*) FROM customers").fetchall()
        create(stripe_api, "/v1/customers", name="on a clock", test_clock=clock["id"])
        # live, as Stripe: a customer on a test clock is listed only when asked for
        assert conn.execute("SELECT name FROM customers").fetchall() == [("plain",)]
        assert conn.execute("SELECT name FROM customers WHERE test_clock = ?",
                            (clock["id"],)).fetchall() == [("on a clock",)]


def test_a_fill_that_fails_half_way_leaves_nothing_half_filled(fresh_emulator, replica_file):
    fresh_emulator.bulk_insert("customers", [
        {"id": f"cus_{n:04d}", "object": "customer", "created": 1_700_000_000 + n}
        for n in range(500)])
    with connect(fresh_emulator, replica_file, max_staleness=None) as conn:
        store, pages = conn.replica.store, []
        put = store.put

        def put_two_pages_then_fail(account, table, objects):
            if len(pages) == 2:
                raise stripe_dbapi.OperationalError("the disk is full")
            pages.append(objects)
            put(account, table, objects)

        store.put = put_two_pages_then_fail
        with pytest.raises(stripe_dbapi.OperationalError, match="the disk is full"):
            conn.execute("SELECT COUNT(*) FROM customers")
        with sqlite3.connect(replica_file) as db:  # as another process sees the file
            assert db.execute("SELECT COUNT(*) FROM replica_tables").fetchone() == (0,)
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master")]
            assert not [name for name in tables if "customers" in name]
        store.put = put
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (500,)


def test_a_full_disk_during_a_fill_is_an_operational_error_and_leaves_nothing(
        fresh_emulator, replica_file):
    fresh_emulator.bulk_insert("customers", [
        {"id": f"cus_{n:04d}", "object": "customer", "created": 1_700_000_000 + n,
         "description": "x" * 400} for n in range(300)])
    with connect(fresh_emulator, replica_file, max_staleness=None) as conn:
        # SQLite rolls a transaction back by itself when the disk is full; the replica's
        # own ROLLBACK then failed and an InternalError hid the cause.
        conn.replica.store.db.execute("PRAGMA max_page_count = 40")  # a full disk
        with pytest.raises(stripe_dbapi.OperationalError,
                           match=f"the replica file {replica_file}: database or disk is full"):
            conn.execute("SELECT COUNT(*) FROM customers")
        assert conn.execute("SELECT * FROM sys_replica").fetchall() == []
        conn.replica.store.db.execute("PRAGMA max_page_count = 1073741823")  # room again
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (300,)


def test_a_sqlite_file_of_another_layout_is_refused_naming_it(fresh_emulator, tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as db:  # another program's (or another version's) tables
        db.execute("CREATE TABLE replica_tables (account TEXT, table_name TEXT)")
    with pytest.raises(stripe_dbapi.OperationalError,
                       match=f"the replica file {path} is not one this version of "
                             r"stripe_dbapi can use \(no such column: shape\)"):
        connect(fresh_emulator, str(path))


def test_a_canceled_fill_stores_nothing(fresh_emulator, replica_file):
    fresh_emulator.bulk_insert("customers", [
        {"id": f"cus_{n:04d}", "object": "customer", "created": 1_700_000_000 + n}
        for n in range(300)])
    with connect(fresh_emulator, replica_file, max_staleness=None) as conn:
        cursor = conn.cursor()
        # the first report comes with the fill's first request
        cursor.progress = lambda report: cursor.cancel()
        with pytest.raises(stripe_dbapi.QueryCanceledError):
            cursor.execute("SELECT COUNT(*) FROM customers")
        assert conn.execute("SELECT * FROM sys_replica").fetchall() == []
        assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (300,)


def test_planning_in_one_thread_does_not_wait_for_a_fill_in_another(fresh_emulator, stripe_api,
                                                                      replica_file):
    create(stripe_api, "/v1/customers", name="a")
    create(stripe_api, "/v1/products", name="p")
    with connect(fresh_emulator, replica_file, max_staleness=None) as conn:
        store = conn.replica.store
        put, filling, release = store.put, threading.Event(), threading.Event()

        def held_put(account, table, objects):
            filling.set()
            assert release.wait(30)
            put(account, table, objects)

        store.put = held_put
        fill = threading.Thread(target=lambda: conn.execute("SELECT * FROM customers"))
        fill.start()
        try:
            assert filling.wait(30)  # the fill holds the file's write lock now
            explained = []
            plan = threading.Thread(target=lambda: explained.extend(
                conn.execute("EXPLAIN SELECT * FROM products").fetchall()))
            plan.start()
            plan.join(30)
            assert not plan.is_alive() and "not stored yet" in explained[0][1]
        finally:
            release.set()
            fill.join(30)


def test_a_ttl_table_is_re_read_once_older_than_its_ttl(fresh_emulator, stripe_api,
                                                        replica_file):
    intent = create(stripe_api, "/v1/payment_intents", amount=1000, currency="usd")
    with connect(fresh_emulator, replica_file, max_staleness=60) as conn:
        assert conn.execute("SELECT amount FROM payment_intents").fetchall() == [(1000,)]
        [(freshness, bound, note)] = conn.execute(
            "SELECT Freshness, MaxStaleness, Note FROM sys_replica").fetchall()
        assert (freshness, bound) == ("ttl", 300.0)  # max(max_staleness, the catalog's TTL)
        assert "no payment_intent.updated" in note
        # a change Stripe reports by no event
        create(stripe_api, f"/v1/payment_intents/{intent['id']}", **{"metadata[k]": "v"})
        conn.replica.clock = lambda: time.time() + 120  # past max_staleness, within the TTL
        fresh_emulator.reset_requests()
        assert conn.execute("SELECT metadata FROM payment_intents").fetchall() == [("{}",)]
        assert fresh_emulator.requests == []
        conn.replica.clock = lambda: time.time() + 301
        assert conn.execute("SELECT metadata FROM payment_intents").fetchall() == [
            ('{"k":"v"}',)]
        assert [r.path for r in fresh_emulator.requests] == ["/v1/payment_intents"]


def test_an_action_s_object_is_read_back_at_once_and_its_side_effects_after_a_sync(
        fresh_emulator, stripe_api, replica_file):
    intent = create(stripe_api, "/v1/payment_intents", amount=1000, currency="usd",
                    payment_method="pm_card_visa")
    with connect(fresh_emulator, replica_file, max_staleness=None) as conn:
        conn.execute("SELECT COUNT(*) FROM charges").fetchall()
        conn.execute("SELECT COUNT(*) FROM payment_intents").fetchall()
        conn.execute("CALL ConfirmPaymentIntent(?)", (intent["id"],)).fetchall()
        fresh_emulator.reset_requests()
        assert conn.execute("SELECT status FROM payment_intents").fetchall() == [("succeeded",)]
        assert conn.execute("SELECT COUNT(*) FROM charges").fetchone() == (0,)  # not yet
        assert fresh_emulator.requests == []
        conn.execute("CALL SyncReplica('charges')").fetchall()
        assert conn.execute("SELECT payment_intent, amount FROM charges").fetchall() == [
            (intent["id"], 1000)]


def test_explain_call_sync_replica_names_what_it_does(fresh_emulator, replica_file):
    with connect(fresh_emulator, replica_file) as conn:
        [row] = conn.execute("EXPLAIN CALL SyncReplica('charges')").fetchall()
    assert row[0] == "charges" and row[1].startswith("CALL SyncReplica (local: sync the replica")
    assert fresh_emulator.requests == []
