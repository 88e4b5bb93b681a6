"""Name resolution against the catalog (stripe_dbapi/sql/name_resolution.py), on the mini catalog."""

import pytest
from sqlglot.optimizer.scope import traverse_scope

from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.sql.name_resolution import bind_columns, bind_tables, rename_tables
from stripe_dbapi.sql.parse import parse_statement


def resolved(catalog, sql):
    """(the tree with names rewritten and temp tables, the bindings)."""
    expression = parse_statement(sql)
    scopes = traverse_scope(expression)
    bindings = bind_tables(catalog, scopes)
    bind_columns(catalog, scopes, bindings)
    rename_tables(scopes, bindings)
    return expression.sql("sqlite"), bindings


def test_each_table_reference_is_its_own_temp_table_aliased_as_written(mini_catalog):
    sql, bindings = resolved(mini_catalog, "SELECT c.id FROM charges c JOIN Charge d ON d.id = c.id")
    assert [(r.table.name, r.alias, r.sql_name) for r in bindings.refs] == [
        ("charges", "c", "_t0"), ("charges", "d", "_t1")]
    assert sql == "SELECT c.id FROM _t0 AS c JOIN _t1 AS d ON d.id = c.id"


def test_columns_become_canonical_names_and_know_their_reference(mini_catalog):
    sql, bindings = resolved(mini_catalog, "SELECT CustomerId, c.Amount FROM Charge AS c WHERE Created > 1")
    assert sql == "SELECT customer, c.amount FROM _t0 AS c WHERE created > 1"
    assert set(bindings.column_ref.values()) == {bindings.refs[0]}


def test_system_tables_resolve_without_the_catalog(mini_catalog):
    _, bindings = resolved(mini_catalog, "SELECT TableName FROM sys_tables")
    assert bindings.refs[0].system


def test_names_in_derived_tables_ctes_and_subqueries_resolve_in_their_own_scope(mini_catalog):
    sql, bindings = resolved(
        mini_catalog, "WITH x AS (SELECT CustomerId FROM charges) SELECT v.CustomerId FROM "
                      "(SELECT * FROM x) AS v WHERE v.Customer IN (SELECT Id FROM customers)")
    assert "SELECT customer FROM _t0" in sql and "SELECT id FROM _t1" in sql
    # Output names of derived tables, forgivingly; a name SQLite finds as written stays.
    assert "SELECT v.customer FROM" in sql and "v.Customer IN" in sql
    assert [r.table.name for r in bindings.refs] == ["charges", "customers"]


def test_a_correlated_column_resolves_in_the_enclosing_scope(mini_catalog):
    sql, bindings = resolved(mini_catalog, "SELECT id FROM customers c WHERE EXISTS "
                                           "(SELECT 1 FROM charges WHERE customer = c.Id)")
    assert "customer = c.id" in sql
    assert len(bindings.refs) == 2


def test_unknown_names_name_the_closest_columns_before_any_request(mini_catalog):
    with pytest.raises(ProgrammingError, match="email"):
        resolved(mini_catalog, "SELECT emial FROM customers")
    with pytest.raises(ProgrammingError, match="email"):
        resolved(mini_catalog, "SELECT c.emial FROM customers c")
    with pytest.raises(ProgrammingError, match=r"unknown column 'emial' in charges c, customers u; "
                                               r"did you mean: u\.email"):
        resolved(mini_catalog, "SELECT emial FROM charges c JOIN customers u ON u.id = c.customer")
    with pytest.raises(ProgrammingError, match="Unknown column 'nope' in sys_tables; columns: "):
        resolved(mini_catalog, "SELECT nope FROM sys_tables")
    with pytest.raises(ProgrammingError, match="customrs"):
        resolved(mini_catalog, "SELECT * FROM customrs")


def test_a_name_two_tables_have_is_ambiguous_unless_sql_decides_it(mini_catalog):
    with pytest.raises(ProgrammingError, match=r"ambiguous column name 'created' \(in c and u\): "
                                               r"write c\.created or u\.created"):
        resolved(mini_catalog, "SELECT created FROM charges c JOIN customers u ON u.id = c.customer")
    resolved(mini_catalog, "SELECT id FROM charges c JOIN customers u USING (id)")
    resolved(mini_catalog, "SELECT c.created AS created FROM charges c JOIN customers u "
                           "ON u.id = c.customer ORDER BY created")


def test_a_result_alias_may_be_named_by_order_by(mini_catalog):
    sql, _ = resolved(mini_catalog, "SELECT amount * 2 AS doubled FROM charges ORDER BY doubled")
    assert sql.endswith("ORDER BY doubled")
