"""The catalog-free readers of sqlglot's tree (stripe_dbapi/sql/syntax.py)."""

from sqlglot import exp
from sqlglot.optimizer.scope import traverse_scope

from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.syntax import (
    column_pairs,
    conjuncts_of,
    int_arg,
    is_projection_alias,
    is_star,
    outer_joined_aliases,
    own_columns,
    row_at_a_time,
    scope_chain,
)
from stripe_dbapi.sql.tree import where_condition


def where(sql):
    return where_condition(parse_statement(f"SELECT * FROM t WHERE {sql}"))


def test_conjuncts_look_through_and_and_its_parentheses_but_not_or():
    assert [c.sql() for c in conjuncts_of(where("a = 1 AND (b = 2 AND (c = 3 OR d = 4))"))] == [
        "a = 1", "b = 2", "c = 3 OR d = 4"]
    assert conjuncts_of(None) == []


def test_int_arg_reads_plain_integer_literals_only():
    select = parse_statement("SELECT * FROM t LIMIT 5 OFFSET 2")
    assert (int_arg(select.args["limit"]), int_arg(select.args["offset"])) == (5, 2)
    assert int_arg(parse_statement("SELECT * FROM t LIMIT '5'").args["limit"]) is None
    assert int_arg(parse_statement("SELECT * FROM t LIMIT 1 + 1").args["limit"]) is None
    assert int_arg(None) is None


def test_outer_joined_aliases_are_the_null_supplying_sides():
    select = parse_statement("SELECT * FROM a LEFT JOIN b ON a.x = b.x JOIN c ON c.y = a.y")
    assert outer_joined_aliases(select) == {"b"}
    select = parse_statement("SELECT * FROM a AS p RIGHT JOIN b ON p.x = b.x FULL JOIN c ON c.y = b.y")
    assert outer_joined_aliases(select) == {"p", "b", "c"}


def test_column_pairs_are_equalities_of_two_columns():
    assert [(a.sql(), b.sql()) for a, b in column_pairs(where("a.x = b.y AND a.z = 1 AND a.w > b.w"))] == [
        ("a.x", "b.y")]


def test_row_at_a_time_excludes_clauses_that_need_every_row_first():
    assert row_at_a_time(parse_statement("SELECT a, b + 1 FROM t WHERE a > 1 LIMIT 3"))
    for sql in ("SELECT count(*) FROM t", "SELECT DISTINCT a FROM t", "SELECT a FROM t GROUP BY a",
                "SELECT a FROM t ORDER BY a", "SELECT row_number() OVER () FROM t",
                "SELECT * FROM t JOIN u ON t.a = u.a"):
        assert not row_at_a_time(parse_statement(sql)), sql
    assert row_at_a_time(parse_statement("SELECT a FROM t ORDER BY a"), allow_order=True)


def test_own_columns_leave_a_subquery_s_columns_to_its_scope():
    root = traverse_scope(parse_statement("SELECT a FROM t WHERE b IN (SELECT c FROM u WHERE d = 1)"))[-1]
    assert sorted(c.name for c in own_columns(root)) == ["a", "b"]
    inner = next(s for s in root.subquery_scopes)
    assert [s.expression for s in scope_chain(inner)] == [inner.expression, root.expression]


def test_projection_aliases_and_stars():
    (scope,) = traverse_scope(parse_statement("SELECT a AS total, t.*, * FROM t"))
    assert is_projection_alias(scope, "TOTAL") and not is_projection_alias(scope, "a")
    assert [is_star(p) for p in scope.expression.expressions] == [False, True, True]
    assert not is_star(exp.column("a"))
