"""Search that is not there: which errors mean it, and the plans that replace Search."""

from __future__ import annotations

import json

import pytest

from stripe_dbapi import exceptions as exc
from stripe_dbapi.sql.explain import plan_rows
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.search_fallback import SearchAvailability, unavailable_reason
from stripe_dbapi.sql.select import build_plan


def _error(cls, status, message):
    return cls(message, http_status=status, type="invalid_request_error")


@pytest.mark.parametrize("error", [
    _error(exc.ProgrammingError, 404, "Not Found"),
    _error(exc.PermissionError, 403, "The provided key 'rk_test_****' does not have the required permissions"),
    _error(exc.ProgrammingError, 400, "The search feature is temporarily unavailable in your region."),
    _error(exc.ProgrammingError, 400, "search feature unavailable for merchant"),
])
def test_errors_that_mean_search_is_not_available(error):
    reason = unavailable_reason(error, "/v1/customers/search")
    assert reason == f"GET /v1/customers/search answered HTTP {error.http_status}: {error.message}"


@pytest.mark.parametrize("error", [
    _error(exc.ProgrammingError, 400, "Invalid query: AND and OR cannot be combined in one query."),
    _error(exc.ProgrammingError, 400, "Invalid query: field `name` needs a quoted string value."),
    _error(exc.RateLimitError, 429, "Too many requests hit the API too quickly."),
    _error(exc.APIError, 500, "An unexpected error occurred."),
    exc.APIConnectionError("could not reach Stripe"),
    ValueError("not a Stripe error"),
])
def test_errors_of_the_query_itself_are_not_search_missing(error):
    assert unavailable_reason(error) is None


def _plan(conn, sql):
    return build_plan(conn, parse_statement(sql))[0]


def test_a_search_plan_carries_the_list_plan_with_its_own_limit(plan_conn):
    plan_conn.search_availability = SearchAvailability()
    (fetch,) = _plan(plan_conn, "SELECT id FROM charges WHERE amount > 1000 LIMIT 2").fetches
    assert [c.kind for c in fetch.calls] == ["search"] and fetch.exact and fetch.max_rows == 2
    fallback = fetch.fallback
    assert [(c.kind, c.path, c.params) for c in fallback.calls] == [("list", "/v1/charges", {})]
    # `amount > 1000` is no list filter: the list is not exact, so LIMIT 2 stays local.
    assert not fallback.exact and fallback.max_rows is None
    assert fallback.residual == ["amount > 1000"] and fallback.fallback is None


def test_a_list_plan_has_no_fallback(plan_conn):
    plan_conn.search_availability = SearchAvailability()
    (fetch,) = _plan(plan_conn, "SELECT id FROM charges WHERE customer = 'cus_1'").fetches
    assert fetch.fallback is None and fetch.search_unavailable is None


def test_once_search_is_known_missing_lists_are_planned_and_explain_says_why(plan_conn):
    availability = plan_conn.search_availability = SearchAvailability()
    availability.reason = "GET /v1/customers/search answered HTTP 404: Not Found"
    sql = "SELECT id FROM customers WHERE metadata ->> 'tier' = 'gold' LIMIT 5"
    (fetch,) = _plan(plan_conn, sql).fetches
    assert [(c.kind, c.path) for c in fetch.calls] == [("list", "/v1/customers")]
    assert fetch.max_rows is None and not fetch.exact
    rows = plan_rows(plan_conn, parse_statement(sql))
    assert rows[0][1] == ("list (Search is not available on this connection: "
                          "GET /v1/customers/search answered HTTP 404: Not Found)")
    (residual,) = json.loads(rows[0][6])  # filtered locally (the text depends on sqlglot)
    assert "tier" in residual and json.loads(rows[0][5]) == []
    # Tables Search would not serve anyway show no such note.
    (fetch,) = _plan(plan_conn, "SELECT id FROM customers WHERE email = 'a@example.com'").fetches
    assert fetch.search_unavailable is None
