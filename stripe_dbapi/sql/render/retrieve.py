"""``id = ?`` / ``id IN (...)`` -> one retrieve per id, concurrently; on tables whose
list takes an id array (``ids[]`` on products), lists of up to ten ids instead.
A nested table's retrieve path also needs its parent id, which WHERE must give."""

from __future__ import annotations

import itertools

from stripe_dbapi.catalog.model import FILTER_ARRAY, Table
from stripe_dbapi.paths import fill_path, placeholders
from stripe_dbapi.sql.analysis import Analysis
from stripe_dbapi.sql.plan import Call
from stripe_dbapi.sql.render import DEFAULT_ARRAY_ITEMS, Rendering


def retrieve_calls(table: Table, analysis: Analysis) -> Rendering | None:
    """The retrieves for the ids WHERE names, or None when it names none (or the path
    needs a parent id it does not give)."""
    ids = analysis.given_values("id")
    retrieve_path = table.retrieve_path
    if ids is None or not retrieve_path:
        return None
    path_values = _path_values(table, retrieve_path, analysis)
    if path_values is None:
        return None
    array = analysis.list_filter("id", FILTER_ARRAY)
    if array is not None and len(ids) > 1 and not path_values:
        size = array.max_items or DEFAULT_ARRAY_ITEMS
        calls = [Call("list", table.list_path, {array.param: list(ids[i:i + size])})
                 for i in range(0, len(ids), size)]
        return Rendering(calls, {"id"}, {"id"})
    calls = []
    for combo in itertools.product(*path_values):
        implied = {column: value for _, column, value in combo}
        for object_id in ids:
            path = fill_path(retrieve_path, {"id": object_id, **{p: v for p, _, v in combo}})
            calls.append(Call("retrieve", path, {}, implied=dict(implied)))
    pushed = {"id"} | {choices[0][1] for choices in path_values if choices}
    return Rendering(calls, pushed, set(pushed))


def _path_values(
    table: Table, retrieve_path: str, analysis: Analysis
) -> list[list[tuple[str, str, str]]] | None:
    """Per placeholder of ``retrieve_path`` other than the id, the (param, column, value)
    choices WHERE gives; None when it gives none for one of them."""
    choices = []
    for param in placeholders(retrieve_path):
        if param == "id":
            continue
        parent = table.parent
        column = parent.column if parent and parent.path_param == param else param
        values = analysis.given_values(column)
        if values is None:
            return None
        choices.append([(param, column, v) for v in values])
    return choices
