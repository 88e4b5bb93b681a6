"""SELECTs after this connection's own writes and actions (the t22 scenario):
Search lags behind writes, and a write's side effects (the charge a confirmed
payment intent creates, the charge a capture changes) are not in the write log,
so the planner must not answer such queries from Search. The emulator's search
lag is longer than the test, so any Search-based answer would miss rows."""

from __future__ import annotations

import pytest

import stripe_dbapi
from stripe_dbapi.testing import Emulator


@pytest.fixture
def lagging():
    with Emulator(seed="demo", search_lag=600) as emulator:
        yield emulator


def _rows(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchall()


def test_side_effects_of_own_writes_are_seen_although_search_lags(lagging):
    conn = stripe_dbapi.connect(api_key="sk_test_123", base_url=lagging.base_url)
    cursor = conn.cursor()
    to_capture = _rows(cursor, "SELECT id, customer, payment_method FROM payment_intents "
                               "WHERE status = 'requires_capture' LIMIT 1")[0]
    pi_id, customer, payment_method = to_capture
    cursor.execute("CALL CapturePaymentIntent(?)", (pi_id,))
    cursor.execute("INSERT INTO payment_intents (amount, currency, customer, payment_method, confirm, "
                   "capture_method) VALUES (4321, 'usd', ?, ?, true, 'automatic') RETURNING latest_charge",
                   (customer, payment_method))
    (new_charge,) = cursor.fetchone()
    everything = _rows(cursor, "SELECT id, amount FROM charges WHERE customer = ?", (customer,))
    assert new_charge in {r[0] for r in everything}

    lagging.reset_requests()
    narrowed = _rows(cursor, "SELECT id, amount FROM charges WHERE customer = ? AND amount > 1000", (customer,))
    assert sorted(narrowed) == sorted(r for r in everything if r[1] > 1000)
    assert new_charge in {r[0] for r in narrowed}
    assert all(not r.path.endswith("/search") for r in lagging.requests)
    # No list filter on amount: Search would miss the new charge, so it is not used yet.
    assert _rows(cursor, "SELECT id FROM charges WHERE amount = 4321") == [(new_charge,)]
    assert all(not r.path.endswith("/search") for r in lagging.requests)
    conn.close()


def test_a_connection_that_has_not_written_still_uses_search(lagging):
    conn = stripe_dbapi.connect(api_key="sk_test_123", base_url=lagging.base_url)
    lagging.reset_requests()
    _rows(conn.cursor(), "SELECT id FROM charges WHERE amount = 4321")
    assert [r.path for r in lagging.requests] == ["/v1/charges/search"]
    conn.close()
