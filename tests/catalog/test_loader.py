"""load_catalog(): caching, lookups by object type, model conversions."""

import pytest

from stripe_dbapi.catalog import Column, Table, load_catalog
from stripe_dbapi.catalog.loader import DATA_FILE


def test_cached_and_shared():
    assert load_catalog() is load_catalog()


def test_loads_from_an_explicit_path():
    fresh = load_catalog(DATA_FILE)
    assert fresh is not load_catalog() and fresh.tables.keys() == load_catalog().tables.keys()


def test_model_types():
    table = load_catalog().tables["customers"]
    assert isinstance(table, Table)
    assert all(isinstance(c, Column) for c in table.columns)
    assert isinstance(table.columns[0].path, tuple)
    with pytest.raises(AttributeError):
        table.name = "x"  # frozen: one catalog is shared by all threads


@pytest.mark.parametrize(
    "object_type, table",
    [
        ("customer", "customers"),
        ("card", "cards"),
        ("line_item", "invoice_lines"),
        ("item", "checkout_session_line_items"),
        ("checkout.session", "checkout_sessions"),
        ("test_helpers.test_clock", "test_clocks"),
        ("payment_method", "payment_methods"),
        ("tax_id", "tax_ids"),
        ("fee_refund", "application_fee_refunds"),
    ],
)
def test_table_for_object(object_type, table):
    assert load_catalog().table_for_object(object_type).name == table


def test_table_for_unknown_object_is_none():
    assert load_catalog().table_for_object("balance") is None


def test_column_helpers():
    catalog = load_catalog()
    table = catalog.tables["refunds"]
    names = catalog.column_names(table)
    assert names[0] == "id" and catalog.column_index(table)["id"] == 0
    assert len(names) == len(table.columns)


def test_every_reference_points_at_a_table():
    catalog = load_catalog()
    for table in catalog.tables.values():
        for column in table.columns:
            assert column.references is None or column.references in catalog.tables
        for f in table.filters:
            assert f.column is None or f.column in catalog.column_names(table)
    for proc in catalog.procedures.values():
        assert proc.table is None or proc.table in catalog.tables


def test_nullability_survives_the_compact_json():
    catalog = load_catalog()
    customers = catalog.tables["customers"]
    assert catalog.column(customers, "id").nullable is False
    assert catalog.column(customers, "address_city").nullable is True
    assert catalog.column(customers, "created").nullable is False


def test_runtime_never_imports_the_stripe_sdk():
    import subprocess
    import sys

    code = (
        "import sys; from stripe_dbapi.catalog import load_catalog; from stripe_dbapi.rows "
        "import flatten; c = load_catalog(); t = c.table('customers'); flatten(t, {'id': 'x'}); "
        "print('stripe' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
