"""Typed per-column constraints and the one encoder of range bounds
(stripe_dbapi/sql/constraints.py)."""

from fractions import Fraction

import pytest

from stripe_dbapi.exceptions import DataError
from stripe_dbapi.sql.atoms import Atom, NotPushable
from stripe_dbapi.sql.constraints import NEVER, ColumnConstraint, coerce, range_bounds, wire


def constraint(column_type, *atoms, identifier=False):
    result = ColumnConstraint("x", column_type, identifier=identifier)
    for op, *values in atoms:
        result.add(Atom("x", op, tuple(values)))
    return result


def test_values_are_coerced_as_sqlite_compares_them_with_the_column():
    assert coerce("datetime", "2024-01-01") == 1704067200
    assert coerce("integer", " 12 ") == Fraction(12) and coerce("number", 0.5) == Fraction(1, 2)
    assert coerce("boolean", 1) is True and coerce("boolean", 2) is NEVER
    assert coerce("string", 5) == "5"
    assert coerce("string", None) is NEVER
    for column_type, value in (("integer", "abc"), ("string", 1.5), ("boolean", "yes"), ("array", 1)):
        with pytest.raises(NotPushable):
            coerce(column_type, value)
    with pytest.raises(DataError, match="finite"):
        coerce("number", float("inf"))


def test_in_lists_intersect_and_bounds_tighten():
    c = constraint("string", ("in", "a", "b", "c"), ("in", "c", "b"))
    assert c.values == ["b", "c"] and c.given
    c = constraint("integer", ("gt", 1), ("gte", 3), ("lt", 10), ("lte", 10))
    assert (c.lower, c.upper) == ((3, True), (10, False)) and not c.given


def test_ids_that_cannot_name_an_object_are_dropped():
    assert constraint("string", ("in", "", ".", "cus_1"), identifier=True).values == ["cus_1"]
    assert constraint("string", ("in", "", "."), identifier=True).contradictory()


def test_a_truth_atom_is_an_equality_on_booleans_only():
    assert constraint("boolean", ("truth", False)).values == [False]
    with pytest.raises(NotPushable):
        constraint("integer", ("truth", True))


@pytest.mark.parametrize(("column_type", "atoms"), [
    ("integer", [("gt", 100), ("lt", 101)]),  # no whole number between
    ("number", [("gt", 1), ("lte", 1)]),
    ("string", [("in", "a"), ("in", "b")]),
    ("integer", [("in", "1.5")]),  # integers are whole
    ("integer", [("in", 5), ("gt", 5)]),
    ("datetime", [("lt", -1)]),  # before 1970: no Stripe object
    ("string", [("in", None)]),
])
def test_contradictions(column_type, atoms):
    assert constraint(column_type, *atoms).contradictory()


def test_a_lower_bound_before_1970_is_1970():
    c = constraint("datetime", ("gt", "1900-01-01"), ("lte", 0))
    assert not c.contradictory() and range_bounds(c) == [("gte", 0), ("lte", 0)]


@pytest.mark.parametrize(("column_type", "atoms", "bounds"), [
    ("integer", [("gt", "10.5"), ("lt", 20)], [("gte", 11), ("lte", 19)]),
    ("datetime", [("gte", 9.5), ("lte", 20.5)], [("gte", 10), ("lte", 20)]),
    ("number", [("gt", "1.5"), ("lte", 3)], [("gt", 1.5), ("lte", 3)]),
    ("number", [("lt", 2)], [("lt", 2)]),
    ("integer", [("in", 4)], []),
])
def test_range_bounds_are_stripe_s_whole_numbers_where_the_column_is(column_type, atoms, bounds):
    assert range_bounds(constraint(column_type, *atoms)) == bounds


def test_wire_values_are_ints_where_whole_and_floats_else():
    assert wire("integer", Fraction(7)) == 7 and isinstance(wire("number", Fraction(7)), int)
    assert wire("number", Fraction(1, 4)) == 0.25
    assert wire("string", "x") == "x"
    assert constraint("number", ("in", 1, "2.5")).wire_values() == [1, 2.5]
