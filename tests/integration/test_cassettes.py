"""The connector spec's examples, writes and actions together, as recorded HTTP sessions.

By default every test replays its cassette (``tests/cassettes/<test>.yaml``) with no
server at all: a request the cassette does not hold fails the test. To record again:

    STRIPE_RECORD=1 python -m pytest tests/integration/test_cassettes.py            # from the emulator
    STRIPE_RECORD=1 STRIPE_API_KEY=sk_test_... python -m pytest tests/integration/test_cassettes.py  # Stripe test mode

Recording drops the Authorization header and scrubs anything shaped like a Stripe key
from requests and responses; ``test_no_cassette_holds_a_key`` checks every cassette.
Each flow creates the objects it needs, so it runs unchanged against real Stripe.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from pathlib import Path

import pytest
import vcr

import stripe_dbapi
from stripe_dbapi.testing import Emulator

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
RECORD = os.environ.get("STRIPE_RECORD") == "1"
REAL_KEY = os.environ.get("STRIPE_API_KEY") if RECORD else None
# A Stripe secret, restricted or publishable key (or a client-secret-looking key) anywhere.
KEY_PATTERN = re.compile(r"(?<![A-Za-z0-9])(sk|rk|pk)_(test|live)_[A-Za-z0-9]+")
REDACTED = "REDACTED_KEY"


def _scrub(text):
    return KEY_PATTERN.sub(REDACTED, text) if isinstance(text, str) else text


def _scrub_request(request):
    if request.body:
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        request.body = _scrub(body).encode()
    return request


def _scrub_response(response):
    body = response.get("body", {})
    content = body.get("string")
    if isinstance(content, bytes):
        body["string"] = _scrub(content.decode("utf-8", "replace")).encode()
    elif isinstance(content, str):
        body["string"] = _scrub(content)
    response["headers"] = {
        name: [_scrub(v) for v in values] if isinstance(values, list) else _scrub(values)
        for name, values in response.get("headers", {}).items()
    }
    return response


def _form(request) -> dict:
    body = request.body or b""
    body = body.decode() if isinstance(body, bytes) else body
    return dict(urllib.parse.parse_qsl(body, keep_blank_values=True))


def _same_form(recorded, replayed) -> None:
    # Bodies are compared as forms (parameter order does not matter).
    assert _form(recorded) == _form(replayed)


RECORDER = vcr.VCR(
    cassette_library_dir=str(CASSETTES),
    record_mode="all" if RECORD else "none",
    # Host and port differ between the emulator, Stripe and replay; the rest must match.
    match_on=["method", "path", "query", "form"],
    filter_headers=["authorization", "stripe-account", "cookie", "set-cookie"],
    before_record_request=_scrub_request,
    before_record_response=_scrub_response,
    decode_compressed_response=True,
)
RECORDER.register_matcher("form", _same_form)


@pytest.fixture
def cursor(request):
    """A cursor whose HTTP is recorded into (or replayed from) this test's cassette."""
    emulator = None
    if REAL_KEY:
        base_url, key = "https://api.stripe.com", REAL_KEY
    elif RECORD:
        emulator = Emulator(seed=None, search_lag=0).start()
        base_url, key = emulator.base_url, "sk_test_recording"
    else:
        base_url, key = "https://api.stripe.com", "sk_test_replay"  # never contacted
    with RECORDER.use_cassette(f"{request.node.name}.yaml"):
        conn = stripe_dbapi.connect(
            api_key=key, base_url=base_url, max_retries=0 if not RECORD else 2
        )
        try:
            yield conn.cursor()
        finally:
            conn.close()
    if emulator is not None:
        emulator.stop()


def row(cursor) -> dict:
    rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return dict(zip([d[0] for d in cursor.description], rows[0], strict=True))


def created(cursor, sql, params=None) -> str:
    cursor.execute(sql, params)
    assert cursor.rowcount == 1
    return cursor.lastrowid


# --- the spec's examples, grouped by object ------------------------------------------------------


def test_customer_examples(cursor):
    customer = created(cursor, "INSERT INTO Customer (Name) VALUES ('abc')")
    assert customer.startswith("cus_")
    cursor.execute(
        "UPDATE Customer SET Name = 'Charlie' WHERE Id = ? RETURNING id, name", [customer]
    )
    assert row(cursor) == {"id": customer, "name": "Charlie"}
    cursor.execute("DELETE FROM Customer WHERE Id = ?", [customer])
    assert cursor.rowcount == 1
    other = created(cursor, "INSERT INTO Customer (Name) VALUES ('abc')")
    cursor.execute(f"DELETE FROM Customer WHERE id='{other}'")
    assert cursor.rowcount == 1


