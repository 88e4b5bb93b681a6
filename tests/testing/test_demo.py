"""The demo dataset: deterministic, with valid relations, in every resource the brief lists."""

from __future__ import annotations

from stripe_dbapi.testing import Emulator

TABLES = (
    "customers",
    "products",
    "prices",
    "payment_methods",
    "payment_intents",
    "charges",
    "refunds",
    "invoices",
    "invoiceitems",
    "subscriptions",
    "quotes",
    "accounts",
)


def test_demo_is_deterministic():
    one, two = Emulator(seed="demo"), Emulator(seed="demo")
    for table in TABLES:
        assert one.objects(table) == two.objects(table), table


def test_demo_has_every_resource_and_valid_relations():
    emulator = Emulator(seed="demo")  # not the shared one: other tests may write to it
    counts = {table: emulator.count(table) for table in TABLES}
    assert all(count > 0 for count in counts.values()), counts
    assert 250 <= sum(counts.values()) <= 1000
    customers = {c["id"] for c in emulator.objects("customers")}
    for charge in emulator.objects("charges"):
        assert charge["customer"] in customers
        assert (
            emulator.get("payment_intents", charge["payment_intent"])["latest_charge"]
            == charge["id"]
        )
    for refund in emulator.objects("refunds"):
        assert emulator.get("charges", refund["charge"])["amount_refunded"] >= refund["amount"]
    for invoice in emulator.objects("invoices"):
        assert invoice["customer"] in customers
    statuses = {i["status"] for i in emulator.objects("invoices")}
    assert {"draft", "open", "paid", "void"} <= statuses
    assert {"succeeded", "requires_capture", "canceled", "requires_payment_method"} <= {
        p["status"] for p in emulator.objects("payment_intents")
    }
    assert {"active", "trialing", "canceled"} <= {
        s["status"] for s in emulator.objects("subscriptions")
    }
    assert {"draft", "open", "accepted", "canceled"} <= {
        q["status"] for q in emulator.objects("quotes")
    }


def test_demo_has_a_connected_account_partition(emulator):
    assert emulator.get("accounts", "acct_demo_connected") is not None
    assert emulator.count("customers", account="acct_demo_connected") == 2


def test_demo_is_searchable_at_once(demo_api):
    body = demo_api.get(
        "/v1/customers/search", params={"query": 'metadata["tier"]:"gold"', "limit": 100}
    ).json()
    assert len(body["data"]) == 10
    assert all(c["metadata"]["tier"] == "gold" for c in body["data"])


def test_reset_reloads_a_seed():
    emu = Emulator(seed=None)
    assert emu.count("customers") == 0
    emu.reset(seed="demo")
    assert emu.count("customers") == 40
    emu.reset()
    assert emu.count("customers") == 0


def test_demo_has_card_sources_and_tax_ids_under_customers(demo_api):
    # Nested tables need data: /v1/customers/{id}/sources (object card) and /tax_ids.
    emulator = Emulator(seed="demo")
    cards, tax_ids = emulator.objects("cards"), emulator.objects("tax_ids")
    assert len(cards) >= 5 and len(tax_ids) >= 5
    owners = {card["customer"] for card in cards}
    assert len(owners) < len(cards)  # some customer has two cards: a real fan-out
    customer = cards[0]["customer"]
    listed = demo_api.get(f"/v1/customers/{customer}/sources", params={"object": "card"}).json()
    assert {c["id"] for c in listed["data"]} == {
        c["id"] for c in cards if c["customer"] == customer
    }
    card = listed["data"][0]
    assert card["object"] == "card" and card["brand"] in ("Visa", "MasterCard", "American Express")
    assert {"last4", "exp_month", "exp_year", "funding", "cvc_check", "fingerprint"} <= set(card)
    tax_id = tax_ids[0]
    listed = demo_api.get(f"/v1/customers/{tax_id['customer']}/tax_ids").json()
    assert tax_id["id"] in {t["id"] for t in listed["data"]}
    assert tax_id["owner"] == {"type": "customer", "customer": tax_id["customer"], "account": None}
    assert tax_id["verification"]["status"] == "pending"
    assert tax_id["value"].startswith(tax_id["country"])  # eu_vat: the value's country prefix


def test_demo_subscriptions_have_their_first_invoice(demo_api):
    emulator = Emulator(seed="demo")
    for sub in emulator.objects("subscriptions"):
        invoice = emulator.get("invoices", sub["latest_invoice"])
        assert invoice["parent"]["type"] == "subscription_details"
        assert invoice["parent"]["subscription_details"]["subscription"] == sub["id"]
        assert invoice["billing_reason"] == "subscription_create"
        assert invoice["status"] == "paid"
        assert invoice["customer"] == sub["customer"]
        line = invoice["lines"]["data"][0]
        details = line["parent"]["subscription_item_details"]
        assert details["subscription_item"] == sub["items"]["data"][0]["id"]
        expected = 0 if sub["trial_end"] else sub["items"]["data"][0]["price"]["unit_amount"]
        assert line["amount"] == expected * sub["items"]["data"][0]["quantity"]
        assert invoice["total"] == line["amount"]
    sub = emulator.objects("subscriptions")[0]
    by_list = demo_api.get("/v1/invoices", params={"subscription": sub["id"]}).json()["data"]
    by_search = demo_api.get(
        "/v1/invoices/search", params={"query": f'subscription:"{sub["id"]}"'}
    ).json()["data"]
    assert [i["id"] for i in by_list] == [i["id"] for i in by_search] == [sub["latest_invoice"]]
