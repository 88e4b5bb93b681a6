"""A small hand-built catalog and a recording fake client, for planner tests without
the generated catalog or HTTP (shapes follow stripe_dbapi/catalog/model.py)."""

from __future__ import annotations

import difflib
from types import SimpleNamespace

import pytest

from stripe_dbapi.catalog.model import Column, ListFilter, Parent, SearchSpec, Table
from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.write_log import WriteLog


def _cols(*specs):
    return tuple(Column(name, type_, tuple(name.split("."))) for name, type_ in specs)


def _t(name, obj, path, columns, filters=(), **kw):
    return Table(name=name, object=obj, list_path=path, columns=_cols(*columns),
                 retrieve_path=kw.pop("retrieve_path", path + "/{id}"),
                 filters=tuple(ListFilter(*f) for f in filters), **kw)


TABLES = [
    _t("customers", "customer", "/v1/customers",
       [("id", "string"), ("object", "string"), ("created", "datetime"), ("email", "string"),
        ("name", "string"), ("phone", "string"), ("balance", "integer"), ("livemode", "boolean"),
        ("metadata", "json"), ("test_clock", "string")],
       [("email", "email", "eq", "string"), ("created", "created", "range", "datetime"),
        ("test_clock", "test_clock", "eq", "string")],
       search=SearchSpec("/v1/customers/search", {"created": "numeric", "email": "string",
                                                 "metadata": "token", "name": "string",
                                                 "phone": "string"})),
    _t("charges", "charge", "/v1/charges",
       [("id", "string"), ("amount", "integer"), ("created", "datetime"), ("currency", "string"),
        ("customer", "string"), ("payment_intent", "string"), ("status", "string"),
        ("refunded", "boolean"), ("metadata", "json")],
       [("customer", "customer", "eq", "string"), ("created", "created", "range", "datetime"),
        ("payment_intent", "payment_intent", "eq", "string")],
       search=SearchSpec("/v1/charges/search", {"amount": "numeric", "created": "numeric",
                                               "currency": "token", "customer": "token",
                                               "metadata": "token", "status": "token",
                                               "refunded": "token"})),
    _t("subscriptions", "subscription", "/v1/subscriptions",
       [("id", "string"), ("customer", "string"), ("status", "string"), ("created", "datetime"),
        ("current_period_end", "datetime")],
       [("customer", "customer", "eq", "string"),
        ("status", "status", "eq", "string", ("active", "all", "canceled", "ended", "past_due")),
        ("created", "created", "range", "datetime"),
        ("current_period_end", "current_period_end", "range", "datetime")],
       default_list_params={"status": "all"}),
    _t("prices", "price", "/v1/prices",
       [("id", "string"), ("active", "boolean"), ("product", "string"), ("lookup_key", "string"),
        ("unit_amount", "integer"), ("created", "datetime")],
       [("active", "active", "eq", "boolean"), ("product", "product", "eq", "string"),
        ("lookup_keys", "lookup_key", "array", "string", None, 10),
        ("created", "created", "range", "datetime")],
       extra={"visibility_splits": {"active": [True, False]}}),
    _t("products", "product", "/v1/products",
       [("id", "string"), ("name", "string"), ("active", "boolean"), ("created", "datetime")],
       [("ids", "id", "array", "string"), ("active", "active", "eq", "boolean"),
        ("created", "created", "range", "datetime")]),
    _t("cards", "card", "/v1/customers/{customer}/sources",
       [("id", "string"), ("customer", "string"), ("brand", "string"), ("last4", "string"),
        ("address_country", "string")],
       retrieve_path="/v1/customers/{customer}/sources/{id}",
       parent=Parent("customers", "customer", "customer"),
       default_list_params={"object": "card"}),
]


class MiniCatalog:
    version = "2026-10-28.endive"

    def __init__(self):
        self.tables = {t.name: t for t in TABLES}
        self.procedures = {}

    @staticmethod
    def _key(name):
        return name.replace("_", "").lower()

    def table(self, name):
        key = self._key(name)
        for t in self.tables.values():
            if key in (self._key(t.name), self._key(t.name).rstrip("s")):
                return t
        close = difflib.get_close_matches(name.lower(), list(self.tables), n=3)
        raise ProgrammingError(f"Unknown table '{name}'; did you mean {', '.join(close)}?")

    def column(self, table, name):
        key = self._key(name)
        for c in table.columns:
            if self._key(c.name) == key or (key.endswith("id") and self._key(c.name) == key[:-2]):
                return c
        close = difflib.get_close_matches(name, [c.name for c in table.columns], n=3)
        raise ProgrammingError(f"Unknown column '{name}' in {table.name}; did you mean {', '.join(close)}?")

    def table_for_object(self, object_type):
        return next((t for t in self.tables.values() if t.object == object_type), None)


@pytest.fixture
def mini_catalog():
    return MiniCatalog()


@pytest.fixture
def plan_conn(mini_catalog):
    """A connection-shaped object for planning only (no client)."""
    return SimpleNamespace(catalog=mini_catalog, use_search=True, write_log=WriteLog(), client=None)
