"""Forgiving matching of the names users write (``UnitAmount``, ``CustomerId``).

The catalog resolves table, column and procedure names; write parameters and
procedure arguments are not columns (``Token``, ``ReturnUrl``), so writers and
procedures match them here with the same rules: ignore case and underscores,
and let ``<Thing>Id`` stand for ``<thing>``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TypeVar

from ..exceptions import ProgrammingError

T = TypeVar("T")


def normalize(name: str) -> str:
    return name.replace("_", "").replace(" ", "").replace(".", "").lower()


def lookup_keys(name: str) -> list[str]:
    """Keys to try in order: the name itself, then without an ``Id`` suffix."""
    key = normalize(name)
    keys = [key]
    if key.endswith("id") and len(key) > 2:
        keys.append(key[:-2])
    return keys


def find(name: str, index: dict[str, T]) -> T | None:
    """The entry of ``index`` (keyed by ``normalize``) that ``name`` means, if any."""
    for key in lookup_keys(name):
        if key in index:
            return index[key]
    return None


def closest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    candidates = list(dict.fromkeys(candidates))
    by_key = {normalize(c): c for c in candidates}
    keys = difflib.get_close_matches(normalize(name), list(by_key), n=n, cutoff=0.5)
    return [by_key[k] for k in keys]


def unknown_name_error(
    kind: str, name: str, owner: str, candidates: Iterable[str]
) -> ProgrammingError:
    candidates = list(candidates)
    near = closest(name, candidates)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    listing = ", ".join(sorted(candidates)[:40]) or "none"
    return ProgrammingError(f"unknown {kind} {name!r} for {owner}{hint} (valid: {listing})")
