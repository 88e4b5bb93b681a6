from stripe_dbapi.sql.joinfetch import join_restrictions
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.select import build_plan


def restricted(conn, sql):
    plan, resolved = build_plan(conn, parse_statement(sql))
    return {ref.alias: (column, other.alias, other_column)
            for ref, (column, other, other_column) in join_restrictions(resolved, plan.fetches).items()}


def test_the_side_without_own_filters_waits_for_the_keys_of_the_filtered_side(plan_conn):
    sql = "SELECT * FROM customers c JOIN charges ch ON ch.customer = c.id WHERE c.email = 'x'"
    assert restricted(plan_conn, sql) == {"ch": ("customer", "c", "id")}
    sql = "SELECT * FROM charges ch JOIN customers c ON c.id = ch.customer WHERE ch.customer = 'cus_1'"
    assert restricted(plan_conn, sql) == {"c": ("id", "ch", "customer")}


def test_no_restriction_without_a_filtered_side_or_on_the_preserved_side(plan_conn):
    assert restricted(plan_conn, "SELECT * FROM customers c JOIN charges ch ON ch.customer = c.id") == {}
    sql = "SELECT * FROM charges ch LEFT JOIN customers c ON c.id = ch.customer WHERE c.email = 'x'"
    assert restricted(plan_conn, sql) == {}  # c.email on the NULL side is not pushed either
    sql = "SELECT * FROM customers c LEFT JOIN charges ch ON ch.customer = c.id WHERE c.email = 'x'"
    assert restricted(plan_conn, sql) == {"ch": ("customer", "c", "id")}
