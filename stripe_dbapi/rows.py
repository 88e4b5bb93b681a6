"""Stripe object (decoded JSON) -> row tuple in a table's column order.

Values come out as the catalog types promise: ``datetime`` columns as aware
UTC datetimes, ``json`` columns as compact JSON text, expanded references
(a dict where an id is expected) as their id, missing fields as None.

This runs for every row of every scan, so each table gets one specialised
function, compiled once from its columns and cached: a row costs a handful of
dict lookups and no per-row reflection.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from .catalog.model import Table

Flattener = Callable[[dict], tuple]

_EMPTY: dict = {}
_UTC = timezone.utc
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _ts(value: Any) -> datetime | None:
    """Epoch seconds -> aware UTC datetime (Stripe sends ints)."""
    if value is None or value.__class__ is datetime:
        return value
    try:
        return datetime.fromtimestamp(value, _UTC)
    except (TypeError, ValueError, OverflowError):
        return None  # not a timestamp (an unexpected shape): better None than a crash


def _json(value: Any) -> str | None:
    return None if value is None else _dumps(value)


def _ref(value: Any) -> Any:
    """An expandable reference: the id, whether Stripe sent it expanded or not."""
    if value.__class__ is dict:
        return value.get("id")
    return value


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _num(value: Any) -> float | None:
    if value is None or value.__class__ is float:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    if value is None or value.__class__ is int:
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _scalar(value: Any) -> Any:
    """A string column that unexpectedly holds a structure stays readable."""
    if value.__class__ in (dict, list):
        return _dumps(value)
    return value


# How each column type turns a raw JSON value into the row value. Stripe sends
# booleans, integers, numbers and strings as the Python type the column
# promises, so those are checked inline and converted only on a surprise
# (schema drift, a fake server); a row stays at a few dict lookups.
_CONVERTERS = {"datetime": "_ts", "json": "_json"}
_EXPECTED = {
    "boolean": "(bool,)",
    "integer": "(int,)",
    "number": "(float, int)",
    "string": "(str,)",
}
_SLOW = {"boolean": "_bool", "integer": "_int", "number": "_num", "string": "_scalar"}
_NAMESPACE = {
    "_ts": _ts,
    "_json": _json,
    "_ref": _ref,
    "_bool": _bool,
    "_num": _num,
    "_int": _int,
    "_scalar": _scalar,
    "_EMPTY": _EMPTY,
    "dict": dict,
}


def _compile(table: Table) -> Flattener:
    """Source of ``def flatten(o)`` for ``table``, exec'd once.

    Each nested object is looked up once and bound to a local; a nested value
    that is not a dict (null, or an unexpected shape) reads as empty.
    """
    lines = ["def flatten(o):", "    g0 = o.get"]
    locals_for: dict[tuple, str] = {(): "g0"}

    def getter(prefix: tuple) -> str:
        if prefix in locals_for:
            return locals_for[prefix]
        parent = getter(prefix[:-1])
        var = f"g{len(locals_for)}"
        lines.append(f"    v = {parent}({prefix[-1]!r})")
        lines.append(f"    {var} = (v if v.__class__ is dict else _EMPTY).get")
        locals_for[prefix] = var
        return var

    exprs = []
    for column in table.columns:
        get = getter(tuple(column.path[:-1]))
        fetch = f"{get}({column.path[-1]!r})"
        if column.expandable or column.references:
            exprs.append(f"_ref({fetch})")
        elif column.type in _EXPECTED:
            kind = _EXPECTED[column.type]
            exprs.append(
                f"(v if (v := {fetch}) is None or v.__class__ in {kind} "
                f"else {_SLOW[column.type]}(v))"
            )
        else:
            exprs.append(f"{_CONVERTERS[column.type]}({fetch})")
    lines.append("    return (" + "".join(e + ", " for e in exprs) + ")")
    # exec fills the namespace with values of any type; "flatten" is the def above.
    namespace: dict[str, Any] = dict(_NAMESPACE)
    exec(compile("\n".join(lines), f"<flatten {table.name}>", "exec"), namespace)
    return namespace["flatten"]


_CACHE: dict[int, tuple[Table, Flattener]] = {}
_LOCK = threading.Lock()


def flattener(table: Table) -> Flattener:
    """The compiled row function of ``table`` (cached per Table object)."""
    cached = _CACHE.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    fn = _compile(table)
    with _LOCK:
        _CACHE[id(table)] = (table, fn)  # the table is kept alive, so its id stays unique
    return fn


def flatten(table: Table, obj: dict) -> tuple:
    """One row of ``table`` from Stripe object ``obj``."""
    return flattener(table)(obj)
