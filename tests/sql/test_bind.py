import datetime as dt

import pytest

from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.sql.bind import bind_parameters
from stripe_dbapi.sql.parse import parse_statement


def bound(sql, params):
    return bind_parameters(parse_statement(sql), params).sql("sqlite")


def test_qmark_values_replace_placeholders_in_source_order_as_literals():
    sql = bound("SELECT ? FROM t WHERE a = ? AND b IN (?, ?) ORDER BY ?",
                ["x", "o'k", 1, None, 2])
    assert sql == "SELECT 'x' AS \"?\" FROM t WHERE a = 'o''k' AND b IN (1, NULL) ORDER BY 2"  # named as SQLite does


def test_named_parameters_and_datetimes_as_utc_text():
    when = dt.datetime(2024, 1, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    sql = bound("SELECT * FROM t WHERE a = :a AND c > :ts", {"a": True, "ts": when})
    assert sql == "SELECT * FROM t WHERE a = 1 AND c > '2024-01-01 00:00:00'"


@pytest.mark.parametrize("sql,params", [
    ("SELECT * FROM t WHERE a = ?", []),
    ("SELECT * FROM t WHERE a = ?", [1, 2]),
    ("SELECT * FROM t WHERE a = :a", {"b": 1}),
    ("SELECT * FROM t", [1]),
])
def test_wrong_parameter_counts_are_programming_errors(sql, params):
    with pytest.raises(ProgrammingError):
        bound(sql, params)


def test_limit_and_offset_bind_after_where_as_sqlalchemy_sends_them():
    # SQLAlchemy binds LIMIT/OFFSET: "... WHERE email = ? LIMIT ? OFFSET ?".
    sql = bound("SELECT id FROM customers WHERE email = ? LIMIT ? OFFSET ?", ["a@b.c", 3, 4])
    assert sql == "SELECT id FROM customers WHERE email = 'a@b.c' LIMIT 3 OFFSET 4"
