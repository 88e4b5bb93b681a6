"""pandas and Apache Superset over stripe:// on the emulator's demo data.

Expected answers are computed in Python from the objects read straight from the
emulator's HTTP API (not through the driver), so the SQL path is checked
against an independent reading of the same data. The SQL is the shape Superset
generates: a virtual dataset, GROUP BY with ORDER BY metric LIMIT 10000, the
series-limit join, each time grain and epoch conversion from the engine spec.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import httpx
import pandas as pd
import pytest
import sqlalchemy
from sqlalchemy import text

from sqlalchemy_dialect.superset import (
    DAY,
    HOUR,
    MINUTE,
    MONTH,
    QUARTER,
    SECOND,
    WEEK,
    YEAR,
    StripeEngineSpec,
)

API_KEY = "sk_test_123"
UTC = dt.timezone.utc


def list_all(base_url: str, path: str) -> list[dict]:
    """Every object of a list endpoint, read directly over HTTP."""
    objects: list[dict] = []
    params: dict = {"limit": 100}
    with httpx.Client(headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10) as client:
        while True:
            page = client.get(base_url + path, params=params).json()
            objects.extend(page["data"])
            if not page["has_more"]:
                return objects
            params["starting_after"] = page["data"][-1]["id"]


@pytest.fixture(scope="module")
def engine(emulator):
    engine = sqlalchemy.create_engine(f"stripe://{API_KEY}@?base_url={emulator.base_url}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def charges(emulator) -> list[dict]:
    charges = list_all(emulator.base_url, "/v1/charges")
    # The demo data must exercise what these tests group by.
    assert len({c["currency"] for c in charges}) >= 1 and len(charges) >= 3
    return charges


@pytest.fixture(scope="module")
def customers(emulator) -> dict[str, dict]:
    return {c["id"]: c for c in list_all(emulator.base_url, "/v1/customers")}


def rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def sqlite_text(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def created_at(charge: dict) -> dt.datetime:
    return dt.datetime.fromtimestamp(charge["created"], UTC)


# --- pandas ---------------------------------------------------------------------------


def test_pandas_read_sql_join_group_by(engine, charges, customers):
    frame = pd.read_sql(
        text(
            "SELECT cu.email AS email, COUNT(*) AS n, SUM(ch.amount) AS total "
            "FROM charges ch JOIN customers cu ON ch.customer = cu.id "
            "GROUP BY cu.email ORDER BY cu.email"
        ),
        engine,
    )
    expected_n: Counter = Counter()
    expected_total: Counter = Counter()
    for charge in charges:
        customer = customers.get(charge["customer"] or "")
        if customer is not None:
            expected_n[customer["email"]] += 1
            expected_total[customer["email"]] += charge["amount"]
    assert expected_n, "demo data has no charges with customers"
    expected = pd.DataFrame(
        {
            "email": sorted(expected_n, key=lambda e: (e is not None, e)),
            "n": [expected_n[e] for e in sorted(expected_n, key=lambda e: (e is not None, e))],
            "total": [
                expected_total[e] for e in sorted(expected_n, key=lambda e: (e is not None, e))
            ],
        }
    )
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)
    assert frame["total"].dtype.kind == "i"


def test_pandas_read_sql_parses_datetimes(engine, charges):
    frame = pd.read_sql(text("SELECT id, created FROM charges"), engine)
    assert len(frame) == len(charges)
    by_id = dict(zip(frame["id"], frame["created"], strict=True))
    for charge in charges:
        assert by_id[charge["id"]] == pd.Timestamp(created_at(charge))


# --- Superset SQL shapes -----------------------------------------------------------


def test_virtual_dataset_group_by_order_by_metric_limit(engine, charges, customers):
    result = rows(
        engine,
        """
        SELECT currency AS currency, SUM(amount) AS "SUM(amount)", COUNT(*) AS count
        FROM (SELECT ch.id, ch.amount, ch.currency, ch.created, cu.email
              FROM charges AS ch LEFT JOIN customers AS cu ON ch.customer = cu.id
        ) AS virtual_table
        GROUP BY currency
        ORDER BY "SUM(amount)" DESC
        LIMIT 10000
        """,
    )
    totals: Counter = Counter()
    counts: Counter = Counter()
    for charge in charges:
        totals[charge["currency"]] += charge["amount"]
        counts[charge["currency"]] += 1
    assert sorted(result) == sorted((c, totals[c], counts[c]) for c in totals)
    metric = [total for _, total, _ in result]
    assert metric == sorted(metric, reverse=True)


def test_series_limit_join(engine, charges):
    """Superset's 'series limit': the top-N groups in a subquery, joined back."""
    day = StripeEngineSpec._time_grain_expressions[DAY].format(col="charges.created")
    result = rows(
        engine,
        f"""
        SELECT {day} AS __timestamp, charges.currency AS currency,
               SUM(charges.amount) AS "SUM(amount)"
        FROM charges
        JOIN (SELECT charges.currency AS currency__, SUM(charges.amount) AS mme_inner__
              FROM charges GROUP BY charges.currency
              ORDER BY mme_inner__ DESC LIMIT 1) AS series_limit
          ON charges.currency = series_limit.currency__
        GROUP BY {day}, charges.currency
        ORDER BY "SUM(amount)" DESC
        LIMIT 10000
        """,
    )
    by_currency: Counter = Counter()
    for charge in charges:
        by_currency[charge["currency"]] += charge["amount"]
    assert len(by_currency) >= 2, "demo data needs two currencies for a series limit"
    [(top, _)] = by_currency.most_common(1)
    expected: Counter = Counter()
    for charge in charges:
        if charge["currency"] == top:
            start = created_at(charge).replace(hour=0, minute=0, second=0)
            expected[(start, top)] += charge["amount"]  # datetime(...) grains are datetimes
    assert sorted(result) == sorted((d, c, total) for (d, c), total in expected.items())
    metric = [total for _, _, total in result]
    assert metric == sorted(metric, reverse=True)


