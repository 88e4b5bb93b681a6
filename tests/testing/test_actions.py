"""Actions and their state changes, from Stripe's API reference for each endpoint."""

from __future__ import annotations

import pytest


@pytest.fixture
def customer(api):
    return api.post("/v1/customers", data={"email": "buyer@example.com"}).json()["id"]


@pytest.fixture
def card(api):
    return api.post(
        "/v1/payment_methods",
        data={
            "type": "card",
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2030",
        },
    ).json()


@pytest.fixture
def price(api):
    product = api.post("/v1/products", data={"name": "Widget"}).json()["id"]
    return api.post(
        "/v1/prices", data={"product": product, "currency": "usd", "unit_amount": 1500}
    ).json()["id"]


# -- payment intents ---------------------------------------------------------------------


def test_payment_intent_statuses_automatic_capture(api, customer, card):
    intent = api.post(
        "/v1/payment_intents", data={"amount": 2000, "currency": "usd", "customer": customer}
    ).json()
    assert intent["status"] == "requires_payment_method"
    assert intent["client_secret"].startswith(intent["id"] + "_secret_")
    missing_pm = api.post(f"/v1/payment_intents/{intent['id']}/confirm")
    assert missing_pm.status_code == 400
    assert missing_pm.json()["error"]["code"] == "payment_intent_unexpected_state"
    updated = api.post(
        f"/v1/payment_intents/{intent['id']}", data={"payment_method": card["id"]}
    ).json()
    assert (updated["status"], updated["payment_method"]) == ("requires_confirmation", card["id"])
    confirmed = api.post(f"/v1/payment_intents/{intent['id']}/confirm").json()
    assert confirmed["status"] == "succeeded"
    assert confirmed["amount_received"] == 2000
    assert confirmed["amount_capturable"] == 0
    charge = api.get(f"/v1/charges/{confirmed['latest_charge']}").json()
    assert (charge["amount"], charge["captured"], charge["paid"], charge["status"]) == (
        2000,
        True,
        True,
        "succeeded",
    )
    assert (charge["customer"], charge["payment_intent"]) == (customer, intent["id"])
    assert charge["payment_method_details"]["card"]["last4"] == "4242"
    again = api.post(f"/v1/payment_intents/{intent['id']}/confirm")
    assert again.status_code == 400


def test_payment_intent_manual_capture(api, card):
    intent = api.post(
        "/v1/payment_intents",
        data={
            "amount": 5000,
            "currency": "usd",
            "capture_method": "manual",
            "payment_method": card["id"],
        },
    ).json()
    assert intent["status"] == "requires_confirmation"
    authorized = api.post(f"/v1/payment_intents/{intent['id']}/confirm").json()
    assert authorized["status"] == "requires_capture"
    assert (authorized["amount_capturable"], authorized["amount_received"]) == (5000, 0)
    assert api.get(f"/v1/charges/{authorized['latest_charge']}").json()["captured"] is False
    too_much = api.post(
        f"/v1/payment_intents/{intent['id']}/capture", data={"amount_to_capture": 6000}
    )
    assert too_much.status_code == 400
    captured = api.post(
        f"/v1/payment_intents/{intent['id']}/capture", data={"amount_to_capture": 4000}
    ).json()
    assert captured["status"] == "succeeded"
    assert (captured["amount_received"], captured["amount_capturable"]) == (4000, 0)
    charge = api.get(f"/v1/charges/{captured['latest_charge']}").json()
    assert (charge["captured"], charge["amount_captured"], charge["amount_refunded"]) == (
        True,
        4000,
        1000,
    )
    assert api.post(f"/v1/payment_intents/{intent['id']}/capture").status_code == 400


def test_payment_intent_cancel(api, card):
    intent = api.post("/v1/payment_intents", data={"amount": 700, "currency": "usd"}).json()
    canceled = api.post(
        f"/v1/payment_intents/{intent['id']}/cancel", data={"cancellation_reason": "abandoned"}
    ).json()
    assert canceled["status"] == "canceled"
    assert canceled["cancellation_reason"] == "abandoned"
    assert isinstance(canceled["canceled_at"], int)
    done = api.post(
        "/v1/payment_intents",
        data={"amount": 700, "currency": "usd", "payment_method": card["id"], "confirm": "true"},
    ).json()
    refused = api.post(f"/v1/payment_intents/{done['id']}/cancel")
    assert refused.status_code == 400
    assert "succeeded" in refused.json()["error"]["message"]


