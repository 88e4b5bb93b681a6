"""Table.freshness: which of Stripe's events keep which table fresh (docs/catalog.md)."""

import importlib.util
from collections import Counter

import pytest

from stripe_dbapi.catalog import FRESHNESS_KINDS, load_catalog, overrides
from stripe_dbapi.sql import systables
from stripe_dbapi.testing import OfflineConnection

needs_sdk = pytest.mark.skipif(
    importlib.util.find_spec("stripe") is None, reason="needs the stripe SDK"
)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def sdk_event_types(gen_catalog):
    from freshness import sdk_event_types  # tools/, on sys.path with the generator

    return sdk_event_types(gen_catalog.SDK(gen_catalog.sdk_root()))


def _mapped(catalog) -> dict[str, str]:
    return {e: t.name for t in catalog.tables.values() for e in t.freshness.event_types}


@needs_sdk
def test_every_sdk_event_type_maps_to_one_table_or_is_deliberately_unmapped(
    catalog, sdk_event_types
):
    assert len(sdk_event_types) == 275  # WebhookEndpoint enabled_events of stripe 16.1.0
    mapped = _mapped(catalog)
    listed = [e for t in catalog.tables.values() for e in t.freshness.event_types]
    assert len(listed) == len(set(listed)), "an event type belongs to one table"
    for event_type in sdk_event_types:
        prefix = event_type.rpartition(".")[0]
        unmapped = event_type in overrides.UNMAPPED_EVENTS or prefix in overrides.UNMAPPED_EVENTS
        assert (event_type in mapped) != unmapped, event_type
    assert set(mapped) <= set(sdk_event_types)
    assert len(mapped) == 247  # 28 deliberately unmapped (docs/catalog.md)


@pytest.mark.parametrize(
    ("event_type", "table"),
    [
        ("customer.subscription.updated", "subscriptions"),
        ("charge.dispute.created", "disputes"),
        ("issuing_authorization.request", "issuing_authorizations"),
        ("customer.tax_id.created", "tax_ids"),
        ("invoiceitem.created", "invoiceitems"),
        ("checkout.session.completed", "checkout_sessions"),
        ("charge.refund.updated", "refunds"),
        ("customer.source.created", "cards"),
        ("account.external_account.updated", "external_accounts"),
        ("application_fee.refund.updated", "application_fee_refunds"),
        ("payment_intent.succeeded", "payment_intents"),
        ("sigma.scheduled_query_run.created", "sigma_scheduled_query_runs"),
        ("source.transaction.created", "source_transactions"),
        ("test_helpers.test_clock.ready", "test_clocks"),
        ("charge.succeeded", "charges"),
    ],
)
def test_event_types_map_to_the_table_of_their_object(catalog, event_type, table):
    assert _mapped(catalog)[event_type] == table


def test_unmapped_event_types_are_those_whose_object_is_no_row(catalog):
    mapped = _mapped(catalog)
    for event_type in (
        "invoice.upcoming",
        "balance.available",
        "customer.discount.created",
        "account.application.authorized",
        "billing_portal.session.created",
    ):
        assert event_type not in mapped


@pytest.mark.parametrize(
    ("table", "deleted"),
    [
        ("customers", "customer.deleted"),
        ("products", "product.deleted"),
        ("prices", "price.deleted"),
        ("coupons", "coupon.deleted"),
        ("plans", "plan.deleted"),
        ("invoices", "invoice.deleted"),
        ("charges", None),
        ("refunds", None),
        ("disputes", None),
        ("payouts", None),
        ("subscriptions", None),  # customer.subscription.deleted: the row stays, canceled
        ("subscription_schedules", None),
        ("credit_notes", None),
        ("transfers", None),
    ],
)
def test_core_tables_are_kept_by_events(catalog, table, deleted):
    freshness = catalog.tables[table].freshness
    assert freshness.kind == "events", (table, freshness.gaps)
    assert freshness.deleted_event == deleted
    assert freshness.gaps == "" and freshness.ttl_seconds is None


