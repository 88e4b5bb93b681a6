"""Every table of the catalog is served without per-resource code: list, retrieve, 404s."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.testing import Emulator

CATALOG = load_catalog()
TOP_LEVEL = sorted(
    t.name for t in CATALOG.tables.values() if t.list_path and "{" not in t.list_path
)
RETRIEVABLE = sorted(
    t.name for t in CATALOG.tables.values() if t.retrieve_path and t.retrieve_path.count("{") == 1
)


@pytest.fixture(scope="module")
def empty_api():
    """One empty emulator for the read-only checks below (a fresh one per case is slow)."""
    with (
        Emulator(seed=None) as emu,
        httpx.Client(
            base_url=emu.base_url, headers={"Authorization": "Bearer sk_test_routes"}
        ) as client,
    ):
        yield client


def test_the_catalog_is_big_enough_to_matter():
    assert len(TOP_LEVEL) > 50
    assert len(RETRIEVABLE) > 50


def required_values(table) -> dict:
    """A value for each list param Stripe requires (the first allowed one for enums)."""
    enums = {f.param: f.enum for f in table.filters}
    return {r.param: (enums.get(r.param) or ("x_parent",))[0] for r in table.required_filters}


def with_required_fields(table, obj: dict) -> dict:
    """``obj`` carrying the values of ``required_values`` where the columns sit."""
    paths = {c.name: c.path for c in table.columns}
    for r, value in zip(table.required_filters, required_values(table).values(), strict=True):
        *outer, leaf = paths[r.column]
        target = obj
        for key in outer:
            target = target.setdefault(key, {})
        target[leaf] = value
    return obj


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_every_top_level_list_answers_an_empty_list(empty_api, name):
    table = CATALOG.tables[name]
    body = empty_api.get(table.list_path, params=required_values(table)).json()
    assert body == {"object": "list", "data": [], "has_more": False, "url": table.list_path}


@pytest.mark.parametrize("name", sorted(t.name for t in CATALOG.tables.values() if t.required_filters))
def test_a_list_without_a_required_param_is_stripes_parameter_missing(api, fresh_emulator, name):
    table = CATALOG.tables[name]
    given = required_values(table)
    first, *_ = table.required_filters
    del given[first.param]
    path = table.list_path
    if table.parent is not None:  # a parent that exists, so the missing param answers
        fresh_emulator.insert(table.parent.table, {"id": "x_parent"})
        path = path.replace("{" + table.parent.path_param + "}", "x_parent")
    response = api.get(path, params=given)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == {
        "type": "invalid_request_error",
        "code": "parameter_missing",
        "param": first.param,
        "message": f"Missing required param: {first.param}.",
        "doc_url": "https://stripe.com/docs/error-codes/parameter-missing",
        "request_log_url": response.json()["error"]["request_log_url"],
    }


@pytest.mark.parametrize("name", RETRIEVABLE)
def test_every_retrieve_of_a_missing_id_is_resource_missing(empty_api, name):
    table = CATALOG.tables[name]
    path = re.sub(r"{\w+}", "xx_missing", table.retrieve_path)
    response = empty_api.get(path)
    assert response.status_code == 404, (path, response.text)
    assert response.json()["error"]["code"] == "resource_missing"


def test_inserted_objects_of_any_table_list_and_retrieve(api, fresh_emulator):
    for name in TOP_LEVEL:
        table = CATALOG.tables[name]
        visible = {"active": True} if any(c.name == "active" for c in table.columns) else {}
        now = int(time.time())  # recent: events only list the last 30 days
        fresh_emulator.insert(name, with_required_fields(table, {"id": f"x_{name}", "created": now, **visible}))
        listed = api.get(table.list_path, params={"limit": 1, **required_values(table)}).json()["data"]
        assert [o["id"] for o in listed] == [f"x_{name}"], name
        if table.retrieve_path and table.retrieve_path.count("{") == 1:
            path = re.sub(r"{\w+}", f"x_{name}", table.retrieve_path)
            assert api.get(path).json()["id"] == f"x_{name}", name
