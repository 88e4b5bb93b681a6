"""Retrieve, create, update and delete, from Stripe's API reference (customers, products, ...)."""

from __future__ import annotations


def test_create_returns_a_full_object_with_stripe_id_prefix(api):
    customer = api.post("/v1/customers", data={"email": "a@example.com", "name": "Ada"}).json()
    assert customer["id"].startswith("cus_")
    assert customer["object"] == "customer"
    assert customer["email"] == "a@example.com"
    assert customer["livemode"] is False
    assert isinstance(customer["created"], int)
    assert customer["phone"] is None  # every field present, unset ones null
    assert customer["metadata"] == {}
    assert api.get(f"/v1/customers/{customer['id']}").json() == customer


def test_prefixes_of_other_resources(api):
    product = api.post("/v1/products", data={"name": "p"}).json()
    price = api.post(
        "/v1/prices", data={"product": product["id"], "currency": "usd", "unit_amount": 5}
    ).json()
    intent = api.post("/v1/payment_intents", data={"amount": 5, "currency": "usd"}).json()
    assert (product["id"][:5], price["id"][:6], intent["id"][:3]) == ("prod_", "price_", "pi_")


def test_retrieve_missing_is_404_resource_missing(api, error_of):
    response = api.get("/v1/customers/cus_doesnotexist")
    assert response.status_code == 404
    error = error_of(response)
    assert error["type"] == "invalid_request_error"
    assert error["code"] == "resource_missing"
    assert error["message"] == "No such customer: 'cus_doesnotexist'"
    assert response.headers["Request-Id"].startswith("req_")


def test_nested_params_are_decoded(api):
    customer = api.post(
        "/v1/customers",
        data={
            "address[city]": "Paris",
            "address[country]": "FR",
            "metadata[tier]": "gold",
            "preferred_locales[0]": "fr",
        },
    ).json()
    assert customer["address"] == {"city": "Paris", "country": "FR"}
    assert customer["metadata"] == {"tier": "gold"}
    assert customer["preferred_locales"] == ["fr"]


def test_typed_params(api, error_of):
    customer = api.post("/v1/customers", data={"balance": "-250"}).json()
    assert customer["balance"] == -250
    bad = api.post("/v1/customers", data={"balance": "lots"})
    assert bad.status_code == 400
    assert error_of(bad)["param"] == "balance"
    bad_bool = api.post("/v1/products", data={"name": "p", "active": "yes"})
    assert bad_bool.status_code == 400


def test_metadata_merges_on_update_and_empty_value_removes(api):
    customer = api.post("/v1/customers", data={"metadata[a]": "1", "metadata[b]": "2"}).json()["id"]
    updated = api.post(
        f"/v1/customers/{customer}", data={"metadata[b]": "", "metadata[c]": "3"}
    ).json()
    assert updated["metadata"] == {"a": "1", "c": "3"}
    cleared = api.post(f"/v1/customers/{customer}", data={"metadata": ""}).json()
    assert cleared["metadata"] == {}


def test_update_changes_only_given_fields_and_empty_string_unsets(api):
    customer = api.post("/v1/customers", data={"name": "A", "email": "a@example.com"}).json()["id"]
    updated = api.post(f"/v1/customers/{customer}", data={"name": "B"}).json()
    assert (updated["name"], updated["email"]) == ("B", "a@example.com")
    assert api.post(f"/v1/customers/{customer}", data={"email": ""}).json()["email"] is None


def test_read_only_and_unknown_params_are_rejected(api, error_of):
    for data in ({"created": "1"}, {"id": "cus_mine"}, {"object": "x"}, {"colour": "red"}):
        response = api.post("/v1/customers", data=data)
        assert response.status_code == 400, data
        error = error_of(response)
        assert error["code"] == "parameter_unknown"
        assert error["param"] == next(iter(data))
    customer = api.post("/v1/customers").json()["id"]
    nested = api.post(f"/v1/customers/{customer}", data={"address[planet]": "Mars"})
    assert nested.status_code == 400
    assert error_of(nested)["param"] == "address[planet]"


