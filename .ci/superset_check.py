"""Apache Superset 6.1 on stripe://, checked against the driver's own answers.

Run by .ci/superset.sh inside its Superset venv, with SUPERSET_URL (a running
Superset with admin "ci", password SUPERSET_CHECK_PASSWORD) and STRIPE_EMULATOR_URL
(the emulator with the demo data). Exits non-zero on the first wrong answer.

1. Superset's own parse step (SQLScript: parse, optimize, format) on every time
   grain, a time-range filter and json_extract: the SQL it regenerates must give
   what the SQL it was given gives (both run through the driver).
2. Superset's own error extraction on real driver failures (bad key, unreachable,
   rate limit, permission, unknown table): its error type and one line.
3. The REST API as the UI uses it: connection tests, the database, its tables,
   SQL Lab (a GROUP BY, a join, a week grain, an unknown table), a dataset on
   charges, chart data for the 8 grains and a time range.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import time
import uuid

import httpx

import stripe_dbapi
from sqlalchemy_dialect.superset import TIME_GRAIN_EXPRESSIONS, StripeEngineSpec
from stripe_dbapi.testing import Emulator

SUPERSET_URL = os.environ["SUPERSET_URL"]
EMULATOR_URL = os.environ["STRIPE_EMULATOR_URL"]
PASSWORD = os.environ["SUPERSET_CHECK_PASSWORD"]
KEY = "sk_test_superset_ci"
URI = f"stripe://:{KEY}@?base_url={EMULATOR_URL}"
GRAINS = [grain for grain in TIME_GRAIN_EXPRESSIONS if grain is not None]


def check(condition: bool, what: str, detail: object = "") -> None:
    if not condition:
        print(f"FAILED: {what}\n  {detail}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what}")


def driver_rows(sql: str) -> list[tuple]:
    connection = stripe_dbapi.connect(api_key=KEY, base_url=EMULATOR_URL)
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        connection.close()


def epoch_ms(value: object) -> float:
    """A grain's start as Superset's chart data gives it (milliseconds, UTC)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime), value
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.timestamp() * 1000


def revenue_sql(grain: str, where: str = "1 = 1") -> str:
    bucket = TIME_GRAIN_EXPRESSIONS[grain].format(col="created")
    return (
        f"SELECT {bucket} AS bucket, SUM(amount) AS revenue FROM charges "
        f"WHERE {where} GROUP BY bucket ORDER BY bucket"
    )


# --- 1. Superset's parse step ----------------------------------------------------


def check_parse_step() -> None:
    from superset.sql.parse import SQLGLOT_DIALECTS, SQLScript

    check(
        SQLGLOT_DIALECTS.get("stripe") is not None,
        "importing the engine spec maps the engine 'stripe' to a sqlglot dialect",
    )
    start, end = driver_rows("SELECT MIN(created), MAX(created) FROM charges")[0]
    middle = start + (end - start) / 2
    time_range = (
        f"created >= {StripeEngineSpec.convert_dttm('DATETIME', start + dt.timedelta(days=20))} "
        f"AND created < {StripeEngineSpec.convert_dttm('DATETIME', middle)}"
    )
    [(tier,)] = driver_rows(
        "SELECT json_extract(metadata, '$.tier') FROM customers "
        "WHERE json_extract(metadata, '$.tier') IS NOT NULL LIMIT 1"
    )
    queries = {f"grain {grain}": revenue_sql(grain) for grain in GRAINS}
    queries["time range"] = revenue_sql("P1D", time_range)
    queries["json_extract"] = (
        f"SELECT COUNT(*) FROM customers WHERE json_extract(metadata, '$.tier') = '{tier}'"
    )
    for what, sql in queries.items():
        regenerated = SQLScript(sql, "stripe").optimize().format()
        expected = driver_rows(sql)
        check(
            expected and driver_rows(regenerated) == expected,
            f"Superset's parse step keeps the meaning: {what}",
            regenerated,
        )
    [(matches,)] = driver_rows(queries["json_extract"])
    check(matches > 0, "json_extract finds customers by a metadata value", matches)


# --- 2. Superset's error extraction -------------------------------------------------


def driver_error(sql: str = "SELECT id FROM charges LIMIT 1", **connect: object) -> Exception:
    connect = {"api_key": KEY, "max_retries": 0, **connect}
    try:
        stripe_dbapi.connect(**connect).cursor().execute(sql)
    except stripe_dbapi.Error as error:
        return error
    raise AssertionError(f"no error from {sql!r} with {connect}")


