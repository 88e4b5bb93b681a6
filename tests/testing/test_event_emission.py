"""What each API write and action emits in /v1/events, as Stripe does (types, data.object
as returned, previous_attributes); the types come from the catalog's Table.freshness."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.testing import behaviours

CATALOG_TYPES = {e for t in load_catalog().tables.values() for e in t.freshness.event_types}


class Recorder:
    """The events a block of requests leaves, oldest first (read with ending_before)."""

    def __init__(self, api):
        self.api = api
        newest = api.get("/v1/events", params={"limit": 1}).json()["data"]
        self.after = newest[0]["id"] if newest else None

    def events(self) -> list[dict]:
        if self.after is None:
            return list(reversed(_all(self.api)))
        found: list[dict] = []
        cursor = self.after
        while True:  # ending_before pages toward newer events, each page newest first
            page = self.api.get("/v1/events", params={"limit": 3, "ending_before": cursor}).json()
            found.extend(reversed(page["data"]))
            if not page["has_more"]:
                return found
            cursor = page["data"][0]["id"]

    def types(self) -> list[str]:
        return [e["type"] for e in self.events()]


def _all(api) -> list[dict]:
    return api.get("/v1/events", params={"limit": 100}).json()["data"]


@pytest.fixture
def emitted(api):
    """``with emitted() as seen: ...`` then ``seen.events()``: the block's events, oldest first."""

    @contextmanager
    def block():
        yield Recorder(api)

    return block


def _post(api, path, **data):
    response = api.post(path, data=data)
    assert response.status_code == 200, response.text
    return response.json()


def _of(events, object_id) -> list[dict]:
    return [e for e in events if e["data"]["object"]["id"] == object_id]


# -- setups -------------------------------------------------------------------------------


def _customer(api):
    return _post(api, "/v1/customers", name="Ada", email="ada@example.com")


def _intent(api, **extra):
    data = {"amount": 500, "currency": "usd", "payment_method": "pm_card_visa", **extra}
    return _post(api, "/v1/payment_intents", **data)


def _draft_invoice(api, amount=700):
    customer = _customer(api)["id"]
    invoice = _post(api, "/v1/invoices", customer=customer)
    _post(api, "/v1/invoiceitems", customer=customer, invoice=invoice["id"], amount=amount,
          currency="usd")
    return invoice["id"]


def _quote(api):
    customer = _customer(api)["id"]
    product = _post(api, "/v1/products", name="once")["id"]
    one_time = _post(api, "/v1/prices", product=product, currency="usd", unit_amount=300)["id"]
    return _post(api, "/v1/quotes", customer=customer, **{
        "line_items[0][price]": one_time, "line_items[0][quantity]": 2})["id"]


# -- actions --------------------------------------------------------------------------------

# Procedure -> (setup returning the path's id, expected events of the call, oldest first).
ACTION_CASES = {
    "ConfirmPaymentIntent": (
        lambda api: _intent(api)["id"],
        ["charge.succeeded", "payment_intent.succeeded"],
    ),
    "CapturePaymentIntent": (
        lambda api: _post(api, f"/v1/payment_intents/{_intent(api, capture_method='manual')['id']}/confirm")["id"],
        ["payment_intent.succeeded", "charge.captured"],
    ),
    "CancelPaymentIntent": (
        lambda api: _intent(api)["id"],
        ["payment_intent.canceled"],
    ),
    "AttachPaymentMethodToCustomer": (
        lambda api: _post(api, "/v1/payment_methods", type="card")["id"],
        ["payment_method.attached"],
    ),
    "DetachPaymentMethodFromCustomer": (
        lambda api: _post(api, "/v1/payment_methods", type="card",
                              customer=_customer(api)["id"])["id"],
        ["payment_method.detached"],
    ),
    "FinalizeInvoice": (
        lambda api: _draft_invoice(api),
        ["invoice.finalized", "customer.updated"],  # the customer's next_invoice_sequence
    ),
    "PayInvoice": (
        lambda api: _draft_invoice(api),
        ["invoice.finalized", "invoice.paid", "invoice.payment_succeeded", "customer.updated"],
    ),
    "VoidInvoice": (
        lambda api: _post(api, f"/v1/invoices/{_draft_invoice(api)}/finalize")["id"],
        ["invoice.voided"],
    ),
    "MarkUncollectibleInvoice": (
        lambda api: _post(api, f"/v1/invoices/{_draft_invoice(api)}/finalize")["id"],
        ["invoice.marked_uncollectible"],
    ),
    "SendInvoice": (
        lambda api: _post(api, f"/v1/invoices/{_draft_invoice(api)}/finalize")["id"],
        ["invoice.sent"],
    ),
    "FinalizeQuote": (lambda api: _quote(api), ["quote.finalized"]),
    "AcceptQuote": (
        lambda api: _post(api, f"/v1/quotes/{_quote(api)}/finalize")["id"],
        ["invoice.created", "invoiceitem.created", "quote.accepted"],
    ),
    "CancelQuote": (lambda api: _quote(api), ["quote.canceled"]),
}
ACTION_BODIES = {
    "AttachPaymentMethodToCustomer": lambda api: {"customer": _customer(api)["id"]},
}


