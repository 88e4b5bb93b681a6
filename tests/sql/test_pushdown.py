"""plan_fetch end to end (stripe_dbapi/sql/pushdown.py): which renderer serves a table, contradictions,
what is pushed or left to SQLite, exactness and LIMIT, checked on the planned calls (no HTTP).
Each renderer's own rules are tested in tests/sql/render/."""

import pytest

from stripe_dbapi.exceptions import DataError, ProgrammingError
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.select import build_plan, execute_select


def plan(conn, sql):
    return build_plan(conn, parse_statement(sql))[0]


def calls(conn, sql):
    (fetch,) = plan(conn, sql).fetches
    return [(c.kind, c.path, c.params, c.query) for c in fetch.calls]


@pytest.mark.parametrize("where", [
    "id = 'a' AND id = 'b'", "created > 100 AND created < 101", "customer IN ()",
    "created >= 5 AND created <= 4", "customer = 'a' AND customer IN ('b', 'c')", "amount = NULL",
])
def test_contradictions_make_no_request(plan_conn, where):
    fetch = plan(plan_conn, f"SELECT * FROM charges WHERE {where}").fetches[0]
    assert fetch.empty and fetch.estimated_requests() == 0


def test_nested_table_with_parent_id_is_one_list_else_fans_out(plan_conn):
    assert calls(plan_conn, "SELECT * FROM cards WHERE customer = 'cus_1'") == [
        ("list", "/v1/customers/cus_1/sources", {"object": "card"}, None)]
    fetch = plan(plan_conn, "SELECT * FROM cards").fetches[0]
    assert fetch.calls == [] and fetch.fan_out.parent_calls[0].path == "/v1/customers"
    assert [c.path for c in fetch.fan_out.child_calls] == ["/v1/customers/{customer}/sources"]


def test_search_answers_what_the_list_cannot_and_keeps_a_local_recheck(plan_conn):
    fetch = plan(plan_conn, "SELECT * FROM customers WHERE name = 'Ann' AND metadata ->> 'tier' = 'gold'"
                 " LIMIT 5").fetches[0]
    assert [(c.kind, c.query) for c in fetch.calls] == [
        ("search", 'name:"Ann" AND metadata["tier"]:"gold"')]
    assert fetch.merge_write_log and not fetch.exact and fetch.max_rows is None
    fetch = plan(plan_conn, "SELECT * FROM charges WHERE amount > 1000 AND status = 'succeeded'").fetches[0]
    assert fetch.calls[0].query == 'amount>=1001 AND status:"succeeded"'


def test_a_search_field_unlike_its_column_is_never_searched(plan_conn):
    # charges "refunded" in Search is "true" only when fully refunded (SearchSpec.unlike_column)
    assert calls(plan_conn, "SELECT * FROM charges WHERE refunded AND amount > 5")[0][0] == "search"
    assert calls(plan_conn, "SELECT * FROM charges WHERE refunded AND amount > 5")[0][3] == "amount>=6"
    assert calls(plan_conn, "SELECT * FROM charges WHERE refunded") == [("list", "/v1/charges", {}, None)]


def test_search_can_be_turned_off(plan_conn):
    plan_conn.use_search = False
    assert calls(plan_conn, "SELECT * FROM charges WHERE amount > 1000") == [
        ("list", "/v1/charges", {}, None)]


def test_limit_is_pushed_only_when_every_predicate_was_exact(plan_conn):
    assert plan(plan_conn, "SELECT * FROM charges WHERE customer = 'a' LIMIT 5 OFFSET 2").fetches[0].max_rows == 7
    assert plan(plan_conn, "SELECT * FROM charges WHERE currency LIKE 'u%' LIMIT 5").fetches[0].max_rows is None
    assert plan(plan_conn, "SELECT * FROM charges ORDER BY amount LIMIT 5").fetches[0].max_rows is None
    assert plan(plan_conn, "SELECT count(*) FROM charges LIMIT 5").fetches[0].max_rows is None


def test_limit_under_order_by_created_desc_goes_to_lists_only(plan_conn):
    assert plan(plan_conn, "SELECT * FROM charges ORDER BY created DESC LIMIT 5").fetches[0].max_rows == 5
    assert plan(plan_conn, "SELECT * FROM charges ORDER BY created LIMIT 5").fetches[0].max_rows is None
    assert plan(plan_conn, "SELECT * FROM charges ORDER BY amount DESC LIMIT 5").fetches[0].max_rows is None
    searched = plan(plan_conn, "SELECT * FROM charges WHERE amount > 1 ORDER BY created DESC LIMIT 5")
    assert searched.fetches[0].calls[0].kind == "search" and searched.fetches[0].max_rows is None


