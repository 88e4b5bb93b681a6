"""What the query says about each table reference (stripe_dbapi/sql/ref_facts.py),
read through resolve_query on the mini catalog."""

from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.resolve import resolve_query


def refs(catalog, sql):
    return resolve_query(catalog, parse_statement(sql)).refs


def conjuncts(ref):
    return [c.sql("sqlite") for c in ref.conjuncts]


def test_conjuncts_that_touch_one_reference_are_its_own(mini_catalog):
    by_alias = {r.alias: r for r in refs(
        mini_catalog, "SELECT * FROM charges c JOIN customers u ON u.id = c.customer "
                      "WHERE c.amount > 5 AND u.email = 'e' AND c.currency = u.name "
                      "AND c.id IN (SELECT id FROM charges) AND count(*) > 1")}
    c, u = by_alias["c"], by_alias["u"]
    assert conjuncts(c) == ["c.amount > 5"]
    assert conjuncts(u) == ["u.email = 'e'"]


def test_the_null_supplying_side_of_an_outer_join_gets_no_conjuncts(mini_catalog):
    c, u = refs(mini_catalog, "SELECT * FROM charges c LEFT JOIN customers u ON u.id = c.customer "
                              "WHERE u.email = 'e' AND c.amount > 5")
    assert conjuncts(c) == ["c.amount > 5"] and conjuncts(u) == []


def test_a_limit_is_the_reference_s_only_when_the_whole_where_is_and_rows_come_one_at_a_time(mini_catalog):
    (ref,) = refs(mini_catalog, "SELECT id FROM charges WHERE amount > 5 LIMIT 3 OFFSET 2")
    assert (ref.limit, ref.offset, ref.newest_first) == (3, 2, False)
    _, ref = refs(mini_catalog, "SELECT id FROM charges WHERE amount > 5 AND id IN (SELECT id FROM customers) "
                                "LIMIT 3")
    assert ref.table.name == "charges"
    assert ref.limit is None  # a conjunct that is not the reference's alone: the LIMIT is SQLite's
    (ref,) = refs(mini_catalog, "SELECT id FROM charges ORDER BY amount LIMIT 3")
    assert ref.limit is None
    (ref,) = refs(mini_catalog, "SELECT id FROM charges ORDER BY created DESC LIMIT 3")
    assert (ref.limit, ref.newest_first) == (3, True)
    for ref in refs(mini_catalog, "SELECT * FROM charges c JOIN customers u ON u.id = c.customer LIMIT 3"):
        assert ref.limit is None


def test_join_keys_are_equalities_every_result_row_satisfies(mini_catalog):
    c, u = refs(mini_catalog, "SELECT * FROM charges c JOIN customers u ON u.id = c.customer")
    assert c.join_keys == [("customer", u, "id")] and u.join_keys == [("id", c, "customer")]
    c, u = refs(mini_catalog, "SELECT * FROM charges c, customers u WHERE c.customer = u.id")
    assert c.join_keys == [("customer", u, "id")] and u.join_keys == [("id", c, "customer")]
    # LEFT JOIN: only the joined table may be narrowed to the other's values.
    c, u = refs(mini_catalog, "SELECT * FROM charges c LEFT JOIN customers u ON u.id = c.customer")
    assert c.join_keys == [] and u.join_keys == [("id", c, "customer")]


def test_used_columns_are_the_columns_read_and_a_star_means_all(mini_catalog):
    (ref,) = refs(mini_catalog, "SELECT amount FROM charges WHERE status = 'x' ORDER BY created")
    assert ref.used_columns == {"amount", "status", "created"}
    c, u = refs(mini_catalog, "SELECT c.*, u.email FROM charges c JOIN customers u ON u.id = c.customer")
    assert c.used_columns is None and u.used_columns == {"email", "id"}
    (ref,) = refs(mini_catalog, "SELECT TableName FROM sys_tables")
    assert ref.used_columns is None


def test_only_a_single_table_row_at_a_time_query_streams(mini_catalog):
    def streams(sql):
        return resolve_query(mini_catalog, parse_statement(sql)).streamable
    assert streams("SELECT id FROM charges WHERE amount > 1 LIMIT 5")
    assert not streams("SELECT count(*) FROM charges")
    assert not streams("SELECT * FROM charges c JOIN customers u ON u.id = c.customer")
    assert not streams("SELECT * FROM sys_tables")
    assert not streams("SELECT * FROM (SELECT * FROM charges) AS v")
