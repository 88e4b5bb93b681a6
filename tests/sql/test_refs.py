"""Table references and their narrowed tables (stripe_dbapi/sql/refs.py)."""

from stripe_dbapi.sql.refs import TableRef, narrowed


def test_narrowed_keeps_the_used_columns_in_catalog_order_and_is_one_object_per_shape(mini_catalog):
    charges = mini_catalog.table("charges")
    slim = narrowed(charges, {"status", "id"})
    assert [c.name for c in slim.columns] == ["id", "status"]
    assert narrowed(charges, {"id", "status"}) is slim
    assert narrowed(charges, None) is charges
    assert [c.name for c in narrowed(charges, set()).columns] == ["id"]  # a row still needs a column


def test_a_reference_loads_only_its_used_columns(mini_catalog):
    ref = TableRef(0, mini_catalog.table("prices"), "p", "_t0", used_columns={"active"})
    assert [c.name for c in ref.loaded_table.columns] == ["active"]
