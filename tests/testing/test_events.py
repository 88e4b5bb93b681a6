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
def _ids(api, **params):
    return [e["id"] for e in api.get("/v1/events", params={"limit": 100, **params}).json()["data"]]


def _five_customers(api):
    for name in "abcde":
        api.post("/v1/customers", data={"name": name})
    return list(reversed(_ids(api)))  # oldest first


def test_paging_newest_first_and_ending_before_toward_newer(api):
    oldest_first = _five_customers(api)
    page = api.get("/v1/events", params={"limit": 2}).json()
    assert [e["id"] for e in page["data"]] == oldest_first[:-3:-1] and page["has_more"]
    older = api.get("/v1/events", params={"limit": 2, "starting_after": page["data"][-1]["id"]})
    assert [e["id"] for e in older.json()["data"]] == [oldest_first[2], oldest_first[1]]
    newer = api.get("/v1/events", params={"limit": 2, "ending_before": oldest_first[0]}).json()
    # the two events just newer than the cursor, still newest first
    assert [e["id"] for e in newer["data"]] == [oldest_first[2], oldest_first[1]]
    assert newer["has_more"]
    last = api.get("/v1/events", params={"limit": 2, "ending_before": oldest_first[2]}).json()
    assert [e["id"] for e in last["data"]] == [oldest_first[4], oldest_first[3]]
    assert not last["has_more"]


def test_types_and_type_wildcards(api, monthly_price):
    customer = api.post("/v1/customers").json()["id"]
    monthly_price(api)
    api.post("/v1/subscriptions", data={"customer": customer, "items[0][price]": monthly_price(api)})
    assert _types(api, **{"types[]": ["price.created", "customer.created"]}) == [
        "price.created", "price.created", "customer.created"]
    assert _types(api, type="customer.*") == ["customer.subscription.created", "customer.created"]
    assert _types(api, type="*.created")[-1] == "customer.created"
    assert _types(api, delivery_success="true") == _types(api)
    assert _types(api, delivery_success="false") == []
    too_many = api.get("/v1/events", params={"types[]": [f"t{i}" for i in range(21)]})
    assert too_many.status_code == 400


def test_created_filters_bisect_the_log(api, fresh_emulator):
    now = int(fresh_emulator.app.now())
    for offset, name in ((-300, "old"), (-200, "mid"), (-100, "new")):
        fresh_emulator.insert("events", {"id": f"evt_{name}", "created": now + offset,
                                         "type": "customer.created"})
    assert _ids(api, **{"created[gte]": now - 200}) == ["evt_new", "evt_mid"]
    assert _ids(api, **{"created[gt]": now - 200}) == ["evt_new"]
    assert _ids(api, **{"created[lt]": now - 100, "created[gte]": now - 300}) == [
        "evt_mid", "evt_old"]
    assert _ids(api, **{"created[lte]": now - 300}) == ["evt_old"]


def test_events_of_a_connected_account_stay_under_that_account(api):
    account = api.post("/v1/accounts", data={"type": "custom"}).json()["id"]
    connected = {"Stripe-Account": account}
    api.post("/v1/customers", data={"name": "theirs"}, headers=connected)
    theirs = api.get("/v1/events", headers=connected).json()["data"]
    assert [(e["type"], e["account"]) for e in theirs] == [("customer.created", account)]
    assert api.get(f"/v1/events/{theirs[0]['id']}", headers=connected).status_code == 200
    assert api.get(f"/v1/events/{theirs[0]['id']}").status_code == 404
    assert "customer.created" not in _types(api)
