"""Client-level scenarios on both the emulator and localstripe (see conftest.py).

Only what both agree on with Stripe is asserted here; where localstripe differs
from Stripe (documented in the README), the Stripe behaviour is asserted on the
emulator alone and the test says so.
"""

from __future__ import annotations

import uuid

import pytest

from stripe_dbapi import exceptions as exc


def tag() -> str:
    return uuid.uuid4().hex[:10]


def card(client) -> dict:
    return client.post(
        "/v1/payment_methods",
        {
            "type": "card",
            "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"},
        },
    )


def charge_id_of(intent: dict) -> str:
    # Stripe (and the emulator): latest_charge, an id. localstripe sends it expanded.
    latest = intent["latest_charge"]
    return latest["id"] if isinstance(latest, dict) else latest


def test_customer_create_retrieve_update(client):
    email = f"{tag()}@example.com"
    created = client.post(
        "/v1/customers", {"email": email, "name": "Ada", "metadata": {"a": "1", "b": "2"}}
    )
    assert created["id"].startswith("cus_")
    assert created["object"] == "customer"
    assert client.get(f"/v1/customers/{created['id']}")["email"] == email
    updated = client.post(
        f"/v1/customers/{created['id']}", {"name": "Grace", "metadata": {"c": "3"}}
    )
    assert updated["name"] == "Grace"
    assert {k: updated["metadata"][k] for k in "abc"} == {
        "a": "1",
        "b": "2",
        "c": "3",
    }  # metadata merges


def test_missing_object_is_none_and_unknown_param_is_an_error(client):
    assert client.retrieve("/v1/customers/cus_doesnotexist0") is None
    with pytest.raises(exc.ProgrammingError):
        client.post("/v1/customers", {"created": 123})  # read-only field


def test_list_pages_reach_every_new_customer_once(client):
    mark = tag()
    ids = [
        client.post("/v1/customers", {"email": f"{mark}{i}@example.com"})["id"] for i in range(5)
    ]
    seen = [c["id"] for page in client.list_pages("/v1/customers", page_size=2) for c in page]
    assert len(seen) == len(set(seen))  # no object twice across pages
    assert set(ids) <= set(seen)
    only = [
        c["id"]
        for page in client.list_pages("/v1/customers", {"email": f"{mark}3@example.com"})
        for c in page
    ]
    assert only == [ids[3]]


def test_payment_method_attach_list_detach(client):
    customer = client.post("/v1/customers", {})["id"]
    pm = card(client)
    assert pm["card"]["last4"] == "4242"
    assert (
        client.post(f"/v1/payment_methods/{pm['id']}/attach", {"customer": customer})["customer"]
        == customer
    )
    listed = client.get("/v1/payment_methods", {"customer": customer, "type": "card"})["data"]
    assert [p["id"] for p in listed] == [pm["id"]]
    assert client.post(f"/v1/payment_methods/{pm['id']}/detach")["customer"] is None


def test_payment_intent_manual_capture_and_refund(client):
    customer = client.post("/v1/customers", {})["id"]
    pm = card(client)
    client.post(f"/v1/payment_methods/{pm['id']}/attach", {"customer": customer})
    intent = client.post(
        "/v1/payment_intents",
        {
            "amount": 1000,
            "currency": "usd",
            "customer": customer,
            "payment_method": pm["id"],
            "capture_method": "manual",
        },
    )
    assert intent["status"] == "requires_confirmation"
    confirmed = client.post(f"/v1/payment_intents/{intent['id']}/confirm")
    assert confirmed["status"] == "requires_capture"
    captured = client.post(f"/v1/payment_intents/{intent['id']}/capture")
    assert captured["status"] == "succeeded"
    charge = client.get(f"/v1/charges/{charge_id_of(captured)}")
    assert (charge["amount"], charge["captured"], charge["customer"]) == (1000, True, customer)
    refund = client.post("/v1/refunds", {"charge": charge["id"], "amount": 300})
    assert (refund["amount"], refund["charge"], refund["status"]) == (
        300,
        charge["id"],
        "succeeded",
    )
    assert client.get(f"/v1/charges/{charge['id']}")["amount_refunded"] == 300
    listed = [r["id"] for r in client.get("/v1/refunds", {"charge": charge["id"]})["data"]]
    assert listed == [refund["id"]]


