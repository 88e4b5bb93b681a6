"""StatementContext (stripe_dbapi/context.py): what the planner and executors read from
a connection, satisfied by Connection and by the tests' OfflineConnection."""

from types import SimpleNamespace

import pytest

import stripe_dbapi
from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.context import StatementContext
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.select import build_plan
from stripe_dbapi.testing import OfflineConnection


def test_a_connection_and_an_offline_connection_are_statement_contexts():
    with stripe_dbapi.connect(api_key="sk_test_ctx", base_url="http://127.0.0.1:9") as conn:
        assert isinstance(conn, StatementContext)
    assert isinstance(OfflineConnection(load_catalog()), StatementContext)


def test_an_object_missing_part_of_it_is_not():
    # what tests used to pass, relying on getattr fallbacks in the planner
    partial = SimpleNamespace(catalog=load_catalog(), use_search=True, write_log=None, client=None)
    assert not isinstance(partial, StatementContext)


def test_an_offline_connection_plans_without_a_request_and_refuses_one():
    conn = OfflineConnection(load_catalog())
    plan, _ = build_plan(conn, parse_statement("SELECT id FROM customers WHERE email = 'a@b.c'"))
    assert plan.fetches and conn.client.request_log == []
    with pytest.raises(AssertionError, match="offline connection sent a request"):
        conn.client.get("/v1/customers/cus_1")
    conn.close()
