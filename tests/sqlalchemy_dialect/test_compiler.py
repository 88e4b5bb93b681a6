import datetime as dt

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.exc import CompileError
from sqlalchemy.schema import CreateTable, DropTable, FetchedValue

from sqlalchemy_dialect.compiler import SQLALCHEMY_2
from sqlalchemy_dialect.dialect import StripeDialect

metadata = MetaData()
products = Table(
    "products",
    metadata,
    Column("id", String, primary_key=True, server_default=FetchedValue()),
    Column("name", String),
    Column("active", Boolean),
    Column("created", DateTime(timezone=True)),
    Column("metadata", JSON),
    Column("amount", Integer),
)
dialect = StripeDialect()


def sql(statement) -> str:
    return " ".join(str(statement.compile(dialect=dialect)).split())


def test_limit_without_the_offset_0_sqlite_adds():
    assert sql(select(products.c.id).limit(5)) == "SELECT products.id FROM products LIMIT ?"


def test_limit_and_offset():
    assert sql(select(products.c.id).limit(5).offset(10)).endswith("LIMIT ? OFFSET ?")


def test_offset_alone_gets_sqlites_unbounded_limit():
    assert sql(select(products.c.id).offset(10)).endswith("LIMIT -1 OFFSET ?")


def test_boolean_literals_are_true_and_false():
    assert sql(select(products.c.id).where(products.c.active == true())).endswith(
        "WHERE products.active = TRUE"
    )
    assert sql(select(products.c.id).where(products.c.active.is_(False))).endswith(
        "WHERE products.active IS FALSE"
    )


def test_booleans_and_datetimes_are_passed_to_the_driver_as_python_values():
    created = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    compiled = (
        select(products.c.id)
        .where(
            products.c.active == True,  # noqa: E712 (SQL, not Python truth)
            products.c.created >= created,
        )
        .compile(dialect=dialect)
    )
    params = [compiled.binds[name].effective_value for name in compiled.positiontup]
    processors = compiled._bind_processors
    values = [
        processors[name](v) if name in processors else v
        for name, v in zip(compiled.positiontup, params, strict=True)
    ]
    assert values == [created]  # `== True` renders TRUE; the datetime is untouched


def test_json_values_are_serialised_and_deserialised():
    json_type = products.c.metadata.type
    bind = json_type.bind_processor(dialect)
    result = json_type.result_processor(dialect, None)
    assert bind({"tier": "gold"}) == '{"tier": "gold"}'
    assert result('{"tier":"gold"}') == {"tier": "gold"}


def test_json_item_access_compiles_to_json_extract():
    statement = select(products.c.id).where(products.c.metadata["tier"].as_string() == "gold")
    # SQLAlchemy 2 wraps it in CAST(... AS VARCHAR), 1.4 does not; both are SQLite.
    text = sql(statement)
    assert "JSON_EXTRACT(products.metadata, ?)" in text and text.endswith("= ?")


def test_qmark_placeholders():
    assert "products.name = ?" in sql(select(products.c.id).where(products.c.name == "x"))


def test_insert_returning_names_bare_columns():
    statement = insert(products).values(name="Pro").returning(products.c.id, products.c.created)
    assert sql(statement) == "INSERT INTO products (name) VALUES (?) RETURNING id, created"


def test_update_returning():
    statement = (
        update(products).where(products.c.id == "prod_1").values(name="x").returning(products.c.id)
    )
    assert sql(statement) == "UPDATE products SET name=? WHERE products.id = ? RETURNING id"


def test_division_follows_the_sqlalchemy_versions_rules():
    text = sql(select(products.c.amount / products.c.amount))
    if SQLALCHEMY_2:  # 2.x: "/" is true division, SQLite needs a REAL operand
        assert "products.amount / (products.amount + 0.0)" in text
    else:  # 1.4: "/" on integers is integer division, which SQLite's "/" is
        assert "products.amount / products.amount" in text


def test_functions_stay_sqlite_functions():
    assert sql(select(func.count(products.c.id))) == (
        "SELECT count(products.id) AS count_1 FROM products"
    )


@pytest.mark.parametrize("construct", [CreateTable, DropTable])
def test_ddl_is_refused_at_compile_time_with_the_reason(construct):
    with pytest.raises(CompileError, match="fixed by its API"):
        construct(products).compile(dialect=dialect)


def test_dialect_flags_the_orm_depends_on():
    assert dialect.paramstyle == "qmark"
    assert dialect.supports_statement_cache is True
    assert dialect.insert_returning and dialect.update_returning
    assert not dialect.delete_returning
    assert dialect.supports_native_boolean


def test_empty_in_is_a_plain_contradiction_the_planner_can_see():
    statement = select(products.c.id).where(products.c.id.in_([]))
    text = str(statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True}))
    assert "IN (NULL) AND (1 != 1)" in text