def check_error_extraction() -> None:
    from superset.app import create_app

    with Emulator(seed=None) as emulator, create_app().app_context():
        logging.getLogger("httpx").setLevel(logging.WARNING)  # Superset's logging set INFO
        emulator.faults.fail_next("/v1/charges*", 429)
        rate_limited = driver_error(base_url=emulator.base_url)
        emulator.faults.fail_next("/v1/charges*", 403)
        forbidden = driver_error(base_url=emulator.base_url)
        cases = {
            "a bad key": (
                driver_error(api_key="sk_live_not_a_key_1234567890", base_url=emulator.base_url),
                "CONNECTION_INVALID_PASSWORD_ERROR",
            ),
            "an unreachable Stripe": (
                driver_error(base_url="http://127.0.0.1:1"),
                "CONNECTION_HOST_DOWN_ERROR",
            ),
            "a rate limit": (rate_limited, "GENERIC_DB_ENGINE_ERROR"),
            "a permission error": (forbidden, "CONNECTION_DATABASE_PERMISSIONS_ERROR"),
            "an unknown table": (
                driver_error("SELECT id FROM chargez", base_url=emulator.base_url),
                "TABLE_DOES_NOT_EXIST_ERROR",
            ),
        }
        for what, (error, error_type) in cases.items():
            [superset_error] = StripeEngineSpec.extract_errors(error)
            check(
                superset_error.error_type == error_type
                and "\n" not in superset_error.message
                and "http_status" not in superset_error.message,
                f"Superset's extract_errors on {what}: {error_type}, one line",
                superset_error,
            )


# --- 3. The REST API ---------------------------------------------------------------------


def wait_for_superset(client: httpx.Client) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if client.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(1)
    check(False, "Superset answers /health within 3 minutes")


def logged_in_client() -> httpx.Client:
    client = httpx.Client(base_url=SUPERSET_URL, timeout=120)
    wait_for_superset(client)
    login = client.post(
        "/api/v1/security/login",
        json={"username": "ci", "password": PASSWORD, "provider": "db", "refresh": False},
    )
    check(login.status_code == 200, "log in as the admin", login.text[:300])
    client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    # Writes need the CSRF token of this session (its cookie is kept by the client).
    csrf = client.get("/api/v1/security/csrf_token/")
    client.headers["X-CSRFToken"] = csrf.json()["result"]
    client.headers["Referer"] = SUPERSET_URL
    return client


def sql_lab(client: httpx.Client, database_id: int, sql: str) -> httpx.Response:
    return client.post(
        "/api/v1/sqllab/execute/",
        json={
            "database_id": database_id,
            "sql": sql,
            "schema": "main",
            "runAsync": False,
            "client_id": uuid.uuid4().hex[:10],
        },
    )


def check_connection_tests(client: httpx.Client) -> None:
    good = client.post(
        "/api/v1/database/test_connection/", json={"sqlalchemy_uri": URI, "database_name": "x"}
    )
    check(good.status_code == 200, "test connection: stripe:// on the emulator", good.text[:300])
    for uri, error_type in (
        (URI.replace(KEY, "sk_live_not_a_key_1234567890"), "CONNECTION_INVALID_PASSWORD_ERROR"),
        (
            f"stripe://:{KEY}@?base_url=http://127.0.0.1:1&max_retries=0",
            "CONNECTION_HOST_DOWN_ERROR",
        ),
    ):
        bad = client.post(
            "/api/v1/database/test_connection/", json={"sqlalchemy_uri": uri, "database_name": "x"}
        )
        errors = bad.json().get("errors") or [{}]
        check(
            bad.status_code == 400 and errors[0].get("error_type") == error_type,
            f"test connection fails as {error_type}",
            bad.text[:400],
        )
        check("not_a_key" not in bad.text, "the rejected key is not echoed back", bad.text[:400])


def create_database(client: httpx.Client) -> int:
    created = client.post(
        "/api/v1/database/",
        json={
            "database_name": "Stripe (emulator)",
            "sqlalchemy_uri": URI,
            "expose_in_sqllab": True,
        },
    )
    check(created.status_code == 201, "create the stripe:// database", created.text[:300])
    database_id = created.json()["id"]
    backend = client.get(f"/api/v1/database/{database_id}").json()["result"]["backend"]
    check(backend == "stripe", "its backend is stripe (the project's engine spec)", backend)
    return database_id


def check_tables(client: httpx.Client, database_id: int) -> None:
    schemas = client.get(f"/api/v1/database/{database_id}/schemas/").json()["result"]
    check(schemas == ["main"], "schemas: main", schemas)
    listed = client.get(
        f"/api/v1/database/{database_id}/tables/", params={"q": "(schema_name:main)"}
    ).json()
    names = {table["value"] for table in listed["result"]}
    check(
        {"charges", "customers", "refunds", "subscriptions"} <= names and len(names) >= 100,
        f"tables: {len(names)}, charges and customers among them",
        sorted(names)[:10],
    )


