import pytest
from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, MetaData, String, Table, inspect
from sqlalchemy.exc import NoSuchTableError
from sqlalchemy.schema import FetchedValue


def test_table_and_schema_names(fake_engine):
    inspector = inspect(fake_engine)
    assert inspector.get_table_names() == ["charges", "customers"]
    assert inspector.get_schema_names() == ["main"]
    assert inspector.default_schema_name == "main"
    assert inspector.get_view_names() == []
    assert inspector.get_table_names(schema="other") == []


def test_has_table_is_exact_but_case_insensitive(fake_engine):
    inspector = inspect(fake_engine)
    assert inspector.has_table("customers")
    assert inspector.has_table("Customers")
    assert not inspector.has_table("customer")  # forgiving names are for SQL, not create_all
    assert not inspector.has_table("widgets")


def test_columns_types_comments_and_nullability(fake_engine):
    columns = {c["name"]: c for c in inspect(fake_engine).get_columns("customers")}
    assert list(columns) == [
        "id",
        "object",
        "created",
        "email",
        "address_country",
        "balance",
        "delinquent",
        "metadata",
    ]
    assert isinstance(columns["email"]["type"], String)
    assert isinstance(columns["balance"]["type"], Integer)
    assert isinstance(columns["delinquent"]["type"], Boolean)
    assert isinstance(columns["metadata"]["type"], JSON)
    created = columns["created"]["type"]
    assert isinstance(created, DateTime) and created.timezone is True
    assert columns["email"]["comment"] == "The customer's email address."
    assert columns["id"]["nullable"] is False and columns["email"]["nullable"] is True


def test_number_columns_are_floats(fake_engine):
    columns = {c["name"]: c for c in inspect(fake_engine).get_columns("charges")}
    assert isinstance(columns["fee_ratio"]["type"], Float)


def test_server_filled_columns_are_marked_fetched(fake_engine):
    columns = {c["name"]: c for c in inspect(fake_engine).get_columns("customers")}
    fetched = {name for name, c in columns.items() if isinstance(c["default"], FetchedValue)}
    # email, address (address_country) and metadata are create parameters.
    assert fetched == {"id", "object", "created", "balance", "delinquent"}


def test_primary_key_is_id(fake_engine):
    assert inspect(fake_engine).get_pk_constraint("charges")["constrained_columns"] == ["id"]


def test_foreign_keys_follow_references_to_known_tables(fake_engine):
    keys = inspect(fake_engine).get_foreign_keys("charges")
    # "applications" is not in this catalog, so only the customer reference counts.
    assert [
        (k["constrained_columns"], k["referred_table"], k["referred_columns"]) for k in keys
    ] == [(["customer"], "customers", ["id"])]


def test_comment_indexes_and_constraints(fake_engine):
    inspector = inspect(fake_engine)
    assert inspector.get_table_comment("charges") == {"text": "A charge."}
    assert inspector.get_indexes("charges") == []
    assert inspector.get_unique_constraints("charges") == []
    assert inspector.get_check_constraints("charges") == []


def test_unknown_table_names_the_closest(fake_engine):
    with pytest.raises(NoSuchTableError, match="customers"):
        inspect(fake_engine).get_columns("custmers")


def test_forgiving_names_reflect_the_canonical_table(fake_engine):
    table = Table("Customer", MetaData(), autoload_with=fake_engine)
    assert "address_country" in table.c


def test_metadata_reflect_builds_the_foreign_key_graph(fake_engine):
    metadata = MetaData()
    metadata.reflect(fake_engine)
    charges = metadata.tables["charges"]
    assert charges.c.id.primary_key
    [key] = charges.foreign_keys
    assert key.column is metadata.tables["customers"].c.id
    assert charges.comment == "A charge."


def test_reflection_costs_no_statement(fake_engine, fake_driver):
    MetaData().reflect(fake_engine)
    assert all(not c.executed for c in fake_driver.connections)
