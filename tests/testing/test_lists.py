"""List endpoints, from https://docs.stripe.com/api/pagination and each resource's list reference."""

from __future__ import annotations

import pytest


def _customers(emu, n, start=1_700_000_000, step=10, **extra):
    return [
        emu.insert(
            "customers",
            {
                "id": f"cus_{i:04d}",
                "created": start + i * step,
                "email": f"c{i}@example.com",
                "metadata": {},
                "test_clock": None,
                **extra,
            },
        )
        for i in range(n)
    ]


def _ids(response):
    assert response.status_code == 200, response.text
    return [obj["id"] for obj in response.json()["data"]]


def test_list_is_newest_first_with_list_envelope(api):
    created = [api.post("/v1/customers", data={"name": f"n{i}"}).json()["id"] for i in range(3)]
    body = api.get("/v1/customers").json()
    assert body["object"] == "list"
    assert body["url"] == "/v1/customers"
    assert body["has_more"] is False
    assert [c["id"] for c in body["data"]] == list(reversed(created))


def test_default_limit_is_10_and_has_more(api, fresh_emulator):
    _customers(fresh_emulator, 12)
    body = api.get("/v1/customers").json()
    assert len(body["data"]) == 10
    assert body["has_more"] is True


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten"])
def test_limit_outside_1_to_100_is_a_400(api, limit, error_of):
    response = api.get("/v1/customers", params={"limit": limit})
    assert response.status_code == 400
    assert error_of(response)["param"] == "limit"
    assert error_of(response)["type"] == "invalid_request_error"


def test_starting_after_walks_every_object_once(api, fresh_emulator):
    _customers(fresh_emulator, 25)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 10, **({"starting_after": cursor} if cursor else {})}
        body = api.get("/v1/customers", params=params).json()
        seen += [c["id"] for c in body["data"]]
        pages += 1
        if not body["has_more"]:
            break
        cursor = body["data"][-1]["id"]
    assert pages == 3
    assert seen == [f"cus_{i:04d}" for i in reversed(range(25))]


def test_ending_before_returns_the_newer_page_newest_first(api, fresh_emulator):
    _customers(fresh_emulator, 25)
    body = api.get("/v1/customers", params={"limit": 3, "ending_before": "cus_0010"}).json()
    assert [c["id"] for c in body["data"]] == ["cus_0013", "cus_0012", "cus_0011"]
    assert body["has_more"] is True
    body = api.get("/v1/customers", params={"limit": 5, "ending_before": "cus_0022"}).json()
    assert [c["id"] for c in body["data"]] == ["cus_0024", "cus_0023"]
    assert body["has_more"] is False


def test_both_cursors_or_unknown_cursor_are_400(api, fresh_emulator, error_of):
    _customers(fresh_emulator, 3)
    both = api.get(
        "/v1/customers", params={"starting_after": "cus_0001", "ending_before": "cus_0002"}
    )
    assert both.status_code == 400
    unknown = api.get("/v1/customers", params={"starting_after": "cus_nope"})
    assert unknown.status_code == 400
    assert error_of(unknown)["param"] == "starting_after"


def test_created_range_and_exact(api, fresh_emulator):
    _customers(fresh_emulator, 10, start=1000, step=10)  # created 1000, 1010, ..., 1090
    gte_lt = api.get("/v1/customers", params={"created[gte]": 1020, "created[lt]": 1050})
    assert _ids(gte_lt) == ["cus_0004", "cus_0003", "cus_0002"]
    gt_lte = api.get("/v1/customers", params={"created[gt]": 1020, "created[lte]": 1050})
    assert _ids(gt_lte) == ["cus_0005", "cus_0004", "cus_0003"]
    exact = api.get("/v1/customers", params={"created": 1070})
    assert _ids(exact) == ["cus_0007"]


def test_created_range_with_cursor(api, fresh_emulator):
    _customers(fresh_emulator, 10, start=1000, step=10)
    page = api.get(
        "/v1/customers", params={"created[lte]": 1080, "limit": 2, "starting_after": "cus_0006"}
    )
    assert _ids(page) == ["cus_0005", "cus_0004"]