def test_card_examples(cursor):
    customer = created(cursor, "INSERT INTO Customer (Name) VALUES ('card owner')")
    cursor.execute(
        "INSERT INTO Cards (CustomerId, Token) VALUES (?, 'tok_visa') RETURNING Id, CustomerId",
        [customer],
    )
    card = row(cursor)
    assert card["id"].startswith("card_") and card["customer"] == customer
    cursor.execute(
        "UPDATE Cards SET AddressCountry = 'US' WHERE CustomerId = ? AND Id = ? RETURNING id, customer, address_country",
        [customer, card["id"]],
    )
    assert row(cursor) == {"id": card["id"], "customer": customer, "address_country": "US"}


def test_price_examples(cursor):
    product = created(cursor, "INSERT INTO products (name) VALUES ('Cassette product')")
    price = created(
        cursor,
        "INSERT INTO Prices (Currency, Product, UnitAmount) VALUES ('usd', ?, 1200.0)",
        [product],
    )
    assert price.startswith("price_")
    cursor.execute(
        "UPDATE Prices SET Nickname = 'Price Update' WHERE Id = ? RETURNING nickname, unit_amount",
        [price],
    )
    assert row(cursor) == {"nickname": "Price Update", "unit_amount": 1200}


def test_invoice_examples(cursor):
    customer = created(cursor, "INSERT INTO Customer (Name) VALUES ('invoiced')")
    item = created(
        cursor,
        "INSERT INTO InvoiceItems (Customer, Currency, Amount) VALUES (?, 'usd', 1000.0)",
        [customer],
    )
    assert item.startswith("ii_")
    cursor.execute("UPDATE InvoiceItems SET Description = 'Cassette item' WHERE Id = ?", [item])
    assert cursor.rowcount == 1
    invoice = created(cursor, "INSERT INTO Invoices (CustomerId) VALUES (?)", [customer])
    cursor.execute("UPDATE Invoices SET Description = 'Invoice for car' WHERE Id = ?", [invoice])
    assert cursor.rowcount == 1
    cursor.execute("CALL FinalizeInvoice(InvoiceId => ?)", [invoice])
    finalized = row(cursor)
    assert finalized["Success"] is True and finalized["id"] == invoice
    assert finalized["status"] in ("open", "paid") and finalized["number"]


def test_invoice_item_quantity_example(cursor):
    customer = created(cursor, "INSERT INTO Customer (Name) VALUES ('quantities')")
    product = created(cursor, "INSERT INTO products (name) VALUES ('Unit product')")
    price = created(
        cursor,
        "INSERT INTO prices (currency, product, unit_amount) VALUES ('usd', ?, 250)",
        [product],
    )
    item = created(
        cursor,
        "INSERT INTO invoiceitems (customer, pricing) VALUES (?, ?)",
        [customer, f'{{"price": "{price}"}}'],
    )
    cursor.execute("UPDATE InvoiceItems SET Quantity = 3.0 WHERE Id = ? RETURNING quantity", [item])
    assert row(cursor) == {"quantity": 3}


def test_quote_examples(cursor):
    customer = created(cursor, "INSERT INTO Customer (Name) VALUES ('quoted')")
    other = created(cursor, "INSERT INTO Customer (Name) VALUES ('quoted too')")
    product = created(cursor, "INSERT INTO products (name) VALUES ('Quoted product')")
    price = created(
        cursor,
        "INSERT INTO prices (currency, product, unit_amount) VALUES ('usd', ?, 5000)",
        [product],
    )
    line_items = f'[{{"price": "{price}", "quantity": 1}}]'
    quote = created(
        cursor, "INSERT INTO Quotes (CustomerId, line_items) VALUES (?, ?)", [customer, line_items]
    )
    cursor.execute(
        "UPDATE Quotes SET CustomerId = ? WHERE Id = ? RETURNING customer", [other, quote]
    )
    assert row(cursor) == {"customer": other}
    cursor.callproc("FinalizeQuote", {"QuoteId": quote})
    assert row(cursor)["status"] == "open"
    cursor.callproc("AcceptQuote", {"QuoteId": quote})
    accepted = row(cursor)
    assert accepted["Success"] is True and accepted["InvoiceId"].startswith("in_")
    to_cancel = created(
        cursor, "INSERT INTO Quotes (CustomerId, line_items) VALUES (?, ?)", [customer, line_items]
    )
    cursor.execute("EXECUTE CancelQuote QuoteId = ?", [to_cancel])
    assert row(cursor)["status"] == "canceled"


