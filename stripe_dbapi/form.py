"""Stripe's form encoding of request parameters.

Stripe takes ``application/x-www-form-urlencoded`` bodies (and query strings)
with brackets for structure: ``metadata[tier]=gold``, ``items[0][price]=p``.
Lists are indexed as the official SDK does (``expand[0]=...``), which Stripe
accepts for every array parameter. An empty string unsets a field, so ``None``
encodes as ``""``.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, Iterable, Mapping

FormPairs = list[tuple[str, str]]


def encode_params(params: Mapping[str, Any] | None) -> FormPairs:
    pairs: FormPairs = []
    for key, value in (params or {}).items():
        _encode(key, value, pairs)
    return pairs


def _encode(key: str, value: Any, pairs: FormPairs) -> None:
    if isinstance(value, Mapping):
        if not value:
            # `metadata={}` means "clear it", which Stripe spells as an empty string.
            pairs.append((key, ""))
        for sub_key, sub_value in value.items():
            _encode(f"{key}[{sub_key}]", sub_value, pairs)
    elif isinstance(value, (list, tuple)):
        if not value:
            # An empty list clears the field; Stripe spells that as an empty string.
            pairs.append((key, ""))
        for index, item in enumerate(value):
            _encode(f"{key}[{index}]", item, pairs)
    else:
        pairs.append((key, encode_scalar(value)))


def encode_scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            # Naive datetimes are taken as UTC: Stripe's timestamps are UTC.
            value = value.replace(tzinfo=_dt.timezone.utc)
        return str(int(value.timestamp()))
    if isinstance(value, _dt.date):
        return str(int(_dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc).timestamp()))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def decode_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The inverse of ``encode_params`` for bracketed keys (values stay strings).

    ``a[0][b]=1`` becomes ``{"a": [{"b": "1"}]}``; ``a[]=x`` appends to a list.
    Used by the emulator and by tests that read what a request carried.
    """
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = _split_key(key)
        _assign(root, parts, value)
    return _lists_from_index_maps(root)


def _split_key(key: str) -> list[str]:
    head, _, rest = key.partition("[")
    parts = [head]
    while rest:
        inner, _, rest = rest.partition("]")
        parts.append(inner)
        rest = rest[1:] if rest.startswith("[") else rest
    return parts


_APPEND = object()


def _assign(node: dict, parts: list[str], value: str) -> None:
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "":
            # `x[]` appends: give it a fresh numeric slot.
            part = str(len(node))
        if last:
            node[part] = value
        else:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            node = child


def _lists_from_index_maps(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {k: _lists_from_index_maps(v) for k, v in node.items()}
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted
