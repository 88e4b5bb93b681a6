"""Name resolution (stripe_dbapi/names.py, through the Catalog's lookups)."""

import pytest

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.exceptions import ProgrammingError


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize(
    "name, table",
    [
        # the connector spec's entity names
        ("Customer", "customers"),
        ("Customers", "customers"),
        ("Refunds", "refunds"),
        ("Refund", "refunds"),
        ("InvoiceItems", "invoiceitems"),
        ("InvoiceItem", "invoiceitems"),
        ("PaymentIntent", "payment_intents"),
        ("PAYMENT_INTENTS", "payment_intents"),
        ("Cards", "cards"),
        ("Card", "cards"),
        ("Price", "prices"),
        ("Product", "products"),
        ("Invoice", "invoices"),
        ("Subscription", "subscriptions"),
        ("Quote", "quotes"),
        ("Account", "accounts"),
        ("PaymentMethod", "payment_methods"),
        ("Charge", "charges"),
        # plural "ies", object types and SDK class names
        ("Capability", "capabilities"),
        ("checkout.session", "checkout_sessions"),
        ("CheckoutSession", "checkout_sessions"),
        ("BillingMeter", "billing_meters"),
        ("InvoiceLineItem", "invoice_lines"),
        ("test_clock", "test_clocks"),
        ("TaxId", "tax_ids"),
        ("Person", "persons"),
    ],
)
def test_table_names_resolve(catalog, name, table):
    assert catalog.table(name).name == table


def test_unknown_table_names_the_closest(catalog):
    with pytest.raises(ProgrammingError) as info:
        catalog.table("custmers")
    message = str(info.value)
    assert "unknown table 'custmers'" in message
    assert "did you mean: customers" in message


def test_a_system_table_is_named_as_one_not_unknown(catalog):
    # It used to answer "unknown table 'sys_replica'; did you mean: sys_replica?" to a write
    # or a CALL naming a system table.
    with pytest.raises(ProgrammingError,
                       match=r"^sys_replica is a system table: only SELECT reads it$"):
        catalog.table("SYS_REPLICA")


def test_suggestions_can_be_kept_to_some_tables(catalog):
    with pytest.raises(ProgrammingError) as info:
        catalog.table("sys_tabls", among=lambda table: table.name != "customers")
    message = str(info.value)
    assert "did you mean:" in message and "sys_" not in message.split(";")[1]
    with pytest.raises(ProgrammingError) as info:
        catalog.table("custmers", among=lambda table: table.name != "customers")
    assert "did you mean:" in str(info.value) and "customers," not in str(info.value)


@pytest.mark.parametrize(
    "table, name, column",
    [
        ("charges", "CustomerId", "customer"),
        ("charges", "PaymentIntentId", "payment_intent"),
        ("charges", "Id", "id"),
        ("prices", "UnitAmount", "unit_amount"),
        ("prices", "ProductId", "product"),
        ("prices", "RecurringInterval", "recurring_interval"),
        ("customers", "AddressCountry", "address_country"),
        ("customers", "address_country", "address_country"),
        ("customers", "EMAIL", "email"),
        ("customers", "TestClockId", "test_clock"),
        ("accounts", "BusinessProfileName", "business_profile_name"),
        ("cards", "CustomerId", "customer"),  # the parent column
        ("invoice_lines", "InvoiceId", "invoice"),
        ("invoices", "SubscriptionId", "subscription"),
    ],
)
def test_column_names_resolve(catalog, table, name, column):
    assert catalog.column(catalog.table(table), name).name == column


def test_unknown_column_names_the_closest(catalog):
    with pytest.raises(ProgrammingError) as info:
        catalog.column(catalog.table("charges"), "custmer")
    message = str(info.value)
    assert "unknown column 'custmer' in table charges" in message
    assert "did you mean: customer" in message


def test_thing_id_needs_a_string_column(catalog):
    # "AmountId" must not silently resolve to the integer column amount.
    with pytest.raises(ProgrammingError):
        catalog.column(catalog.table("charges"), "AmountId")


