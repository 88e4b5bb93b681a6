"""The generated catalog: regeneration equality and facts checked against
Stripe's API reference (list filters, paths, procedures)."""

import importlib.util
import json
from pathlib import Path

import pytest

from stripe_dbapi.catalog import FILTER_ARRAY, FILTER_EQ, FILTER_RANGE, load_catalog
from stripe_dbapi.catalog.loader import DATA_FILE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def filters(table):
    return {f.param: f for f in table.filters}


@pytest.mark.skipif(importlib.util.find_spec("stripe") is None, reason="needs the stripe SDK")
def test_committed_catalog_equals_a_fresh_generation(tmp_path, gen_catalog):
    from importlib.metadata import version

    assert version("stripe") == "16.1.0", "the catalog is generated from the pinned stripe==16.1.0"
    gen = gen_catalog
    out = tmp_path / "catalog.json"
    gen.main(["--out", str(out)])
    assert out.read_text() == DATA_FILE.read_text(), (
        "catalog.json is stale: run python tools/gen_catalog.py"
    )


def test_version_is_the_pinned_sdks(catalog):
    assert catalog.version == "2026-10-28.endive"


def test_every_v1_list_endpoint_is_a_table(catalog):
    assert len(catalog.tables) == 120
    nested = [t for t in catalog.tables.values() if t.parent is not None]
    assert len(nested) == 23
    assert all(t.list_path.startswith("/v1/") for t in catalog.tables.values())


def test_core_tables_exist_with_paths(catalog):
    for name in (
        "customers", "charges", "payment_intents", "refunds", "prices", "products",
        "invoices", "invoiceitems", "subscriptions", "quotes", "accounts",
        "payment_methods", "cards", "invoice_lines", "checkout_sessions", "billing_meters",
    ):  # fmt: skip
        table = catalog.tables[name]
        assert table.columns[0].name == "id"
        assert table.retrieve_path or table.parent, name


def test_customers(catalog):
    t = catalog.tables["customers"]
    assert (t.list_path, t.retrieve_path, t.create_path) == (
        "/v1/customers", "/v1/customers/{id}", "/v1/customers",
    )  # fmt: skip
    assert (t.update_path, t.delete_path) == ("/v1/customers/{id}", "/v1/customers/{id}")
    f = filters(t)
    assert (f["email"].kind, f["email"].column, f["email"].type) == (FILTER_EQ, "email", "string")
    assert (f["created"].kind, f["created"].type) == (FILTER_RANGE, "datetime")
    assert f["test_clock"].column == "test_clock"
    assert "limit" not in f and "starting_after" not in f and "expand" not in f
    assert t.search.path == "/v1/customers/search"
    assert t.search.fields["email"] == "string"
    assert t.search.fields["metadata"] == "token"
    create = {p.name: p for p in t.create_params}
    assert create["address"].type == "object"
    assert {c.name for c in create["address"].children} >= {"city", "country", "postal_code"}
    assert create["metadata"].type == "json"


def test_charges(catalog):
    t = catalog.tables["charges"]
    f = filters(t)
    assert f["customer"].column == "customer"
    assert f["payment_intent"].column == "payment_intent"
    assert t.delete_path is None  # refund instead
    col = catalog.column(t, "payment_method_details")
    assert col.type == "json"  # wide polymorphic object stays JSON
    assert catalog.column(t, "billing_details_address_postal_code").type == "string"
    assert catalog.column(t, "customer").references == "customers"
    assert catalog.column(t, "amount").type == "integer"


def test_prices(catalog):
    t = catalog.tables["prices"]
    f = filters(t)
    keys = f["lookup_keys"]
    assert (keys.kind, keys.column, keys.max_items) == (FILTER_ARRAY, "lookup_key", 10)
    assert (f["active"].type, f["active"].column) == ("boolean", "active")
    assert f["product"].column == "product"
    assert f["recurring[interval]"].column == "recurring_interval"
    assert set(f["type"].enum) == {"one_time", "recurring"}
    assert t.delete_path is None
    assert t.visibility_splits == {"active": (True, False)}
    assert catalog.column(t, "unit_amount_decimal").type == "string"  # exact decimal text


def test_products_ids_filter(catalog):
    ids = filters(catalog.tables["products"])["ids"]
    assert (ids.kind, ids.column) == (FILTER_ARRAY, "id")


