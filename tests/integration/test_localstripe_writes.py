"""The spec's writes and actions against localstripe, an independent fake Stripe.

localstripe serves customers, cards, payment methods, payment intents, charges,
refunds, invoice items and subscription invoices; it has no quotes, accounts or
prices, rejects ``return_url`` on confirm and has no invoice finalize endpoint
(so invoices are paid with PayInvoice instead). Those run on the emulator only.
"""

import httpx
import pytest

import stripe_dbapi


@pytest.fixture
def ls(localstripe_url):
    conn = stripe_dbapi.connect(
        api_key="sk_test_localstripe", base_url=localstripe_url, max_retries=0
    )
    yield conn
    conn.close()


def one(conn, sql, params=None):
    cursor = conn.cursor()
    cursor.execute(sql, params)
    if cursor.description is None:
        return cursor
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(names, rows[0], strict=True))


def card_token(localstripe_url):
    # localstripe needs a real token object; the driver has no tokens table.
    response = httpx.post(
        f"{localstripe_url}/v1/tokens",
        auth=("sk_test_localstripe", ""),
        data={
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2030",
            "card[cvc]": "123",
        },
    )
    return response.json()["id"]


def new_customer(conn, name="abc"):
    return one(conn, "INSERT INTO Customer (Name) VALUES (?) RETURNING id, name", [name])["id"]


def new_payment_method(conn):
    card = '{"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}'
    return one(
        conn, "INSERT INTO payment_methods (type, card) VALUES ('card', ?) RETURNING id", [card]
    )["id"]


def test_customer_create_update_delete(ls):
    cursor = ls.cursor()
    cursor.execute("INSERT INTO Customer (Name) VALUES ('abc')")
    customer = cursor.lastrowid
    assert customer.startswith("cus_") and cursor.rowcount == 1
    cursor.execute("UPDATE Customer SET Name = 'Charlie' WHERE id = ?", [customer])
    assert cursor.rowcount == 1
    assert one(ls, "SELECT name FROM customers WHERE id = ?", [customer]) == {"name": "Charlie"}
    other = new_customer(ls)
    cursor.execute(f"DELETE FROM Customer WHERE id='{other}'")
    assert cursor.rowcount == 1
    cursor.execute("DELETE FROM Customer WHERE id = ?", [customer])
    assert cursor.rowcount == 1
    assert (
        cursor.execute("SELECT id FROM customers WHERE id IN (?, ?)", [customer, other]).fetchall()
        == []
    )


def test_card_create_and_update_by_customer_and_id(ls, localstripe_url):
    customer = new_customer(ls)
    card = one(
        ls,
        "INSERT INTO Cards (CustomerId, Token) VALUES (?, ?) RETURNING id, customer, last4",
        [customer, card_token(localstripe_url)],
    )
    assert card["customer"] == customer and card["last4"] == "4242"
    updated = one(
        ls,
        "UPDATE Cards SET AddressCountry = 'US' WHERE CustomerId = ? AND Id = ? RETURNING id, address_country",
        [customer, card["id"]],
    )
    assert updated == {"id": card["id"], "address_country": "US"}


def test_attach_and_detach_payment_method(ls):
    customer, payment_method = new_customer(ls), new_payment_method(ls)
    attached = one(
        ls,
        "CALL AttachPaymentMethodToCustomer(PaymentMethodId => ?, CustomerId => ?)",
        [payment_method, customer],
    )
    assert attached["Success"] is True and attached["customer"] == customer
    detached = one(
        ls, "EXECUTE DetachPaymentMethodFromCustomer PaymentMethodId = ?", [payment_method]
    )
    assert detached["Success"] is True and detached["customer"] is None


