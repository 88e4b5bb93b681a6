"""Stripe's Search query language (https://docs.stripe.com/search#search-query-language)."""

from __future__ import annotations

import httpx
import pytest

from stripe_dbapi.testing.errors import StripeError
from stripe_dbapi.testing.search import matches, parse_query

FIELDS = {
    "email": "string",
    "name": "string",
    "created": "numeric",
    "metadata": "token",
    "status": "token",
    "amount": "numeric",
    "currency": "token",
}
OBJ = {
    "email": "jenny.rosen@example.com",
    "name": "Jenny Rosen",
    "created": 1700000000,
    "status": "active",
    "metadata": {"order_id": "6735", "tier": "Gold"},
    "amount": 1500,
    "currency": "usd",
}


def hit(query, obj=OBJ):
    return matches(parse_query(query, FIELDS), obj, FIELDS)


@pytest.mark.parametrize(
    "query, expected",
    [
        ('email:"jenny.rosen@example.com"', True),
        ('name:"jenny rosen"', True),  # string fields: case-insensitive words
        ('name:"rosen"', True),
        ('name:"rosen jenny"', False),  # words must come in order
        ('email~"rosen"', True),  # substring
        ('email~"bob"', False),
        ('status:"ACTIVE"', True),  # token: exact, case-insensitive
        ('status:"act"', False),
        ('metadata["order_id"]:"6735"', True),
        ('metadata["tier"]:"gold"', True),
        ('metadata["order_id"]:"1"', False),
        ("amount>1000", True),
        ("amount<1000", False),
        ("amount>=1500", True),
        ("amount<=1499", False),
        ("amount:1500", True),
        ("created>1699999999", True),
        ('-status:"active"', False),
        ('-status:"canceled"', True),
        ('status:"active" AND currency:"usd"', True),
        ('status:"active" currency:"eur"', False),  # whitespace is AND
        ('status:"canceled" OR currency:"usd"', True),
        ("email:null", False),
        ('metadata["missing"]:null', True),
    ],
)
def test_clause_semantics(query, expected):
    assert hit(query) is expected


@pytest.mark.parametrize(
    "query, message",
    [
        ('status:"a" AND currency:"usd" OR amount>1', "AND and OR"),
        ('email~"ab"', "at least 3"),
        ('status~"act"', "string fields"),
        ('colour:"red"', "unsupported search field"),
        ('amount>"1"', "numeric"),
        ("name:jenny", "expected a value"),
        ("", "required"),
        ('email:"a"' + ' AND email:"a"' * 10, "at most 10"),
    ],
)
def test_invalid_queries_are_400(query, message):
    with pytest.raises(StripeError) as raised:
        parse_query(query, FIELDS)
    assert raised.value.status == 400
    assert message in raised.value.message


def test_escaped_quotes():
    assert hit('name:"say \\"hi\\""', {**OBJ, "name": 'They say "hi" daily'})


# -- the endpoint -------------------------------------------------------------------


def test_search_endpoint_pages_with_next_page(api):
    ids = [
        api.post(
            "/v1/customers", data={"email": f"p{i}@shop.example", "metadata[shop]": "yes"}
        ).json()["id"]
        for i in range(5)
    ]
    api.post("/v1/customers", data={"email": "other@example.com"})
    seen, page = [], None
    while True:
        params = {"query": 'metadata["shop"]:"yes"', "limit": 2, **({"page": page} if page else {})}
        body = api.get("/v1/customers/search", params=params).json()
        assert body["object"] == "search_result"
        seen += [c["id"] for c in body["data"]]
        if not body["has_more"]:
            assert body["next_page"] is None
            break
        page = body["next_page"]
    assert seen == list(reversed(ids))


def test_search_rejects_bad_query_and_params(api, error_of):
    response = api.get("/v1/customers/search", params={"query": 'email~"ab"'})
    assert response.status_code == 400
    assert error_of(response)["param"] == "query"
    assert api.get("/v1/customers/search").status_code == 400
    assert (
        api.get(
            "/v1/customers/search", params={"query": 'email:"x"', "starting_after": "cus_1"}
        ).status_code
        == 400
    )