def test_events_types_filter(catalog):
    types = filters(catalog.tables["events"])["types"]
    assert (types.kind, types.column, types.max_items) == (FILTER_ARRAY, "type", 20)


def test_subscriptions(catalog):
    t = catalog.tables["subscriptions"]
    status = filters(t)["status"]
    assert "all" in status.enum and "canceled" in status.enum
    assert t.default_list_params == {"status": "all"}
    assert catalog.column(t, "status").enum is not None


def test_invoices(catalog):
    t = catalog.tables["invoices"]
    f = filters(t)
    assert (f["due_date"].kind, f["due_date"].type) == (FILTER_RANGE, "datetime")
    assert f["status"].enum == ("draft", "open", "paid", "uncollectible", "void")
    assert f["subscription"].column == "subscription"
    assert catalog.column(t, "subscription").path == (
        "parent", "subscription_details", "subscription",
    )  # fmt: skip


def test_nested_tables(catalog):
    cards = catalog.tables["cards"]
    assert cards.list_path == "/v1/customers/{customer}/sources"
    assert (cards.parent.table, cards.parent.path_param, cards.parent.column) == (
        "customers", "customer", "customer",
    )  # fmt: skip
    assert cards.retrieve_path == "/v1/customers/{customer}/sources/{id}"
    assert cards.default_list_params == {"object": "card"}
    lines = catalog.tables["invoice_lines"]
    assert lines.parent.table == "invoices"
    assert lines.update_path == "/v1/invoices/{invoice}/lines/{id}"
    # The parent's placeholder is never {id}: that names the row itself.
    reversals = catalog.tables["transfer_reversals"]
    assert reversals.list_path == "/v1/transfers/{transfer}/reversals"
    assert reversals.retrieve_path == "/v1/transfers/{transfer}/reversals/{id}"
    assert reversals.parent.path_param == "transfer"
    # A parent that cannot be listed: the parent id must come from WHERE.
    assert catalog.tables["source_transactions"].parent.table is None


def test_parent_column_added_when_the_object_lacks_it(catalog):
    t = catalog.tables["checkout_session_line_items"]
    col = catalog.column(t, "session")
    assert col.references == "checkout_sessions" and not col.nullable


def test_string_ids_named_after_an_object_type_reference_its_table(catalog):
    def references(table, column):
        return catalog.column(catalog.tables[table], column).references

    assert references("subscription_items", "subscription") == "subscriptions"
    assert references("invoice_lines", "invoice") == "invoices"
    assert references("invoice_lines", "parent_subscription_item_details_subscription_item") == (
        "subscription_items")
    # the table's namespace first, then the last two path parts
    assert references("treasury_received_debits", "financial_account") == "treasury_financial_accounts"
    assert references("financial_connections_transactions", "account") == (
        "financial_connections_accounts")
    assert references("persons", "account") == "accounts"
    assert references("issuing_authorizations", "treasury_transaction") == "treasury_transactions"
    # a taxpayer's number named tax_id is no tax_id object
    assert references("charges", "billing_details_tax_id") is None
    assert references("payment_methods", "boleto_tax_id") is None


def test_embedded_objects_with_a_table_are_their_id_plus_the_whole_object(catalog):
    items = catalog.tables["subscription_items"]
    price, whole = catalog.column(items, "price"), catalog.column(items, "price_object")
    assert (price.type, price.path, price.references) == ("string", ("price",), "prices")
    assert (whole.type, whole.path, whole.references) == ("json", ("price",), None)
    assert catalog.column(items, "PriceId") is price and catalog.column(items, "plan").references == "plans"
    assert catalog.column(catalog.tables["issuing_cards"], "cardholder").references == "issuing_cardholders"
    assert filters(catalog.tables["issuing_cards"])["cardholder"].type == "string"
    # an embedded object of no table stays one JSON column
    discount = catalog.column(catalog.tables["customers"], "discount")
    assert discount.type == "json" and "discount_object" not in catalog.column_names(catalog.tables["customers"])
    # the rule holds everywhere: every whole embedded object pairs with its id column
    embedded = 0
    for table in catalog.tables.values():
        by_name = {c.name: c for c in table.columns}
        for column in table.columns:
            if column.description.startswith("The whole embedded"):
                embedded += 1
                id_column = by_name[column.name.removesuffix("_object")]
                assert id_column.path == column.path and id_column.references, (table.name, column.name)
    assert embedded == 44


