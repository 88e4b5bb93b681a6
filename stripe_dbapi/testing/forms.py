"""Stripe's bracketed form encoding, decoded into nested Python values.

``metadata[k]=v`` -> ``{"metadata": {"k": "v"}}``; ``items[0][price]=p`` and
``expand[]=a`` -> lists. Values stay strings: types come from the catalog's params.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from .errors import invalid

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")


def parse_form(text: str) -> dict[str, Any]:
    """Decode a query string or an ``application/x-www-form-urlencoded`` body."""
    return decode_pairs(parse_qsl(text, keep_blank_values=True))


def decode_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.match(key)
        if not match:
            raise invalid(f"Invalid parameter name: {key}", param=key)
        parts = [match.group(1)] + _PART.findall(match.group(2))
        _assign(root, parts, value, key)
    return _lists_from_index_dicts(root)


class _IndexDict(dict):
    """A dict whose keys were ``[0]``, ``[1]``, ``[]``: becomes a list at the end."""


def _assign(node: dict, parts: list[str], value: str, key: str) -> None:
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        following = None if last else parts[i + 1]
        if part == "":  # "expand[]": append
            part = str(len(node))
        if last:
            node[part] = value
            return
        child = node.get(part)
        if child is None:
            child = _IndexDict() if (following == "" or following.isdigit()) else {}
            node[part] = child
        elif not isinstance(child, dict):
            raise invalid(f"Invalid parameter: {key} mixes a value and nested keys", param=key)
        node = child


def _lists_from_index_dicts(value: Any) -> Any:
    if isinstance(value, _IndexDict):
        ordered = sorted(value.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0)
        return [_lists_from_index_dicts(v) for _, v in ordered]
    if isinstance(value, dict):
        return {k: _lists_from_index_dicts(v) for k, v in value.items()}
    return value
