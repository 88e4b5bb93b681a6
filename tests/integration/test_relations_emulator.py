"""Relations the catalog derives by rule (issue 10), on the emulator's demo data:
subscription items join their prices (an embedded object read as its id) and their
subscriptions, invoice lines their invoices (a plain string id); periods are datetimes."""

from __future__ import annotations

import json
from datetime import datetime


def test_subscription_items_join_prices_through_the_embedded_price(conn):
    cur = conn.cursor()
    cur.execute(
        "SELECT si.price, p.unit_amount, si.price_object FROM subscription_items si"
        " JOIN prices p ON p.id = si.price"
    )
    rows = cur.fetchall()
    assert len(rows) >= 15
    for price, unit_amount, whole in rows:
        assert price.startswith("price_")
        assert json.loads(whole)["id"] == price and json.loads(whole)["unit_amount"] == unit_amount


def test_subscription_items_join_their_subscriptions(conn):
    cur = conn.cursor()
    cur.execute(
        "SELECT count(*), count(DISTINCT s.id) FROM subscription_items si"
        " JOIN subscriptions s ON s.id = si.subscription"
    )
    items, subscriptions = cur.fetchone()
    assert items >= subscriptions >= 15


def test_invoice_lines_join_their_invoices_and_have_datetime_periods(conn):
    cur = conn.cursor()
    cur.execute(
        "SELECT il.invoice, i.id, il.period_start, il.period_end FROM invoice_lines il"
        " JOIN invoices i ON i.id = il.invoice"
    )
    rows = cur.fetchall()
    assert rows and all(invoice == invoice_id for invoice, invoice_id, _, _ in rows)
    assert all(isinstance(start, datetime) and isinstance(end, datetime) for *_, start, end in rows)


def test_an_invoice_item_period_is_written_from_datetimes(fresh_emulator):
    import stripe_dbapi

    conn = stripe_dbapi.connect(api_key="sk_test_period", base_url=fresh_emulator.base_url)
    cur = conn.cursor()
    cur.execute("INSERT INTO customers (email) VALUES ('period@example.com') RETURNING id")
    (customer,) = cur.fetchone()
    cur.execute(
        "INSERT INTO invoiceitems (customer, amount, currency, period_start, period_end)"
        " VALUES (?, 100, 'usd', '2026-01-01', '2026-02-01T00:00:00Z')"
        " RETURNING period_start, period_end",
        (customer,),
    )
    start, end = cur.fetchone()
    assert (start.isoformat(), end.isoformat()) == ("2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00")
    conn.close()