def test_timestamps_named_by_their_parent_are_datetimes(catalog):
    for name in ("invoice_lines", "invoiceitems"):
        table = catalog.tables[name]
        assert [catalog.column(table, c).type for c in ("period_start", "period_end")] == [
            "datetime", "datetime"]
    period = next(p for p in catalog.tables["invoiceitems"].create_params if p.name == "period")
    assert {c.name: c.type for c in period.children} == {"start": "datetime", "end": "datetime"}


def test_timestamps_are_datetimes_and_amounts_integers(catalog):
    pi = catalog.tables["payment_intents"]
    assert catalog.column(pi, "created").type == "datetime"
    assert catalog.column(pi, "canceled_at").type == "datetime"
    assert catalog.column(pi, "amount").type == "integer"
    card = catalog.tables["cards"]
    assert catalog.column(card, "exp_month").type == "integer"
    sub = catalog.tables["subscriptions"]
    assert catalog.column(sub, "trial_end").type == "datetime"


@pytest.mark.parametrize(
    "name, method, path, table",
    [
        ("PayInvoice", "post", "/v1/invoices/{invoice}/pay", "invoices"),
        ("VoidInvoice", "post", "/v1/invoices/{invoice}/void", "invoices"),
        ("SendInvoice", "post", "/v1/invoices/{invoice}/send", "invoices"),
        ("CancelSubscription", "delete", "/v1/subscriptions/{subscription_exposed_id}",
         "subscriptions"),
        ("ResumeSubscription", "post", "/v1/subscriptions/{subscription}/resume",
         "subscriptions"),
        ("ExpireCheckoutSession", "post", "/v1/checkout/sessions/{session}/expire",
         "checkout_sessions"),
        ("CancelRefund", "post", "/v1/refunds/{refund}/cancel", "refunds"),
        ("ConfirmSetupIntent", "post", "/v1/setup_intents/{intent}/confirm", "setup_intents"),
        ("CancelPayout", "post", "/v1/payouts/{payout}/cancel", "payouts"),
        ("VoidCreditNote", "post", "/v1/credit_notes/{id}/void", "credit_notes"),
        ("AdvanceTestClock", "post", "/v1/test_helpers/test_clocks/{test_clock}/advance",
         "test_clocks"),
        ("ConfirmPaymentIntent", "post", "/v1/payment_intents/{intent}/confirm",
         "payment_intents"),
        ("AttachPaymentMethodToCustomer", "post", "/v1/payment_methods/{payment_method}/attach",
         "payment_methods"),
        ("AcceptQuote", "post", "/v1/quotes/{quote}/accept", "quotes"),
        ("MarkUncollectibleInvoice", "post", "/v1/invoices/{invoice}/mark_uncollectible",
         "invoices"),
        ("VerifyMicrodepositsPaymentIntent", "post",
         "/v1/payment_intents/{intent}/verify_microdeposits", "payment_intents"),
        ("TestHelpersExpireRefund", "post", "/v1/test_helpers/refunds/{refund}/expire",
         "refunds"),
    ],
)  # fmt: skip
def test_procedures(catalog, name, method, path, table):
    proc = catalog.procedure(name)
    assert (proc.method, proc.path, proc.table) == (method, path, table)
    first = proc.params[0]
    assert first.path_param and first.required and first.name.endswith("Id")
    assert proc.description


def test_hand_written_facts_are_typed_fields_of_the_model(catalog):
    tables = catalog.tables
    assert tables["prices"].visibility_splits == {"active": (True, False)}
    assert tables["customers"].hidden_unless_filtered == ("test_clock",)
    assert tables["events"].retention_days == 30
    assert tables["external_accounts"].objects == ("bank_account", "card")  # the SDK's union
    assert tables["cards"].param_aliases == {"token": "source"}
    assert tables["charges"].search.unlike_column == ("refunded",)
    assert catalog.procedure("AcceptQuote").outputs == {"InvoiceId": "invoice"}
    assert tables["customers"].retention_days is None and tables["customers"].param_aliases == {}
    data = json.loads(DATA_FILE.read_text())
    assert not [t["name"] for t in data["tables"] if "extra" in t]
    assert not [p["name"] for p in data["procedures"] if "extra" in p]


def _long_line_is_one_scalar(line: str) -> bool:
    """A line over the width holds one value that cannot be split (a long description):
    a ``"key": value`` entry or a list item."""
    entry = line.strip().removesuffix(",")
    try:
        (value,) = json.loads("{" + entry + "}").values()
    except ValueError:
        value = json.loads(entry)
    return not isinstance(value, (dict, list))


