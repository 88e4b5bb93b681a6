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
