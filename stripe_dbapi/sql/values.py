"""Values as Stripe and SQLite each need them.

Datetime columns hold 'YYYY-MM-DD HH:MM:SS' UTC text in SQLite (sortable, and
what SQLite's date functions read), and unix seconds on the wire. A literal
compared with a datetime column is rewritten to that text form, so the local
re-check and the pushed ``created[gte]=<unix>`` agree to the second; dates,
ISO datetimes (``T``, ``Z``, offsets) and unix integers are accepted. A string
of exactly 8 digits is a compact date (``'20260222'``), any other digit-only
string unix seconds. Anything else is a DataError before any request
(``created >= 'yesterdayish'``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from fractions import Fraction

from sqlglot import exp

from stripe_dbapi.exceptions import DataError
from stripe_dbapi.sql.tree import Node

UTC = dt.timezone.utc

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ)


def parse_datetime(value) -> dt.datetime:
    """A literal value as an aware UTC datetime; DataError if it is not one."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_unix(value)
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 8 and text.isdigit():
            return _compact_date(text)
        if text.lstrip("-").isdigit():
            return _from_unix(int(text))
        try:
            parsed = fromisoformat(text)
        except ValueError:
            parsed = None
        if parsed is not None:
            return parse_datetime(parsed)
    raise DataError(
        f"{value!r} is not a date or datetime; use 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' "
        "(UTC unless an offset is given) or unix seconds"
    )


# Python 3.10's fromisoformat takes fractions of exactly 3 or 6 digits and
# offsets with a colon only; 3.11 takes any ISO 8601. Normalise to the former.
_FRACTION = re.compile(r"(?<=:\d\d)\.(\d+)")
_OFFSET_WITHOUT_COLON = re.compile(r"([+-]\d\d)(\d\d)$")


def fromisoformat(text: str) -> dt.datetime:
    """``datetime.fromisoformat`` with 3.11's leniency on every supported Python."""
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text)
    if len(text) > 10:
        text = _OFFSET_WITHOUT_COLON.sub(r"\1:\2", text)
    return dt.datetime.fromisoformat(text)


def _compact_date(text: str) -> dt.datetime:
    """'20260222' is a compact ISO 8601 date (as Python's fromisoformat reads it), not
    unix seconds in August 1970: an 8-digit string is always read as YYYYMMDD."""
    try:
        return dt.datetime.strptime(text, "%Y%m%d").replace(tzinfo=UTC)
    except ValueError:
        raise DataError(
            f"{text!r} is not a date: an 8-digit string is read as a compact date YYYYMMDD; "
            "give unix seconds as a number"
        ) from None


def _from_unix(seconds) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        raise DataError(
            f"{seconds!r} unix seconds is outside the datetimes of years 1 to 9999"
        ) from None


def unix_seconds(value) -> Fraction:
    """Seconds since the epoch, exactly (fractions kept for correct rounding of bounds)."""
    moment = parse_datetime(value)
    delta = moment - dt.datetime(1970, 1, 1, tzinfo=UTC)
    return Fraction(delta.days * 86400 + delta.seconds) + Fraction(delta.microseconds, 1_000_000)


def sqlite_datetime_text(moment: dt.datetime) -> str:
    # Not strftime: its %Y does not zero-pad years before 1000 ('999-12-31').
    text = f"{moment.year:04d}-{moment:%m-%d %H:%M:%S}"
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text


def from_sqlite_datetime(text):
    """SQLite's text back to an aware UTC datetime (None and non-text pass through)."""
    if not isinstance(text, str):
        return text
    try:
        return fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        return text


def literal_value(node: Node):
    """The Python value of a literal node, or raise ValueError if it is not one."""
    if isinstance(node, exp.Paren):
        return literal_value(node.this)
    if isinstance(node, exp.Neg):
        inner = literal_value(node.this)
        if isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return -inner
        raise ValueError("not a literal")
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, exp.Null):
        return None
    if isinstance(node, exp.Literal):
        if node.is_string:
            return node.this
        text = node.this
        try:
            return int(text)
        except ValueError:
            return float(text)
    raise ValueError("not a literal")


def is_literal(node: Node) -> bool:
    try:
        literal_value(node)
    except ValueError:
        return False
    return True


def normalize_datetime_literals(
    expression: exp.Expression, type_of: Callable[[exp.Column], str | None]
) -> None:
    """Rewrite literals compared with datetime columns into SQLite's UTC text form."""

    def is_datetime(node) -> bool:
        return isinstance(node, exp.Column) and type_of(node) == "datetime"

    def fix(node: Node) -> None:
        if not is_literal(node):
            return
        value = literal_value(node)
        if value is None:
            return
        node.replace(exp.Literal.string(sqlite_datetime_text(parse_datetime(value))))

    for node in list(expression.find_all(*_COMPARISONS, exp.Between, exp.In)):
        if isinstance(node, exp.Between):
            if is_datetime(node.this):
                fix(node.args["low"])
                fix(node.args["high"])
        elif isinstance(node, exp.In):
            if is_datetime(node.this):
                for item in list(node.expressions):
                    fix(item)
        elif isinstance(node, exp.Binary):  # the comparisons
            if is_datetime(node.left):
                fix(node.right)
            elif is_datetime(node.right):
                fix(node.left)
