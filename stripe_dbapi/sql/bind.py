"""Bound parameters: placeholders are replaced by literals in the AST, never by string formatting.

qmark ``?`` takes a sequence, ``:name`` a mapping (PEP 249 paramstyles the driver
accepts). Datetimes become ISO text in UTC; the planner and the engine both
understand that form for datetime columns.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Mapping, Sequence

from sqlglot import exp

from stripe_dbapi.exceptions import ProgrammingError


def bind_parameters(expression: exp.Expression, params) -> exp.Expression:
    """Return a copy of ``expression`` with every placeholder replaced by ``params``' values."""
    placeholders = list(expression.find_all(exp.Placeholder))
    if not placeholders:
        if params:
            raise ProgrammingError(
                f"The statement has no placeholders but {len(params)} parameter(s) were given"
            )
        return expression
    named = [p for p in placeholders if p.args.get("this")]
    if named and len(named) != len(placeholders):
        raise ProgrammingError("Do not mix '?' and ':name' placeholders in one statement")
    expression = expression.copy()
    placeholders = list(expression.find_all(exp.Placeholder))
    if named:
        if not isinstance(params, Mapping):
            raise ProgrammingError("':name' placeholders need a mapping of parameters")
        for node in placeholders:
            name = node.args["this"]
            if name not in params:
                raise ProgrammingError(f"No value given for parameter :{name}")
            node.replace(to_literal(params[name]))
        return expression
    if params is None or isinstance(params, (str, bytes, Mapping)) or not isinstance(params, Sequence):
        raise ProgrammingError("'?' placeholders need a sequence of parameters")
    if len(params) != len(placeholders):
        raise ProgrammingError(
            f"The statement has {len(placeholders)} '?' placeholder(s) but {len(params)} "
            "parameter(s) were given"
        )
    # find_all walks breadth-first; bind in source order (the order a user counts '?').
    in_order = sorted(placeholders, key=_source_position)
    for node, value in zip(in_order, params):
        node.replace(to_literal(value))
    return expression


def _source_position(node: exp.Expression) -> tuple:
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
    """A Python value as a SQL literal node."""
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
    if isinstance(value, (bytes, bytearray, memoryview)):
        return exp.Literal.string(bytes(value).decode("utf-8"))
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, (dict, list)):
        # JSON text, as json columns (metadata) read; writes parse it back into params.
        return exp.Literal.string(json.dumps(value, separators=(",", ":")))
    raise ProgrammingError(f"Cannot bind a parameter of type {type(value).__name__}")
