"""Bound parameters: placeholders are replaced by literals in the AST, never by string formatting.

qmark ``?`` takes a sequence, ``:name`` a mapping (PEP 249 paramstyles the driver
accepts). Datetimes become ISO text in UTC; the planner and the engine both
understand that form for datetime columns.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from collections.abc import Callable, Mapping, Sequence

from sqlglot import exp

from stripe_dbapi.exceptions import DataError, InterfaceError, ProgrammingError
from stripe_dbapi.sql.tree import Node


def bind_parameters(expression: exp.Expression, params) -> exp.Expression:
    """Return a copy of ``expression`` with every placeholder replaced by ``params``' values."""
    placeholders = list(expression.find_all(exp.Placeholder))
    # find_all walks breadth-first; bind in source order (the order a user counts '?').
    placeholders.sort(key=_source_position)
    keys = [node.args.get("this") or index for index, node in enumerate(placeholders)]
    values = bound_values(keys, params, lambda: expression.sql(dialect="sqlite"))
    if not placeholders:
        return expression
    expression = expression.copy()
    copies = sorted(expression.find_all(exp.Placeholder), key=_source_position)
    for node, value in zip(copies, values, strict=True):
        node.replace(to_literal(value))
    return expression


def bound_values(placeholders: Sequence[int | str], params, statement: Callable[[], str]) -> list:
    """The value of each placeholder (a 0-based ``?`` position, or a ``:name``), checked
    (``checked_value``); ProgrammingError saying what does not match. The one binder of
    SQL statements and CALL; ``statement`` gives the text, for a hint when it has none."""
    check_parameters(params)
    if not placeholders:
        if params:
            from stripe_dbapi.sql.parse import foreign_placeholders

            hint = foreign_placeholders(statement())
            raise ProgrammingError(
                f"The statement has no placeholders but {len(params)} parameter(s) were given"
                + (f"; {hint}" if hint else "")
            )
        return []
    names = [p for p in placeholders if isinstance(p, str)]
    if names and len(names) != len(placeholders):
        raise ProgrammingError("Do not mix '?' and ':name' placeholders in one statement")
    if names:
        if not isinstance(params, Mapping):
            raise ProgrammingError("':name' placeholders need a mapping of parameters")
        for name in names:
            if name not in params:
                raise ProgrammingError(f"No value given for parameter :{name}")
        return [checked_value(params[name]) for name in names]
    if params is None or isinstance(params, Mapping):
        raise ProgrammingError("'?' placeholders need a sequence of parameters")
    positions = [p for p in placeholders if isinstance(p, int)]  # all of them, here
    needed = max(positions) + 1
    if len(params) != needed:
        raise ProgrammingError(
            f"The statement has {needed} '?' placeholder(s) but {len(params)} "
            "parameter(s) were given"
        )
    return [checked_value(params[index]) for index in positions]


def check_parameters(params) -> None:
    """PEP 249: parameters are a sequence (``?``) or a mapping (``:name``), or None."""
    if params is None or isinstance(params, Mapping):
        return
    if isinstance(params, (str, bytes, bytearray)) or not isinstance(params, Sequence):
        raise InterfaceError(
            "parameters must be a sequence (for ?) or a mapping (for :name), "
            f"not {type(params).__name__}; a single value goes in a tuple: (value,)"
        )


def _source_position(node: Node) -> tuple:
    # A path of child indexes from the root orders nodes as they appear in the text.
    path = []
    while node.parent is not None:
        parent = node.parent
        # arg_types lists a node's parts in SQL text order; parent.args is in parse
        # order, which puts LIMIT before WHERE ("WHERE a = ? LIMIT ?" bound backwards).
        keys = list(parent.arg_types)
        key_index = keys.index(node.arg_key) if node.arg_key in keys else len(keys)
        path.append((key_index, node.index or 0))
        node = parent
    return tuple(reversed(path))


def to_literal(value) -> exp.Expression:
    """A checked value (``checked_value``) as a SQL literal node."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Literal.number(1 if value else 0)
    if isinstance(value, (int, float, decimal.Decimal)):
        return exp.Literal.number(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return exp.Literal.string(value.isoformat(sep=" "))
    if isinstance(value, (dt.date, dt.time)):
        return exp.Literal.string(value.isoformat())
    if isinstance(value, str):
        return exp.Literal.string(value)
    # dict / list: JSON text, as json columns (metadata) read; writes parse it back.
    return exp.Literal.string(_json_text(value))


_BINDABLE = (type(None), bool, int, float, decimal.Decimal, dt.datetime, dt.date, dt.time, str,
             bytes, bytearray, memoryview, dict, list)


def checked_value(value):
    """A bound parameter as the driver can use it, or DataError naming what is wrong:
    bytes must be UTF-8 text, text must be encodable and free of NUL, numbers finite,
    dicts and lists JSON. Shared by SQL statements and procedure calls."""
    if not isinstance(value, _BINDABLE):
        raise InterfaceError(
            f"Cannot bind a parameter of type {type(value).__name__}: use None, bool, int, float, "
            "Decimal, str, bytes, date/datetime, or a dict/list (JSON)"
        )
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise DataError(
                "A bytes parameter must be UTF-8 text (Stripe stores text, not binary)"
            ) from None
    if isinstance(value, str):
        _check_text(value)
    elif isinstance(value, float) and not math.isfinite(value):
        raise DataError(
            f"{value!r} is not a number Stripe or SQL can hold; use a finite number or None"
        )
    elif isinstance(value, decimal.Decimal) and not value.is_finite():
        raise DataError(
            f"Decimal({str(value)!r}) is not a finite number; use a finite number or None"
        )
    elif isinstance(value, (dict, list)):
        _check_text(_json_text(value))
    return value


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise DataError(
            "A text parameter contains a NUL character (\\x00), which neither SQLite nor Stripe "
            "accepts"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise DataError(
            "A text parameter is not valid Unicode (it holds a lone surrogate)"
        ) from None


def _json_text(value) -> str:
    try:
        return json.dumps(value, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as error:
        raise DataError(f"A dict or list parameter must be JSON: {error}") from None
