from sqlglot import exp

from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.rewrite import fold_constants, push_into_derived_tables
from stripe_dbapi.sql.syntax import conjuncts_of


def rewritten(sql, rewrite):
    expression = parse_statement(sql)
    rewrite(expression)
    return expression.sql("sqlite")


def test_column_free_expressions_compared_with_columns_are_folded():
    assert rewritten("SELECT * FROM t WHERE created >= date('2024-03-01', '-7 days') AND a = 1 + 1",
                     fold_constants) == "SELECT * FROM t WHERE created >= '2024-02-23' AND a = 2"


def test_volatile_and_column_dependent_expressions_are_not_folded():
    sql = "SELECT * FROM t WHERE a > random() AND b = upper(c) AND d IN (SELECT 1)"
    assert rewritten(sql, fold_constants) == parse_statement(sql).sql("sqlite")


def test_outer_predicates_on_plain_columns_reach_the_derived_tables_where():
    expression = parse_statement(
        "SELECT * FROM (SELECT id, customer AS c FROM charges WHERE amount > 1) AS v "
        "WHERE v.c = 'x' AND upper(id) = 'A' AND amount2 = 3")
    push_into_derived_tables(expression)
    inner = expression.find(exp.Subquery).this
    assert {c.sql("sqlite") for c in conjuncts_of(inner.args["where"].this)} == {
        "amount > 1", "customer = 'x'", "UPPER(id) = 'A'"}
    assert len(conjuncts_of(expression.args["where"].this)) == 3  # the outer WHERE stays


def test_derived_tables_that_change_rows_are_left_alone():
    for inner in ("SELECT customer FROM charges GROUP BY customer", "SELECT * FROM charges LIMIT 5",
                  "SELECT DISTINCT customer FROM charges", "SELECT count(*) AS customer FROM charges"):
        sql = f"SELECT * FROM ({inner}) AS v WHERE customer = 'x'"
        assert rewritten(sql, push_into_derived_tables) == parse_statement(sql).sql("sqlite")
