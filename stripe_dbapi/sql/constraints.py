"""What the pushable conjuncts say about one column, in values Stripe takes.

A ColumnConstraint gathers a column's atoms (``atoms.py``): the values it may
equal and its lower and upper bounds, each coerced as SQLite compares them with
a column of that type (``coerce``). ``contradictory`` says when no row can
match (then no request is made). ``range_bounds`` is the one encoder of the
bounds for Stripe, shared by the list params (``created[gte]=...``) and Search
(``created>=...``): whole seconds for datetimes and integers, never below 1970.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from fractions import Fraction

from stripe_dbapi.exceptions import DataError
from stripe_dbapi.paths import is_valid_id
from stripe_dbapi.sql.atoms import Atom, NotPushable
from stripe_dbapi.sql.values import unix_seconds

NEVER = object()  # a coerced value no row can equal (`x = NULL`, `flag = 2`)
_INTEGRAL = ("integer", "datetime")


def coerce(column_type: str, value):
    """The value as SQLite would compare it with this column, in a form Stripe takes.

    Returns NEVER for values no row can equal; raises NotPushable when unsure.
    """
    if value is None:
        return NEVER  # `x = NULL` is never true
    coercer = _COERCERS.get(column_type)
    if coercer is None:
        raise NotPushable
    return coercer(value)


def _number(value):
    if isinstance(value, float) and not math.isfinite(value):
        raise DataError(
            f"{value!r} is not a finite number (a numeric literal too large for a float?)"
        )
    if isinstance(value, bool):
        return Fraction(int(value))
    if isinstance(value, (int, float)):
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise NotPushable from None
    raise NotPushable


def _boolean(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, (int, float)):
        return NEVER
    raise NotPushable


def _text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # TEXT affinity turns the number into text
    raise NotPushable


_COERCERS = {
    "datetime": unix_seconds,
    "integer": _number,
    "number": _number,
    "boolean": _boolean,
    "string": _text,
    "json": _text,
}


@dataclass
class ColumnConstraint:
    """Everything the pushable conjuncts say about one column."""

    column: str
    type: str
    values: list | None = None  # allowed values (None: any)
    lower: tuple | None = None  # (value, inclusive)
    upper: tuple | None = None
    # Holds Stripe ids (the id, a reference, a nested table's parent): no row
    # equals '' / '.' / '..', and such a value must never reach a path.
    identifier: bool = False
    # The values Stripe documents for the column (charges.status: failed, pending,
    # succeeded): an equality with any other value (`status = 'PAID'`; SQLite compares
    # case-sensitively) matches no row, so it needs no request.
    enum: tuple | None = None

    def add(self, atom: Atom) -> None:
        if atom.op == "truth":
            if self.type != "boolean":
                raise NotPushable  # `WHERE amount` means amount <> 0: not a list filter
            atom = Atom(atom.column, "in", atom.values)
        if atom.op == "in":
            self._allow(atom.values)
        else:
            self._bound(atom.op, atom.values[0])

    def _allow(self, raw_values) -> None:
        """Keep only values that are also among ``raw_values`` (an ``IN`` / ``=``)."""
        allowed = []
        for raw in raw_values:
            value = coerce(self.type, raw)
            if self.identifier and not is_valid_id(value):
                continue
            if self.enum and value not in self.enum:
                continue
            if value is not NEVER and value not in allowed:
                allowed.append(value)
        if self.values is None:
            self.values = allowed
        else:
            self.values = [v for v in self.values if v in allowed]

    def _bound(self, op: str, raw) -> None:
        """Tighten the lower (gt/gte) or upper (lt/lte) bound."""
        value = coerce(self.type, raw)
        if value is NEVER:
            self.values = []
            return
        if isinstance(value, bool):
            raise NotPushable
        inclusive = op in ("gte", "lte")
        if op in ("gt", "gte"):
            if self.lower is None or (value, not inclusive) > (self.lower[0], not self.lower[1]):
                self.lower = (value, inclusive)
        elif self.upper is None or (value, inclusive) < (self.upper[0], self.upper[1]):
            self.upper = (value, inclusive)

    @property
    def given(self) -> bool:
        """The query names the column's values (``=`` / ``IN``), not only a range."""
        return self.values is not None

    def in_range(self, value) -> bool:
        if self.lower is not None:
            bound, inclusive = self.lower
            if value < bound or (value == bound and not inclusive):
                return False
        if self.upper is not None:
            bound, inclusive = self.upper
            if value > bound or (value == bound and not inclusive):
                return False
        return True

    def contradictory(self) -> bool:
        """No row can match (and the values are narrowed to those in range)."""
        if self.type == "datetime" and self._before_the_epoch():
            return True
        if self.values is not None:
            with contextlib.suppress(TypeError):
                self.values = [v for v in self.values if self.in_range(v)]
            if self.type in _INTEGRAL and self.values:
                self.values = [
                    v for v in self.values if not isinstance(v, Fraction) or v.denominator == 1
                ]
            return not self.values
        if self.lower is not None and self.upper is not None:
            (low, low_inc), (high, high_inc) = self.lower, self.upper
            if low > high or (low == high and not (low_inc and high_inc)):
                return True
            if self.type in _INTEGRAL:
                return _int_lower(self.lower) > _int_upper(self.upper)
        return False

    def _before_the_epoch(self) -> bool:
        """No Stripe object predates 1970 and Stripe takes no negative timestamps: a lower
        bound below 0 becomes 0, and an upper bound (or every value) below 0 leaves nothing."""
        if self.lower is not None and self.lower[0] < 0:
            self.lower = (Fraction(0), True)
        if self.values is not None:
            self.values = [v for v in self.values if v >= 0]
        return self.upper is not None and _int_upper(self.upper) < 0

    def wire_values(self) -> list:
        """The allowed values as Stripe parameter values."""
        return [wire(self.type, v) for v in self.values or ()]


def range_bounds(constraint: ColumnConstraint) -> list[tuple[str, int | float]]:
    """The constraint's bounds as Stripe takes them: [(op, value)], op "gt", "gte", "lt"
    or "lte", lower bound first. Datetimes and integers are whole numbers, so their
    bounds are inclusive and rounded inwards (``x > 10.5`` is ``x >= 11``)."""
    bounds = []
    if constraint.lower is not None:
        bounds.append(_encode(constraint, constraint.lower, "gt", _int_lower))
    if constraint.upper is not None:
        bounds.append(_encode(constraint, constraint.upper, "lt", _int_upper))
    return bounds


def _encode(
    constraint: ColumnConstraint, bound: tuple, strict_op: str, whole
) -> tuple[str, int | float]:
    value, inclusive = bound
    if constraint.type in _INTEGRAL:
        return strict_op + "e", whole(bound)
    return (strict_op + "e" if inclusive else strict_op), wire(constraint.type, value)


def _int_lower(bound) -> int:
    value, inclusive = bound
    # Stripe's bounds are whole seconds: x > 10.5 is x >= 11, x >= 10.5 is x >= 11.
    return math.ceil(value) if inclusive else math.floor(value) + 1


def _int_upper(bound) -> int:
    value, inclusive = bound
    return math.floor(value) if inclusive else math.ceil(value) - 1


def wire(column_type: str, value):
    """A coerced value as a Stripe parameter value."""
    if isinstance(value, Fraction):
        if column_type in _INTEGRAL or value.denominator == 1:
            return int(value)
        return float(value)
    return value