def test_account_examples(cursor):
    account = created(cursor, "INSERT INTO Accounts (Type) VALUES ('standard')")
    assert account.startswith("acct_")
    cursor.execute(
        "UPDATE Accounts SET BusinessProfileName = 'StagingName' WHERE Id = ? RETURNING business_profile_name",
        [account],
    )
    assert row(cursor) == {"business_profile_name": "StagingName"}


def test_payment_intent_examples(cursor):
    intent = created(
        cursor,
        "INSERT INTO PaymentIntent (PaymentMethod, Currency, Amount) VALUES ('pm_card_visa', 'usd', 1500.0)",
    )
    cursor.execute("UPDATE PaymentIntent SET Description = 'Payment Intent' WHERE Id = ?", [intent])
    assert cursor.rowcount == 1
    cursor.execute(f"UPDATE PaymentIntent SET Description = 'Payment Intent' WHERE '{intent}'")
    assert cursor.rowcount == 1
    cursor.callproc(
        "ConfirmPaymentIntent", {"ReturnUrl": "http://google.com/", "PaymentIntentId": intent}
    )
    confirmed = row(cursor)
    assert (confirmed["Success"], confirmed["id"], confirmed["status"]) == (
        True,
        intent,
        "succeeded",
    )
    refund = created(
        cursor,
        "INSERT INTO Refunds (Charge, Amount) VALUES (?, 10.0)",
        [confirmed["latest_charge"]],
    )
    assert refund.startswith("re_")

    manual = created(
        cursor,
        "INSERT INTO payment_intents (payment_method, currency, amount, capture_method) "
        "VALUES ('pm_card_visa', 'usd', 33000, 'manual')",
    )
    cursor.execute(
        "CALL ConfirmPaymentIntent(PaymentIntentId => ?, ReturnUrl => 'http://google.com/')",
        [manual],
    )
    assert row(cursor)["status"] == "requires_capture"
    cursor.callproc("CapturePaymentIntent", {"PaymentIntentId": manual})
    assert row(cursor)["status"] == "succeeded"

    to_cancel = created(
        cursor, "INSERT INTO payment_intents (currency, amount) VALUES ('usd', 33000)"
    )
    cursor.callproc("CancelPaymentIntent", {"PaymentIntentId": to_cancel})
    assert row(cursor)["status"] == "canceled"


def test_payment_method_examples(cursor):
    customer = created(cursor, "INSERT INTO Customer (Name) VALUES ('wallet')")
    payment_method = created(
        cursor,
        "INSERT INTO payment_methods (type, card) VALUES ('card', '{\"token\": \"tok_visa\"}')",
    )
    cursor.callproc(
        "AttachPaymentMethodToCustomer", {"PaymentMethodId": payment_method, "CustomerId": customer}
    )
    assert row(cursor)["customer"] == customer
    cursor.callproc("DetachPaymentMethodFromCustomer", {"PaymentMethodId": payment_method})
    detached = row(cursor)
    assert detached["Success"] is True and detached["customer"] is None


# --- the cassettes themselves ------------------------------------------------------------------


def test_every_flow_has_a_cassette():
    flows = [name for name in globals() if name.endswith(("_examples", "_example"))]
    missing = [name for name in flows if not (CASSETTES / f"{name}.yaml").exists()]
    assert not missing, f"record them: STRIPE_RECORD=1 pytest {__file__}"


def test_no_cassette_holds_a_key():
    texts = {path.name: path.read_text() for path in CASSETTES.glob("*.yaml")}
    assert texts
    for name, text in texts.items():
        assert "Bearer" not in text, name
        assert not re.search(r"(?<![A-Za-z0-9])[sr]k_", text), name
        assert not re.search(r"^\s*authorization:", text, re.IGNORECASE | re.MULTILINE), name


def test_recording_scrubs_keys_from_bodies_and_headers():
    response = {
        "body": {"string": b'{"secret": "sk_test_abc123", "restricted": "rk_live_XyZ9"}'},
        "headers": {"x-echo": ["Bearer sk_live_zzz"]},
    }
    scrubbed = _scrub_response(response)
    text = scrubbed["body"]["string"].decode() + str(scrubbed["headers"])
    assert "sk_test" not in text and "rk_live" not in text and "sk_live" not in text
    assert text.count(REDACTED) == 3
    assert "authorization" in RECORDER.filter_headers
