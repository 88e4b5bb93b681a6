"""rows.flatten: Stripe objects -> row tuples, over every fixtures3.json object."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.rows import flatten

FIXTURES = Path(__file__).parent / "fixtures" / "fixtures3.json"
CATALOG = load_catalog()
RESOURCES = json.loads(FIXTURES.read_text())["resources"]
WITH_TABLE = sorted(
    key for key, obj in RESOURCES.items() if CATALOG.table_for_object(obj.get("object", key))
)


def as_dict(table, obj):
    return dict(zip([c.name for c in table.columns], flatten(table, obj), strict=True))


def leaves(obj, prefix=()):
    if isinstance(obj, dict) and obj:
        for key, value in obj.items():
            yield from leaves(value, prefix + (key,))
    else:
        yield prefix, obj


def test_most_fixture_resources_have_a_table():
    assert len(WITH_TABLE) >= 130


@pytest.mark.parametrize("key", WITH_TABLE)
def test_every_fixture_field_is_a_column_or_inside_a_json_column(key):
    obj = RESOURCES[key]
    table = CATALOG.table_for_object(obj.get("object", key))
    by_path = {c.path: c for c in table.columns}
    names = {c.name for c in table.columns}
    row = flatten(table, obj)
    assert len(row) == len(table.columns)
    uncovered = []
    for path, value in leaves(obj):
        covered = "_".join(path) in names or any(
            (col := by_path.get(path[:i])) is not None
            and (i == len(path) or col.type == "json" or col.expandable)
            for i in range(len(path), 0, -1)
        )
        # a null/empty nested object whose fields are flattened into columns
        if not covered and value in (None, {}):
            covered = any(p[: len(path)] == path for p in by_path)
        if not covered:
            uncovered.append(".".join(path))
    assert not uncovered, f"{table.name}: fields with no column: {uncovered}"


@pytest.mark.parametrize("key", WITH_TABLE)
def test_values_have_the_column_types(key):
    obj = RESOURCES[key]
    table = CATALOG.table_for_object(obj.get("object", key))
    python_types = {
        "string": str, "integer": int, "number": (int, float), "boolean": bool,
        "datetime": datetime, "json": str,
    }  # fmt: skip
    for column, value in zip(table.columns, flatten(table, obj), strict=True):
        if value is not None:
            assert isinstance(value, python_types[column.type]), (column.name, value)
        if column.type == "json" and value is not None:
            json.loads(value)
        if column.type == "datetime" and value is not None:
            assert value.tzinfo is timezone.utc


def test_customer_row():
    table = CATALOG.tables["customers"]
    row = as_dict(table, RESOURCES["customer"])
    assert row["id"] == RESOURCES["customer"]["id"]
    assert row["created"] == datetime.fromtimestamp(RESOURCES["customer"]["created"], timezone.utc)
    assert row["metadata"] == "{}"
    assert row["delinquent"] is False
    assert row["balance"] == 0


def test_nested_objects_flatten_and_missing_fields_are_none():
    table = CATALOG.tables["customers"]
    row = as_dict(
        table,
        {"id": "cus_1", "address": {"country": "DE", "city": "Berlin"}, "shipping": None},
    )
    assert (row["address_country"], row["address_city"], row["address_line1"]) == (
        "DE", "Berlin", None,
    )  # fmt: skip
    assert row["shipping_address_country"] is None
    assert row["email"] is None and row["created"] is None


def test_expanded_reference_reads_as_its_id():
    table = CATALOG.tables["charges"]
    row = as_dict(table, {"id": "ch_1", "customer": {"id": "cus_9", "object": "customer"}})
    assert row["customer"] == "cus_9"
    row = as_dict(table, {"id": "ch_1", "customer": "cus_8"})
    assert row["customer"] == "cus_8"


def test_an_embedded_object_reads_as_its_id_and_whole_as_json():
    table = CATALOG.tables["subscription_items"]
    price = {"id": "price_1", "object": "price", "unit_amount": 900, "recurring": {"interval": "month"}}
    row = as_dict(table, {"id": "si_1", "subscription": "sub_1", "price": price})
    assert row["price"] == "price_1"
    assert json.loads(row["price_object"]) == price
    assert row["subscription"] == "sub_1"
    row = as_dict(table, {"id": "si_2", "price": None})
    assert row["price"] is None and row["price_object"] is None


def test_json_is_compact_and_keeps_order():
    table = CATALOG.tables["customers"]
    row = as_dict(table, {"id": "c", "metadata": {"tier": "gold", "a": "ü"}})
    assert row["metadata"] == '{"tier":"gold","a":"ü"}'


def test_unexpected_shapes_do_not_crash():
    table = CATALOG.tables["customers"]
    obj = {"id": "c", "address": "not-an-object", "created": "soon", "balance": "12",
           "delinquent": 1, "email": {"a": 1}}  # fmt: skip
    row = as_dict(table, obj)
    assert row["address_country"] is None
    assert row["created"] is None
    assert row["balance"] == 12
    assert row["delinquent"] is True
    assert row["email"] == '{"a":1}'


def test_booleans_are_not_integers():
    # bool is a subclass of int: an integer column holding true must still be
    # converted, and 1 in a boolean column must become True.
    table = CATALOG.tables["customers"]
    row = as_dict(table, {"id": "c", "balance": True, "delinquent": 0})
    assert row["balance"] == 1 and row["balance"].__class__ is int
    assert row["delinquent"] is False
