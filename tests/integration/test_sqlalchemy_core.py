"""SQLAlchemy Core over stripe:// on the emulator: reflection of the real
catalog, the statement cache re-binding, RETURNING, do_ping, errors."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy
from sqlalchemy import DateTime, MetaData, String, Table, insert, inspect, select
from sqlalchemy.engine.default import CACHE_HIT
from sqlalchemy.exc import DBAPIError

import stripe_dbapi

API_KEY = "sk_test_123"


def engine_for(base_url: str, key: str = API_KEY, **kwargs) -> sqlalchemy.engine.Engine:
    return sqlalchemy.create_engine(f"stripe://{key}@?base_url={base_url}", **kwargs)


@pytest.fixture
def engine(fresh_emulator):
    engine = engine_for(fresh_emulator.base_url)
    yield engine
    engine.dispose()


def driver_requests(connection):
    return connection.connection.client.request_log


def test_reflection_of_the_real_catalog(engine):
    inspector = inspect(engine)
    names = inspector.get_table_names()
    assert {"customers", "charges", "prices", "products", "payment_intents"} <= set(names)
    columns = {c["name"]: c for c in inspector.get_columns("charges")}
    assert isinstance(columns["created"]["type"], DateTime)
    assert columns["created"]["type"].timezone is True
    assert columns["amount"]["comment"]
    keys = {
        (tuple(k["constrained_columns"]), k["referred_table"])
        for k in inspector.get_foreign_keys("charges")
    }
    assert (("customer",), "customers") in keys
    assert inspector.get_pk_constraint("customers")["constrained_columns"] == ["id"]
    assert inspector.get_table_comment("customers")["text"]


def test_reflected_table_round_trip(engine):
    customers = Table("customers", MetaData(), autoload_with=engine)
    email = f"core-{uuid.uuid4().hex[:8]}@example.com"
    with engine.begin() as connection:
        new_id = connection.execute(
            insert(customers)
            .values(email=email, metadata={"plan": "pro"})
            .returning(customers.c.id)
        ).scalar_one()
        assert new_id.startswith("cus_")
        row = connection.execute(
            select(customers.c.email, customers.c.metadata, customers.c.created).where(
                customers.c.id == new_id
            )
        ).one()
    assert row.email == email
    assert row.metadata == {"plan": "pro"}  # JSON text deserialised
    assert row.created.tzinfo is not None


def test_cached_statement_rebinds_new_values(engine):
    customers = Table("customers", MetaData(), autoload_with=engine)
    emails = [f"cache-{i}-{uuid.uuid4().hex[:6]}@example.com" for i in range(2)]
    with engine.begin() as connection:
        ids = [
            connection.execute(
                insert(customers).values(email=e).returning(customers.c.id)
            ).scalar_one()
            for e in emails
        ]
        results = []
        for email in emails:
            # Same statement shape, a new literal: SQLAlchemy reuses the compiled
            # SQL and must send the new value.
            result = connection.execute(select(customers.c.id).where(customers.c.email == email))
            results.append((result.context, [row.id for row in result]))
    (first_context, first_ids), (second_context, second_ids) = results
    assert second_context.compiled is first_context.compiled  # served from the cache
    assert second_context.cache_hit is CACHE_HIT
    assert (first_ids, second_ids) == ([ids[0]], [ids[1]])


def test_do_ping_makes_a_real_request(fresh_emulator):
    engine = engine_for(fresh_emulator.base_url, pool_pre_ping=True)
    with engine.connect() as connection:
        before = len(driver_requests(connection))
        assert engine.dialect.do_ping(
            connection.connection.dbapi_connection
            if hasattr(connection.connection, "dbapi_connection")
            else connection.connection.connection
        )
        log = driver_requests(connection)
        assert len(log) == before + 1
        assert log[-1].method == "GET" and log[-1].path == "/v1/customers"
    engine.dispose()


def test_bad_key_surfaces_as_the_drivers_authentication_error(fresh_emulator):
    engine = engine_for(fresh_emulator.base_url, key="sk_live_wrong", pool_pre_ping=True)
    with pytest.raises(DBAPIError) as info, engine.connect() as connection:
        connection.exec_driver_sql("SELECT id FROM customers LIMIT 1").all()
    assert isinstance(info.value.orig, stripe_dbapi.AuthenticationError)
    assert "sk_live_wrong" not in str(info.value)
    engine.dispose()


def test_forgiving_table_names_reflect(engine):
    table = Table("InvoiceItems", MetaData(), autoload_with=engine)
    assert table.name == "InvoiceItems"
    assert "invoice" in table.c and isinstance(table.c.id.type, String)


def test_json_item_filter(engine):
    """metadata["tier"] compiles to JSON_EXTRACT with a bound path; the driver
    must evaluate it as SQLite does on every sqlglot version we support."""
    customers = Table("customers", MetaData(), autoload_with=engine)
    tag = uuid.uuid4().hex[:8]
    with engine.begin() as connection:
        gold, silver = (
            connection.execute(
                insert(customers)
                .values(email=f"{tier}-{tag}@example.com", metadata={"tier": tier})
                .returning(customers.c.id)
            ).scalar_one()
            for tier in ("gold", "silver")
        )
        found = (
            connection.execute(
                select(customers.c.id).where(customers.c.metadata["tier"].as_string() == "gold")
            )
            .scalars()
            .all()
        )
    assert gold in found and silver not in found


def test_main_schema_qualified_tables(engine):
    """Superset and other tools qualify tables with the reflected schema, "main"."""
    customers = Table("customers", MetaData(schema="main"), autoload_with=engine)
    with engine.begin() as connection:
        new_id = connection.execute(
            insert(customers).values(email="schema@example.com")
        ).inserted_primary_key[0]
        found = connection.execute(
            select(customers.c.email).where(customers.c.id == new_id)
        ).scalar_one()
    assert new_id.startswith("cus_") and found == "schema@example.com"


def test_multi_row_insert_returning_keeps_row_order(engine):
    products = Table("products", MetaData(), autoload_with=engine)
    names = [f"Plan {i}" for i in range(5)]
    with engine.begin() as connection:
        returned = connection.execute(
            insert(products)
            .values([{"name": name} for name in names])
            .returning(products.c.id, products.c.name)
        ).all()
        # executemany (rowcount may be -1: supports_sane_multi_rowcount is False)
        connection.execute(insert(products), [{"name": "x"}, {"name": "y"}])
        stored = connection.execute(select(products.c.name)).scalars().all()
    assert sorted(stored) == sorted([*names, "x", "y"])
    assert [row.name for row in returned] == names
    assert all(row.id.startswith("prod_") for row in returned)


def test_empty_in_sends_no_request_and_not_in_keeps_every_row(engine, fresh_emulator):
    customers = Table("customers", MetaData(), autoload_with=engine)
    with engine.begin() as connection:
        connection.execute(insert(customers).values(email="only@example.com"))
        fresh_emulator.reset_requests()
        assert connection.execute(select(customers.c.id).where(customers.c.id.in_([]))).all() == []
        assert fresh_emulator.requests == []
        kept = connection.execute(select(customers.c.email).where(customers.c.id.not_in([])))
        assert kept.scalars().all() == ["only@example.com"]