def test_every_implemented_action_has_an_event_case():
    assert set(ACTION_CASES) == set(behaviours.ACTIONS)


@pytest.mark.parametrize("name", sorted(ACTION_CASES))
def test_actions_emit_stripes_events_with_the_object_as_returned(api, emitted, name):
    setup, expected = ACTION_CASES[name]
    object_id = setup(api)
    body = ACTION_BODIES.get(name, lambda api: {})(api)
    procedure = load_catalog().procedures[name]
    path = procedure.path.replace("{" + procedure.params[0].path_param + "}", object_id)
    with emitted() as seen:
        result = _post(api, path, **body)
    events = seen.events()
    assert [e["type"] for e in events] == expected
    assert set(expected) <= CATALOG_TYPES
    own = _of(events, result["id"])
    assert own and own[-1]["data"]["object"] == result
    assert all("previous_attributes" in e["data"] for e in own)  # a change of an object


def test_a_declined_confirmation_still_announces_the_failed_payment(api, emitted):
    intent = _intent(api, payment_method="pm_card_chargeDeclined")["id"]
    with emitted() as seen:
        response = api.post(f"/v1/payment_intents/{intent}/confirm")
    assert response.status_code == 402
    charge, event = seen.events()
    assert (charge["type"], event["type"]) == ("charge.failed", "payment_intent.payment_failed")
    assert event["data"]["object"] == api.get(f"/v1/payment_intents/{intent}").json()
    assert event["data"]["previous_attributes"]["status"] == "requires_confirmation"


def test_canceling_an_authorized_payment_refunds_its_charge(api, emitted):
    intent = _intent(api, capture_method="manual", confirm="true")["id"]
    with emitted() as seen:
        _post(api, f"/v1/payment_intents/{intent}/cancel")
    assert seen.types() == ["payment_intent.canceled", "charge.refunded"]


# -- creates, updates, deletes ----------------------------------------------------------------


def test_create_update_delete_of_a_customer(api, emitted):
    with emitted() as seen:
        customer = _customer(api)
        updated = _post(api, f"/v1/customers/{customer['id']}", name="Grace",
                        **{"metadata[tier]": "gold"})
        api.delete(f"/v1/customers/{customer['id']}")
    created, update, deleted = seen.events()
    assert [created["type"], update["type"], deleted["type"]] == [
        "customer.created", "customer.updated", "customer.deleted"]
    assert created["data"]["object"] == customer
    assert update["data"]["object"] == updated
    assert update["data"]["previous_attributes"] == {"name": "Ada", "metadata": {"tier": None}}
    assert deleted["data"]["object"] == updated


def test_a_payment_intent_created_confirmed_announces_both(api, emitted):
    with emitted() as seen:
        intent = _intent(api, confirm="true")
    assert seen.types() == ["payment_intent.created", "charge.succeeded",
                            "payment_intent.succeeded"]
    assert seen.events()[2]["data"]["object"] == intent


def test_a_payment_intent_update_emits_nothing_as_on_stripe(api, emitted):
    intent = _intent(api)["id"]
    with emitted() as seen:
        _post(api, f"/v1/payment_intents/{intent}", description="no event for this")
    assert seen.types() == []


def test_a_refund_announces_itself_and_the_refunded_charge(api, emitted):
    intent = _intent(api, confirm="true")
    with emitted() as seen:
        refund = _post(api, "/v1/refunds", payment_intent=intent["id"], amount=200)
    created, refunded = seen.events()
    assert (created["type"], refunded["type"]) == ("refund.created", "charge.refunded")
    assert created["data"]["object"] == refund
    assert refunded["data"]["object"]["amount_refunded"] == 200
    assert refunded["data"]["object"] == api.get(f"/v1/charges/{refund['charge']}").json()


def test_a_subscription_is_created_with_its_items_and_canceled_by_delete(
    api, emitted, monthly_price
):
    customer = _customer(api)["id"]
    price = monthly_price(api)
    with emitted() as seen:
        sub = _post(api, "/v1/subscriptions", customer=customer, **{"items[0][price]": price})
        canceled = api.delete(f"/v1/subscriptions/{sub['id']}").json()
    created, deleted = seen.events()
    assert created["type"] == "customer.subscription.created"
    assert created["data"]["object"] == sub
    assert created["data"]["object"]["items"]["data"][0]["price"]["id"] == price
    assert deleted["type"] == "customer.subscription.deleted"
    assert deleted["data"]["object"] == canceled and canceled["status"] == "canceled"


