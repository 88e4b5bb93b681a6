"""A conjunct as per-column constraints, one rule per node kind (stripe_dbapi/sql/atoms.py)."""

import pytest

from stripe_dbapi.sql.atoms import Atom, NotPushable, atoms_of, metadata_key
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.tree import where_condition


def atoms(where):
    return atoms_of(where_condition(parse_statement(f"SELECT * FROM t WHERE {where}")))


@pytest.mark.parametrize(("where", "expected"), [
    ("amount > 5", [Atom("amount", "gt", (5,))]),
    ("5 < amount", [Atom("amount", "gt", (5,))]),  # flipped: the column on the right
    ("(amount <= -2)", [Atom("amount", "lte", (-2,))]),
    ("created BETWEEN 1 AND 9", [Atom("created", "gte", (1,)), Atom("created", "lte", (9,))]),
    ("amount > 1 AND currency = 'usd'", [Atom("amount", "gt", (1,)), Atom("currency", "in", ("usd",))]),
    ("'usd' = currency", [Atom("currency", "in", ("usd",))]),
    ("currency IN ('usd', 'eur')", [Atom("currency", "in", ("usd", "eur"))]),
    ("currency = 'usd' OR currency IN ('eur', 'gbp')", [Atom("currency", "in", ("usd", "eur", "gbp"))]),
    ("active", [Atom("active", "truth", (True,))]),
    ("NOT active", [Atom("active", "truth", (False,))]),
    ("active IS FALSE", [Atom("active", "truth", (False,))]),
    ("currency IS 'usd'", [Atom("currency", "in", ("usd",))]),
    ("metadata ->> 'tier' = 'gold'", [Atom("metadata", "meta", ("gold",), "tier")]),
    ("json_extract(metadata, '$.tier') = 'gold'", [Atom("metadata", "meta", ("gold",), "tier")]),
    ("currency = NULL", [Atom("currency", "in", (None,))]),  # never true: constraints.py decides
])
def test_simple_conjuncts_become_atoms(where, expected):
    assert atoms(where) == expected


@pytest.mark.parametrize("where", [
    "currency = 'usd' OR amount = 1",  # OR across columns
    "amount > 1 OR amount < 0",  # OR of ranges
    "upper(currency) = 'USD'", "amount + 1 > 2", "amount > fee", "currency LIKE 'u%'",
    "currency IN (SELECT c FROM u)", "currency IS NULL", "active IS NOT TRUE", "NOT (amount > 1)",
    "metadata ->> 'tier' = 5",  # metadata values are strings
    "metadata ->> 'a.b' = 'x'", "1 BETWEEN amount AND 2",
])
def test_anything_else_is_not_pushable(where):
    with pytest.raises(NotPushable):
        atoms(where)


def test_metadata_keys_are_the_scalar_forms_on_metadata_only():
    def key(sql):
        return metadata_key(where_condition(parse_statement(f"SELECT * FROM t WHERE {sql} = 'x'")).left)
    assert key("metadata ->> 'tier'") == key("json_extract(metadata, '$.tier')") == "tier"
    assert key("other ->> 'tier'") is None
    assert key("metadata -> 'tier'") is None  # JSON text, not the value
    assert key("metadata") is None