@pytest.mark.parametrize(
    "name, params",
    [
        ("ConfirmPaymentIntent", ["PaymentIntentId"]),
        ("CapturePaymentIntent", ["PaymentIntentId"]),
        ("CancelPaymentIntent", ["PaymentIntentId"]),
        ("AttachPaymentMethodToCustomer", ["PaymentMethodId", "CustomerId"]),
        ("DetachPaymentMethodFromCustomer", ["PaymentMethodId"]),
        ("FinalizeInvoice", ["InvoiceId"]),
        ("FinalizeQuote", ["QuoteId"]),
        ("AcceptQuote", ["QuoteId"]),
        ("CancelQuote", ["QuoteId"]),
    ],
)
def test_spec_procedures_keep_names_and_required_params(catalog, name, params):
    proc = catalog.procedure(name)
    assert proc.name == name
    required = [p.name for p in proc.params if p.required]
    assert required == params


def test_spec_procedures_take_further_stripe_params(catalog):
    confirm = catalog.procedure("ConfirmPaymentIntent")
    return_url = catalog.procedure_param(confirm, "ReturnUrl")
    assert return_url.api_name == "return_url"
    capture = catalog.procedure("CapturePaymentIntent")
    assert catalog.procedure_param(capture, "AmountToCapture").type == "integer"
    cancel = catalog.procedure("CancelPaymentIntent")
    reason = catalog.procedure_param(cancel, "CancellationReason")
    assert reason.api_name == "cancellation_reason"
    attach = catalog.procedure("AttachPaymentMethodToCustomer")
    customer = catalog.procedure_param(attach, "CustomerId")
    assert (customer.api_name, customer.path_param) == ("customer", None)
    pm = catalog.procedure_param(attach, "PaymentMethodId")
    assert pm.path_param == "payment_method"


def test_generic_names_alias_the_spec_procedures(catalog):
    assert catalog.procedure("AttachPaymentMethod").name == "AttachPaymentMethodToCustomer"
    assert catalog.procedure("DetachPaymentMethod").name == "DetachPaymentMethodFromCustomer"
    assert catalog.procedure("confirm_payment_intent").name == "ConfirmPaymentIntent"


def test_unknown_procedure_names_the_closest(catalog):
    with pytest.raises(ProgrammingError) as info:
        catalog.procedure("PayInvoce")
    assert "did you mean: PayInvoice" in str(info.value)


def test_unknown_procedure_param_names_the_closest(catalog):
    with pytest.raises(ProgrammingError) as info:
        catalog.procedure_param(catalog.procedure("ConfirmPaymentIntent"), "ReturnUrll")
    assert "ReturnUrl" in str(info.value)


@pytest.mark.parametrize(
    "written, suggested",
    [
        ("sys_tablez", "sys_tables"),
        ("sys_procedurez", "sys_procedures"),
        ("SysColumn", "sys_columns"),
        ("sys_procedure_parameter", "sys_procedure_parameters"),
    ],
)
def test_unknown_table_suggestions_include_the_sys_tables(catalog, written, suggested):
    with pytest.raises(ProgrammingError) as info:
        catalog.table(written)
    assert f"did you mean: {suggested}" in str(info.value)


def test_sys_table_names_come_from_the_sql_layer():
    from stripe_dbapi.catalog.loader import system_table_keys
    from stripe_dbapi.sql.systables import SYS_TABLES

    assert sorted(system_table_keys().values()) == sorted(SYS_TABLES)


def test_select_from_a_misspelt_sys_table_suggests_it(conn):
    with pytest.raises(ProgrammingError, match="did you mean: sys_tables"):
        conn.cursor().execute("SELECT * FROM sys_tablez")


def test_a_name_resolves_alike_for_reading_and_writing(catalog):
    # One matcher: a quoted name with spaces ("Address Country") used to be a write
    # parameter (writes ignored spaces) but an unknown column (the catalog did not).
    from stripe_dbapi.writes.params import resolve_target

    customers = catalog.table("customers")
    assert catalog.column(customers, "Address Country").name == "address_country"
    target = resolve_target(catalog, customers, customers.create_params, "Address Country", "INSERT")
    assert target.path == ("address", "country")


def test_procedure_parameter_matching_is_the_catalogs(catalog):
    # CALL and the catalog agree: "Card" means CardId, the path placeholder names it too.
    from stripe_dbapi.procedures.arguments import build_action_request

    attach = catalog.procedure("AttachPaymentMethod")
    assert catalog.procedure_param(attach, "Customer").name == "CustomerId"
    request = build_action_request(attach, [], {"PaymentMethod": "pm_1", "Customer": "cus_1"})
    assert request.path.endswith("/pm_1/attach") and request.body == {"customer": "cus_1"}
