"""Stripe's form encoding of request parameters.

Stripe takes ``application/x-www-form-urlencoded`` bodies (and query strings)
with brackets for structure: ``metadata[tier]=gold``, ``items[0][price]=p``.
Lists are indexed as the official SDK does (``expand[0]=...``), which Stripe
accepts for every array parameter. An empty string unsets a field, so ``None``
encodes as ``""``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

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
        return str(
            int(
                _dt.datetime(
                    value.year, value.month, value.day, tzinfo=_dt.timezone.utc
                ).timestamp()
            )
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class FormKeyError(ValueError):
    """A bracketed key that cannot be decoded; ``key`` is the offending key."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key


_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")


def decode_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The inverse of ``encode_params`` for bracketed keys (values stay strings).

    ``a[0][b]=1`` becomes ``{"a": [{"b": "1"}]}``; ``a[]=x`` appends to a list.
    Used by the emulator to read requests and by tests that check what a
    request carried. A malformed key raises ``FormKeyError``.
    """
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.match(key)
        if not match:
            raise FormKeyError(f"Invalid parameter name: {key}", key)
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
            child = (
                _IndexDict()
                if (following is not None and (following == "" or following.isdigit()))
                else {}
            )
            node[part] = child
        elif not isinstance(child, dict):
            raise FormKeyError(f"Invalid parameter: {key} mixes a value and nested keys", key)
        node = child


def _lists_from_index_dicts(value: Any) -> Any:
    if isinstance(value, _IndexDict):
        ordered = sorted(value.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0)
        return [_lists_from_index_dicts(v) for _, v in ordered]
    if isinstance(value, dict):
        return {k: _lists_from_index_dicts(v) for k, v in value.items()}
    return value
