import datetime as dt
from fractions import Fraction

import pytest
from sqlglot import exp

from stripe_dbapi.exceptions import DataError
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.values import (
    from_sqlite_datetime,
    fromisoformat,
    normalize_datetime_literals,
    parse_datetime,
    sqlite_datetime_text,
    unix_seconds,
)

UTC = dt.timezone.utc


@pytest.mark.parametrize("value", ["2024-01-01", "2024-01-01 00:00:00", "2024-01-01T00:00:00Z",
                                   "2024-01-01T01:00:00+01:00", 1704067200, "1704067200"])
def test_dates_datetimes_and_unix_seconds_mean_the_same_moment(value):
    assert parse_datetime(value) == dt.datetime(2024, 1, 1, tzinfo=UTC)
    assert unix_seconds(value) == 1704067200


def test_fractions_of_seconds_are_kept_for_bound_rounding():
    assert unix_seconds("2024-01-01 00:00:00.5") == Fraction(3408134401, 2)
    assert sqlite_datetime_text(parse_datetime("2024-01-01 00:00:00.5")) == "2024-01-01 00:00:00.5"


def test_not_a_date_is_a_data_error():
    with pytest.raises(DataError, match="yesterdayish"):
        parse_datetime("yesterdayish")


def test_sqlite_text_back_to_aware_utc():
    assert from_sqlite_datetime("2024-01-01 10:00:00") == dt.datetime(2024, 1, 1, 10, tzinfo=UTC)
    assert from_sqlite_datetime(None) is None


def test_literals_next_to_datetime_columns_are_normalised():
    expression = parse_statement("SELECT * FROM t WHERE created > 1704067200 AND x > 5 "
                                 "AND created BETWEEN '2024-01-01' AND '2024-02-01T00:00:00Z'")
    normalize_datetime_literals(expression, lambda c: "datetime" if c.name == "created" else None)
    literals = sorted(lit.this for lit in expression.find_all(exp.Literal))
    assert literals == ["2024-01-01 00:00:00", "2024-01-01 00:00:00", "2024-02-01 00:00:00", "5"]


def test_years_before_1000_keep_four_digits():
    from stripe_dbapi.sql.values import sqlite_datetime_text

    assert sqlite_datetime_text(dt.datetime(999, 12, 31, 1, 2, 3)) == "0999-12-31 01:02:03"
    assert sqlite_datetime_text(dt.datetime(2024, 1, 2, 3, 4, 5, 500000)) == "2024-01-02 03:04:05.5"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-01-01 00:00:00.5", dt.datetime(2024, 1, 1, 0, 0, 0, 500000)),
        ("2024-01-01T10:20:30.1234567", dt.datetime(2024, 1, 1, 10, 20, 30, 123456)),
        ("2024-01-01T10:20:30Z", dt.datetime(2024, 1, 1, 10, 20, 30, tzinfo=dt.timezone.utc)),
        ("2024-01-01T10:20:30+0530", dt.datetime(2024, 1, 1, 10, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))),
        ("2024-01-01", dt.datetime(2024, 1, 1)),
    ],
)
def test_fromisoformat_reads_iso_8601_alike_on_every_python(text, expected):
    # Python 3.10's own fromisoformat refuses all but the last of these.
    assert fromisoformat(text) == expected