def test_a_subscription_item_change_is_a_subscription_update(api, emitted, monthly_price):
    customer = _customer(api)["id"]
    sub = _post(api, "/v1/subscriptions", customer=customer,
                **{"items[0][price]": monthly_price(api)})
    item = sub["items"]["data"][0]["id"]
    with emitted() as seen:
        _post(api, f"/v1/subscription_items/{item}", quantity=3)
    (event,) = seen.events()
    assert event["type"] == "customer.subscription.updated"
    assert event["data"]["object"]["items"]["data"][0]["quantity"] == 3
    assert event["data"]["object"] == api.get(f"/v1/subscriptions/{sub['id']}").json()


def test_invoice_items_on_a_draft_update_the_invoice(api, emitted):
    customer = _customer(api)["id"]
    invoice = _post(api, "/v1/invoices", customer=customer)["id"]
    with emitted() as seen:
        item = _post(api, "/v1/invoiceitems", customer=customer, invoice=invoice, amount=900,
                     currency="usd")
        api.delete(f"/v1/invoiceitems/{item['id']}")
        api.delete(f"/v1/invoices/{invoice}")
    assert seen.types() == ["invoiceitem.created", "invoice.updated", "invoiceitem.deleted",
                            "invoice.updated", "invoice.deleted"]
    assert seen.events()[1]["data"]["object"]["total"] == 900


def test_nested_writes_use_stripes_prefixes(api, emitted):
    customer = _customer(api)["id"]
    with emitted() as seen:
        card = _post(api, f"/v1/customers/{customer}/sources", source="tok_visa")
        tax_id = _post(api, f"/v1/customers/{customer}/tax_ids", type="eu_vat",
                       value="DE123456789")
    assert seen.types() == ["customer.source.created", "customer.updated",
                            "customer.tax_id.created"]
    assert seen.events()[0]["data"]["object"] == card
    assert seen.events()[2]["data"]["object"] == tax_id


def test_product_price_coupon_and_plan_writes(api, emitted):
    with emitted() as seen:
        product = _post(api, "/v1/products", name="Mug")["id"]
        price = _post(api, "/v1/prices", product=product, currency="usd", unit_amount=1200)["id"]
        _post(api, f"/v1/prices/{price}", active="false")
        _post(api, "/v1/coupons", id="TENOFF", percent_off=10)
        api.delete("/v1/coupons/TENOFF")
        _post(api, "/v1/plans", id="gold", amount=500, currency="usd", interval="month",
              product=product)
    assert seen.types() == ["product.created", "price.created", "price.updated",
                            "coupon.created", "coupon.deleted", "plan.created", "price.created"]


def test_subscription_items_created_and_deleted_change_the_subscription(
    api, emitted, monthly_price
):
    customer = _customer(api)["id"]
    sub = _post(api, "/v1/subscriptions", customer=customer,
                **{"items[0][price]": monthly_price(api)})["id"]
    other = monthly_price(api)
    with emitted() as seen:
        item = _post(api, "/v1/subscription_items", subscription=sub, price=other)
        _post(api, f"/v1/subscription_items/{item['id']}", price=monthly_price(api))
        api.delete(f"/v1/subscription_items/{item['id']}")
    assert seen.types() == [
        "customer.subscription.updated",  # the item added
        "product.created",  # monthly_price's
        "price.created",
        "customer.subscription.updated",  # its price changed
        "customer.subscription.updated",  # removed
    ]
    updates = [e for e in seen.events() if e["type"] == "customer.subscription.updated"]
    assert [len(e["data"]["object"]["items"]["data"]) for e in updates] == [2, 2, 1]
    assert updates[0]["data"]["object"]["items"]["data"][1]["price"]["id"] == other
    assert api.get(f"/v1/prices/{other}").json()["id"] == other  # not merged into
    assert updates[-1]["data"]["object"] == api.get(f"/v1/subscriptions/{sub}").json()


def test_previous_attributes_name_the_changed_keys_of_a_hash_and_whole_arrays(api, emitted):
    customer = _post(api, "/v1/customers", name="Ada", **{
        "metadata[a]": "1", "metadata[b]": "2", "preferred_locales[0]": "en"})["id"]
    with emitted() as seen:
        _post(api, f"/v1/customers/{customer}", **{
            "metadata[a]": "9", "preferred_locales[0]": "fr", "address[city]": "Paris"})
    (event,) = seen.events()
    assert event["data"]["previous_attributes"] == {
        "metadata": {"a": "1"}, "preferred_locales": ["en"], "address": None}


def test_deleting_a_customer_cancels_its_subscriptions(api, emitted, monthly_price):
    customer = _customer(api)["id"]
    sub = _post(api, "/v1/subscriptions", customer=customer,
                **{"items[0][price]": monthly_price(api)})["id"]
    with emitted() as seen:
        assert api.delete(f"/v1/customers/{customer}").json()["deleted"] is True
    assert sorted(seen.types()) == ["customer.deleted", "customer.subscription.deleted"]
    canceled = api.get(f"/v1/subscriptions/{sub}").json()
    assert canceled["status"] == "canceled"
    assert _of(seen.events(), sub)[0]["data"]["object"] == canceled
