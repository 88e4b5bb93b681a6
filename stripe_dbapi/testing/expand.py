"""``expand[]``: replace ids with the objects they name, up to four levels deep.

On lists and search results the paths start with ``data.`` (Stripe's rule).
The stored objects are never changed: the answer is a deep copy.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import invalid

MAX_EXPAND_DEPTH = 4


def expand(ctx, body: dict, paths: list, is_list: bool) -> dict:
    if not paths:
        return body
    body = copy.deepcopy(body)
    for path in paths:
        parts = str(path).split(".")
        if len(parts) > MAX_EXPAND_DEPTH:
            raise invalid(
                f"You cannot expand more than {MAX_EXPAND_DEPTH} levels of a property. Property: "
                f"{path}",
                param="expand",
            )
        if is_list and parts[0] != "data":
            raise invalid(
                f"This property cannot be expanded ({path}). You may want to try expanding "
                f"'data.{path}' instead.",
                param="expand",
            )
        _expand_into(ctx, body, parts, path)
    return body


def _expand_into(ctx, node: Any, parts: list[str], path: str) -> None:
    if not parts or node is None:
        return
    if isinstance(node, list):
        for item in node:
            _expand_into(ctx, item, parts, path)
        return
    if not isinstance(node, dict) or parts[0] not in node:
        raise invalid(f"This property cannot be expanded ({path}).", param="expand")
    head, rest = parts[0], parts[1:]
    value = node[head]
    if isinstance(value, str):
        found = ctx.find(value) or ctx.app.tombstones.get((ctx.account, value))
        if found is not None:
            node[head] = value = copy.deepcopy(found)
        elif "_" not in value:  # not an id ("usd"): Stripe refuses to expand such a field
            raise invalid(f"This property cannot be expanded ({path}).", param="expand")
        # else: an id of an object the emulator does not hold (inserted test data) stays an id
    _expand_into(ctx, value, rest, path)
