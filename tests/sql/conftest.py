"""A small hand-built catalog and a recording fake client, for planner tests without
the generated catalog or HTTP (shapes follow stripe_dbapi/catalog/model.py)."""

from __future__ import annotations

import difflib
import operator
import re
import threading
from urllib.parse import parse_qsl

import httpx
import pytest

from stripe_dbapi.catalog.model import Column, ListFilter, Parent, SearchSpec, Table
from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.sql.analysis import analyse
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.select import build_plan
from stripe_dbapi.sql.syntax import conjuncts_of
from stripe_dbapi.sql.tree import where_condition
from stripe_dbapi.testing.offline import OfflineConnection, offline_client


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
                                               "refunded": "token"},
                                 unlike_column=("refunded",))),
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
       visibility_splits={"active": (True, False)}),
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
    """A connection for planning only: any request fails."""
    conn = OfflineConnection(mini_catalog)
    yield conn
    conn.close()


@pytest.fixture
def analysed(mini_catalog):
    """``analysed("charges", "amount > 5 AND ...")`` -> (table, Analysis) of that WHERE
    (the table by name in the mini catalog, or a Table), for the planner's passes after
    name resolution (write canonical column names)."""
    def analyse_where(table, where):
        table = mini_catalog.table(table) if isinstance(table, str) else table
        condition = where_condition(parse_statement(f"SELECT * FROM {table.name} WHERE {where}"))
        return table, analyse(table, conjuncts_of(condition))
    return analyse_where


@pytest.fixture
def planned_calls(plan_conn):
    """``planned_calls(sql)`` -> [(kind, path, params, query)] of its one table's fetch."""
    def calls(sql):
        (fetch,) = build_plan(plan_conn, parse_statement(sql))[0].fetches
        return [(c.kind, c.path, c.params, c.query) for c in fetch.calls]
    return calls


# --- a fake Stripe on httpx.MockTransport (lists, retrieve, search), until/besides the emulator ---





def _matches_search(obj, query):
    if " OR " in query:
        return any(_matches_search(obj, clause) for clause in query.split(" OR "))
    for clause in query.split(" AND "):
        m = re.match(r'metadata\["(.+?)"\]:"(.*)"$', clause)
        if m:
            if (obj.get("metadata") or {}).get(m.group(1), "").lower() != m.group(2).lower():
                return False
            continue
        m = re.match(r'(\w+)(:|>=|<=|>|<)"?(.*?)"?$', clause)
        field, op, value = m.groups()
        actual = obj.get(field)
        if op == ":":
            if isinstance(actual, (int, float)) and not isinstance(actual, bool):
                if actual != float(value):
                    return False
            elif not (str(actual).lower() == value.lower()
                      or value.lower() in str(actual).lower().split()):
                return False
        else:
            if actual is None or not eval(f"{actual}{op}{value}"):  # numbers only
                return False
    return True


