"""Actions beyond the spec's nine, with their state changes, on the emulator."""

import json

import pytest

import stripe_dbapi


@pytest.fixture
def emu(fresh_emulator):
    return fresh_emulator


@pytest.fixture
def cursor(emu):
    conn = stripe_dbapi.connect(api_key="sk_test_actions", base_url=emu.base_url, max_retries=0)
    yield conn.cursor()
    conn.close()


def value(cursor, sql, params=None):
    cursor.execute(sql, params)
    return cursor.lastrowid


def result(cursor, sql, params=None) -> dict:
    cursor.execute(sql, params)
    names = [d[0] for d in cursor.description]
    [row] = cursor.fetchall()
    return dict(zip(names, row))


def open_invoice(cursor, collection_method="charge_automatically") -> str:
    customer = value(cursor, "INSERT INTO customers (name) VALUES ('billed')")
    value(
        cursor,
        "INSERT INTO invoiceitems (customer, currency, amount) VALUES (?, 'usd', 700)",
        [customer],
    )
    invoice = value(
        cursor,
        "INSERT INTO invoices (customer, pending_invoice_items_behavior, collection_method, days_until_due) "
        "VALUES (?, 'include', ?, ?)",
        [customer, collection_method, 30 if collection_method == "send_invoice" else None],
    )
    assert result(cursor, "CALL FinalizeInvoice(?)", [invoice])["status"] == "open"
    return invoice


@pytest.mark.parametrize(
    "procedure, status",
    [
        ("PayInvoice", "paid"),
        ("VoidInvoice", "void"),
        ("MarkInvoiceUncollectible", "uncollectible"),
    ],
)
def test_invoice_actions(emu, cursor, procedure, status):
    invoice = open_invoice(cursor)
    row = result(cursor, f"CALL {procedure}(InvoiceId => ?)", [invoice])
    assert (row["Success"], row["id"], row["status"]) == (True, invoice, status)
    assert emu.get("invoices", invoice)["status"] == status


def test_send_invoice(emu, cursor):
    invoice = open_invoice(cursor, "send_invoice")
    emu.reset_requests()
    row = result(cursor, "EXECUTE SendInvoice InvoiceId = ?", [invoice])
    assert row["Success"] is True and row["id"] == invoice
    assert [(r.method, r.path) for r in emu.requests] == [("POST", f"/v1/invoices/{invoice}/send")]


def test_cancel_subscription_procedure_is_a_delete(emu, cursor):
    customer = value(cursor, "INSERT INTO customers (name) VALUES ('subscriber')")
    product = value(cursor, "INSERT INTO products (name) VALUES ('monthly')")
    price = value(
        cursor,
        "INSERT INTO prices (currency, product, unit_amount, recurring) VALUES ('usd', ?, 900, ?)",
        [product, json.dumps({"interval": "month"})],
    )
    subscription = value(
        cursor,
        "INSERT INTO subscriptions (customer, items) VALUES (?, ?)",
        [customer, json.dumps([{"price": price}])],
    )
    emu.reset_requests()
    row = result(cursor, "CALL CancelSubscription(?)", [subscription])
    assert (row["Success"], row["id"], row["status"]) == (True, subscription, "canceled")
    assert [(r.method, r.path) for r in emu.requests] == [
        ("DELETE", f"/v1/subscriptions/{subscription}")
    ]


def test_refused_transition_is_stripes_error(cursor):
    invoice = open_invoice(cursor)
    result(cursor, "CALL VoidInvoice(?)", [invoice])
    with pytest.raises(stripe_dbapi.DatabaseError, match="void") as info:
        cursor.execute("CALL PayInvoice(?)", [invoice])
    assert info.value.request_id
