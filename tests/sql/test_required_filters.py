"""Required list filters (issue 10), over the generated catalog: every table whose
list Stripe refuses without a param either takes it from WHERE, fans out over the
table whose ids supply it, or is a ProgrammingError naming what WHERE must give,
before any request."""

from __future__ import annotations

import httpx
import pytest

import stripe_dbapi
from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.select import build_plan

CATALOG = load_catalog()
REQUIRED = sorted(name for name, table in CATALOG.tables.items() if table.required_filters)


@pytest.fixture
def offline():
    """A connection whose every request is recorded and fails."""
    sent: list[httpx.Request] = []

    def handler(request):
        sent.append(request)
        return httpx.Response(500, json={"error": {"type": "api_error", "message": "offline"}})

    conn = stripe_dbapi.connect(api_key="sk_test_offline", transport=httpx.MockTransport(handler),
                                max_retries=0)
    yield conn, sent
    conn.close()


def fetch_of(conn, sql):
    (fetch,) = build_plan(conn, parse_statement(sql))[0].fetches
    return fetch


def fans_out(table) -> bool:
    """Whether a full scan can list every parent: one missing id, from a listable table."""
    missing = list(table.required_filters) + ([table.parent] if table.parent else [])
    return len(missing) == 1 and missing[0].table is not None


def test_the_catalog_has_its_21_tables_with_required_filters():
    assert len(REQUIRED) == 21
    assert sum(fans_out(CATALOG.tables[name]) for name in REQUIRED) == 16


@pytest.mark.parametrize("name", REQUIRED)
def test_a_scan_fans_out_over_the_parent_or_names_what_where_must_give(offline, name):
    conn, sent = offline
    table = CATALOG.tables[name]
    if fans_out(table):
        (required,) = table.required_filters
        fetch = fetch_of(conn, f"SELECT count(*) FROM {name}")
        fan = fetch.fan_out
        assert fetch.calls == [] and fan.list_param == required.param
        assert [c.path for c in fan.parent_calls] == [CATALOG.tables[required.table].list_path]
        (child,) = fan.child_calls_for("x_parent")
        assert (child.path, child.params[required.param]) == (table.list_path, "x_parent")
        assert child.implied == {required.column: "x_parent"}
    else:
        with pytest.raises(ProgrammingError) as error:
            conn.cursor().execute(f"SELECT count(*) FROM {name}")
        unlisted = [r.column for r in table.required_filters if r.table is None]
        assert unlisted and all(column in str(error.value) for column in unlisted)
        assert "WHERE" in str(error.value)
    assert sent == []


def _where_value(table, column_name: str) -> str:
    column = next(c for c in table.columns if c.name == column_name)
    if column.enum:
        return f"'{column.enum[0]}'"
    return "1767225600" if column.type == "datetime" else "'x_1'"


@pytest.mark.parametrize("name", REQUIRED)
def test_required_values_given_in_where_are_sent_as_they_are(offline, name):
    conn, sent = offline
    table = CATALOG.tables[name]
    given = [r.column for r in table.required_filters] + ([table.parent.column] if table.parent else [])
    where = " AND ".join(f"{c} = {_where_value(table, c)}" for c in given)
    fetch = fetch_of(conn, f"SELECT * FROM {name} WHERE {where}")
    assert fetch.fan_out is None and len(fetch.calls) == 1
    assert all(r.param in fetch.calls[0].params for r in table.required_filters)
    assert sent == []


def test_several_required_values_are_one_list_each(offline):
    conn, _ = offline
    fetch = fetch_of(conn, "SELECT * FROM subscription_items WHERE subscription IN ('sub_1', 'sub_2')")
    assert [(c.path, c.params, c.implied) for c in fetch.calls] == [
        ("/v1/subscription_items", {"subscription": "sub_1"}, {"subscription": "sub_1"}),
        ("/v1/subscription_items", {"subscription": "sub_2"}, {"subscription": "sub_2"}),
    ]


def test_the_parents_are_listed_with_their_default_visibility_undone(offline):
    conn, _ = offline
    fetch = fetch_of(conn, "SELECT * FROM subscription_items")
    assert [(c.path, c.params) for c in fetch.fan_out.parent_calls] == [
        ("/v1/subscriptions", {"status": "all"})]


def test_the_error_names_every_missing_filter_and_the_values_stripe_takes(offline):
    conn, _ = offline
    cur = conn.cursor()
    with pytest.raises(ProgrammingError, match=r"customer, end_time and start_time: add customer = \? "
                       r"AND end_time = \? AND start_time = \?"):
        cur.execute("SELECT * FROM billing_meter_event_summaries")
    # with the meter given, the customers could be listed: only the times are missing
    with pytest.raises(ProgrammingError, match=r"given end_time and start_time: add end_time"):
        cur.execute("SELECT * FROM billing_meter_event_summaries WHERE meter = 'mtr_1'")
    with pytest.raises(ProgrammingError, match=r"type = 'performance'"):
        cur.execute("SELECT * FROM tax_locations")
    with pytest.raises(ProgrammingError, match=r"scope_type = 'account' \(or 'user'\)"):
        cur.execute("SELECT * FROM apps_secrets")


def test_a_nested_table_whose_parent_cannot_be_listed_names_the_parent(offline):
    conn, sent = offline
    with pytest.raises(ProgrammingError, match="source = ?"):
        conn.cursor().execute("SELECT * FROM source_transactions")
    assert sent == []


def test_explain_shows_the_fan_out_with_the_param_per_parent(offline):
    conn, _ = offline
    cur = conn.cursor()
    cur.execute("EXPLAIN SELECT count(*) FROM setup_attempts")
    rows = [(r[1].split(" (")[0], r[3], r[4]) for r in cur.fetchall()[:2]]
    assert rows == [
        ("list parents", "/v1/setup_intents", '{"limit": 100}'),
        ("list per parent, concurrently", "/v1/setup_attempts", '{"setup_intent": "{setup_intent}"}'),
    ]
