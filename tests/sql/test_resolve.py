"""resolve_query, the passes in order (stripe_dbapi/sql/resolve.py)."""

from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.resolve import resolve_query


def resolve(catalog, sql):
    return resolve_query(catalog, parse_statement(sql))


def test_the_query_comes_back_over_temp_tables_with_canonical_names(mini_catalog):
    resolved = resolve(mini_catalog, "SELECT CustomerId, count(*) FROM Charge GROUP BY CustomerId")
    assert resolved.expression.sql("sqlite") == (
        'SELECT customer, COUNT(*) AS "count(*)" FROM _t0 AS Charge GROUP BY customer')
    assert [r.table.name for r in resolved.refs] == ["charges"]


def test_the_input_tree_is_left_as_it_was(mini_catalog):
    expression = parse_statement("SELECT CustomerId FROM Charge")
    resolve_query(mini_catalog, expression)
    assert expression.sql("sqlite") == "SELECT CustomerId FROM Charge"


def test_folded_constants_and_derived_tables_reach_the_reference_s_conjuncts(mini_catalog):
    (ref,) = resolve(mini_catalog, "SELECT * FROM (SELECT * FROM charges) AS v "
                                   "WHERE v.amount > 1 + 1").refs
    assert [c.sql("sqlite") for c in ref.conjuncts] == ["amount > 2"]


def test_a_bare_entity_id_is_an_id_equality_on_one_stripe_table_only(mini_catalog):
    (ref,) = resolve(mini_catalog, "SELECT * FROM customers WHERE 'cus_1'").refs
    assert [c.sql("sqlite") for c in ref.conjuncts] == ["id = 'cus_1'"]
    resolved = resolve(mini_catalog, "SELECT * FROM customers c JOIN charges h ON h.customer = c.id "
                                     "WHERE 'cus_1'")
    assert all(r.conjuncts == [] for r in resolved.refs)


def test_datetime_literals_compared_with_datetime_columns_are_sqlite_s_text(mini_catalog):
    sql = resolve(mini_catalog, "SELECT id FROM (SELECT id, created FROM charges) AS v "
                                "WHERE v.created >= '2024-01-01T00:00:00Z'").expression.sql("sqlite")
    assert sql.endswith("WHERE v.created >= '2024-01-01 00:00:00'")