def test_subscription_events_include_the_cancel_that_keeps_the_row(catalog):
    freshness = catalog.tables["subscriptions"].freshness
    assert {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
    } <= set(freshness.event_types)


def test_charges_are_created_by_their_outcome_events(catalog):
    types = catalog.tables["charges"].freshness.event_types
    assert {
        "charge.succeeded",
        "charge.failed",
        "charge.pending",
        "charge.updated",
        "charge.captured",
        "charge.refunded",
    } <= set(types)
    assert "charge.created" not in types


@pytest.mark.parametrize(
    ("table", "kind", "reason"),
    [
        ("payment_intents", "ttl", "no payment_intent.updated"),
        ("balance_transactions", "ttl", "no events for balance_transaction"),
        ("subscription_items", "ttl", "customer.subscription.updated"),
        ("invoiceitems", "ttl", "no invoiceitem.updated"),
        ("quotes", "ttl", "no quote.updated"),
        ("checkout_sessions", "ttl", "no checkout.session.created"),
        ("payment_methods", "ttl", "no payment_method.created"),
        ("accounts", "ttl", "no account.created"),
        ("webhook_endpoints", "ttl", "no events for webhook_endpoint"),
        ("tax_ids", "ttl", "owner"),
        ("invoice_lines", "live", "one list per parent"),
        ("cards", "live", "one list per parent"),
        ("treasury_transactions", "live", "one list per parent or filter"),
        ("events", "live", "log"),
    ],
)
def test_named_gaps(catalog, table, kind, reason):
    freshness = catalog.tables[table].freshness
    assert freshness.kind == kind
    assert reason in freshness.gaps
    assert (freshness.ttl_seconds == overrides.DEFAULT_TTL_SECONDS) == (kind == "ttl")


def test_payment_intents_keep_their_state_events_for_a_replica_to_apply(catalog):
    freshness = catalog.tables["payment_intents"].freshness
    assert "payment_intent.succeeded" in freshness.event_types
    assert "payment_intent.updated" not in freshness.event_types


def test_every_table_has_a_known_kind_and_every_gap_is_one_sentence(catalog):
    kinds = Counter(t.freshness.kind for t in catalog.tables.values())
    assert set(kinds) <= set(FRESHNESS_KINDS)
    assert kinds == {"events": 32, "ttl": 46, "live": 42}
    for table in catalog.tables.values():
        gaps = table.freshness.gaps
        assert bool(gaps) == (table.freshness.kind != "events"), table.name
        assert gaps.count(". ") == 0 and (not gaps or gaps.endswith(".")), table.name


def test_sys_tables_show_the_freshness(catalog):
    columns = [c.name for c in systables.table("sys_tables").columns]
    rows = {
        row[0]: dict(zip(columns, row, strict=True))
        for row in systables.rows(OfflineConnection(catalog), systables.table("sys_tables"))
    }
    assert rows["customers"]["Freshness"] == "events"
    assert rows["customers"]["FreshnessGaps"] is None
    assert rows["payment_intents"]["Freshness"] == "ttl"
    assert "payment_intent.updated" in rows["payment_intents"]["FreshnessGaps"]
    assert rows["sys_tables"]["Freshness"] is None


def test_object_candidates_read_the_prefix_as_an_object_type(gen_catalog):
    from freshness import object_candidates

    assert object_candidates("issuing_authorization")[:2] == [
        "issuing_authorization",
        "issuing.authorization",
    ]
    assert "source_transaction" in object_candidates("source.transaction")
    assert object_candidates("customer.subscription")[-1] == "subscription"


@needs_sdk
def test_the_generator_refuses_an_event_type_it_cannot_place(monkeypatch, gen_catalog):
    gen = gen_catalog
    generator = gen.Generator(gen.SDK(gen.sdk_root()))
    unmapped = dict(overrides.UNMAPPED_EVENTS)
    del unmapped["balance"]
    monkeypatch.setattr(overrides, "UNMAPPED_EVENTS", unmapped)
    with pytest.raises(SystemExit, match="balance.available maps to no table"):
        generator.catalog()