def test_joins_push_per_table_but_not_into_the_outer_side(plan_conn):
    fetches = plan(plan_conn, "SELECT * FROM customers c JOIN charges ch ON ch.customer = c.id"
                   " WHERE c.email = 'x' AND ch.created > 5").fetches
    assert [f.calls[0].params for f in fetches] == [{"email": "x"}, {"created[gte]": 6}]
    fetches = plan(plan_conn, "SELECT * FROM customers c LEFT JOIN charges ch ON ch.customer = c.id"
                   " WHERE ch.customer IS NULL AND ch.created > 5").fetches
    assert fetches[1].calls[0].params == {}


def test_derived_tables_and_ctes_push_their_own_where(plan_conn):
    fetches = plan(plan_conn, "WITH big AS (SELECT * FROM charges WHERE customer = 'a')"
                   " SELECT count(*) FROM (SELECT id FROM customers WHERE email = 'e') AS v, big").fetches
    assert sorted(str(f.calls[0].params) for f in fetches) == ["{'customer': 'a'}", "{'email': 'e'}"]


def test_unpushable_bad_datetime_is_a_data_error(plan_conn):
    with pytest.raises(DataError, match="yesterdayish"):
        plan(plan_conn, "SELECT * FROM charges WHERE created >= 'yesterdayish'")


def test_unknown_names_name_the_closest(plan_conn):
    with pytest.raises(ProgrammingError, match="customers"):
        plan(plan_conn, "SELECT * FROM customrs")
    with pytest.raises(ProgrammingError, match="email"):
        plan(plan_conn, "SELECT emial FROM customers")


@pytest.mark.parametrize("where", [
    "id = ''", "id IN ('', '.', '..')", "id = ' '",
])
def test_an_id_that_cannot_name_an_object_is_a_contradiction(plan_conn, where):
    for table in ("customers", "products", "cards"):
        fetch = plan(plan_conn, f"SELECT * FROM {table} WHERE {where}").fetches[0]
        assert fetch.empty and fetch.calls == [] and fetch.estimated_requests() == 0, table
    fetch = plan(plan_conn, f"SELECT * FROM cards WHERE {where.replace('id', 'customer')}").fetches[0]
    assert fetch.empty and fetch.fan_out is None


def test_is_true_and_is_false_on_boolean_filters_are_pushed_is_not_is_not(plan_conn):
    assert [c[2] for c in calls(plan_conn, "SELECT * FROM prices WHERE active IS TRUE")] == [{"active": True}]
    assert [c[2] for c in calls(plan_conn, "SELECT * FROM prices WHERE active IS FALSE")] == [{"active": False}]
    assert [c[2] for c in calls(plan_conn, "SELECT * FROM prices WHERE active IS 1")] == [{"active": True}]
    # IS NOT TRUE / IS NOT FALSE also hold for NULL, which active=false/true would not return.
    for where in ("active IS NOT TRUE", "active IS NOT FALSE", "active IS NULL"):
        fetch = plan(plan_conn, f"SELECT * FROM prices WHERE {where}").fetches[0]
        assert [c.params for c in fetch.calls] == [{"active": True}, {"active": False}], where
        assert fetch.residual and not fetch.pushed
    # On a non-boolean column `x IS TRUE` means x <> 0: no list filter says that.
    fetch = plan(plan_conn, "SELECT * FROM products WHERE created IS TRUE").fetches[0]
    assert fetch.calls[0].params == {} and fetch.residual == ["created IS TRUE"]


def test_is_true_returns_the_rows_of_a_local_filter(fake_conn, fake_stripe):
    fake_stripe.add("/v1/products", {"id": "prod_null", "object": "product", "name": "N", "active": None,
                                     "created": 1})

    def ids(where):
        result = execute_select(fake_conn, parse_statement(f"SELECT id FROM products WHERE {where}"))
        return sorted(r[0] for r in result.rows)
    assert ids("active IS TRUE") == ["prod_0", "prod_1", "prod_2"]
    assert fake_conn.client.request_log[-1].params["active"] is True
    assert ids("active IS FALSE") == ["prod_3"]
    assert ids("active IS NOT TRUE") == ["prod_3", "prod_null"]


