"""A tiny hand-built catalog, so the parameter mapping is tested without the
generated one (its shapes follow stripe_dbapi/catalog/model.py)."""

import pytest

from stripe_dbapi.catalog.model import Column, Param, Parent, Table
from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.writes import names


class StubCatalog:
    def __init__(self, *tables):
        self.tables = {t.name: t for t in tables}

    def column(self, table, name):
        found = names.find(name, {names.normalize(c.name): c for c in table.columns})
        if found is None:
            raise ProgrammingError(f"no column {name}")
        return found


ADDRESS = Param("address", "object", children=(Param("country", "string"), Param("city", "string")))

CUSTOMERS = Table(
    name="customers",
    object="customer",
    list_path="/v1/customers",
    columns=(
        Column("id", "string", ("id",)),
        Column("created", "datetime", ("created",)),
        Column("name", "string", ("name",)),
        Column("balance", "integer", ("balance",)),
        Column("address_country", "string", ("address", "country")),
        Column("metadata", "json", ("metadata",)),
        Column("default_source", "string", ("default_source",), references="cards"),
    ),
    create_path="/v1/customers",
    update_path="/v1/customers/{customer}",
    create_params=(
        Param("name", "string"),
        Param("balance", "integer"),
        ADDRESS,
        Param("metadata", "object"),
        Param("tax_exempt", "string"),
        Param("preferred_locales", "array"),
        Param("invoice_settings", "object", children=(Param("footer", "string"),)),
        Param("source", "string"),
    ),
)

CARDS = Table(
    name="cards",
    object="card",
    list_path="/v1/customers/{customer}/sources",
    columns=(
        Column("id", "string", ("id",)),
        Column("customer", "string", ("customer",), references="customers"),
        Column("address_country", "string", ("address_country",)),
        Column("last4", "string", ("last4",)),
    ),
    parent=Parent("customers", "customer", "customer"),
    create_path="/v1/customers/{customer}/sources",
    create_params=(Param("source", "string", required=True), Param("metadata", "object")),
    update_params=(Param("address_country", "string"), Param("exp_month", "integer")),
)


@pytest.fixture
def catalog():
    return StubCatalog(CUSTOMERS, CARDS)
