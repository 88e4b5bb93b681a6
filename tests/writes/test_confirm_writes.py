"""Connection.confirm_writes: asked once a write knows its objects, before its first
write request; declining writes nothing (on the emulator, which records requests)."""

from __future__ import annotations

import pytest

import stripe_dbapi
from stripe_dbapi import OperationalError, WriteNotConfirmed

TEST_KEY = "sk_test_123"


@pytest.fixture
def shop(fresh_emulator):
    conn = stripe_dbapi.connect(TEST_KEY, base_url=fresh_emulator.base_url)
    conn.execute(
        "INSERT INTO customers (name, metadata) VALUES ('c0', '{\"tier\": \"gold\"}'), "
        "('c1', '{\"tier\": \"gold\"}'), ('c2', '{\"tier\": \"gold\"}'), "
        "('c3', '{\"tier\": \"silver\"}')"
    )
    yield fresh_emulator, conn
    conn.close()


def writes(emulator) -> list[str]:
    return [f"{r.method} {r.path}" for r in emulator.requests if r.method != "GET"]


def test_declined_update_names_the_statement_and_count_and_writes_nothing(shop):
    emulator, conn = shop
    asked = []
    conn.confirm_writes = lambda statement, count: asked.append((statement, count)) or False
    emulator.reset_requests()
    with pytest.raises(WriteNotConfirmed) as caught:
        conn.execute("UPDATE customers SET description = 'vip' WHERE metadata ->> 'tier' = 'gold'")
    assert asked == [("UPDATE customers", 3)]
    assert isinstance(caught.value, OperationalError)
    assert (caught.value.statement, caught.value.count) == ("UPDATE customers", 3)
    assert str(caught.value) == (
        "UPDATE customers not confirmed: it would write 3 objects; nothing was written"
    )
    assert writes(emulator) == []
    assert [c["description"] for c in emulator.objects("customers")] == [None] * 4


def test_accepted_update_runs(shop):
    emulator, conn = shop
    asked = []
    conn.confirm_writes = lambda statement, count: asked.append((statement, count)) or True
    cursor = conn.execute(
        "UPDATE customers SET description = 'vip' WHERE metadata ->> 'tier' = 'gold'"
    )
    assert (asked, cursor.rowcount) == ([("UPDATE customers", 3)], 3)
    assert sorted(str(c["description"]) for c in emulator.objects("customers")) == [
        "None", "vip", "vip", "vip",
    ]


def test_insert_delete_and_call_ask_with_their_counts(shop):
    emulator, conn = shop
    asked = []
    conn.confirm_writes = lambda statement, count: asked.append((statement, count)) or True
    conn.execute("INSERT INTO customers (name) VALUES ('a'), ('b')")
    ids = [c["id"] for c in emulator.objects("customers") if c["name"] in ("a", "b")]
    conn.execute("DELETE FROM customers WHERE id IN (?, ?)", ids)
    intent = conn.execute(
        "INSERT INTO payment_intents (amount, currency) VALUES (500, 'usd') RETURNING id"
    ).fetchone()[0]
    conn.execute("CALL CancelPaymentIntent(?)", (intent,))
    conn.execute("DELETE FROM customers WHERE name = 'nobody'")  # no object: nothing asked
    assert asked == [
        ("INSERT INTO customers", 2),
        ("DELETE FROM customers", 2),
        ("INSERT INTO payment_intents", 1),
        ("CALL CancelPaymentIntent", 1),
    ]


def test_without_a_callback_nothing_is_asked(shop):
    emulator, conn = shop
    assert conn.confirm_writes is None
    cursor = conn.execute("UPDATE customers SET description = 'x' WHERE name LIKE 'c%'")
    assert cursor.rowcount == 4