def test_an_equality_list_filter_wins_over_search(plan_conn):
    # The list by customer is narrow and fresh; Search lags behind writes.
    assert calls(plan_conn, "SELECT * FROM charges WHERE customer = 'cus_1' AND amount > 1000") == [
        ("list", "/v1/charges", {"customer": "cus_1"}, None)]
    assert calls(plan_conn, "SELECT * FROM customers WHERE email = 'a@b.co' AND metadata ->> 'tier' = 'gold'") == [
        ("list", "/v1/customers", {"email": "a@b.co"}, None)]
    fetch = plan(plan_conn, "SELECT * FROM customers WHERE name = 'Ann' AND created > 5").fetches[0]
    assert fetch.calls[0].kind == "search"  # a range filter alone does not make the list narrow


def test_no_search_while_this_connection_wrote_recently(plan_conn):
    plan_conn.write_log.record_deleted("products", "prod_gone")  # any table: side effects are unknown
    assert calls(plan_conn, "SELECT * FROM charges WHERE amount > 1000") == [("list", "/v1/charges", {}, None)]


@pytest.mark.parametrize("where", ["created > 99999999999999", "created > -99999999999999",
                                   "created = 1e400", "amount > 1e400", "amount = 1e400"])
def test_values_out_of_range_are_a_data_error_before_any_request(plan_conn, where):
    with pytest.raises(DataError):
        plan(plan_conn, f"SELECT id FROM charges WHERE {where}")


def test_dates_before_1970_clamp_lower_bounds_and_empty_upper_ones(plan_conn):
    assert calls(plan_conn, "SELECT id FROM charges WHERE created > '1969-12-31'")[0][2] == {"created[gte]": 0}
    assert calls(plan_conn, "SELECT id FROM charges WHERE created >= '0999-12-31' AND created < 100")[0][2] == {
        "created[gte]": 0, "created[lte]": 99}
    assert plan(plan_conn, "SELECT id FROM charges WHERE created < '1969-12-31'").fetches[0].empty
    assert plan(plan_conn, "SELECT id FROM charges WHERE created < 0").fetches[0].empty
    assert calls(plan_conn, "SELECT id FROM charges WHERE created <= 0")[0][2] == {"created[lte]": 0}
    assert plan(plan_conn, "SELECT id FROM charges WHERE created IN (-5, '1900-01-01')").fetches[0].empty


def test_a_bare_entity_id_is_the_id_as_in_update_and_delete(plan_conn, fake_conn):
    # The connector spec's filterClause 'pi_...' (stripe_dbapi/sql/entity_id.py).
    assert calls(plan_conn, "SELECT * FROM customers WHERE 'cus_0001'") == [
        ("retrieve", "/v1/customers/cus_0001", {}, None)]
    rows = execute_select(fake_conn, parse_statement("SELECT id, email FROM Customer WHERE 'cus_0001'"))
    assert list(rows.rows) == [("cus_0001", "user1@example.com")]
    rows = execute_select(fake_conn, parse_statement(
        "SELECT id FROM (SELECT * FROM customers WHERE 'cus_0002') AS virtual_table"))
    assert list(rows.rows) == [("cus_0002",)]


def test_other_bare_strings_keep_sqlite_s_meaning(plan_conn, fake_conn):
    assert calls(plan_conn, "SELECT * FROM customers WHERE '1'") == [("list", "/v1/customers", {}, None)]
    count = execute_select(fake_conn, parse_statement("SELECT count(*) FROM customers WHERE '2x'"))
    assert list(count.rows) == [(30,)]  # SQLite: true, every row
    # With a join, the bare string names no one table: SQL's meaning (false, no row).
    joined = plan(plan_conn, "SELECT c.id FROM customers c JOIN charges ch ON ch.customer = c.id "
                             "WHERE 'cus_0001'")
    assert [c.kind for f in joined.fetches for c in f.calls] == ["list", "list"]
    rows = execute_select(fake_conn, parse_statement(
        "SELECT c.id FROM customers c JOIN charges ch ON ch.customer = c.id WHERE 'cus_0001'"))
    assert list(rows.rows) == []


def test_only_the_metadata_keys_search_matches_count_as_pushed(plan_conn):
    # Search applies metadata ->> 'tier'; a comparison of the whole metadata column it does not.
    fetch = plan(plan_conn, "SELECT * FROM customers WHERE name = 'Ann' AND metadata ->> 'tier' = 'gold'"
                 " AND metadata = '{}'").fetches[0]
    assert fetch.calls[0].query == 'name:"Ann" AND metadata["tier"]:"gold"'
    assert fetch.residual == ["metadata = '{}'"] and len(fetch.pushed) == 2
