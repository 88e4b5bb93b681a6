"""The connector spec's entity payloads map onto the generated catalog's params."""


import pytest

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.paths import fill_path
from stripe_dbapi.testing import OfflineConnection
from stripe_dbapi.writes.delete import ALTERNATIVES, _delete_action_path
from stripe_dbapi.writes.params import build_request

CATALOG = load_catalog()

CREATES = [
    ("Customer", {"Name": "abc"}, "/v1/customers", {"name": "abc"}),
    (
        "Refunds",
        {"Charge": "ch_1", "Amount": 10.0},
        "/v1/refunds",
        {"charge": "ch_1", "amount": 10},
    ),
    (
        "Cards",
        {"CustomerId": "cus_1", "Token": "tok_1"},
        "/v1/customers/cus_1/sources",
        {"source": "tok_1"},
    ),
    (
        "Prices",
        {"Currency": "usd", "Product": "prod_1", "UnitAmount": 1200.0},
        "/v1/prices",
        {"currency": "usd", "product": "prod_1", "unit_amount": 1200},
    ),
    ("Invoices", {"CustomerId": "cus_1"}, "/v1/invoices", {"customer": "cus_1"}),
    (
        "InvoiceItems",
        {"Customer": "cus_1", "Currency": "usd", "Amount": 1000.0},
        "/v1/invoiceitems",
        {"customer": "cus_1", "currency": "usd", "amount": 1000},
    ),
    ("Quotes", {"CustomerId": "cus_1"}, "/v1/quotes", {"customer": "cus_1"}),
    ("Accounts", {"Type": "standard"}, "/v1/accounts", {"type": "standard"}),
    (
        "PaymentIntent",
        {"PaymentMethod": "pm_1", "Currency": "usd", "Amount": 1500.0},
        "/v1/payment_intents",
        {"payment_method": "pm_1", "currency": "usd", "amount": 1500},
    ),
]

UPDATES = [
    ("Customer", {"Name": "Charlie"}, {"name": "Charlie"}),
    ("PaymentIntent", {"Description": "Payment Intent"}, {"description": "Payment Intent"}),
    ("Cards", {"AddressCountry": "US"}, {"address_country": "US"}),
    ("Prices", {"Nickname": "Price Update"}, {"nickname": "Price Update"}),
    ("Invoices", {"Description": "Invoice for car"}, {"description": "Invoice for car"}),
    ("InvoiceItems", {"Quantity": 3.0}, {"quantity": 3}),
    ("Quotes", {"CustomerId": "cus_2"}, {"customer": "cus_2"}),
    (
        "Accounts",
        {"BusinessProfileName": "StagingName"},
        {"business_profile": {"name": "StagingName"}},
    ),
]


@pytest.mark.parametrize("table_name, payload, path, body", CREATES, ids=[c[0] for c in CREATES])
def test_spec_create_payloads(table_name, payload, path, body):
    table = CATALOG.table(table_name)
    request = build_request(CATALOG, table, table.create_params, list(payload.items()), "INSERT")
    assert fill_path(table.create_path, request.url_params) == path
    assert request.body == body


@pytest.mark.parametrize("table_name, payload, body", UPDATES, ids=[u[0] for u in UPDATES])
def test_spec_update_payloads(table_name, payload, body):
    table = CATALOG.table(table_name)
    request = build_request(CATALOG, table, table.update_params, list(payload.items()), "UPDATE")
    assert request.body == body


def test_subscriptions_delete_is_stripes_cancel():
    conn = OfflineConnection(CATALOG)
    assert (
        _delete_action_path(conn, CATALOG.table("subscriptions"))
        == "/v1/subscriptions/{subscription_exposed_id}"
    )


def test_no_delete_alternatives_name_real_tables_and_procedures():
    for table_name, alternative in ALTERNATIVES.items():
        table = CATALOG.table(table_name)
        assert table.delete_path is None, table_name
        if "CALL " in alternative:
            CATALOG.procedure(alternative.split("CALL ")[1].split("(")[0])


def _writable_tables():
    for table in CATALOG.tables.values():
        for verb, params in (("INSERT", table.create_params), ("UPDATE", table.update_params)):
            if params:
                yield pytest.param(table, verb, params, id=f"{table.name}-{verb}")


@pytest.mark.parametrize("table, verb, params", list(_writable_tables()))
def test_every_param_and_writable_column_resolves_to_itself(table, verb, params):
    from stripe_dbapi.writes.params import resolve_target

    for param in params:
        target = resolve_target(CATALOG, table, params, param.name, verb)
        parent = table.parent
        if target.in_url:
            assert parent is not None and param.name in (parent.column, parent.path_param)
        else:
            assert target.path == (param.name,), (param.name, target.path)
    top_level = {p.name: p for p in params}
    for column in table.columns:
        head = column.path[0]
        nested = (
            head in top_level
            and len(column.path) == 2
            and top_level[head].type == "object"
            and column.path[1] in {c.name for c in top_level[head].children}
        )
        if nested and column.name not in top_level:
            target = resolve_target(CATALOG, table, params, column.name, verb)
            assert target.path == tuple(column.path), (column.name, target.path)
