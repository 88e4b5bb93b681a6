"""reach.py: whether an UPDATE/DELETE's WHERE filters, touches every object, or none."""


import pytest
import sqlglot

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.testing import OfflineConnection
from stripe_dbapi.writes.reach import Reach, where_reach


@pytest.fixture(scope="module")
def conn():
    return OfflineConnection(load_catalog())


def reach(conn, where: str, table: str = "customers") -> Reach:
    statement = sqlglot.parse_one(f"DELETE FROM {table} WHERE {where}", read="sqlite")
    return where_reach(conn, conn.catalog.table(table), statement.args["where"].this)


@pytest.mark.parametrize(
    "where",
    [
        "1=1",
        "true",
        "1",
        "NOT 0",
        "'a' = 'a'",
        "(SELECT 1)",
        "abs(-1)",
        "('1x')",  # SQLite reads a leading number: true
        "'1x'",  # bare too: a string SQLite reads as true keeps SQLite's meaning, not an id
        "'2'",
        "1=1 OR id = 'cus_1'",
        "id = 'cus_1' OR NOT (1 = 2)",
        "(1 = 1 AND 2 > 1)",
        "NULL IS NULL",
        # Same for every customer, known only when it runs: all or nothing.
        "EXISTS (SELECT 1 FROM charges WHERE amount > 100)",
        "(SELECT count(*) FROM charges) > 0",
        "EXISTS (SELECT 1 FROM charges) OR id = 'cus_1'",
        # An arbitrary subset, whatever the customer.
        "random() % 2 = 0",
    ],
)
def test_a_where_that_does_not_look_at_the_object_reaches_every_object(conn, where):
    assert reach(conn, where) is Reach.EVERY


@pytest.mark.parametrize(
    "where",
    ["0", "false", "1 = 2", "NULL", "NOT 1", "('abc')", "''", "'..'", "1 = 1 AND 0", "0 AND id = 'cus_1'",
     "NOT (1 OR id = 'cus_1')", "1 = NULL"],
)
def test_a_where_false_or_null_for_every_object_reaches_none(conn, where):
    assert reach(conn, where) is Reach.NONE


@pytest.mark.parametrize(
    "where",
    [
        "id = 'cus_1'",
        "'cus_1'",  # the connector spec's filterClause: an id
        "email LIKE '%@x.test' AND 1 = 1",
        "id = 'cus_1' OR 0",
        # Tautologies about a column are filters: the guard does not prove them.
        "id = id",
        "created > 0",
        "EXISTS (SELECT 1 FROM charges WHERE charges.customer = customers.id)",
        "id IN (SELECT customer FROM charges)",
        "EXISTS (SELECT 1 FROM charges) AND id = 'cus_1'",
        # email is not a column of charges: it is the customer's (correlated).
        "EXISTS (SELECT 1 FROM charges WHERE receipt_email = email)",
    ],
)
def test_a_where_on_the_object_s_columns_filters(conn, where):
    assert reach(conn, where) is Reach.FILTERED


def test_a_where_sqlite_cannot_evaluate_is_left_to_the_select(conn):
    # no_such_function(1) mentions no column; the SELECT reports the error in context.
    assert reach(conn, "no_such_function(1)") is Reach.FILTERED
