"""The demo dataset: a small business as Stripe would hold it, deterministic, every
relation valid, every status present, and read back whole through the driver."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

import stripe_dbapi
from stripe_dbapi.testing import Emulator
from stripe_dbapi.testing.demo import END
from stripe_dbapi.testing.demo.business import SETUP

TABLES = (
    "accounts",
    "customers",
    "payment_methods",
    "products",
    "prices",
    "subscriptions",
    "subscription_items",
    "invoices",
    "invoiceitems",
    "invoice_payments",
    "payment_intents",
    "charges",
    "refunds",
    "disputes",
    "balance_transactions",
    "quotes",
    "tax_ids",
    "events",
)


@pytest.fixture(scope="module")
def demo() -> Emulator:
    """A demo emulator of this module's own (not started: its objects are read directly)."""
    return Emulator(seed="demo")


def by_id(demo: Emulator, table: str) -> dict[str, dict]:
    return {o["id"]: o for o in demo.objects(table)}


def test_demo_is_deterministic(demo):
    other = Emulator(seed="demo")
    for table in TABLES:
        assert demo.objects(table) == other.objects(table), table


def test_ids_are_unique_across_every_table(demo):
    ids = Counter(
        obj["id"]
        for (account, table), _ in demo.app.store.counts().items()
        for obj in demo.objects(table, account=account)
    )
    assert ids and ids.most_common(1)[0][1] == 1, ids.most_common(3)


def test_every_status_and_three_currencies(demo):
    def statuses(table):
        return {o["status"] for o in demo.objects(table)}

    assert statuses("subscriptions") == {
        "active",
        "trialing",
        "past_due",
        "unpaid",
        "canceled",
        "incomplete",
        "incomplete_expired",
        "paused",
    }
    assert statuses("invoices") == {"draft", "open", "paid", "uncollectible", "void"}
    assert statuses("charges") == {"succeeded", "failed"}
    assert {"succeeded", "requires_payment_method", "requires_capture", "canceled"} <= statuses(
        "payment_intents"
    )
    assert statuses("disputes") == {"needs_response", "under_review", "won", "lost"}
    assert statuses("quotes") == {"draft", "open", "accepted", "canceled"}
    for table in ("charges", "prices", "subscriptions", "invoices"):
        assert {o["currency"] for o in demo.objects(table)} >= {"usd", "eur", "gbp"}, table


def test_sizes_stay_small(demo):
    # A few hundred objects (plus their events), so the demo starts at once.
    counts = {table: demo.count(table) for table in TABLES}
    assert all(counts.values()), counts
    assert 500 <= sum(counts.values()) - counts["events"] <= 1500, counts
    assert counts["customers"] == 49 and counts["subscriptions"] == 39


