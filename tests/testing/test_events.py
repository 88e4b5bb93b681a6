"""Events (https://docs.stripe.com/api/events): one per API write, Stripe's type names."""

from __future__ import annotations


def _types(api, **params):
    return [
        e["type"] for e in api.get("/v1/events", params={"limit": 100, **params}).json()["data"]
    ]


def test_writes_and_actions_leave_events_newest_first(api):
    customer = api.post("/v1/customers", data={"name": "Ada"}).json()["id"]
    api.post(f"/v1/customers/{customer}", data={"name": "Grace"})
    intent = api.post(
        "/v1/payment_intents",
        data={"amount": 100, "currency": "usd", "payment_method": "pm_card_visa"},
    )
    api.post(f"/v1/payment_intents/{intent.json()['id']}/confirm")
    api.delete(f"/v1/customers/{customer}")
    assert _types(api) == [
        "customer.deleted",
        "payment_intent.succeeded",
        "charge.succeeded",
        "payment_intent.created",
        "customer.updated",
        "customer.created",
    ]
    assert _types(api, type="customer.updated") == ["customer.updated"]


def test_event_shape_and_previous_attributes(api):
    customer = api.post("/v1/customers", data={"name": "Ada"}).json()["id"]
    api.post(f"/v1/customers/{customer}", data={"name": "Grace"})
    event = api.get("/v1/events", params={"limit": 1}).json()["data"][0]
    assert event["id"].startswith("evt_")
    assert event["object"] == "event"
    assert event["data"]["object"]["name"] == "Grace"
    assert event["data"]["previous_attributes"] == {"name": "Ada"}
    assert api.get(f"/v1/events/{event['id']}").json() == event


def test_subscription_cancel_is_customer_subscription_deleted(api, monthly_price):
    customer = api.post("/v1/customers").json()["id"]
    price = monthly_price(api)
    sub = api.post(
        "/v1/subscriptions", data={"customer": customer, "items[0][price]": price}
    ).json()["id"]
    api.delete(f"/v1/subscriptions/{sub}")
    assert _types(api)[:2] == ["customer.subscription.deleted", "customer.subscription.created"]


def test_events_older_than_30_days_are_not_listed(api, fresh_emulator):
    fresh_emulator.insert(
        "events", {"id": "evt_old", "created": 1_000_000_000, "type": "customer.created"}
    )
    assert "evt_old" not in [e["id"] for e in api.get("/v1/events").json()["data"]]


def test_no_event_for_what_stripe_does_not_announce(api, monthly_price):
    # Stripe has no payment_method.created (attached comes when it is used) and no events
    # for subscription items (they change in customer.subscription.updated).
    customer = api.post("/v1/customers").json()["id"]
    method = api.post("/v1/payment_methods", data={"type": "card"}).json()["id"]
    api.post(f"/v1/payment_methods/{method}/attach", data={"customer": customer})
    api.post("/v1/subscriptions", data={"customer": customer, "items[0][price]": monthly_price(api)})
    types = _types(api)
    assert "payment_method.attached" in types and "customer.subscription.created" in types
    assert not [t for t in types if t in ("payment_method.created", "subscription_item.created")]