def test_only_the_seven_resources_are_searchable(api):
    # /v1/refunds/search reads as a refund id: no search there.
    assert api.get("/v1/refunds/search", params={"query": 'status:"succeeded"'}).status_code in (
        400,
        404,
    )
    for resource in (
        "charges",
        "customers",
        "invoices",
        "payment_intents",
        "prices",
        "products",
        "subscriptions",
    ):
        response = api.get(f"/v1/{resource}/search", params={"query": 'metadata["k"]:"v"'})
        assert response.status_code == 200, resource
        assert response.json()["object"] == "search_result"


def test_charge_refunded_field(api):
    intent = api.post(
        "/v1/payment_intents",
        data={
            "amount": 1000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": "true",
        },
    ).json()
    def query(q):
        return [
            c["id"] for c in api.get("/v1/charges/search", params={"query": q}).json()["data"]
        ]
    assert query("refunded:null") == [intent["latest_charge"]]
    api.post("/v1/refunds", data={"payment_intent": intent["id"], "amount": 100})
    assert query('refunded:"false"') == [intent["latest_charge"]]
    api.post("/v1/refunds", data={"payment_intent": intent["id"]})
    assert query('refunded:"true"') == [intent["latest_charge"]]


def test_indexing_lag_hides_new_and_changed_objects(fresh_emulator, api):
    clock = [1_000_000.0]
    fresh_emulator.app.search_index._clock = lambda: clock[0]
    fresh_emulator.search_lag = 30
    customer = api.post("/v1/customers", data={"name": "Lagging Larry"}).json()["id"]
    def search(q):
        return [
            c["id"] for c in api.get("/v1/customers/search", params={"query": q}).json()["data"]
        ]
    assert search('name:"larry"') == []  # not indexed yet
    assert api.get(f"/v1/customers/{customer}").status_code == 200  # but retrievable at once
    clock[0] += 31
    assert search('name:"larry"') == [customer]
    api.post(f"/v1/customers/{customer}", data={"name": "Renamed Rita"})
    assert search('name:"larry"') == [customer]  # the index still has the old version
    assert search('name:"rita"') == []
    clock[0] += 31
    assert search('name:"rita"') == [customer]
    assert search('name:"larry"') == []


def test_default_search_lag_is_positive():
    from stripe_dbapi.testing import DEFAULT_SEARCH_LAG

    assert DEFAULT_SEARCH_LAG > 0


def _frozen_clock(emulator, lag):
    clock = [1_000_000.0]
    emulator.app.search_index._clock = lambda: clock[0]
    emulator.search_lag = lag
    return clock


@pytest.mark.parametrize("how", ["insert", "bulk_insert"])
def test_loaded_objects_stay_searchable_while_an_update_is_indexed(fresh_emulator, api, how):
    # Stripe keeps serving the previously indexed version until re-indexing: an
    # object that was already searchable does not vanish from Search after a write.
    customer = {
        "id": "cus_loaded",
        "object": "customer",
        "created": 1_600_000_000,
        "email": "old@example.com",
        "metadata": {"tier": "bronze"},
    }
    if how == "insert":
        fresh_emulator.insert("customers", customer)
    else:
        fresh_emulator.bulk_insert("customers", [customer])
    clock = _frozen_clock(fresh_emulator, 30)
    def search(q):
        return [
            c["id"] for c in api.get("/v1/customers/search", params={"query": q}).json()["data"]
        ]
    assert search('metadata["tier"]:"bronze"') == ["cus_loaded"]
    api.post("/v1/customers/cus_loaded", data={"description": "touched", "metadata[tier]": "gold"})
    assert search('metadata["tier"]:"bronze"') == ["cus_loaded"]  # the pre-write version
    assert search('metadata["tier"]:"gold"') == []
    clock[0] += 31
    assert search('metadata["tier"]:"gold"') == ["cus_loaded"]
    assert search('metadata["tier"]:"bronze"') == []


def test_seeded_objects_stay_searchable_after_an_update():
    from stripe_dbapi.testing import Emulator

    with (
        Emulator(seed="demo", search_lag=30) as emu,
        httpx.Client(
            base_url=emu.base_url, headers={"Authorization": "Bearer sk_test_x"}
        ) as client,
    ):
        first = client.get("/v1/customers", params={"limit": 1}).json()["data"][0]
        query = f'metadata["tier"]:"{first["metadata"]["tier"]}"'
        def search():
            return [
                c["id"]
                for c in client.get(
                    "/v1/customers/search", params={"query": query, "limit": 100}
                ).json()["data"]
            ]
        assert first["id"] in search()
        client.post(f"/v1/customers/{first['id']}", data={"description": "touched"})
        assert first["id"] in search()
