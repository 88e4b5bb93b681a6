"""Declines leave a failed charge (Stripe's failure_code, failure_message, outcome); captured
charges, refunds have balance transactions; subscription periods follow the price."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("card", "code", "decline_code", "outcome_type", "reason"),
    [
        (
            "pm_card_chargeDeclined",
            "card_declined",
            "generic_decline",
            "issuer_declined",
            "generic_decline",
        ),
        (
            "pm_card_visa_chargeDeclinedInsufficientFunds",
            "card_declined",
            "insufficient_funds",
            "issuer_declined",
            "insufficient_funds",
        ),
        (
            "pm_card_chargeDeclinedExpiredCard",
            "expired_card",
            "expired_card",
            "issuer_declined",
            "expired_card",
        ),
        (
            "pm_card_chargeDeclinedIncorrectCvc",
            "incorrect_cvc",
            "incorrect_cvc",
            "issuer_declined",
            "incorrect_cvc",
        ),
        ("pm_card_radarBlock", "card_declined", "fraudulent", "blocked", "highest_risk_level"),
    ],
)
def test_a_declined_card_leaves_a_failed_charge(
    api, card, code, decline_code, outcome_type, reason
):
    intent = api.post(
        "/v1/payment_intents",
        data={"amount": 1500, "currency": "eur", "payment_method": card, "confirm": "true"},
    )
    assert intent.status_code == 402
    error = intent.json()["error"]
    assert (error["code"], error["decline_code"]) == (code, decline_code)
    [charge] = api.get("/v1/charges").json()["data"]
    assert (charge["status"], charge["paid"], charge["captured"]) == ("failed", False, False)
    assert (charge["failure_code"], charge["failure_message"]) == (code, error["message"])
    assert (charge["outcome"]["type"], charge["outcome"]["reason"]) == (outcome_type, reason)
    assert charge["balance_transaction"] is None
    [stored] = api.get("/v1/payment_intents").json()["data"]
    assert stored["status"] == "requires_payment_method"
    assert stored["latest_charge"] == charge["id"] == stored["last_payment_error"]["charge"]
    types = [e["type"] for e in api.get("/v1/events").json()["data"]]
    assert types[:2] == ["payment_intent.payment_failed", "charge.failed"]


def test_charges_and_refunds_have_balance_transactions_with_stripe_s_fee(api):
    intent = api.post(
        "/v1/payment_intents",
        data={
            "amount": 10000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": "true",
        },
    ).json()
    charge = api.get(f"/v1/charges/{intent['latest_charge']}").json()
    txn = api.get(f"/v1/balance_transactions/{charge['balance_transaction']}").json()
    assert (txn["type"], txn["source"], txn["amount"], txn["currency"]) == (
        "charge",
        charge["id"],
        10000,
        "usd",
    )
    assert (txn["fee"], txn["net"]) == (320, 9680)  # 2.9% + 30 cents
    refund = api.post("/v1/refunds", data={"charge": charge["id"], "amount": 2500}).json()
    back = api.get(f"/v1/balance_transactions/{refund['balance_transaction']}").json()
    assert (back["type"], back["source"], back["amount"], back["fee"]) == (
        "refund",
        refund["id"],
        -2500,
        0,
    )
    refunded = api.get("/v1/events", params={"type": "charge.refunded"}).json()["data"]
    assert refunded[0]["data"]["object"]["amount_refunded"] == 2500
    assert refunded[0]["data"]["previous_attributes"] == {"amount_refunded": 0}


def test_subscription_periods_follow_the_price_interval_and_the_trial(api):
    customer = api.post("/v1/customers").json()["id"]
    product = api.post("/v1/products", data={"name": "p"}).json()["id"]
    yearly = api.post(
        "/v1/prices",
        data={
            "product": product,
            "currency": "gbp",
            "unit_amount": 9000,
            "recurring[interval]": "year",
        },
    ).json()["id"]
    sub = api.post(
        "/v1/subscriptions", data={"customer": customer, "items[0][price]": yearly}
    ).json()
    item = sub["items"]["data"][0]
    assert 365 <= (item["current_period_end"] - item["current_period_start"]) / 86400 <= 366
    trial = api.post(
        "/v1/subscriptions",
        data={"customer": customer, "items[0][price]": yearly, "trial_period_days": 7},
    ).json()
    assert trial["items"]["data"][0]["current_period_end"] == trial["trial_end"]


def test_a_monthly_period_ends_on_the_same_day_of_the_next_month_or_its_last_day():
    from stripe_dbapi.testing.behaviours.common import period_end

    jan_31, feb_28, mar_15 = 1769817600, 1772236800, 1773532800  # 2026, midnight UTC
    assert period_end(jan_31, {"interval": "month"}) == feb_28
    assert period_end(feb_28 - 13 * 86400, {"interval": "month"}) == mar_15
    assert period_end(jan_31, {"interval": "week", "interval_count": 2}) == jan_31 + 14 * 86400


def test_marking_an_invoice_uncollectible_clears_customer_delinquent(api, fresh_emulator):
    customer = api.post("/v1/customers").json()["id"]
    fresh_emulator.get("customers", customer)["delinquent"] = True  # a failed payment before
    invoice = api.post("/v1/invoices", data={"customer": customer}).json()["id"]
    api.post(
        "/v1/invoiceitems",
        data={"customer": customer, "invoice": invoice, "amount": 500, "currency": "usd"},
    )
    api.post(f"/v1/invoices/{invoice}/finalize")
    api.post(f"/v1/invoices/{invoice}/mark_uncollectible")
    assert api.get(f"/v1/customers/{customer}").json()["delinquent"] is False
    updated = api.get("/v1/events", params={"type": "customer.updated"}).json()["data"][0]
    assert updated["data"]["previous_attributes"] == {"delinquent": True}
