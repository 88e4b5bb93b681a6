"""Every table of the real catalog: reflected, compiled by the dialect, and read
back by the driver's parser with the same columns (quoting of names such as
"object", "type" or "order" included). No HTTP: the driver is a stand-in."""

import sqlalchemy

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.sql.bind import bind_parameters
from stripe_dbapi.sql.parse import parse_statement


def test_select_of_every_table_parses_back_to_its_columns(catalog_engine):
    metadata = sqlalchemy.MetaData()
    metadata.reflect(catalog_engine)
    assert set(metadata.tables) == set(load_catalog().tables)
    for table in metadata.tables.values():
        statement = sqlalchemy.select(table).where(table.c.id == "x").limit(1)
        compiled = statement.compile(catalog_engine)
        params = [compiled.params[name] for name in compiled.positiontup]
        tree = bind_parameters(parse_statement(str(compiled)), params)
        assert [e.alias_or_name for e in tree.expressions] == [c.name for c in table.c], table


def test_automap_maps_every_table_and_the_customer_charges_pair(catalog_engine):
    from sqlalchemy.ext.automap import automap_base
    from sqlalchemy.orm import configure_mappers

    base = automap_base()
    base.prepare(autoload_with=catalog_engine)
    configure_mappers()
    charges, customers = base.classes.charges, base.classes.customers
    assert charges.customers.property.mapper.class_ is customers
    assert customers.charges_collection.property.mapper.class_ is charges
    assert len(list(base.classes)) == len(load_catalog().tables)


def test_reflection_shows_the_relations_of_ids_and_embedded_objects(catalog_engine):
    inspector = sqlalchemy.inspect(catalog_engine)

    def keys(table):
        return {(k["constrained_columns"][0], k["referred_table"]) for k in inspector.get_foreign_keys(table)}

    assert {("subscription", "subscriptions"), ("price", "prices"), ("plan", "plans")} <= keys(
        "subscription_items")
    assert ("invoice", "invoices") in keys("invoice_lines")
    columns = {c["name"]: c["type"] for c in inspector.get_columns("invoice_lines")}
    assert isinstance(columns["period_start"], sqlalchemy.DateTime)
