"""SQL column values -> Stripe form parameters, shared by writes and procedures.

A write names flattened columns (``address_country``, ``business_profile_name``)
or Stripe's own parameter names (``source``, ``payment_method``); the catalog's
Param trees say where each goes (``address[country]``) and what type it has.
Values are checked before any request: an amount of ``10.5`` is a DataError,
not a surprise charge. NULL becomes Stripe's empty string, which unsets a field.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .. import names
from ..catalog.model import Param, Table
from ..exceptions import DataError, ProgrammingError
from ..paths import is_valid_id
from ..sql.values import fromisoformat

# How deep nested object params are flattened into names (business_profile_name).
_MAX_FLATTEN_DEPTH = 3


@dataclass(frozen=True)
class Target:
    """Where one written value goes: a path placeholder or a (nested) body param."""

    path: tuple[str, ...]  # ("address", "country") -> address[country]
    param: Param | None  # for type checks; None for path placeholders
    in_url: bool = False  # True: fills "{customer}" in the endpoint path

    @property
    def display(self) -> str:
        head, *rest = self.path
        return head + "".join(f"[{p}]" for p in rest)


@functools.lru_cache(maxsize=512)
def _index(params: tuple[Param, ...]) -> tuple[dict[str, Target], dict[tuple[str, ...], Target]]:
    """(normalized name -> target, Stripe path -> target) over a Param tree.

    Top-level names win over flattened ones, so ``address_country`` on cards
    (a top-level card param) is never mistaken for ``address[country]``.
    """
    by_name: dict[str, Target] = {}
    by_path: dict[tuple[str, ...], Target] = {}
    for param in params:
        target = Target((param.name,), param)
        by_name[names.normalize(param.name)] = target
        by_path[target.path] = target
    for param in params:
        _add_children(param, (param.name,), by_name, by_path, 1)
    return by_name, by_path


def _add_children(param: Param, path, by_name, by_path, depth: int) -> None:
    # Children of array params describe list items (items[0][price]); those
    # cannot be flattened into one column and are passed as JSON instead.
    if param.type != "object" or depth >= _MAX_FLATTEN_DEPTH:
        return
    for child in param.children:
        child_path = path + (child.name,)
        target = Target(child_path, child)
        by_name.setdefault(names.normalize("_".join(child_path)), target)
        by_path.setdefault(child_path, target)
        _add_children(child, child_path, by_name, by_path, depth + 1)


def writable_names(params: Sequence[Param]) -> list[str]:
    return [p.name for p in params]


def resolve_target(
    catalog, table: Table, params: tuple[Param, ...], name: str, verb: str
) -> Target:
    """The target a SQL column name writes to, or a ProgrammingError naming it."""
    if table.parent is not None and _is_parent_column(catalog, table, name):
        return Target((table.parent.path_param,), None, in_url=True)
    by_name, by_path = _index(tuple(params))
    target = names.find(name, by_name)
    if target is not None:
        return target
    alias = names.find(name, {names.normalize(k): v for k, v in table.param_aliases.items()})
    if alias is not None and names.normalize(alias) in by_name:
        return by_name[names.normalize(alias)]
    column = _column_or_none(catalog, table, name)
    if column is not None:
        id_column = _id_column_of_embedded(table, column)
        if id_column is not None:  # price_object: the whole embedded price
            raise ProgrammingError(
                f"column {column.name!r} of {table.name} is the whole embedded object and cannot "
                f"be set by {verb}; set {id_column.name} (its id) instead"
            )
        target = by_path.get(tuple(column.path)) or by_name.get(names.normalize(column.name))
        if target is not None:
            return target
        raise ProgrammingError(
            f"column {column.name!r} of {table.name} cannot be set by {verb}: Stripe does not "
            f"accept it there (read-only or computed); writable: "
            f"{', '.join(writable_names(params)) or 'none'}"
        )
    writable = writable_names(params)
    raise names.unknown(f"column or parameter in {verb}", name, f" for {table.name}", writable,
                        listing=writable)


def _column_or_none(catalog, table: Table, name: str):
    try:
        return catalog.column(table, name)
    except ProgrammingError:
        return None


def _id_column_of_embedded(table: Table, column):
    """The id column of an embedded object whose whole JSON ``column`` is (``price`` for
    ``price_object``: same path, docs/catalog.md "References"), else None."""
    if column.type != "json":
        return None
    return next((c for c in table.columns
                 if c.path == column.path and c.references and c is not column), None)


def _is_parent_column(catalog, table: Table, name: str) -> bool:
    parent = table.parent
    if parent is None:  # a top-level table has no parent column
        return False
    if names.find(
        name, {names.normalize(parent.path_param): True, names.normalize(parent.column): True}
    ):
        return True
    column = _column_or_none(catalog, table, name)
    return column is not None and column.name == parent.column


# --- values -------------------------------------------------------------------------

_INTEGER_TEXT = re.compile(r"^[+-]?\d+$")


def coerce(value: Any, param: Param | None, name: str) -> Any:
    """A Python value checked and converted for a Stripe param of ``param.type``.

    None stays None (the client sends "" = unset). Datetimes stay datetimes
    (the client sends unix seconds).
    """
    if value is None or param is None:
        return value
    kind = param.type
    if kind == "integer":
        return to_integer(value, name)
    if kind == "number":
        return _to_number(value, name)
    if kind == "boolean":
        return _to_boolean(value, name)
    if kind == "datetime":
        return _to_datetime(value, name)
    if kind in ("object", "json", "array"):
        return _to_structure(value, param, name)
    if isinstance(value, (dict, list)):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def to_integer(value: Any, name: str) -> int:
    # Amounts are integers in the currency's minor unit; 10.0 is fine (the
    # connector spec sends "Amount": 10.0), 10.5 would silently change money.
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        if math.isfinite(value) and value == int(value):
            return int(value)
        raise DataError(
            f"{name} must be a whole number (amounts are in the currency's minor unit), got "
            f"{value!r}"
        )
    if isinstance(value, str) and _INTEGER_TEXT.match(value.strip()):
        return int(value.strip())
    raise DataError(f"{name} must be an integer, got {value!r}")


def _to_number(value: Any, name: str) -> Any:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except ArithmeticError:  # decimal.InvalidOperation: not a number
            pass
    raise DataError(f"{name} must be a number, got {value!r}")


def _to_boolean(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)  # SQLite spells TRUE/FALSE as 1/0
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise DataError(f"{name} must be a boolean, got {value!r}")


def _to_datetime(value: Any, name: str) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return to_integer(value, name)  # already unix seconds
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER_TEXT.match(text):
            return int(text)
        if text.lower() == "now":
            return "now"  # Stripe accepts "now" for e.g. trial_end
        try:
            return fromisoformat(text)
        except ValueError:
            pass
    raise DataError(f"{name} must be a datetime, unix seconds or ISO 8601 text, got {value!r}")


def _to_structure(value: Any, param: Param, name: str) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("{", "["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                raise DataError(f"{name} is not valid JSON: {error}") from None
        elif param.type == "array":
            return [value]  # a single item, e.g. payment_method_types = 'card'
        elif param.type == "object":
            # Some Stripe params are "an object or a string" (e.g. an enum
            # shortcut); pass text through rather than guess.
            return value
    if param.type == "object" and isinstance(value, dict) and param.children:
        known = {c.name for c in param.children}
        unknown = [k for k in value if k not in known and param.name != "metadata"]
        if unknown:
            raise ProgrammingError(
                f"unknown key {unknown[0]!r} in {name}; valid keys: {', '.join(sorted(known))}"
            )
    return value


# --- building the request -------------------------------------------------------------


@dataclass
class Request:
    """One write's endpoint placeholders and body, built from named values."""

    url_params: dict[str, Any]
    body: dict[str, Any]