def test_history_spans_six_months_before_the_fixed_end(demo):
    created = [o["created"] for table in TABLES for o in demo.objects(table)]
    assert min(created) >= SETUP and max(created) < END
    months = {o["created"] // (31 * 86400) for o in demo.objects("charges")}
    assert len(months) >= 5


def test_subscriptions_have_items_on_several_prices_and_products(demo):
    prices = by_id(demo, "prices")
    items = demo.objects("subscription_items")
    assert len({i["price"]["id"] for i in items}) >= 8
    assert len({prices[i["price"]["id"]]["product"] for i in items}) == 4
    assert {prices[i["price"]["id"]]["recurring"]["interval"] for i in items} == {"month", "year"}
    assert max(len(s["items"]["data"]) for s in demo.objects("subscriptions")) == 2
    assert {i["subscription"] for i in items} == {s["id"] for s in demo.objects("subscriptions")}


def test_customer_metadata_gives_segments(demo):
    customers = demo.objects("customers")
    assert {tuple(sorted(c["metadata"])) for c in customers} == {("channel", "region", "tier")}
    assert {c["metadata"]["region"] for c in customers} == {"na", "eu", "uk"}
    assert {c["metadata"]["tier"] for c in customers} == {
        "free",
        "starter",
        "pro",
        "team",
        "pro_support",
    }
    assert len({c["metadata"]["channel"] for c in customers}) == 4


def test_charges_link_intents_customers_and_balance_transactions(demo):
    intents, customers = by_id(demo, "payment_intents"), by_id(demo, "customers")
    txns = by_id(demo, "balance_transactions")
    for charge in demo.objects("charges"):
        assert charge["customer"] in customers
        intent = intents[charge["payment_intent"]]
        assert (intent["customer"], intent["currency"]) == (charge["customer"], charge["currency"])
        if charge["captured"]:
            txn = txns[charge["balance_transaction"]]
            assert (txn["source"], txn["amount"], txn["currency"]) == (
                charge["id"],
                charge["amount"],
                charge["currency"],
            )
            assert txn["net"] == txn["amount"] - txn["fee"] and txn["fee"] > 0
        else:
            assert charge["balance_transaction"] is None
    for intent in intents.values():  # an intent's latest charge is its last attempt
        if intent["status"] == "succeeded":
            assert demo.get("charges", intent["latest_charge"])["status"] == "succeeded"


def test_failed_charges_carry_stripe_s_decline_facts(demo):
    failed = [c for c in demo.objects("charges") if c["status"] == "failed"]
    assert len(failed) >= 20
    for charge in failed:
        assert charge["failure_code"] and charge["failure_message"], charge["id"]
        assert not charge["paid"] and not charge["captured"] and charge["amount_captured"] == 0
        assert charge["outcome"]["type"] in ("issuer_declined", "blocked")
    reasons = {c["outcome"]["reason"] for c in failed}
    assert {
        "insufficient_funds",
        "expired_card",
        "incorrect_cvc",
        "do_not_honor",
        "generic_decline",
        "highest_risk_level",
    } <= reasons
    assert {c["failure_code"] for c in failed} >= {"card_declined", "expired_card", "incorrect_cvc"}
    waiting = [
        i
        for i in demo.objects("payment_intents")
        if i["status"] == "requires_payment_method" and i["last_payment_error"]
    ]
    assert waiting
    for intent in waiting:
        error = intent["last_payment_error"]
        charge = demo.get("charges", error["charge"])
        assert charge["status"] == "failed" and charge["id"] == intent["latest_charge"]
        assert (error["code"], error["message"]) == (
            charge["failure_code"],
            charge["failure_message"],
        )


def test_refunds_add_up_to_each_charge_s_amount_refunded(demo):
    refunds = demo.objects("refunds")
    assert len(refunds) >= 5
    refunded: Counter = Counter()
    for refund in refunds:
        refunded[refund["charge"]] += refund["amount"]
        assert refund["currency"] == demo.get("charges", refund["charge"])["currency"]
        txn = demo.get("balance_transactions", refund["balance_transaction"])
        assert (txn["source"], txn["amount"]) == (refund["id"], -refund["amount"])
    for charge in demo.objects("charges"):
        assert charge["amount_refunded"] == refunded[charge["id"]], charge["id"]
        assert charge["refunded"] == (0 < charge["amount"] == charge["amount_refunded"])
    assert {r["amount"] == demo.get("charges", r["charge"])["amount"] for r in refunds} == {
        True,
        False,
    }  # full and partial


def test_disputes_reference_their_charges(demo):
    disputes = demo.objects("disputes")
    assert disputes
    for dispute in disputes:
        charge = demo.get("charges", dispute["charge"])
        assert charge["disputed"] and charge["status"] == "succeeded"
        assert (dispute["amount"], dispute["currency"], dispute["payment_intent"]) == (
            charge["amount"],
            charge["currency"],
            charge["payment_intent"],
        )
        withdrawal = dispute["balance_transactions"][0]
        assert (withdrawal["amount"], withdrawal["reporting_category"]) == (
            -charge["amount"],
            "dispute",
        )
    disputed = {d["charge"] for d in disputes}
    assert {c["id"] for c in demo.objects("charges") if c["disputed"]} == disputed


def test_invoices_have_lines_and_paid_ones_their_payment(demo):
    payments = defaultdict(list)
    for payment in demo.objects("invoice_payments"):
        payments[payment["invoice"]].append(payment)
    for invoice in demo.objects("invoices"):
        lines = invoice["lines"]["data"]
        assert lines and sum(line["amount"] for line in lines) == invoice["total"], invoice["id"]
        by_card = not invoice.get("paid_out_of_band")
        if invoice["status"] == "paid" and invoice["amount_paid"] and by_card:
            [payment] = payments[invoice["id"]]
            intent = demo.get("payment_intents", payment["payment"]["payment_intent"])
            assert intent["status"] == "succeeded"
            assert intent["amount_received"] == invoice["amount_paid"] == payment["amount_paid"]
        if invoice["status"] != "draft":
            assert invoice["number"]


def test_subscriptions_first_invoices(demo):
    for sub in demo.objects("subscriptions"):
        invoices = [
            i
            for i in demo.objects("invoices")
            if (i["parent"] or {}).get("subscription_details", {}).get("subscription") == sub["id"]
        ]
        first = min(invoices, key=lambda i: i["created"])
        assert first["billing_reason"] == "subscription_create"
        assert first["customer"] == sub["customer"]
        assert sub["latest_invoice"] == max(invoices, key=lambda i: i["created"])["id"]
        expected = {"incomplete": "open", "incomplete_expired": "void"}.get(sub["status"], "paid")
        assert first["status"] == expected, sub["status"]
        line = first["lines"]["data"][0]
        assert line["parent"]["subscription_item_details"]["subscription"] == sub["id"]
        if sub["trial_start"]:
            assert first["total"] == 0


def test_failed_automatic_payments_leave_customers_delinquent(demo):
    subscriptions = {s["customer"]: s["status"] for s in demo.objects("subscriptions")}
    delinquent = {c["id"] for c in demo.objects("customers") if c["delinquent"]}
    owing = {"past_due", "unpaid", "incomplete", "incomplete_expired"}
    assert {c for c, status in subscriptions.items() if status in owing} <= delinquent
    assert all(subscriptions.get(c) in owing | {"canceled"} for c in delinquent)


def test_a_voided_invoice_s_payment_intent_is_canceled(demo):
    [expired] = [s for s in demo.objects("subscriptions") if s["status"] == "incomplete_expired"]
    invoice = demo.get("invoices", expired["latest_invoice"])
    [payment] = [p for p in demo.objects("invoice_payments") if p["invoice"] == invoice["id"]]
    intent = demo.get("payment_intents", payment["payment"]["payment_intent"])
    assert (invoice["status"], payment["status"]) == ("void", "canceled")
    assert (intent["status"], intent["cancellation_reason"]) == ("canceled", "void_invoice")
    assert demo.get("charges", intent["latest_charge"])["status"] == "failed"


def test_each_object_s_latest_event_shows_its_current_status(demo):
    """A replica kept fresh from /v1/events ends where the seed ends."""
    latest: dict[str, dict] = {}
    for event in reversed(demo.objects("events")):  # oldest first
        latest[event["data"]["object"]["id"]] = event["data"]["object"]
    for table in (
        "subscriptions",
        "invoices",
        "payment_intents",
        "charges",
        "quotes",
        "refunds",
        "disputes",
        "customers",
    ):
        for obj in demo.objects(table):
            assert (
                latest[obj["id"]]["status" if "status" in obj else "id"]
                == obj["status" if "status" in obj else "id"]
            ), (table, obj["id"])


def test_the_seed_reads_back_through_the_driver():
    with Emulator(seed="demo") as emulator:
        conn = stripe_dbapi.connect(api_key="sk_test_demo", base_url=emulator.base_url)
        cursor = conn.cursor()
        for table in TABLES:
            if table == "events":  # Stripe lists the last 30 days of events only
                continue
            cursor.execute(f"SELECT count(*), count(DISTINCT id) FROM {table}")
            assert cursor.fetchone() == (emulator.count(table),) * 2, table
        cursor.execute("SELECT count(*) FROM invoice_lines")
        assert cursor.fetchone() == (emulator.count("invoice_lines"),)
        conn.close()


def test_demo_has_a_connected_account_partition(emulator):
    assert emulator.get("accounts", "acct_demo_connected") is not None
    assert emulator.count("customers", account="acct_demo_connected") == 2


def test_demo_is_searchable_at_once(demo_api, demo):
    body = demo_api.get(
        "/v1/customers/search", params={"query": 'metadata["tier"]:"pro"', "limit": 100}
    ).json()
    expected = {c["id"] for c in demo.objects("customers") if c["metadata"]["tier"] == "pro"}
    assert len(expected) >= 5 and {c["id"] for c in body["data"]} == expected


def test_reset_reloads_a_seed():
    emu = Emulator(seed=None)
    assert emu.count("customers") == 0
    emu.reset(seed="demo")
    assert emu.count("customers") == 49
    emu.reset()
    assert emu.count("customers") == 0


def test_demo_has_card_sources_and_tax_ids_under_customers(demo_api, demo):
    # Nested tables need data: /v1/customers/{id}/sources (object card) and /tax_ids.
    cards, tax_ids = demo.objects("cards"), demo.objects("tax_ids")
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
