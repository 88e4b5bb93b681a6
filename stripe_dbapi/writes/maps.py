"""UPDATE ... SET <key-value map> = value replaces the map, as SQL says.

Stripe MERGES a key-value map such as ``metadata`` on update: posting
``metadata[b]=2`` to a customer with ``{"a": "1"}`` leaves ``{"a": "1", "b": "2"}``.
In SQL (and in SQLAlchemy's ORM, which sends exactly ``SET metadata = <new
dict>`` when a model's JSON attribute is replaced) the column must become
exactly the new value. So the writer reads each target's current map and
sends an empty value (Stripe's "unset this key") for every current key the
new value lacks: ``metadata[a]=&metadata[b]=2``. An empty map or NULL clears
all (``metadata=``) and needs no read. Merging needs no special case:
``SET metadata = json_set(metadata, '$.tier', 'gold')`` computes the whole new
map from the row.

Which params are such maps is read from the catalog, not from a name: a
``json`` param (a free-form map) that Stripe documents as "key-value pairs"
(every ``metadata``). ``currency_options`` (a map of currency -> object) is
left as sent: Stripe documents no key-by-key unset for it and returns it only
when expanded, so there is no current value to compare with.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from ..catalog.model import Column, Param, Table
from ..context import StatementContext
from .params import resolve_target, set_nested
from .targets import RowKey, object_path


def is_merged_map(param: Param | None) -> bool:
    """A param Stripe merges key by key on update (``metadata``)."""
    return (
        param is not None
        and param.type == "json"
        and "key-value pairs" in param.description.lower()
    )


@dataclass(frozen=True)
class MapColumn:
    """A merged-map param an UPDATE sets, and the column holding its current value."""

    path: tuple[str, ...]  # where it sits in the update body: ("metadata",)
    column: Column  # where it sits in a row: metadata

    def expression(self) -> exp.Expression:
        """The column as a SELECT expression, to read the current value with the targets."""
        return exp.column(self.column.name)


def replaced_maps(catalog, table: Table, names: Sequence[str]) -> list[MapColumn]:
    """The merged maps among the columns an UPDATE sets (``names``) that a row
    can show (a map with no column could not be compared, and is sent as is)."""
    by_path = {tuple(column.path): column for column in table.columns}
    found = []
    for name in names:
        target = resolve_target(catalog, table, table.update_params, name, "UPDATE")
        column = by_path.get(target.path)
        if is_merged_map(target.param) and column is not None and column.type == "json":
            found.append(MapColumn(target.path, column))
    return found


def needs_current(body: dict, maps: Sequence[MapColumn]) -> bool:
    """Whether replacing needs the current maps: only a non-empty new map does
    (NULL and ``{}`` clear everything with ``metadata=``)."""
    return any(_nonempty_map(_get_nested(body, m.path)) for m in maps)


def replace_maps(body: dict, maps: Sequence[MapColumn], current: Sequence[Any] | None) -> dict:
    """``body`` with each map in ``maps`` made to replace rather than merge.

    ``current`` holds each map's current value (a dict, JSON text or None), in
    ``maps`` order; None when nothing was read (then no new map is non-empty).
    """
    if not maps:
        return body
    body = _copy(body)
    for index, column in enumerate(maps):
        new = _get_nested(body, column.path)
        if not isinstance(new, dict):
            continue  # NULL (clears all) or something Stripe will judge itself
        if not new:
            set_nested(body, column.path, None)  # '{}': metadata= clears all
            continue
        old = _as_map(current[index]) if current is not None else {}
        unset = {key: "" for key in old if key not in new}
        set_nested(body, column.path, {**unset, **new})
    return body


def read_current(
    conn: StatementContext,
    table: Table,
    keys: Sequence[RowKey],
    maps: Sequence[MapColumn],
):
    """``[(key, [current value of each map])]`` for the objects that exist: one
    GET per id, concurrently. An id that is not there is left out (no row affected)."""

    retrieve_path = table.retrieve_path
    assert retrieve_path is not None  # read per id only with a retrieve (update._named_targets)

    def fetch(key: RowKey):
        return conn.client.retrieve(object_path(retrieve_path, key))

    objects = conn.client.map_concurrently(fetch, list(keys))
    return [
        (key, [_get_nested(obj, m.column.path) for m in maps])
        for key, obj in zip(keys, objects, strict=True)
        if obj is not None
    ]


def _as_map(value: Any) -> dict:
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else None
    return value if isinstance(value, dict) else {}


def _nonempty_map(value: Any) -> bool:
    return isinstance(value, dict) and bool(value)


def _get_nested(node: Any, path: Sequence[str]) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _copy(body: dict) -> dict:
    """A copy deep enough that setting a nested map leaves ``body`` as it was
    (one request body is shared by every target of a constant UPDATE)."""
    return {k: _copy(v) if isinstance(v, dict) else v for k, v in body.items()}