def test_required_params(api, error_of):
    response = api.post("/v1/payment_intents", data={"currency": "usd"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "parameter_missing"
    assert error_of(response)["param"] == "amount"


def test_reference_to_missing_object_is_400(api, error_of):
    response = api.post(
        "/v1/payment_intents", data={"amount": 5, "currency": "usd", "customer": "cus_nope"}
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "resource_missing"
    assert error_of(response)["param"] == "customer"


def test_delete_customer_returns_deleted_stub_which_retrieve_keeps_showing(api):
    customer = api.post("/v1/customers").json()["id"]
    stub = {"id": customer, "object": "customer", "deleted": True}
    assert api.delete(f"/v1/customers/{customer}").json() == stub
    assert (
        api.get(f"/v1/customers/{customer}").json() == stub
    )  # Stripe: "a subset ... deleted: true"
    assert api.get("/v1/customers").json()["data"] == []
    assert api.delete(f"/v1/customers/{customer}").status_code == 404
    assert api.post(f"/v1/customers/{customer}", data={"name": "x"}).status_code == 404


def test_other_deleted_objects_are_gone(api):
    product = api.post("/v1/products", data={"name": "p"}).json()["id"]
    api.delete(f"/v1/products/{product}")
    assert api.get(f"/v1/products/{product}").status_code == 404


def test_delete_product_with_prices_is_refused(api):
    product = api.post("/v1/products", data={"name": "p"}).json()["id"]
    api.post("/v1/prices", data={"product": product, "currency": "usd", "unit_amount": 5})
    assert api.delete(f"/v1/products/{product}").status_code == 400
    empty = api.post("/v1/products", data={"name": "q"}).json()["id"]
    assert api.delete(f"/v1/products/{empty}").json()["deleted"] is True


def test_no_delete_where_stripe_has_none(api, error_of):
    # Stripe has no DELETE /v1/prices/{id}: like any unknown route, a 404
    # invalid_request_error "Unrecognized request URL (DELETE: /v1/prices/price_...)".
    product = api.post("/v1/products", data={"name": "p"}).json()["id"]
    price = api.post(
        "/v1/prices", data={"product": product, "currency": "usd", "unit_amount": 5}
    ).json()["id"]
    response = api.delete(f"/v1/prices/{price}")
    assert response.status_code == 404
    error = error_of(response)
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith(f"Unrecognized request URL (DELETE: /v1/prices/{price}).")
    assert api.get(f"/v1/prices/{price}").json()["id"] == price  # the price is still there


def test_unknown_url_is_404(api, error_of):
    response = api.get("/v1/unicorns")
    assert response.status_code == 404
    assert error_of(response)["type"] == "invalid_request_error"
    assert error_of(response)["message"].startswith("Unrecognized request URL (GET: /v1/unicorns).")


def test_trailing_slash_url_is_404_with_stripes_hint(api, error_of):
    # Stripe's answer to a retrieve with an empty id (GET /v1/customers/).
    response = api.get("/v1/customers/")
    assert response.status_code == 404
    message = error_of(response)["message"]
    assert message.startswith("Unrecognized request URL (GET: /v1/customers/).")
    assert "remove the trailing slash" in message


def test_chosen_ids_for_coupons(api):
    coupon = api.post(
        "/v1/coupons", data={"id": "SPRING", "percent_off": "25", "duration": "once"}
    ).json()
    assert coupon["id"] == "SPRING"
    assert coupon["percent_off"] == 25
    assert api.post("/v1/coupons", data={"id": "SPRING", "percent_off": "5"}).status_code == 400


def test_generic_table_without_special_code(api):
    """Tax rates have no hand-written behaviour: the catalog alone drives them."""
    rate = api.post(
        "/v1/tax_rates", data={"display_name": "VAT", "inclusive": "false", "percentage": "20"}
    ).json()
    assert rate["object"] == "tax_rate"
    assert rate["percentage"] == 20
    assert [
        r["id"] for r in api.get("/v1/tax_rates", params={"inclusive": "false"}).json()["data"]
    ] == [rate["id"]]
    assert (
        api.post(f"/v1/tax_rates/{rate['id']}", data={"active": "false"}).json()["active"] is False
    )


def test_a_plan_is_also_a_price_and_subscribes(api):
    product = api.post("/v1/products", data={"name": "p"}).json()["id"]
    plan = api.post(
        "/v1/plans",
        data={
            "id": "gold",
            "amount": 500,
            "currency": "usd",
            "interval": "month",
            "product": product,
        },
    ).json()
    assert plan["id"] == "gold"
    price = api.get("/v1/prices/gold").json()
    assert (price["unit_amount"], price["type"], price["recurring"]["interval"]) == (
        500,
        "recurring",
        "month",
    )
    customer = api.post("/v1/customers").json()["id"]
    sub = api.post(
        "/v1/subscriptions", data={"customer": customer, "items[0][plan]": "gold"}
    ).json()
    assert sub["items"]["data"][0]["plan"]["id"] == "gold"
    assert sub["items"]["data"][0]["price"]["id"] == "gold"


def test_metadata_limits(api, error_of):
    too_long_key = api.post("/v1/customers", data={f"metadata[{'k' * 41}]": "v"})
    assert too_long_key.status_code == 400
    too_long_value = api.post("/v1/customers", data={"metadata[k]": "v" * 501})
    assert too_long_value.status_code == 400
    too_many = api.post("/v1/customers", data={f"metadata[k{i}]": "v" for i in range(51)})
    assert too_many.status_code == 400
    assert error_of(too_many)["param"] == "metadata"
    assert (
        api.post("/v1/customers", data={f"metadata[k{i}]": "v" for i in range(50)}).status_code
        == 200
    )


def test_card_source_from_a_test_token(api):
    customer = api.post("/v1/customers").json()["id"]
    card = api.post(f"/v1/customers/{customer}/sources", data={"source": "tok_mastercard"}).json()
    assert (card["object"], card["brand"], card["last4"], card["customer"]) == (
        "card",
        "MasterCard",
        "4444",
        customer,
    )
    assert api.get(f"/v1/customers/{customer}").json()["default_source"] == card["id"]
    listed = api.get(f"/v1/customers/{customer}/sources", params={"object": "card"}).json()
    assert [c["id"] for c in listed["data"]] == [card["id"]]


def test_update_bumps_updated(api, fresh_emulator):
    product = api.post("/v1/products", data={"name": "p"}).json()
    fresh_emulator.get("products", product["id"])["updated"] = 1
    assert api.post(f"/v1/products/{product['id']}", data={"name": "q"}).json()["updated"] > 1


def test_tax_id_gets_owner_country_and_verification(api, error_of):
    customer = api.post("/v1/customers", data={"name": "Vat"}).json()["id"]
    tax_id = api.post(
        f"/v1/customers/{customer}/tax_ids", data={"type": "eu_vat", "value": "DE123456789"}
    ).json()
    assert tax_id["object"] == "tax_id" and tax_id["customer"] == customer
    assert tax_id["owner"]["type"] == "customer" and tax_id["owner"]["customer"] == customer
    assert tax_id["country"] == "DE"
    assert tax_id["verification"]["status"] == "pending"
    listed = api.get(f"/v1/customers/{customer}/tax_ids").json()["data"]
    assert [t["id"] for t in listed] == [tax_id["id"]]
    missing = api.post(f"/v1/customers/{customer}/tax_ids", data={"type": "eu_vat"})
    assert missing.status_code == 400 and error_of(missing)["param"] == "value"


def test_clone_is_a_deep_copy_of_a_stripe_object():
    from stripe_dbapi.testing.objects import clone

    obj = {"id": "ch_1", "metadata": {"k": "v"}, "refunds": {"data": [{"id": "re_1"}]}, "n": 5}
    copied = clone(obj)
    assert copied == obj
    copied["metadata"]["k"] = "changed"
    copied["refunds"]["data"][0]["id"] = "re_2"
    assert obj["metadata"] == {"k": "v"} and obj["refunds"]["data"][0]["id"] == "re_1"