def test_catalog_json_is_reviewable_one_entry_per_line_with_sorted_keys(gen_catalog):
    text = DATA_FILE.read_text()

    def sorted_keys(pairs):
        assert [k for k, _ in pairs] == sorted(k for k, _ in pairs)
        return dict(pairs)

    data = json.loads(text, object_pairs_hook=sorted_keys)
    lines = text.splitlines()
    assert len(lines) > 50_000
    width = gen_catalog.LINE_WIDTH
    assert all(_long_line_is_one_scalar(line) for line in lines if len(line.removesuffix(",")) > width)
    # a column that fits on a line is one line: changing it changes that line only
    assert '    {"name": "capabilities", "nullable": true, "path": ["capabilities"], "type": "json"},' \
        in lines  # accounts.capabilities
    names = [t["name"] for t in data["tables"]]
    assert names == sorted(names)
    assert [p["name"] for p in data["procedures"]] == sorted(p["name"] for p in data["procedures"])


def test_delete_on_the_own_path_is_the_tables_delete(catalog):
    # DELETE /v1/subscriptions/{id} cancels now; the SDK calls it "cancel".
    assert catalog.tables["subscriptions"].delete_path == "/v1/subscriptions/{id}"
    assert catalog.procedure("CancelSubscription").method == "delete"
    assert catalog.tables["prices"].delete_path is None
    assert catalog.tables["charges"].delete_path is None


def test_required_list_params_are_recorded_with_the_table_that_supplies_them(catalog):
    def required(name):
        return [(r.param, r.column, r.table) for r in catalog.tables[name].required_filters]

    assert len([t for t in catalog.tables.values() if t.required_filters]) == 21
    assert required("customers") == []
    assert required("subscription_items") == [("subscription", "subscription", "subscriptions")]
    assert required("setup_attempts") == [("setup_intent", "setup_intent", "setup_intents")]
    # the object type named in the table's own namespace first
    assert required("treasury_received_debits") == [
        ("financial_account", "financial_account", "treasury_financial_accounts")]
    assert required("financial_connections_transactions") == [
        ("account", "account", "financial_connections_accounts")]
    # a required hash is required down to its leaves
    assert required("apps_secrets") == [("scope[type]", "scope_type", None)]
    assert required("billing_meter_event_summaries") == [
        ("customer", "customer", "customers"), ("end_time", "end_time", None),
        ("start_time", "start_time", None)]
    # a preview's params are its inputs, never listed from a table
    assert required("credit_note_preview_lines") == [("invoice", "invoice", None)]


def test_a_required_id_the_rows_lack_becomes_a_column(catalog):
    table = catalog.tables["entitlements_active_entitlements"]
    column = catalog.column(table, "customer")
    assert (column.type, column.path, column.references) == ("string", ("customer",), "customers")
    assert filters(table)["customer"].column == "customer"
    assert catalog.column(catalog.tables["credit_note_preview_lines"], "invoice").references == "invoices"


@pytest.mark.parametrize(
    "name, path, first_param",
    [
        ("CreateBillingMeterEvent", "/v1/billing/meter_events", None),
        ("CreateAccountLink", "/v1/account_links", None),
        ("CreateBillingPortalSession", "/v1/billing_portal/sessions", None),
        ("CreateLoginLink", "/v1/accounts/{account}/login_links", "AccountId"),
    ],
)
def test_actions_of_services_without_a_list(catalog, name, path, first_param):
    proc = catalog.procedure(name)
    assert (proc.method, proc.path) == ("post", path)
    path_params = [p.name for p in proc.params if p.path_param]
    assert path_params == ([first_param] if first_param else [])


# Canonical names of the catalog before the VerbObject rule took the whole SDK
# method as the verb; each must still resolve, to the procedure of that path.
FORMER_NAMES = {
    "MarkInvoiceUncollectible": "MarkUncollectibleInvoice",
    "VerifyPaymentIntentMicrodeposits": "VerifyMicrodepositsPaymentIntent",
    "VerifySetupIntentMicrodeposits": "VerifyMicrodepositsSetupIntent",
    "AddInvoiceLines": "AddLinesInvoice",
    "DeleteCustomerDiscount": "DeleteDiscountCustomer",
    "IncrementPaymentIntentAuthorization": "IncrementAuthorizationPaymentIntent",
    "CreateInvoicePreview": "CreatePreviewInvoice",
    "CreateTaxTransactionFromCalculation": "CreateFromCalculationTaxTransaction",
    "SetTerminalReaderDisplay": "SetReaderDisplayTerminalReader",
    "ConfirmTerminalReaderPaymentIntent": "ConfirmPaymentIntentTerminalReader",
    "VoidBillingCreditGrant": "VoidBillingCreditGrant",
    "DeleteAppsSecret": "DeleteAppsSecret",
    "AttachPaymentMethod": "AttachPaymentMethodToCustomer",
}


