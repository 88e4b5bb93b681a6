import datetime as dt

from stripe_dbapi.catalog.model import Column, Table
from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.sql.engine import Engine, convert_rows, value_converters

UTC = dt.timezone.utc
TABLE = Table("things", "thing", "/v1/things", (
    Column("id", "string", ("id",)), Column("amount", "integer", ("amount",)),
    Column("created", "datetime", ("created",)), Column("paid", "boolean", ("paid",)),
    Column("metadata", "json", ("metadata",)),
))


def test_values_are_stored_the_way_sqlite_compares_them_and_come_back_typed():
    engine = Engine()
    engine.create_table("_t0", TABLE)
    engine.insert("_t0", [("a", 100, dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), True, '{"k":"v"}'),
                          ("b", None, None, False, None)])
    cursor = engine.run("SELECT id, created, paid, metadata ->> 'k', date(created) FROM _t0 "
                        "WHERE amount = '100' AND created >= '2024-01-02'")
    rows = list(convert_rows(cursor.fetchall(), value_converters(["string", "datetime", "boolean", None, None])))
    assert rows == [("a", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), True, "v", "2024-01-02")]
    engine.clear("_t0")
    assert engine.run("SELECT count(*) FROM _t0").fetchone() == (0,)
    engine.close()


def test_an_error_shows_the_statement_with_the_stripe_tables_names_not_the_temp_ones():
    engine = Engine()
    engine.create_table("_t0", TABLE)
    try:
        engine.run("SELECT nope FROM `_t0` AS t JOIN \"_t0\" AS u ON TRUE")
    except ProgrammingError as error:
        message = str(error)
    else:
        raise AssertionError("SQLite accepted a column that does not exist")
    assert "no such column: nope" in message
    assert '"things" AS t' in message and '"things" AS u' in message
    assert "_t0" not in message
    engine.close()