def test_equality_filter(api, fresh_emulator):
    _customers(fresh_emulator, 5)
    assert _ids(api.get("/v1/customers", params={"email": "c3@example.com"})) == ["cus_0003"]


def test_reference_filter_and_unknown_filter(api, error_of):
    customer = api.post("/v1/customers").json()["id"]
    other = api.post("/v1/customers").json()["id"]
    mine = api.post(
        "/v1/payment_intents", data={"amount": 100, "currency": "usd", "customer": customer}
    ).json()
    api.post("/v1/payment_intents", data={"amount": 200, "currency": "usd", "customer": other})
    assert _ids(api.get("/v1/payment_intents", params={"customer": customer})) == [mine["id"]]
    response = api.get("/v1/payment_intents", params={"colour": "blue"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "parameter_unknown"


def test_array_filters_ids_and_lookup_keys(api):
    products = [api.post("/v1/products", data={"name": f"p{i}"}).json()["id"] for i in range(4)]
    listed = api.get("/v1/products", params=[("ids[]", products[0]), ("ids[]", products[2])])
    assert set(_ids(listed)) == {products[0], products[2]}
    price = api.post(
        "/v1/prices",
        data={"product": products[0], "currency": "usd", "unit_amount": 5, "lookup_key": "basic"},
    ).json()
    api.post(
        "/v1/prices",
        data={"product": products[0], "currency": "usd", "unit_amount": 9, "lookup_key": "pro"},
    )
    assert _ids(api.get("/v1/prices", params={"lookup_keys[]": "basic"})) == [price["id"]]


def test_boolean_and_nested_filters(api):
    product = api.post("/v1/products", data={"name": "p"}).json()["id"]
    monthly = api.post(
        "/v1/prices",
        data={
            "product": product,
            "currency": "usd",
            "unit_amount": 5,
            "recurring[interval]": "month",
        },
    ).json()
    api.post("/v1/prices", data={"product": product, "currency": "usd", "unit_amount": 5})
    assert _ids(api.get("/v1/prices", params={"type": "recurring"})) == [monthly["id"]]
    assert _ids(api.get("/v1/prices", params={"recurring[interval]": "month"})) == [monthly["id"]]
    archived = api.post("/v1/products", data={"name": "old", "active": "false"}).json()["id"]
    assert _ids(api.get("/v1/products", params={"active": "false"})) == [archived]


def test_subscriptions_hide_canceled_unless_status_given(api, monthly_price):
    customer = api.post("/v1/customers").json()["id"]
    price = monthly_price(api)
    subs = [
        api.post("/v1/subscriptions", data={"customer": customer, "items[0][price]": price}).json()[
            "id"
        ]
        for _ in range(2)
    ]
    assert api.delete(f"/v1/subscriptions/{subs[0]}").json()["status"] == "canceled"
    assert _ids(api.get("/v1/subscriptions")) == [subs[1]]
    assert _ids(api.get("/v1/subscriptions", params={"status": "canceled"})) == [subs[0]]
    assert set(_ids(api.get("/v1/subscriptions", params={"status": "all"}))) == set(subs)
    assert _ids(api.get("/v1/subscriptions", params={"price": price, "status": "all"})) == list(
        reversed(subs)
    )


def test_prices_list_active_unless_active_false(api):
    product = api.post("/v1/products", data={"name": "p"}).json()["id"]
    live = api.post(
        "/v1/prices", data={"product": product, "currency": "usd", "unit_amount": 5}
    ).json()["id"]
    old = api.post(
        "/v1/prices", data={"product": product, "currency": "usd", "unit_amount": 4}
    ).json()["id"]
    assert api.post(f"/v1/prices/{old}", data={"active": "false"}).json()["active"] is False
    assert _ids(api.get("/v1/prices")) == [live]
    assert _ids(api.get("/v1/prices", params={"active": "false"})) == [old]


def test_customers_on_test_clocks_hidden_unless_test_clock_given(api, fresh_emulator):
    _customers(fresh_emulator, 1)
    fresh_emulator.insert(
        "customers", {"id": "cus_clocked", "created": 5, "test_clock": "clock_1", "metadata": {}}
    )
    assert _ids(api.get("/v1/customers")) == ["cus_0000"]
    assert _ids(api.get("/v1/customers", params={"test_clock": "clock_1"})) == ["cus_clocked"]


def test_nested_list_under_parent(api, error_of):
    customer = api.post("/v1/customers").json()["id"]
    pm = api.post(
        "/v1/payment_methods", data={"type": "card", "card[number]": "4242424242424242"}
    ).json()["id"]
    assert _ids(api.get(f"/v1/customers/{customer}/payment_methods")) == []
    api.post(f"/v1/payment_methods/{pm}/attach", data={"customer": customer})
    body = api.get(f"/v1/customers/{customer}/payment_methods").json()
    assert [p["id"] for p in body["data"]] == [pm]
    assert body["url"] == f"/v1/customers/{customer}/payment_methods"
    missing = api.get("/v1/customers/cus_nope/payment_methods")
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "resource_missing"


def test_expand_on_lists_needs_data_prefix(api, error_of):
    customer = api.post("/v1/customers", data={"email": "e@example.com"}).json()["id"]
    api.post("/v1/payment_intents", data={"amount": 100, "currency": "usd", "customer": customer})
    expanded = api.get("/v1/payment_intents", params={"expand[]": "data.customer"}).json()["data"][
        0
    ]
    assert expanded["customer"]["email"] == "e@example.com"
    plain = api.get("/v1/payment_intents").json()["data"][0]
    assert plain["customer"] == customer  # expansion does not leak into the stored object
    wrong = api.get("/v1/payment_intents", params={"expand[]": "customer"})
    assert wrong.status_code == 400
    assert error_of(wrong)["param"] == "expand"


def test_expand_several_levels_and_the_four_level_limit(api, error_of):
    customer = api.post("/v1/customers", data={"name": "Deep"}).json()["id"]
    intent = api.post(
        "/v1/payment_intents",
        data={
            "amount": 100,
            "currency": "usd",
            "customer": customer,
            "payment_method": "pm_card_visa",
            "confirm": "true",
        },
    ).json()
    charges = api.get("/v1/charges", params={"expand[]": "data.payment_intent.customer"}).json()[
        "data"
    ]
    assert charges[0]["payment_intent"]["id"] == intent["id"]
    assert charges[0]["payment_intent"]["customer"]["name"] == "Deep"
    too_deep = api.get(
        "/v1/charges", params={"expand[]": "data.payment_intent.customer.default_source.x"}
    )
    assert too_deep.status_code == 400
    assert "4 levels" in error_of(too_deep)["message"]
    retrieved = api.get(f"/v1/charges/{charges[0]['id']}", params={"expand[]": "customer"}).json()
    assert retrieved["customer"]["id"] == customer


def test_expand_of_a_non_field_is_400(api):
    customer = api.post("/v1/customers").json()["id"]
    response = api.get(f"/v1/customers/{customer}", params={"expand[]": "not_a_field"})
    assert response.status_code == 400


def test_expand_of_a_plain_value_is_400_and_of_an_unknown_id_keeps_the_id(api, fresh_emulator):
    intent = api.post("/v1/payment_intents", data={"amount": 5, "currency": "usd"}).json()["id"]
    assert (
        api.get(f"/v1/payment_intents/{intent}", params={"expand[]": "currency"}).status_code == 400
    )
    fresh_emulator.insert("charges", {"id": "ch_x", "created": 1, "customer": "cus_not_held"})
    charge = api.get("/v1/charges/ch_x", params={"expand[]": "customer"}).json()
    assert charge["customer"] == "cus_not_held"


def test_expand_of_a_deleted_customer_gives_the_deleted_stub(api):
    customer = api.post("/v1/customers").json()["id"]
    intent = api.post(
        "/v1/payment_intents", data={"amount": 5, "currency": "usd", "customer": customer}
    ).json()
    api.delete(f"/v1/customers/{customer}")
    expanded = api.get(
        f"/v1/payment_intents/{intent['id']}", params={"expand[]": "customer"}
    ).json()
    assert expanded["customer"] == {"id": customer, "object": "customer", "deleted": True}