def test_declined_card_is_a_402_card_error(api):
    intent = api.post(
        "/v1/payment_intents",
        data={"amount": 700, "currency": "usd", "payment_method": "pm_card_chargeDeclined"},
    ).json()
    declined = api.post(f"/v1/payment_intents/{intent['id']}/confirm")
    assert declined.status_code == 402
    error = declined.json()["error"]
    assert (error["type"], error["code"], error["decline_code"]) == (
        "card_error",
        "card_declined",
        "generic_decline",
    )
    after = api.get(f"/v1/payment_intents/{intent['id']}").json()
    assert after["status"] == "requires_payment_method"
    assert after["last_payment_error"]["code"] == "card_declined"


def test_refunds_update_the_charge(api, card):
    intent = api.post(
        "/v1/payment_intents",
        data={"amount": 1000, "currency": "usd", "payment_method": card["id"], "confirm": "true"},
    ).json()
    partial = api.post("/v1/refunds", data={"payment_intent": intent["id"], "amount": 300}).json()
    assert partial["id"].startswith("re_")
    assert (partial["amount"], partial["status"], partial["charge"]) == (
        300,
        "succeeded",
        intent["latest_charge"],
    )
    charge = api.get(f"/v1/charges/{intent['latest_charge']}").json()
    assert (charge["amount_refunded"], charge["refunded"]) == (300, False)
    assert api.post("/v1/refunds", data={"charge": charge["id"], "amount": 800}).status_code == 400
    rest = api.post("/v1/refunds", data={"charge": charge["id"]}).json()
    assert rest["amount"] == 700
    assert api.get(f"/v1/charges/{charge['id']}").json()["refunded"] is True


# -- payment methods ------------------------------------------------------------------------------


def test_attach_and_detach_payment_method(api, customer, card):
    assert card["customer"] is None
    attached = api.post(
        f"/v1/payment_methods/{card['id']}/attach", data={"customer": customer}
    ).json()
    assert attached["customer"] == customer
    assert [
        p["id"]
        for p in api.get("/v1/payment_methods", params={"customer": customer}).json()["data"]
    ] == [card["id"]]
    detached = api.post(f"/v1/payment_methods/{card['id']}/detach").json()
    assert detached["customer"] is None
    assert api.post(f"/v1/payment_methods/{card['id']}/detach").status_code == 400
    assert (
        api.post(
            f"/v1/payment_methods/{card['id']}/attach", data={"customer": "cus_nope"}
        ).status_code
        == 400
    )
    assert (
        api.post(f"/v1/payment_methods/{card['id']}/attach").status_code == 400
    )  # customer is required


# -- invoices ------------------------------------------------------------------------------------------


def _draft(api, customer, price, quantity=2):
    invoice = api.post("/v1/invoices", data={"customer": customer}).json()
    api.post(
        "/v1/invoiceitems",
        data={
            "customer": customer,
            "invoice": invoice["id"],
            "pricing[price]": price,
            "quantity": quantity,
        },
    )
    api.post(
        "/v1/invoiceitems",
        data={
            "customer": customer,
            "invoice": invoice["id"],
            "amount": 500,
            "currency": "usd",
            "description": "Setup fee",
        },
    )
    return api.get(f"/v1/invoices/{invoice['id']}").json()


def test_invoice_items_make_lines_and_totals(api, customer, price):
    invoice = _draft(api, customer, price)
    assert invoice["status"] == "draft"
    assert invoice["number"] is None
    assert (invoice["total"], invoice["amount_due"]) == (3500, 3500)
    lines = api.get(f"/v1/invoices/{invoice['id']}/lines").json()["data"]
    assert sorted(line["amount"] for line in lines) == [500, 3000]
    assert all(line["invoice"] == invoice["id"] for line in lines)
    items = api.get("/v1/invoiceitems", params={"invoice": invoice["id"]}).json()["data"]
    assert len(items) == 2


def test_invoice_finalize_pay(api, customer, price):
    invoice = _draft(api, customer, price)
    finalized = api.post(f"/v1/invoices/{invoice['id']}/finalize").json()
    assert finalized["status"] == "open"
    assert finalized["number"]
    assert finalized["status_transitions"]["finalized_at"]
    assert api.post(f"/v1/invoices/{invoice['id']}/finalize").status_code == 400
    assert api.delete(f"/v1/invoices/{invoice['id']}").status_code == 400  # only drafts
    paid = api.post(f"/v1/invoices/{invoice['id']}/pay", data={"paid_out_of_band": "true"}).json()
    assert (paid["status"], paid["amount_paid"], paid["amount_remaining"]) == ("paid", 3500, 0)
    assert api.post(f"/v1/invoices/{invoice['id']}/pay").status_code == 400
    assert api.post(f"/v1/invoices/{invoice['id']}/void").status_code == 400