def test_payment_intent_cancel(client):
    intent = client.post("/v1/payment_intents", {"amount": 500, "currency": "usd"})
    assert intent["status"] == "requires_payment_method"
    assert client.post(f"/v1/payment_intents/{intent['id']}/cancel")["status"] == "canceled"


def test_products_plans_coupons_tax_rates(client):
    mark = tag()
    product = client.post("/v1/products", {"name": f"Widget {mark}"})
    assert product["active"] is True
    assert client.post(f"/v1/products/{product['id']}", {"name": "Renamed"})["name"] == "Renamed"
    plan = client.post(
        "/v1/plans",
        {
            "id": f"plan_{mark}",
            "amount": 500,
            "currency": "usd",
            "interval": "month",
            "product": product["id"],
        },
    )
    assert (plan["id"], plan["amount"], plan["interval"]) == (f"plan_{mark}", 500, "month")
    coupon = client.post("/v1/coupons", {"id": f"C{mark}", "percent_off": 25, "duration": "once"})
    assert coupon["percent_off"] == 25
    rate = client.post(
        "/v1/tax_rates", {"display_name": "VAT", "inclusive": False, "percentage": 20}
    )
    assert client.get(f"/v1/tax_rates/{rate['id']}")["display_name"] == "VAT"
    empty = client.post("/v1/products", {"name": f"Empty {mark}"})
    assert client.delete(f"/v1/products/{empty['id']}")["deleted"] is True
    assert client.retrieve(f"/v1/products/{empty['id']}") is None


def test_subscription_cancel_hides_it_from_the_default_list(client):
    mark = tag()
    customer = client.post("/v1/customers", {})["id"]
    product = client.post("/v1/products", {"name": f"Plan {mark}"})["id"]
    plan = client.post(
        "/v1/plans",
        {
            "id": f"plan_{mark}",
            "amount": 900,
            "currency": "usd",
            "interval": "month",
            "product": product,
        },
    )["id"]
    pm = card(client)
    client.post(f"/v1/payment_methods/{pm['id']}/attach", {"customer": customer})
    client.post(
        f"/v1/customers/{customer}", {"invoice_settings": {"default_payment_method": pm["id"]}}
    )
    sub = client.post("/v1/subscriptions", {"customer": customer, "items": [{"plan": plan}]})
    assert sub["status"] in ("active", "incomplete")
    assert [s["id"] for s in client.get("/v1/subscriptions", {"customer": customer})["data"]] == [
        sub["id"]
    ]
    assert client.delete(f"/v1/subscriptions/{sub['id']}")["status"] == "canceled"
    assert client.get("/v1/subscriptions", {"customer": customer})["data"] == []


def test_invoice_items_by_customer(client):
    customer = client.post("/v1/customers", {})["id"]
    item = client.post(
        "/v1/invoiceitems", {"customer": customer, "amount": 1200, "currency": "usd"}
    )
    assert (item["amount"], item["currency"], item["customer"]) == (1200, "usd", customer)
    assert [i["id"] for i in client.get("/v1/invoiceitems", {"customer": customer})["data"]] == [
        item["id"]
    ]


def test_stripe_only_behaviours_on_the_emulator(client, backend):
    """What localstripe does differently from Stripe; asserted where it is Stripe's behaviour."""
    customer = client.post("/v1/customers", {"metadata": {"a": "1", "b": "2"}})
    after = client.post(f"/v1/customers/{customer['id']}", {"metadata": {"b": ""}})
    newest = [c["id"] for c in client.get("/v1/customers", {"limit": 100})["data"]]
    if backend.is_localstripe:
        assert after["metadata"].get("b") == ""  # localstripe keeps the key with an empty value
        assert newest[-1] == customer["id"]  # oldest first
        return
    assert "b" not in after["metadata"]
    assert newest[0] == customer["id"]  # newest first, as Stripe
    assert (
        client.get("/v1/customers/search", {"query": 'metadata["a"]:"1"'})["data"][0]["id"]
        == customer["id"]
    )
