"""The workload of stripe_dbapi.testing.workload, and the property a replica relies on:
replaying /v1/events onto empty tables reproduces every event-covered table."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stripe_dbapi
from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.exceptions import CardError, ProgrammingError
from stripe_dbapi.testing.workload import (
    EVENT_TABLES,
    Step,
    Workload,
    WorkloadSurprise,
    fetch_events,
    replay,
)

KEY = "sk_test_workload"
CATALOG = load_catalog()


@pytest.fixture
def conn(fresh_emulator):
    connection = stripe_dbapi.connect(api_key=KEY, base_url=fresh_emulator.base_url)
    yield connection
    connection.close()


def _replayed_equals_stored(emulator) -> None:
    rows = replay(CATALOG, fetch_events(emulator.base_url, KEY))
    for table in EVENT_TABLES:
        stored = {obj["id"]: obj for obj in emulator.objects(table)}
        assert rows[table] == stored, table


def test_the_workload_writes_only_event_covered_tables_besides_the_named_ttl_ones():
    assert all(CATALOG.tables[t].freshness.kind == "events" for t in EVENT_TABLES)
    assert CATALOG.tables["payment_intents"].freshness.kind == "ttl"
    assert CATALOG.tables["invoiceitems"].freshness.kind == "ttl"


def test_a_long_sequence_succeeds_or_fails_as_expected_and_replays_exactly(
    conn, fresh_emulator
):
    workload = Workload(conn, seed=1)
    steps = workload.run(150)
    names = Counter(step.name for step in steps)
    # the sequence reaches the actions and side effects, and some steps fail on purpose
    for name in ("confirm_payment_intent", "capture_payment_intent", "create_refund",
                 "pay_invoice", "finalize_invoice", "create_subscription", "delete_customer"):
        assert names[name] > 0, name
    failures = Counter(type(step.error) for step in steps if step.error)
    assert failures[ProgrammingError] > 0 and failures[CardError] > 0
    assert all(isinstance(step.error, step.expected) for step in steps if step.error)
    assert fresh_emulator.count("charges") > 0 and fresh_emulator.count("refunds") > 0
    _replayed_equals_stored(fresh_emulator)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), length=st.integers(10, 40))
def test_any_sequence_replays_exactly_from_events(conn, fresh_emulator, seed, length):
    fresh_emulator.reset()
    Workload(conn, seed=seed).run(length)
    _replayed_equals_stored(fresh_emulator)


def test_the_same_seed_makes_the_same_statements(fresh_emulator):
    def statements():
        fresh_emulator.reset()
        with stripe_dbapi.connect(api_key=KEY, base_url=fresh_emulator.base_url) as conn:
            return [(step.name, step.sql) for step in Workload(conn, seed=5).run(25)]

    assert statements() == statements()


def test_a_step_that_ends_otherwise_is_a_surprise(conn, fresh_emulator):
    workload = Workload(conn, seed=0)
    workload.run(3)
    wrong = Step("pay_invoice", "CALL PayInvoice(?)", ("in_missing",), expected=None)
    with pytest.raises(WorkloadSurprise, match="pay_invoice.*expected success"):
        workload._execute(wrong)


def test_replay_applies_in_order_and_removes_on_the_deleted_event():
    def event(kind, obj):
        return {"type": kind, "data": {"object": obj}}

    rows = replay(CATALOG, [
        event("customer.created", {"id": "cus_1", "name": "a"}),
        event("customer.updated", {"id": "cus_1", "name": "b"}),
        event("customer.created", {"id": "cus_2", "name": "c"}),
        event("customer.deleted", {"id": "cus_2", "name": "c"}),
        event("customer.subscription.deleted", {"id": "sub_1", "status": "canceled"}),
        event("balance.available", {"object": "balance"}),
    ])
    assert rows["customers"] == {"cus_1": {"id": "cus_1", "name": "b"}}
    assert rows["subscriptions"] == {"sub_1": {"id": "sub_1", "status": "canceled"}}


def test_a_connected_accounts_workload_replays_from_its_own_events(fresh_emulator):
    platform = stripe_dbapi.connect(api_key=KEY, base_url=fresh_emulator.base_url)
    cursor = platform.cursor()
    cursor.execute("INSERT INTO accounts (type) VALUES ('custom') RETURNING id")
    account = cursor.fetchone()[0]
    with stripe_dbapi.connect(api_key=KEY, base_url=fresh_emulator.base_url,
                              account_id=account) as conn:
        Workload(conn, seed=3).run(40)
    rows = replay(CATALOG, fetch_events(fresh_emulator.base_url, KEY, account=account))
    for table in EVENT_TABLES:
        stored = {o["id"]: o for o in fresh_emulator.objects(table, account=account)}
        assert rows[table] == stored, table
    assert sum(len(r) for r in rows.values()) > 0
    assert fetch_events(fresh_emulator.base_url, KEY) == []  # the platform saw none
    platform.close()