def test_invoice_void_and_pay_of_a_draft(api, customer, price):
    voided = _draft(api, customer, price)
    assert (
        api.post(f"/v1/invoices/{voided['id']}/void").status_code == 400
    )  # drafts are deleted, not voided
    api.post(f"/v1/invoices/{voided['id']}/finalize")
    assert api.post(f"/v1/invoices/{voided['id']}/void").json()["status"] == "void"
    draft = _draft(api, customer, price)
    assert (
        api.post(f"/v1/invoices/{draft['id']}/pay").json()["status"] == "paid"
    )  # finalized, then paid
    deletable = _draft(api, customer, price)
    assert api.delete(f"/v1/invoices/{deletable['id']}").json()["deleted"] is True


def test_invoice_numbers_follow_the_customer_sequence(api, customer, price):
    first = api.post(f"/v1/invoices/{_draft(api, customer, price)['id']}/finalize").json()["number"]
    second = api.post(f"/v1/invoices/{_draft(api, customer, price)['id']}/finalize").json()[
        "number"
    ]
    assert first.endswith("-0001") and second.endswith("-0002")
    assert first.split("-")[0] == api.get(f"/v1/customers/{customer}").json()["invoice_prefix"]


# -- quotes ------------------------------------------------------------------------------------------------


def test_quote_finalize_accept_creates_invoice(api, customer, price):
    quote = api.post(
        "/v1/quotes",
        data={"customer": customer, "line_items[0][price]": price, "line_items[0][quantity]": 3},
    ).json()
    assert quote["id"].startswith("qt_")
    assert (quote["status"], quote["amount_total"]) == ("draft", 4500)
    assert api.post(f"/v1/quotes/{quote['id']}/accept").status_code == 400  # must be open first
    assert api.post(f"/v1/quotes/{quote['id']}/finalize").json()["status"] == "open"
    accepted = api.post(f"/v1/quotes/{quote['id']}/accept").json()
    assert accepted["status"] == "accepted"
    invoice = api.get(f"/v1/invoices/{accepted['invoice']}").json()
    assert (invoice["customer"], invoice["total"], invoice["status"]) == (customer, 4500, "draft")
    assert api.post(f"/v1/quotes/{quote['id']}/cancel").status_code == 400
    lines = api.get(f"/v1/quotes/{quote['id']}/line_items").json()["data"]
    assert [line["quantity"] for line in lines] == [3]


def test_quote_cancel(api, customer, price):
    quote = api.post(
        "/v1/quotes", data={"customer": customer, "line_items[0][price]": price}
    ).json()
    assert api.post(f"/v1/quotes/{quote['id']}/cancel").json()["status"] == "canceled"
    assert api.post(f"/v1/quotes/{quote['id']}/finalize").status_code == 400


# -- subscriptions ----------------------------------------------------------------------------------------------


def test_subscription_create_and_cancel(api, customer):
    product = api.post("/v1/products", data={"name": "Plan"}).json()["id"]
    monthly = api.post(
        "/v1/prices",
        data={
            "product": product,
            "currency": "usd",
            "unit_amount": 900,
            "recurring[interval]": "month",
        },
    ).json()["id"]
    sub = api.post(
        "/v1/subscriptions",
        data={"customer": customer, "items[0][price]": monthly, "items[0][quantity]": 2},
    ).json()
    assert sub["status"] == "active"
    assert sub["items"]["data"][0]["price"]["id"] == monthly
    assert sub["items"]["data"][0]["quantity"] == 2
    trial = api.post(
        "/v1/subscriptions",
        data={"customer": customer, "items[0][price]": monthly, "trial_period_days": 7},
    ).json()
    assert trial["status"] == "trialing"
    canceled = api.delete(f"/v1/subscriptions/{sub['id']}").json()
    assert (canceled["status"], canceled["id"]) == ("canceled", sub["id"])
    assert canceled["canceled_at"]
    assert api.delete(f"/v1/subscriptions/{sub['id']}").status_code == 400


def test_actions_on_missing_objects_are_404(api):
    assert api.post("/v1/payment_intents/pi_nope/confirm").status_code == 404
    assert api.post("/v1/invoices/in_nope/finalize").status_code == 404


def test_unimplemented_action_says_so(api, error_of):
    response = api.post("/v1/payouts/po_1/cancel")
    assert response.status_code == 400
    assert error_of(response)["code"] == "emulator_not_implemented"
    assert "CancelPayout" in error_of(response)["message"]
