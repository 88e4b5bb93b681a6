"""A tiny hand-built catalog, so the parameter mapping is tested without the
generated one (its shapes follow stripe_dbapi/catalog/model.py)."""

import threading
import types
import urllib.parse

import httpx
import pytest

from stripe_dbapi import names
from stripe_dbapi.catalog.model import Column, Param, Parent, Table
from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.testing.offline import OfflineConnection, offline_client


class StubCatalog:
    def __init__(self, *tables):
        self.tables = {t.name: t for t in tables}
        self.procedures = {}

    def table(self, name):
        key = names.normalize(name)
        for table in self.tables.values():
            if key in (table.name, table.name.rstrip("s"), table.object):
                return table
        raise ProgrammingError(f"no table {name}")

    def table_for_object(self, object_type):
        return next((t for t in self.tables.values() if t.object == object_type), None)

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
    param_aliases={"token": "source"},
)


PRICES = Table(
    name="prices",
    object="price",
    list_path="/v1/prices",
    columns=(Column("id", "string", ("id",)), Column("nickname", "string", ("nickname",))),
    create_path="/v1/prices",
    update_path="/v1/prices/{price}",
    create_params=(Param("currency", "string", required=True), Param("unit_amount", "integer")),
    update_params=(Param("nickname", "string"), Param("active", "boolean")),
)

CUSTOMERS = Table(
    **{
        **CUSTOMERS.__dict__,
        "update_params": CUSTOMERS.create_params,
        "delete_path": "/v1/customers/{customer}",
    }
)
CARDS = Table(
    **{
        **CARDS.__dict__,
        "update_path": "/v1/customers/{customer}/sources/{id}",
        "delete_path": "/v1/customers/{customer}/sources/{id}",
    }
)


@pytest.fixture
def catalog():
    return StubCatalog(CUSTOMERS, CARDS, PRICES)


class FakeStripe:
    """A MockTransport handler: creates echo their body, ids containing
    "missing" are 404s, ids containing "fail" are 400s."""

    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        self.counter = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = dict(urllib.parse.parse_qsl(request.content.decode(), keep_blank_values=True))
        with self.lock:
            self.requests.append(
                types.SimpleNamespace(
                    method=request.method,
                    path=request.url.path,
                    body=body,
                    idempotency_key=request.headers.get("Idempotency-Key"),
                )
            )
            self.counter += 1
            number = self.counter
        path = request.url.path
        if "missing" in path:
            return _error(404, "resource_missing", "No such object")
        if "fail" in path or "fail" in body.values():
            return _error(400, "parameter_invalid", "Refused")
        parts = path.strip("/").split("/")
        if request.method == "DELETE":
            return httpx.Response(200, json={"id": parts[-1], "deleted": True})
        object_id = parts[-1] if len(parts) % 2 == 1 and len(parts) > 2 else f"obj_{number}"
        return httpx.Response(200, json={"id": object_id, **body})


def _error(status, code, message):
    return httpx.Response(
        status, json={"error": {"type": "invalid_request_error", "code": code, "message": message}}
    )


@pytest.fixture
def stripe():
    return FakeStripe()


@pytest.fixture
def fake_conn(catalog, stripe):
    conn = OfflineConnection(catalog, client=offline_client(httpx.MockTransport(stripe)))
    yield conn
    conn.close()
