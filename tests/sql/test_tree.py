"""stripe_dbapi.sql.tree reads sqlglot's arguments on every supported sqlglot.

This folder runs on sqlglot 30 (the dev install) and on 28.10 (.ci/sqlalchemy14.sh).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

import stripe_dbapi
from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.exceptions import NotSupportedError
from stripe_dbapi.sql.tree import arg, arg_name, from_clause, where_condition, with_clause
from stripe_dbapi.testing import OfflineConnection
from stripe_dbapi.writes import prepare_write


def parse(sql: str) -> exp.Expression:
    return sqlglot.parse_one(sql, read="sqlite")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM customers WHERE id = 'a'",
        "UPDATE customers SET name = 'x' FROM charges WHERE charges.customer = customers.id",
    ],
)
def test_from_clause_is_found_whatever_this_sqlglot_calls_it(sql):
    found = from_clause(parse(sql))
    assert isinstance(found, exp.From)
    assert found.this.name in ("customers", "charges")


def test_statements_without_from_or_with_have_none():
    assert from_clause(parse("UPDATE customers SET name = 'x' WHERE id = 'a'")) is None
    assert with_clause(parse("SELECT 1")) is None
    assert where_condition(parse("DELETE FROM customers")) is None


@pytest.mark.parametrize(
    "sql",
    [
        "WITH t AS (SELECT 1 AS a) SELECT a FROM t",
        "WITH t AS (SELECT 'cus_1' AS id) UPDATE customers SET name = 'x' WHERE id IN (SELECT id FROM t)",
    ],
)
def test_with_clause_is_found(sql):
    found = with_clause(parse(sql))
    assert isinstance(found, exp.With)
    assert found.expressions[0].alias == "t"


def test_arg_name_is_the_spelling_this_sqlglot_declares():
    select = parse("SELECT 1 FROM t")
    assert arg_name(select, "from") in type(select).arg_types
    assert arg_name(select, "from_") == arg_name(select, "from")
    assert arg_name(select, "where") == "where"


def test_a_tree_spelt_the_other_way_is_read_too():
    """A tree built by hand, or by a sqlglot that spells the argument differently."""
    select = parse("SELECT 1")
    declared = arg_name(select, "from")
    other = "from" if declared == "from_" else "from_"
    table_from = exp.From(this=exp.to_table("customers"))
    select.args[other] = table_from
    assert from_clause(select) is table_from
    assert arg(select, "from_") is table_from


def test_where_condition_unwraps_the_where():
    condition = where_condition(parse("DELETE FROM customers WHERE email = 'a@b.c'"))
    assert isinstance(condition, exp.EQ)
    assert condition.this.name == "email"


# The writers read through the accessors: what a hand-read once missed is refused
# before any request (this connection has no client: a request would fail loudly).


@pytest.fixture(scope="module")
def offline_conn():
    return OfflineConnection(load_catalog())


@pytest.mark.parametrize(
    "sql, message",
    [
        (
            "UPDATE customers SET name = 'x' FROM charges WHERE charges.customer = customers.id",
            "UPDATE ... FROM is not supported",
        ),
        (
            "DELETE FROM customers USING charges WHERE charges.customer = customers.id",
            "DELETE ... USING is not supported",
        ),
        (
            "WITH t AS (SELECT 'cus_1' AS id) UPDATE customers SET name = 'x' "
            "WHERE id IN (SELECT id FROM t)",
            "WITH before INSERT/UPDATE/DELETE",
        ),
    ],
)
def test_writes_refuse_what_they_cannot_do_before_any_request(offline_conn, sql, message):
    with pytest.raises(NotSupportedError, match=re.escape(message)):
        prepare_write(offline_conn, parse(sql))


def test_no_module_reads_a_version_dependent_argument_by_hand():
    """Every read of from/with/for goes through tree.py (sqlglot spells them two ways)."""
    root = Path(stripe_dbapi.__file__).parent.parent
    hand_read = re.compile(r"""args(\.get\(|\[)\s*["'](from|with|for)_?["']""")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for package in ("stripe_dbapi", "sqlalchemy_dialect")
        for path in (root / package).rglob("*.py")
        if path.name != "tree.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if hand_read.search(line)
    ]
    assert offenders == []
