"""Tables Stripe lists only with a required param, end to end on the emulator (which
refuses a list without it, as Stripe does): a scan fans out over the parents and
counts what the parents have, with one list per parent."""

from __future__ import annotations

import pytest

import stripe_dbapi
from stripe_dbapi.exceptions import ProgrammingError


@pytest.fixture
def fresh_conn(fresh_emulator):
    conn = stripe_dbapi.connect(api_key="sk_test_required", base_url=fresh_emulator.base_url)
    yield conn
    conn.close()


def test_subscription_items_count_is_the_sum_over_every_subscription(conn, emulator):
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM subscription_items")
    (total,) = cur.fetchone()
    cur.execute("SELECT id, status FROM subscriptions")
    subscriptions = cur.fetchall()
    assert "canceled" in {status for _, status in subscriptions}  # status=all reaches them too
    per_parent = 0
    for subscription, _ in subscriptions:
        cur.execute("SELECT count(*) FROM subscription_items WHERE subscription = ?", (subscription,))
        per_parent += cur.fetchone()[0]
    assert total == per_parent == sum(
        1 for item in emulator.objects("subscription_items")
        if item["subscription"] in {s for s, _ in subscriptions})
    assert total >= 15


def test_setup_attempts_fan_out_over_setup_intents(fresh_emulator, fresh_conn):
    for index, attempts in enumerate([2, 0, 1]):
        intent = f"seti_{index}"
        fresh_emulator.insert("setup_intents", {"id": intent, "created": 1767225600 + index})
        for n in range(attempts):
            fresh_emulator.insert("setup_attempts", {
                "id": f"setatt_{index}_{n}", "created": 1767225600 + index, "setup_intent": intent})
    fresh_emulator.reset_requests()
    cur = fresh_conn.cursor()
    cur.execute("SELECT setup_intent, count(*) FROM setup_attempts GROUP BY 1 ORDER BY 1")
    assert cur.fetchall() == [("seti_0", 2), ("seti_2", 1)]
    paths = sorted((r.path, r.params.get("setup_intent")) for r in fresh_emulator.requests)
    assert paths == [("/v1/setup_attempts", "seti_0"), ("/v1/setup_attempts", "seti_1"),
                     ("/v1/setup_attempts", "seti_2"), ("/v1/setup_intents", None)]
    assert all(r.status == 200 for r in fresh_emulator.requests)


def test_updates_find_their_targets_through_the_fan_out(fresh_emulator, fresh_conn):
    for index, quantity in enumerate([1, 2, 2]):
        fresh_emulator.insert("subscriptions", {"id": f"sub_{index}", "created": 1767225600 + index,
                                                "status": "canceled" if index else "active"})
        fresh_emulator.insert("subscription_items", {
            "id": f"si_{index}", "created": 1767225600 + index, "subscription": f"sub_{index}",
            "quantity": quantity, "metadata": {}})
    cur = fresh_conn.cursor()
    cur.execute("UPDATE subscription_items SET metadata = json_object('checked', 'yes') WHERE quantity = 2")
    assert cur.rowcount == 2
    assert [o["id"] for o in fresh_emulator.objects("subscription_items")
            if o["metadata"] == {"checked": "yes"}] == ["si_2", "si_1"]


def test_a_table_whose_filters_no_table_supplies_fails_before_any_request(fresh_emulator, fresh_conn):
    fresh_emulator.reset_requests()
    with pytest.raises(ProgrammingError, match="customer, end_time and start_time"):
        fresh_conn.cursor().execute("SELECT * FROM billing_meter_event_summaries")
    assert fresh_emulator.requests == []
