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
    return dict(zip(names, row, strict=True))


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
        ("MarkUncollectibleInvoice", "uncollectible"),
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


# --- acceptance review fixes -----------------------------------------------------------


@pytest.mark.parametrize(
    "sql, params",
    [
        ("CALL ConfirmPaymentIntent('')", None),
        ("CALL ConfirmPaymentIntent(?)", [" "]),
        ("CALL ConfirmPaymentIntent('..')", None),
        ("CALL DetachPaymentMethodFromCustomer('.')", None),
    ],
)
def test_call_with_an_invalid_id_is_refused_before_any_request(emu, cursor, sql, params):
    with pytest.raises(stripe_dbapi.ProgrammingError, match="not a valid Stripe id"):
        cursor.execute(sql, params)
    assert emu.requests == []


def test_positional_arguments_after_the_id_must_be_named(emu, cursor):
    with pytest.raises(
        stripe_dbapi.ProgrammingError,
        match=r"give parameters after PaymentIntentId by name \(e.g. ReturnUrl => \.\.\.\)",
    ):
        cursor.execute("CALL ConfirmPaymentIntent('pi_x', 'https://x')")
    with pytest.raises(stripe_dbapi.ProgrammingError, match="by name"):
        cursor.callproc("CapturePaymentIntent", ["pi_x", 500])
    assert emu.requests == []


def test_attach_keeps_its_documented_positional_parameters(emu, cursor):
    customer = value(cursor, "INSERT INTO customers (name) VALUES ('pm holder')")
    emu.insert("payment_methods", {"id": "pm_1", "type": "card", "created": 1700000000})
    row = result(cursor, "CALL AttachPaymentMethodToCustomer('pm_1', ?)", [customer])
    assert row["Success"] is True and (row["id"], row["customer"]) == ("pm_1", customer)


def test_object_names_alone_mean_their_ids(emu, cursor):
    customer = value(cursor, "INSERT INTO customers (name) VALUES ('c')")
    intent = value(
        cursor,
        "INSERT INTO payment_intents (amount, currency, customer) VALUES (500, 'usd', ?)",
        [customer],
    )
    row = result(cursor, "CALL CancelPaymentIntent(PaymentIntent => ?)", [intent])
    assert (row["id"], row["status"]) == (intent, "canceled")


def test_json_parameter_given_plain_text_is_a_data_error(emu, cursor):
    with pytest.raises(stripe_dbapi.DataError, match="CancellationDetails takes a JSON object"):
        cursor.execute(
            "CALL CancelSubscription(SubscriptionId => 'sub_1', CancellationDetails => 'notjson')"
        )
    assert emu.requests == []


def test_explain_call_lists_the_call_and_sends_nothing(emu, cursor):
    select_columns = cursor.execute("EXPLAIN SELECT id FROM quotes").description
    emu.reset_requests()
    cursor.execute("EXPLAIN CALL CancelQuote('qt_1')")
    assert cursor.description == select_columns
    assert [r[:5] for r in cursor.fetchall()] == [
        ("quotes", "CALL CancelQuote", "POST", "/v1/quotes/qt_1/cancel", "{}")
    ]
    cursor.execute(
        "EXPLAIN EXECUTE ConfirmPaymentIntent PaymentIntentId = ?, ReturnUrl = 'https://x'",
        ["pi_9"],
    )
    [row] = cursor.fetchall()
    assert row[2:5] == ("POST", "/v1/payment_intents/pi_9/confirm", '{"return_url": "https://x"}')
    assert emu.requests == []


def test_explain_call_works_on_a_readonly_connection(emu):
    conn = stripe_dbapi.connect(api_key="sk_test_ro", base_url=emu.base_url, readonly=True)
    cursor = conn.cursor()
    cursor.execute("EXPLAIN CALL FinalizeInvoice('in_1')")
    assert cursor.fetchall()[0][3] == "/v1/invoices/in_1/finalize"
    with pytest.raises(stripe_dbapi.OperationalError):
        cursor.execute("CALL FinalizeInvoice('in_1')")
    assert emu.requests == []
    conn.close()


def test_issue_6_names_mark_uncollectible_invoice(emu, cursor):
    cursor.execute(
        "SELECT ProcedureName FROM sys_procedures WHERE ProcedureName LIKE 'Mark%Uncollectible%'"
    )
    assert cursor.fetchall() == [("MarkUncollectibleInvoice",)]
    # The former name still resolves to the same call.
    cursor.execute("EXPLAIN CALL MarkInvoiceUncollectible(Invoice => 'in_1')")
    assert cursor.fetchall()[0][1:4] == (
        "CALL MarkUncollectibleInvoice",
        "POST",
        "/v1/invoices/in_1/mark_uncollectible",
    )
    invoice = open_invoice(cursor)
    emu.reset_requests()
    row = result(cursor, "EXECUTE MarkUncollectibleInvoice InvoiceId = ?", [invoice])
    assert (row["Success"], row["id"], row["status"]) == (True, invoice, "uncollectible")
    assert [r.path for r in emu.requests if r.method == "POST"] == [
        f"/v1/invoices/{invoice}/mark_uncollectible"
    ]