def test_payment_intent_create_confirm_capture_cancel(ls):
    payment_method = new_payment_method(ls)
    created = one(
        ls,
        "INSERT INTO PaymentIntent (PaymentMethod, Currency, Amount) VALUES (?, 'usd', 1500.0) RETURNING id, amount",
        [payment_method],
    )
    assert created["amount"] == 1500
    confirmed = one(ls, "CALL ConfirmPaymentIntent(?)", [created["id"]])
    assert (confirmed["Success"], confirmed["id"], confirmed["status"]) == (
        True,
        created["id"],
        "succeeded",
    )

    manual = one(
        ls,
        "INSERT INTO payment_intents (payment_method, currency, amount, capture_method) "
        "VALUES (?, 'usd', 33000, 'manual') RETURNING id",
        [payment_method],
    )["id"]
    assert one(ls, "CALL ConfirmPaymentIntent(?)", [manual])["status"] == "requires_capture"
    captured = one(ls, "CALL CapturePaymentIntent(PaymentIntentId => ?)", [manual])
    assert (captured["Success"], captured["id"], captured["status"]) == (True, manual, "succeeded")

    to_cancel = one(
        ls, "INSERT INTO payment_intents (currency, amount) VALUES ('usd', 100) RETURNING id"
    )["id"]
    canceled = one(ls, "CALL CancelPaymentIntent(?)", [to_cancel])
    assert canceled["status"] == "canceled"


def test_refund_of_a_charge(ls):
    charge = one(
        ls,
        "INSERT INTO charges (amount, currency, source) VALUES (1000, 'usd', ?) RETURNING id",
        [new_payment_method(ls)],
    )["id"]
    refund = one(
        ls,
        "INSERT INTO Refunds (Charge, Amount) VALUES (?, 10.0) RETURNING id, charge, amount",
        [charge],
    )
    assert refund["id"].startswith("re_") and refund["charge"] == charge and refund["amount"] == 10


def test_invoice_item_create_and_update_quantity(ls):
    customer = new_customer(ls)
    item = one(
        ls,
        "INSERT INTO InvoiceItems (Customer, Currency, Amount) VALUES (?, 'usd', 1000.0) RETURNING id, amount",
        [customer],
    )
    assert item["amount"] == 1000
    updated = one(
        ls,
        "UPDATE InvoiceItems SET Quantity = 3.0 WHERE id = ? RETURNING id, quantity",
        [item["id"]],
    )
    assert updated == {"id": item["id"], "quantity": 3}


def test_subscription_invoice_update_and_pay(ls, localstripe_url):
    # localstripe creates invoices only for customers with a subscription.
    customer = new_customer(ls)
    one(
        ls,
        "INSERT INTO cards (customer, token) VALUES (?, ?)",
        [customer, card_token(localstripe_url)],
    )
    product = one(ls, "INSERT INTO products (name) VALUES ('plan product') RETURNING id")["id"]
    plan = one(
        ls,
        "INSERT INTO plans (product, amount, currency, interval) VALUES (?, 1200, 'usd', 'month') RETURNING id",
        [product],
    )["id"]
    subscription = one(
        ls,
        "INSERT INTO subscriptions (customer, items) VALUES (?, ?) RETURNING id",
        [customer, f'[{{"plan": "{plan}"}}]'],
    )["id"]
    invoice = one(
        ls,
        "INSERT INTO Invoices (CustomerId, subscription) VALUES (?, ?) RETURNING id, status",
        [customer, subscription],
    )
    assert invoice["status"] == "draft"
    one(ls, "UPDATE Invoices SET Description = 'Invoice for car' WHERE id = ?", [invoice["id"]])
    paid = one(ls, "CALL PayInvoice(?)", [invoice["id"]])
    assert paid["Success"] is True and paid["status"] == "paid"
    assert paid["description"] == "Invoice for car"


def test_setup_intent_confirm_and_cancel(ls):
    customer, payment_method = new_customer(ls), new_payment_method(ls)
    intent = one(ls, "INSERT INTO setup_intents (customer) VALUES (?) RETURNING id", [customer])[
        "id"
    ]
    confirmed = one(
        ls,
        "CALL ConfirmSetupIntent(SetupIntentId => ?, PaymentMethod => ?)",
        [intent, payment_method],
    )
    assert (confirmed["Success"], confirmed["id"], confirmed["status"]) == (
        True,
        intent,
        "succeeded",
    )
    other = one(ls, "INSERT INTO setup_intents (customer) VALUES (?) RETURNING id", [customer])[
        "id"
    ]
    canceled = one(ls, "CALL CancelSetupIntent(?)", [other])
    assert canceled["status"] == "canceled"