class FakeStripe:
    """Objects by list path, newest first, with Stripe's paging, filters and Search."""

    def __init__(self):
        self.lists: dict[str, list[dict]] = {}
        self.requests: list[tuple[str, str, dict]] = []
        self.threads: list[str] = []  # which thread sent each request

    def add(self, path, obj):
        self.lists.setdefault(path, []).insert(0, obj)

    def handler(self, request: httpx.Request) -> httpx.Response:
        params = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        path = request.url.path
        self.requests.append((request.method, path, params))
        self.threads.append(threading.current_thread().name)
        if path.endswith("/search"):
            objs = [o for o in self.lists.get(path[: -len("/search")], []) if _matches_search(o, params["query"])]
            start = int(params.get("page") or 0)
            limit = int(params.get("limit", 10))
            data = objs[start:start + limit]
            more = start + limit < len(objs)
            return httpx.Response(200, json={"object": "search_result", "data": data, "has_more": more,
                                             "next_page": str(start + limit) if more else None})
        if path in self.lists or re.match(r"^/v1/customers/[^/]+/sources$", path):
            return self._list(path, params)
        parent, _, object_id = path.rpartition("/")
        for obj in self.lists.get(parent, []):
            if obj["id"] == object_id:
                return httpx.Response(200, json=obj)
        return httpx.Response(404, json={"error": {"type": "invalid_request_error",
                                                   "code": "resource_missing", "message": "No such object"}})

    def _list(self, path, params):
        objs = self.lists.get(path, [])
        arrays: dict[str, list] = {}
        for key, value in params.items():
            m = re.match(r"^(\w+)\[(\d+)\]$", key)
            if m:
                arrays.setdefault(m.group(1), []).append(value)
                continue
            m = re.match(r"^(\w+)\[(gte|gt|lte|lt)\]$", key)
            if m:
                col, op = m.groups()
                compare = {"gte": operator.ge, "gt": operator.gt, "lte": operator.le, "lt": operator.lt}[op]
                objs = [o for o in objs if o.get(col) is not None and compare(o[col], int(value))]
                continue
            if key in ("limit", "starting_after"):
                continue
            if key == "status" and value == "all":
                continue
            objs = [o for o in objs if _wire_eq(o.get(key), value)]
        if path == "/v1/subscriptions" and "status" not in params:
            objs = [o for o in objs if o.get("status") != "canceled"]
        if path == "/v1/prices" and "active" not in params:
            objs = [o for o in objs if o.get("active")]
        if "ids" in arrays:
            objs = [o for o in objs if o["id"] in arrays["ids"]]
        if "lookup_keys" in arrays:
            objs = [o for o in objs if o.get("lookup_key") in arrays["lookup_keys"]]
        if params.get("starting_after"):
            ids = [o["id"] for o in objs]
            objs = objs[ids.index(params["starting_after"]) + 1:]
        limit = int(params.get("limit", 10))
        return httpx.Response(200, json={"object": "list", "data": objs[:limit],
                                         "has_more": len(objs) > limit, "url": path})




def _wire_eq(actual, value):
    if isinstance(actual, bool):
        return ("true" if actual else "false") == value
    if isinstance(actual, dict):
        actual = actual.get("id")
    return str(actual) == value


def demo_data(fake: FakeStripe, customers=30, charges_per_customer=3):
    base = 1_700_000_000
    for i in range(customers):
        cid = f"cus_{i:04d}"
        fake.add("/v1/customers", {
            "id": cid, "object": "customer", "created": base + i * 3600, "email": f"user{i}@example.com",
            "name": f"User {i} {'Gold' if i % 5 == 0 else 'Plain'}", "phone": None, "balance": i * 10,
            "livemode": False, "metadata": {"tier": "gold" if i % 5 == 0 else "basic"},
            "test_clock": None})
        for j in range(charges_per_customer):
            fake.add("/v1/charges", {
                "id": f"ch_{i:04d}_{j}", "object": "charge", "amount": 500 * (j + 1) + i,
                "created": base + i * 3600 + j * 60, "currency": "usd" if j != 2 else "eur",
                "customer": cid, "payment_intent": f"pi_{i:04d}_{j}",
                "status": "succeeded" if (i + j) % 4 else "failed", "refunded": j == 1,
                "metadata": {"order": f"o{i}{j}"}})
        if i < 6:
            fake.add(f"/v1/customers/{cid}/sources", {
                "id": f"card_{i:04d}", "object": "card", "customer": cid,
                "brand": "visa" if i % 2 else "mastercard", "last4": f"{4242 + i}",
                "address_country": "US"})
        fake.add("/v1/subscriptions", {
            "id": f"sub_{i:04d}", "object": "subscription", "customer": cid,
            "status": "canceled" if i % 3 == 0 else "active", "created": base + i * 3600,
            "current_period_end": base + i * 3600 + 30 * 86400})
    for k in range(4):
        fake.add("/v1/products", {"id": f"prod_{k}", "object": "product", "name": f"Product {k}",
                                  "active": k != 3, "created": base + k})
        for m in range(2):
            fake.add("/v1/prices", {"id": f"price_{k}_{m}", "object": "price", "active": m == 0,
                                    "product": f"prod_{k}", "lookup_key": f"lk_{k}_{m}",
                                    "unit_amount": 1000 * (k + 1), "created": base + k * 10 + m})


@pytest.fixture
def fake_stripe():
    fake = FakeStripe()
    demo_data(fake)
    return fake


@pytest.fixture
def fake_conn(mini_catalog, fake_stripe):
    """A connection on the fake Stripe (the real client, MockTransport)."""
    conn = OfflineConnection(mini_catalog, client=offline_client(httpx.MockTransport(fake_stripe.handler)))
    yield conn
    conn.close()