@pytest.mark.parametrize("former, name", sorted(FORMER_NAMES.items()))
def test_former_procedure_names_are_aliases(catalog, former, name):
    assert catalog.procedure(former).name == name
    assert name in catalog.procedures


def test_aliases_never_shadow_and_always_point_at_a_procedure(catalog):
    for alias, name in catalog.procedure_aliases.items():
        assert alias not in catalog.procedures, alias
        assert name in catalog.procedures, (alias, name)


def test_canonical_names_are_verb_then_object(catalog):
    # The object comes last: the name of a table's action ends with that
    # table's object (MarkUncollectibleInvoice, not MarkInvoiceUncollectible).
    spec_names = {"AttachPaymentMethodToCustomer", "DetachPaymentMethodFromCustomer"}
    checked = 0
    for proc in catalog.procedures.values():
        own = proc.params[0] if proc.params and proc.params[0].path_param else None
        if proc.name in spec_names or proc.name == "DeleteAppsSecret" or own is None:
            continue
        obj = own.name[: -len("Id")]
        if proc.name.endswith(obj):
            checked += 1
        else:  # services without a list name their path params after the placeholder
            assert proc.table is None or proc.path.count("{") > 1, proc.name
    assert checked > 90


def test_test_helpers_are_procedures_named_testhelpers_verb_object(catalog):
    helpers = {n: p for n, p in catalog.procedures.items() if n.startswith("TestHelpers")}
    assert len(helpers) == 37
    for name, proc in helpers.items():
        assert proc.path.startswith("/v1/test_helpers/"), name
        assert proc.description.startswith("Test mode only"), name
    # every /v1/test_helpers/ action is one, except test clocks (an ordinary table)
    others = [
        p.name
        for p in catalog.procedures.values()
        if p.path.startswith("/v1/test_helpers/") and p.name not in helpers
    ]
    assert others == ["AdvanceTestClock"]
    expire = catalog.procedure("TestHelpersExpireRefund")
    assert [(p.name, p.path_param) for p in expire.params] == [("RefundId", "refund")]
    fund = catalog.procedure("test_helpers_fund_cash_balance_customer")
    assert fund.path == "/v1/test_helpers/customers/{customer}/fund_cash_balance"
    assert [p.name for p in fund.params[:3]] == ["CustomerId", "Amount", "Currency"]
    present = catalog.procedure("TestHelpersPresentPaymentMethodTerminalReader")
    assert (present.params[0].name, present.table) == ("TerminalReaderId", "terminal_readers")
    create = catalog.procedure("TestHelpersCreateIssuingAuthorization")
    assert (create.path, create.table) == ("/v1/test_helpers/issuing/authorizations",
                                           "issuing_authorizations")  # fmt: skip


def test_every_table_procedure_and_parameter_is_described(catalog):
    assert [t.name for t in catalog.tables.values() if not t.description] == []
    assert [p.name for p in catalog.procedures.values() if not p.description] == []
    undocumented = [
        f"{proc.name}.{param.name}"
        for proc in catalog.procedures.values()
        for param in proc.params
        if not param.description
    ]
    assert undocumented == []
    mandate = catalog.procedure_param(catalog.procedure("ConfirmPaymentIntent"), "MandateData")
    assert "mandate" in mandate.description.lower()
    usage = catalog.procedure_param(catalog.procedure("CreateSource"), "Usage")
    assert "reusable" in usage.description


def test_parameter_types_are_the_documented_vocabulary(catalog):
    from stripe_dbapi.catalog import PARAM_TYPES

    def walk(params):
        for p in params:
            yield p.type
            yield from walk(p.children)

    seen = {t for proc in catalog.procedures.values() for t in walk(proc.params)}
    seen |= {t for table in catalog.tables.values() for t in walk(table.create_params)}
    assert seen <= set(PARAM_TYPES)
    assert {"object", "array"} <= seen
