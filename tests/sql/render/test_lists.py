"""List calls: params, one list per IN value, visibility, nested tables and fan-outs
(stripe_dbapi/sql/render/lists.py)."""

import pytest

from stripe_dbapi.sql.render import MAX_FANOUT_CALLS
from stripe_dbapi.sql.render.lists import list_calls


def test_equality_and_range_filters_become_list_params(planned_calls):
    assert planned_calls("SELECT * FROM charges WHERE customer = 'cus_1' AND created >= '2024-01-01'"
                 " AND created < '2024-02-01T00:00:00Z'") == [
        ("list", "/v1/charges", {"customer": "cus_1", "created[gte]": 1704067200,
                                 "created[lte]": 1706745599}, None)]


@pytest.mark.parametrize("bound", ["1704067200", "'2024-01-01'", "'2024-01-01 00:00:00'",
                                   "'2024-01-01T01:00:00+01:00'"])
def test_dates_datetimes_iso_strings_and_integers_are_accepted(planned_calls, bound):
    assert planned_calls(f"SELECT id FROM charges WHERE created > {bound}")[0][2] == {
        "created[gte]": 1704067201}


def test_between_combines_bounds(planned_calls):
    assert planned_calls("SELECT id FROM customers WHERE created BETWEEN 10 AND 20")[0][2] == {
        "created[gte]": 10, "created[lte]": 20}


def test_in_on_a_filter_column_is_one_list_per_value(planned_calls):
    assert [c[2] for c in planned_calls("SELECT * FROM charges WHERE CustomerId IN ('a', 'b')")] == [
        {"customer": "a"}, {"customer": "b"}]


def test_or_of_equalities_on_one_column_is_an_in(planned_calls):
    assert [c[2] for c in planned_calls("SELECT * FROM charges WHERE customer = 'a' OR customer = 'b'")] == [
        {"customer": "a"}, {"customer": "b"}]


def test_array_filters_take_up_to_ten_values_per_call(planned_calls):
    keys = ", ".join(f"'k{i}'" for i in range(12))
    got = planned_calls(f"SELECT * FROM prices WHERE lookup_key IN ({keys}) AND active = 1")
    assert [len(c[2]["lookup_keys"]) for c in got] == [10, 2]
    assert planned_calls("SELECT * FROM products WHERE id IN ('a', 'b')") == [
        ("list", "/v1/products", {"ids": ["a", "b"]}, None)]


def test_default_visibility_is_undone_unless_the_query_restricts_it(planned_calls):
    assert planned_calls("SELECT * FROM subscriptions")[0][2] == {"status": "all"}
    assert planned_calls("SELECT * FROM subscriptions WHERE status = 'canceled'")[0][2] == {
        "status": "canceled"}
    assert [c[2] for c in planned_calls("SELECT * FROM prices")] == [{"active": True}, {"active": False}]
    assert [c[2] for c in planned_calls("SELECT * FROM prices WHERE NOT active")] == [{"active": False}]


def test_ranges_go_through_the_one_bound_encoder(analysed):
    rendering = list_calls(*analysed("charges", "created > 5.5 AND created < 9"))
    assert [c.params for c in rendering.calls] == [{"created[gte]": 6, "created[lte]": 8}]
    assert rendering.pushed == rendering.exact == {"created"}


def test_in_lists_multiply_within_the_budget_and_the_rest_is_filtered_locally(analysed):
    rendering = list_calls(*analysed("charges", "customer IN ('a', 'b') AND payment_intent IN ('p', 'q')"))
    assert [c.params for c in rendering.calls] == [
        {"customer": "a", "payment_intent": "p"}, {"customer": "a", "payment_intent": "q"},
        {"customer": "b", "payment_intent": "p"}, {"customer": "b", "payment_intent": "q"}]
    many = ", ".join(f"'cus_{i}'" for i in range(MAX_FANOUT_CALLS + 1))
    rendering = list_calls(*analysed("charges", f"customer IN ({many})"))
    assert [c.params for c in rendering.calls] == [{}] and rendering.pushed == set()


def test_a_value_the_filter_s_enum_lacks_is_not_sent(analysed):
    rendering = list_calls(*analysed("subscriptions", "status = 'trialing'"))
    assert [c.params for c in rendering.calls] == [{"status": "all"}] and "status" not in rendering.pushed


def test_a_nested_table_without_its_parent_id_fans_out_over_every_parent(analysed, mini_catalog):
    table, analysis = analysed("cards", "brand = 'visa'")
    rendering = list_calls(table, analysis, mini_catalog)
    assert rendering.calls == [] and rendering.fan_out.parent_column == "customer"
    assert [c.path for c in rendering.fan_out.parent_calls] == ["/v1/customers"]
    assert [(c.path, c.params) for c in rendering.fan_out.child_calls] == [
        ("/v1/customers/{customer}/sources", {"object": "card"})]