def build_request(
    catalog,
    table: Table,
    params: tuple[Param, ...],
    values: Sequence[tuple[str, Any]],
    verb: str,
    omit_null: bool = False,
) -> Request:
    """Route ``(column name, value)`` pairs to URL placeholders and a nested body.

    ``omit_null`` (creates): a NULL is left out rather than sent as "" (unset),
    which Stripe rejects for many create parameters; the name is still checked.
    """
    url_params: dict[str, Any] = {}
    body: dict[str, Any] = {}
    seen: dict[tuple[str, ...], str] = {}
    for name, value in values:
        target = resolve_target(catalog, table, params, name, verb)
        _check_overlap(table, seen, target, name)
        seen[target.path] = name
        if target.in_url:
            if not is_valid_id(value):
                raise ProgrammingError(
                    f"{name} of {table.name} must be a Stripe id, got {value!r}: "
                    "it names the parent object"
                )
            url_params[target.path[0]] = str(value)
        elif value is None and omit_null:
            continue
        else:
            set_nested(body, target.path, coerce(value, target.param, name))
    return Request(url_params, body)


def _check_overlap(table: Table, seen: dict, target: Target, name: str) -> None:
    """Two names writing the same parameter, or one inside the other (``address``
    and ``address_city``), would be merged silently: refuse them."""
    for path, other in seen.items():
        shorter = min(len(path), len(target.path))
        if path[:shorter] == target.path[:shorter]:
            common = Target(path[:shorter], None).display
            raise ProgrammingError(
                f"{name!r} and {other!r} both set {common} of {table.name}; give only one of them"
            )


def set_nested(body: dict, path: tuple[str, ...], value: Any) -> None:
    node = body
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    node[path[-1]] = value