def truncate(moment: dt.datetime, grain: str) -> dt.datetime:
    if grain == SECOND:
        return moment.replace(microsecond=0)
    if grain == MINUTE:
        return moment.replace(second=0, microsecond=0)
    if grain == HOUR:
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if grain == DAY:
        return day
    if grain == WEEK:  # weeks start on Monday
        return day - dt.timedelta(days=day.weekday())
    if grain == MONTH:
        return day.replace(day=1)
    if grain == QUARTER:
        return day.replace(day=1, month=(day.month - 1) // 3 * 3 + 1)
    if grain == YEAR:
        return day.replace(day=1, month=1)
    raise AssertionError(grain)


@pytest.mark.parametrize("grain", [SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR])
def test_time_grain(engine, charges, grain):
    expression = StripeEngineSpec._time_grain_expressions[grain].format(col="created")
    result = rows(
        engine,
        f"SELECT {expression} AS __timestamp, COUNT(*) AS count FROM charges "
        f"GROUP BY {expression} ORDER BY count DESC LIMIT 10000",
    )
    expected = Counter(sqlite_text(truncate(created_at(c), grain)) for c in charges)
    assert {str(stamp)[:19]: count for stamp, count in result} == dict(expected)


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2023, 12, 31, 23, 59, 58, tzinfo=UTC),  # Sunday, year end
        dt.datetime(2024, 2, 29, 12, 34, 56, tzinfo=UTC),  # Thursday, leap day
        dt.datetime(2024, 7, 1, 0, 0, 0, tzinfo=UTC),  # Monday, quarter start
        dt.datetime(2024, 6, 30, 6, 7, 8, tzinfo=UTC),  # Sunday, quarter end
    ],
)
def test_time_grain_values_on_known_instants(engine, moment):
    """The demo charges are all created at midnight: these instants exercise
    the sub-day grains and the week/quarter boundaries."""
    literal = f"'{sqlite_text(moment)}'"
    grains = [SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR]
    expressions = ", ".join(
        StripeEngineSpec._time_grain_expressions[g].format(col=literal) for g in grains
    )
    [result] = rows(engine, f"SELECT {expressions}")
    assert [str(v)[:19] for v in result] == [sqlite_text(truncate(moment, g)) for g in grains]


def test_epoch_conversion(engine, charges):
    seconds = StripeEngineSpec.epoch_to_dttm().format(
        col="CAST(STRFTIME('%s', created) AS INTEGER)"
    )
    millis = StripeEngineSpec.epoch_ms_to_dttm().format(
        col="(CAST(STRFTIME('%s', created) AS INTEGER) * 1000)"
    )
    result = rows(engine, f"SELECT id, {seconds}, {millis} FROM charges")
    expected = {c["id"]: sqlite_text(created_at(c)) for c in charges}
    assert {i: (str(s)[:19], str(m)[:19]) for i, s, m in result} == {
        i: (t, t) for i, t in expected.items()
    }


def test_time_range_filter_with_convert_dttm(engine, charges):
    ordered = sorted(created_at(c) for c in charges)
    start, end = ordered[0], ordered[-1]
    low = StripeEngineSpec.convert_dttm("DATETIME", start.replace(tzinfo=None))
    high = StripeEngineSpec.convert_dttm("DATETIME", end.replace(tzinfo=None))
    [(count,)] = rows(
        engine, f"SELECT COUNT(*) FROM charges WHERE created >= {low} AND created < {high}"
    )
    assert count == sum(1 for c in charges if start <= created_at(c) < end)


def test_superset_style_query_compiled_by_the_dialect(engine, charges):
    """Built the way Superset builds a chart query (text virtual table, grain as a
    literal column, metric label, literal binds), compiled by the stripe dialect."""
    from sqlalchemy import column, desc, func, literal_column, select

    virtual = (
        text("SELECT id, amount, currency, created FROM charges")
        .columns(column("id"), column("amount"), column("currency"), column("created"))
        .subquery("virtual_table")
    )
    month = StripeEngineSpec._time_grain_expressions[MONTH].format(col="created")
    start = min(created_at(c) for c in charges)
    since = StripeEngineSpec.convert_dttm("DATETIME", start.replace(tzinfo=None))
    metric = func.sum(virtual.c.amount).label("SUM(amount)")
    query = (
        select(literal_column(month).label("__timestamp"), virtual.c.currency, metric)
        .select_from(virtual)
        .where(virtual.c.created >= literal_column(since))
        .group_by(literal_column(month), virtual.c.currency)
        .order_by(desc(metric))
        .limit(10000)
    )
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    assert "LIMIT 10000" in sql and "OFFSET" not in sql
    with engine.connect() as connection:
        result = [tuple(row) for row in connection.exec_driver_sql(sql)]
    expected: Counter = Counter()
    for charge in charges:
        key = (truncate(created_at(charge), MONTH), charge["currency"])  # a datetime grain
        expected[key] += charge["amount"]
    assert sorted(result) == sorted((m, c, total) for (m, c), total in expected.items())
    totals = [total for _, _, total in result]
    assert totals == sorted(totals, reverse=True)