def check_sql_lab(client: httpx.Client, database_id: int) -> None:
    queries = {
        "a GROUP BY": "SELECT currency, COUNT(*) AS n, SUM(amount) AS total "
        "FROM charges GROUP BY currency ORDER BY currency",
        "a join": "SELECT cu.email AS email, COUNT(*) AS n, SUM(ch.amount) AS total "
        "FROM charges ch JOIN customers cu ON ch.customer = cu.id "
        "GROUP BY cu.email ORDER BY total DESC, email",
        "a week grain (three-argument DATETIME)": revenue_sql("P1W"),
    }
    for what, sql in queries.items():
        answer = sql_lab(client, database_id, sql)
        check(answer.status_code == 200, f"SQL Lab runs {what}", answer.text[:400])
        body = answer.json()
        names = [column["name"] for column in body["columns"]]
        got = [tuple(row[name] for name in names) for row in body["data"]]
        expected = driver_rows(sql)
        if "grain" in what:  # SQL Lab sends datetimes as ISO text
            got = [(epoch_ms(bucket), revenue) for bucket, revenue in got]
            expected = [(epoch_ms(bucket), revenue) for bucket, revenue in expected]
        check(got == expected and len(expected) > 0, f"SQL Lab: {what} = the driver's answer", got)
    unknown = sql_lab(client, database_id, "SELECT id FROM chargez")
    error = (unknown.json().get("errors") or [{}])[0]
    check(
        error.get("error_type") == "TABLE_DOES_NOT_EXIST_ERROR"
        and "did you mean: charges" in error.get("message", ""),
        "SQL Lab: an unknown table is TABLE_DOES_NOT_EXIST_ERROR naming the nearest table",
        unknown.text[:400],
    )


def chart_data(
    client: httpx.Client, dataset_id: int, grain: str, time_range: str = "No filter"
) -> list[tuple[float, int]]:
    axis = {
        "timeGrain": grain,
        "columnType": "BASE_AXIS",
        "sqlExpression": "created",
        "label": "created",
        "expressionType": "SQL",
    }
    query = {
        "columns": [axis],
        "metrics": [{"expressionType": "SQL", "sqlExpression": "SUM(amount)", "label": "revenue"}],
        "filters": [{"col": "created", "op": "TEMPORAL_RANGE", "val": time_range}],
        "orderby": [
            [{"expressionType": "SQL", "sqlExpression": "created", "label": "created"}, True]
        ],
        "row_limit": 10000,
    }
    answer = client.post(
        "/api/v1/chart/data",
        json={
            "datasource": {"id": dataset_id, "type": "table"},
            "queries": [query],
            "result_format": "json",
            "result_type": "full",
        },
    )
    check(answer.status_code == 200, f"chart data, grain {grain}, {time_range}", answer.text[:400])
    [result] = answer.json()["result"]
    return [(row["created"], row["revenue"]) for row in result["data"]]


def check_charts(client: httpx.Client, database_id: int) -> None:
    created = client.post(
        "/api/v1/dataset/",
        json={"database": database_id, "schema": "main", "table_name": "charges"},
    )
    check(created.status_code == 201, "create a dataset on charges", created.text[:300])
    dataset_id = created.json()["id"]
    dataset = client.get(f"/api/v1/dataset/{dataset_id}").json()["result"]
    check(
        dataset["main_dttm_col"] == "created",
        "its time column is created",
        dataset["main_dttm_col"],
    )
    for grain in GRAINS:
        expected = [
            (epoch_ms(bucket), revenue) for bucket, revenue in driver_rows(revenue_sql(grain))
        ]
        got = chart_data(client, dataset_id, grain)
        check(got == expected and expected, f"chart data by {grain} = the driver's answer", got[:5])
    start, end = driver_rows("SELECT MIN(created), MAX(created) FROM charges")[0]
    since = (start + dt.timedelta(days=30)).date()
    until = (end - dt.timedelta(days=30)).date()
    expected = [
        (epoch_ms(bucket), revenue)
        for bucket, revenue in driver_rows(
            revenue_sql("P1M", f"created >= '{since} 00:00:00' AND created < '{until} 00:00:00'")
        )
    ]
    got = chart_data(client, dataset_id, "P1M", f"{since} : {until}")
    everything = chart_data(client, dataset_id, "P1M")
    check(
        got == expected and 0 < sum(r for _, r in got) < sum(r for _, r in everything),
        f"chart data, {since} to {until}, by month = the driver's answer (a part of the total)",
        got,
    )


def main() -> None:
    check_parse_step()
    check_error_extraction()
    client = logged_in_client()
    check_connection_tests(client)
    database_id = create_database(client)
    check_tables(client, database_id)
    check_sql_lab(client, database_id)
    check_charts(client, database_id)
    print("superset_check: all checks passed")


if __name__ == "__main__":
    main()
