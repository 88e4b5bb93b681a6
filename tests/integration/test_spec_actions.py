"""The connector spec's nine action examples, input payloads verbatim, on the emulator.

Each runs as ``cursor.callproc(name, <the spec's payload>)`` and as SQL (CALL
with named arguments, or CData's EXECUTE), and checks the documented output:
``Success``, the object's id and status, and ``InvoiceId`` for AcceptQuote.
"""

import pytest

import stripe_dbapi
from stripe_dbapi.exceptions import ProgrammingError

CREATED = 1707196279


@pytest.fixture
def emu(fresh_emulator):
    return fresh_emulator


@pytest.fixture
def conn(emu):
    conn = stripe_dbapi.connect(api_key="sk_test_spec", base_url=emu.base_url, max_retries=0)
    yield conn
    conn.close()


def seed(emu, table, object_id, **fields):
    emu.insert(table, {"id": object_id, "created": CREATED, "metadata": {}, **fields})


def card_payment_method(emu, pm_id, customer=None):
    seed(
        emu,
        "payment_methods",
        pm_id,
        type="card",
        customer=customer,
        card={"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2034},
    )


def payment_intent(emu, pi_id, status, capture_method="automatic", **fields):
    card_payment_method(emu, "pm_1Oggu6ANHgX3SHp7zaRNKNVL")
    fields = {"amount_capturable": 0, "amount_received": 0, **fields}
    seed(
        emu,
        "payment_intents",
        pi_id,
        amount=33000,
        currency="usd",
        status=status,
        capture_method=capture_method,
        payment_method="pm_1Oggu6ANHgX3SHp7zaRNKNVL",
        confirmation_method="automatic",
        livemode=False,
        **fields,
    )


def quote(emu, qt_id, status):
    seed(emu, "customers", "cus_Okyi4e7t7BImUL")
    seed(
        emu,
        "quotes",
        qt_id,
        status=status,
        customer="cus_Okyi4e7t7BImUL",
        currency="usd",
        status_transitions={"accepted_at": None, "canceled_at": None, "finalized_at": None},
    )


def run(conn, how, name, payload, sql):
    """The action through callproc (payload verbatim) or through SQL."""
    cursor = conn.cursor()
    if how == "callproc":
        cursor.callproc(name, payload)
    else:
        cursor.execute(sql, payload)
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


def actions(emu):
    return [(r.method, r.path, r.params) for r in emu.requests if r.method != "GET"]


def keys(emu):
    return [r.headers.get("idempotency-key") for r in emu.requests if r.method == "POST"]


HOW = ["callproc", "sql"]


@pytest.mark.parametrize("how", HOW)
def test_confirm_payment_intent(emu, conn, how):
    payment_intent(emu, "pi_3OggwFANHgX3SHp71AVrNtT3", "requires_confirmation")
    payload = {"ReturnUrl": "http://google.com/", "PaymentIntentId": "pi_3OggwFANHgX3SHp71AVrNtT3"}
    row = run(
        conn,
        how,
        "ConfirmPaymentIntent",
        payload,
        "CALL ConfirmPaymentIntent(ReturnUrl => :ReturnUrl, PaymentIntentId => :PaymentIntentId)",
    )
    assert actions(emu) == [
        (
            "POST",
            "/v1/payment_intents/pi_3OggwFANHgX3SHp71AVrNtT3/confirm",
            {"return_url": "http://google.com/"},
        )
    ]
    assert all(keys(emu))
    assert row["Success"] is True
    assert (row["id"], row["object"], row["status"], row["amount"]) == (
        "pi_3OggwFANHgX3SHp71AVrNtT3",
        "payment_intent",
        "succeeded",
        33000,
    )
    assert row["amount_received"] == 33000 and row["latest_charge"].startswith("ch_")


@pytest.mark.parametrize("how", HOW)
def test_capture_payment_intent(emu, conn, how):
    payment_intent(
        emu,
        "pi_3Ogh4sANHgX3SHp72YB0YotA",
        "requires_capture",
        capture_method="manual",
        amount_capturable=33000,
    )
    row = run(
        conn,
        how,
        "CapturePaymentIntent",
        {"PaymentIntentId": "pi_3Ogh4sANHgX3SHp72YB0YotA"},
        "EXECUTE CapturePaymentIntent PaymentIntentId = :PaymentIntentId",
    )
    assert actions(emu) == [("POST", "/v1/payment_intents/pi_3Ogh4sANHgX3SHp72YB0YotA/capture", {})]
    assert all(keys(emu))
    assert (
        row["Success"],
        row["id"],
        row["status"],
        row["capture_method"],
        row["amount_received"],
    ) == (
        True,
        "pi_3Ogh4sANHgX3SHp72YB0YotA",
        "succeeded",
        "manual",
        33000,
    )


@pytest.mark.parametrize("how", HOW)
def test_cancel_payment_intent(emu, conn, how):
    payment_intent(emu, "pi_3Ogh7HANHgX3SHp738skMdSQ", "requires_payment_method")
    row = run(
        conn,
        how,
        "CancelPaymentIntent",
        {"PaymentIntentId": "pi_3Ogh7HANHgX3SHp738skMdSQ"},
        "CALL CancelPaymentIntent(PaymentIntentId => :PaymentIntentId)",
    )
    assert actions(emu) == [("POST", "/v1/payment_intents/pi_3Ogh7HANHgX3SHp738skMdSQ/cancel", {})]
    assert (row["Success"], row["id"], row["status"]) == (
        True,
        "pi_3Ogh7HANHgX3SHp738skMdSQ",
        "canceled",
    )
    assert row["canceled_at"] is not None


@pytest.mark.parametrize("how", HOW)
def test_attach_payment_method_to_customer(emu, conn, how):
    seed(emu, "customers", "cus_PNX7n9xMDsMPH4")
    card_payment_method(emu, "pm_1OYm2nANHgX3SHp7ihGfm5U8")
    payload = {"PaymentMethodId": "pm_1OYm2nANHgX3SHp7ihGfm5U8", "CustomerId": "cus_PNX7n9xMDsMPH4"}
    row = run(
        conn,
        how,
        "AttachPaymentMethodToCustomer",
        payload,
        "EXECUTE AttachPaymentMethodToCustomer PaymentMethodId = :PaymentMethodId, CustomerId = :CustomerId",
    )
    assert actions(emu) == [
        (
            "POST",
            "/v1/payment_methods/pm_1OYm2nANHgX3SHp7ihGfm5U8/attach",
            {"customer": "cus_PNX7n9xMDsMPH4"},
        )
    ]
    assert row["Success"] is True
    assert (row["id"], row["customer"]) == ("pm_1OYm2nANHgX3SHp7ihGfm5U8", "cus_PNX7n9xMDsMPH4")


@pytest.mark.parametrize("how", HOW)
def test_detach_payment_method_from_customer(emu, conn, how):
    seed(emu, "customers", "cus_PNX7n9xMDsMPH4")
    card_payment_method(emu, "pm_1OYm2nANHgX3SHp7ihGfm5U8", customer="cus_PNX7n9xMDsMPH4")
    row = run(
        conn,
        how,
        "DetachPaymentMethodFromCustomer",
        {"PaymentMethodId": "pm_1OYm2nANHgX3SHp7ihGfm5U8"},
        "CALL DetachPaymentMethodFromCustomer(:PaymentMethodId)",
    )
    assert actions(emu) == [("POST", "/v1/payment_methods/pm_1OYm2nANHgX3SHp7ihGfm5U8/detach", {})]
    assert (row["Success"], row["id"], row["customer"]) == (
        True,
        "pm_1OYm2nANHgX3SHp7ihGfm5U8",
        None,
    )


@pytest.mark.parametrize("how", HOW)
def test_finalize_invoice(emu, conn, how):
    seed(emu, "customers", "cus_Okyi4e7t7BImUL", invoice_prefix="F3C0E263")
    seed(
        emu,
        "invoices",
        "in_1OhnXRANHgX3SHp73ufStlXy",
        status="draft",
        customer="cus_Okyi4e7t7BImUL",
        currency="usd",
        amount_due=0,
        billing_reason="manual",
        collection_method="charge_automatically",
        status_transitions={
            "finalized_at": None,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
    )
    row = run(
        conn,
        how,
        "FinalizeInvoice",
        {"InvoiceId": "in_1OhnXRANHgX3SHp73ufStlXy"},
        "CALL FinalizeInvoice(InvoiceId => :InvoiceId)",
    )
    assert actions(emu) == [("POST", "/v1/invoices/in_1OhnXRANHgX3SHp73ufStlXy/finalize", {})]
    assert (row["Success"], row["id"], row["object"]) == (
        True,
        "in_1OhnXRANHgX3SHp73ufStlXy",
        "invoice",
    )
    # As in the spec's output: a zero-amount invoice is paid on finalization and numbered.
    assert row["status"] == "paid" and row["number"] == "F3C0E263-0001"
    assert row["effective_at"] is not None


@pytest.mark.parametrize("how", HOW)
def test_finalize_quote(emu, conn, how):
    quote(emu, "qt_1ObiPfANHgX3SHp7KT7DXaJe", "draft")
    row = run(
        conn,
        how,
        "FinalizeQuote",
        {"QuoteId": "qt_1ObiPfANHgX3SHp7KT7DXaJe"},
        "EXECUTE FinalizeQuote QuoteId = :QuoteId",
    )
    assert actions(emu) == [("POST", "/v1/quotes/qt_1ObiPfANHgX3SHp7KT7DXaJe/finalize", {})]
    assert (row["Success"], row["id"], row["status"]) == (
        True,
        "qt_1ObiPfANHgX3SHp7KT7DXaJe",
        "open",
    )


@pytest.mark.parametrize("how", HOW)
def test_accept_quote(emu, conn, how):
    quote(emu, "qt_1ObmqKANHgX3SHp7ahHydwav", "open")
    cursor_row = run(
        conn,
        how,
        "AcceptQuote",
        {"QuoteId": "qt_1ObmqKANHgX3SHp7ahHydwav"},
        "CALL AcceptQuote(QuoteId => :QuoteId)",
    )
    assert actions(emu) == [("POST", "/v1/quotes/qt_1ObmqKANHgX3SHp7ahHydwav/accept", {})]
    # The spec's output: [{"InvoiceId": "in_...", "Success": "true"}]
    invoice_id = cursor_row["InvoiceId"]
    assert cursor_row["Success"] is True and invoice_id.startswith("in_")
    assert emu.get("invoices", invoice_id)["quote"] == "qt_1ObmqKANHgX3SHp7ahHydwav"
    assert (cursor_row["id"], cursor_row["status"]) == ("qt_1ObmqKANHgX3SHp7ahHydwav", "accepted")


def test_accept_quote_columns_lead_with_success_and_invoice_id(emu, conn):
    quote(emu, "qt_1ObmqKANHgX3SHp7ahHydwav", "open")
    cursor = conn.cursor()
    cursor.callproc("AcceptQuote", {"QuoteId": "qt_1ObmqKANHgX3SHp7ahHydwav"})
    assert [d[0] for d in cursor.description][:3] == ["Success", "InvoiceId", "id"]
    assert cursor.description[0][1] == "boolean"


@pytest.mark.parametrize("how", HOW)
def test_cancel_quote(emu, conn, how):
    quote(emu, "qt_1Obmu3ANHgX3SHp7as57wBLf", "draft")
    row = run(
        conn,
        how,
        "CancelQuote",
        {"QuoteId": "qt_1Obmu3ANHgX3SHp7as57wBLf"},
        "CALL CancelQuote(:QuoteId)",
    )
    assert actions(emu) == [("POST", "/v1/quotes/qt_1Obmu3ANHgX3SHp7as57wBLf/cancel", {})]
    assert (row["Success"], row["id"], row["status"]) == (
        True,
        "qt_1Obmu3ANHgX3SHp7as57wBLf",
        "canceled",
    )


# --- errors ---------------------------------------------------------------------------------


def test_capturing_a_canceled_intent_carries_stripes_message_code_and_request_id(emu, conn):
    payment_intent(emu, "pi_canceled", "canceled")
    with pytest.raises(stripe_dbapi.DatabaseError) as info:
        conn.cursor().callproc("CapturePaymentIntent", ["pi_canceled"])
    error = info.value
    assert "status of canceled" in error.message
    assert error.code == "payment_intent_unexpected_state"
    assert error.request_id and error.http_status == 400


def test_unknown_procedure_names_the_closest(conn, emu):
    with pytest.raises(ProgrammingError, match="ConfirmPaymentIntent"):
        conn.cursor().execute("CALL ConfirmPaymentIntnet('pi_1')")
    assert emu.requests == []


def test_spec_typo_parameter_is_not_needed_quote_id_is(conn, emu):
    with pytest.raises(ProgrammingError, match="FinalizeQuote needs QuoteId"):
        conn.cursor().callproc("FinalizeQuote", {})
    with pytest.raises(ProgrammingError, match="unknown parameter 'SouQuoteIdrcePath'"):
        conn.cursor().callproc("FinalizeQuote", {"SouQuoteIdrcePath": "qt_1"})
    assert emu.requests == []


def test_readonly_connection_refuses_actions_before_any_request(emu):
    conn = stripe_dbapi.connect(api_key="sk_test_spec", base_url=emu.base_url, readonly=True)
    with pytest.raises(stripe_dbapi.OperationalError, match="readonly"):
        conn.cursor().execute("CALL CancelQuote('qt_1')")
    with pytest.raises(stripe_dbapi.OperationalError, match="readonly"):
        conn.cursor().execute("INSERT INTO customers (name) VALUES ('x')")
    assert emu.requests == []
