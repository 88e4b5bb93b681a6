"""Superset's parse step on the engine spec's SQL.

Superset 6.1 parses every query with sqlglot in the dialect it maps the engine to
(``SQLGLOT_DIALECTS[engine]``), may push predicates down (``SQLScript.optimize``)
and sends the SQL it regenerates (``format()``: ``Dialect.generate(..., pretty=True)``).
``superset_parse_step`` makes those calls; each query must then mean what it meant
before, checked by running both texts in SQLite on the same rows. (.ci/superset_check.py
repeats these through Superset's own SQLScript.)"""

from __future__ import annotations

import sqlite3

import pytest
import sqlglot
from sqlglot.dialects.dialect import Dialect
from sqlglot.optimizer.pushdown_predicates import pushdown_predicates

from sqlalchemy_dialect.superset import (
    TIME_GRAIN_EXPRESSIONS,
    StripeEngineSpec,
    register_sqlglot_dialect,
)
from stripe_dbapi.sql.dialect import StripeSQLite

ROWS = [  # created (UTC text, as the driver gives SQLite), amount, metadata
    ("2024-01-01 00:00:00", 100, '{"tier": "gold"}'),  # a Monday, first of a quarter
    ("2024-02-29 23:59:59", 200, '{"tier": "silver"}'),  # a Thursday, leap day
    ("2024-03-31 12:30:45", 300, '{"tier": "gold"}'),  # a Sunday, end of Q1
    ("2024-04-01 08:15:00", 400, "{}"),  # Monday, start of Q2
    ("2024-12-29 06:00:00", 500, '{"tier": "gold"}'),  # Sunday in ISO week 2024-W52
]


def superset_dialects() -> dict:
    dialects: dict = {"sqlite": "sqlite"}
    register_sqlglot_dialect(dialects)
    return dialects


def superset_parse_step(sql: str) -> str:
    dialect = superset_dialects()[StripeEngineSpec.engine]
    [statement] = sqlglot.parse(sql, dialect=dialect)
    statement = pushdown_predicates(statement, dialect=dialect)
    return Dialect.get_or_raise(dialect).generate(statement, copy=True, comments=True, pretty=True)


def run(sql: str) -> list[tuple]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE charges (created TEXT, amount INTEGER, metadata TEXT)")
    db.executemany("INSERT INTO charges VALUES (?, ?, ?)", ROWS)
    return db.execute(sql).fetchall()


def chart_query(grain_expression: str, where: str = "1 = 1") -> str:
    """Shaped like Superset's chart SQL: a grain, a metric, a filtered virtual dataset."""
    return (
        f"SELECT {grain_expression.format(col='created')} AS __timestamp, "
        "SUM(amount) AS revenue FROM (SELECT * FROM charges) AS virtual_table "
        f"WHERE {where} GROUP BY __timestamp ORDER BY __timestamp"
    )


def test_registers_stripe_unless_the_deployment_mapped_it():
    assert superset_dialects()["stripe"] is StripeSQLite
    configured = {"stripe": "sqlite"}
    register_sqlglot_dialect(configured)
    assert configured == {"stripe": "sqlite"}
    register_sqlglot_dialect(None)  # Superset absent: nothing to do


@pytest.mark.parametrize("grain", list(TIME_GRAIN_EXPRESSIONS))
def test_every_grain_means_the_same_after_the_parse_step(grain):
    sql = chart_query(TIME_GRAIN_EXPRESSIONS[grain])
    assert run(superset_parse_step(sql)) == run(sql)


def test_week_and_quarter_grains_give_monday_and_quarter_starts():
    week = run(superset_parse_step(chart_query(TIME_GRAIN_EXPRESSIONS["P1W"])))
    assert [start for start, _ in week] == [
        "2024-01-01 00:00:00",
        "2024-02-26 00:00:00",
        "2024-03-25 00:00:00",
        "2024-04-01 00:00:00",
        "2024-12-23 00:00:00",
    ]
    quarter = run(superset_parse_step(chart_query(TIME_GRAIN_EXPRESSIONS["P3M"])))
    assert quarter == [
        ("2024-01-01 00:00:00", 600),
        ("2024-04-01 00:00:00", 400),
        ("2024-10-01 00:00:00", 500),
    ]


def test_the_generic_dialect_rejects_the_week_grain():
    # Why the registration matters: an unmapped engine gets sqlglot's generic dialect.
    with pytest.raises(sqlglot.errors.ParseError):
        sqlglot.parse(chart_query(TIME_GRAIN_EXPRESSIONS["P1W"]), dialect=None)


def test_time_range_filter_survives_the_parse_step():
    import datetime as dt

    start = StripeEngineSpec.convert_dttm("DATETIME", dt.datetime(2024, 2, 1))
    end = StripeEngineSpec.convert_dttm("DATETIME", dt.datetime(2024, 4, 1, 8, 15))
    sql = chart_query(TIME_GRAIN_EXPRESSIONS["P1M"], f"created >= {start} AND created < {end}")
    assert (
        run(superset_parse_step(sql))
        == run(sql)
        == [
            ("2024-02-01 00:00:00", 200),
            ("2024-03-01 00:00:00", 300),
        ]
    )


def test_json_extract_comparison_survives_the_parse_step():
    sql = chart_query(TIME_GRAIN_EXPRESSIONS["P1Y"], "json_extract(metadata, '$.tier') = 'gold'")
    regenerated = superset_parse_step(sql)
    assert "->" not in regenerated
    assert run(regenerated) == run(sql) == [("2024-01-01 00:00:00", 900)]
