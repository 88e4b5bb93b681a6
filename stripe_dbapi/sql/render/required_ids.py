"""The ids a list needs that WHERE may not give: a nested table's parent (in the
path) or a list param Stripe requires. One missing id whose table can be listed
is fanned out over; otherwise a ProgrammingError names what WHERE must give,
before any request."""

from __future__ import annotations

from dataclasses import dataclass

from stripe_dbapi.catalog.model import Table
from stripe_dbapi.exceptions import ProgrammingError


@dataclass(frozen=True)
class RequiredId:
    """An id a list needs; ``table`` lists the ids that can supply it (None: only WHERE can)."""

    column: str
    table: str | None
    path_param: str | None = None
    list_param: str | None = None


def missing_ids(table: Table, parent_given: bool, param_sets: list[dict]) -> list[RequiredId]:
    """The ids the lists with these params lack: the parent unless WHERE gives it, and
    each required param some of the lists do not set."""
    missing = []
    if table.parent is not None and not parent_given:
        parent = table.parent
        missing.append(RequiredId(parent.column, parent.table, path_param=parent.path_param))
    missing += [
        RequiredId(r.column, r.table, list_param=r.param)
        for r in table.required_filters
        if any(r.param not in params for params in param_sets)
    ]
    return missing


def fan_out_key(table: Table, missing: list[RequiredId]) -> RequiredId | None:
    """The one missing id to fan out over (a nested table's parent first), or a
    ProgrammingError naming what WHERE must give, before any request."""
    if not missing:
        return None
    key, *rest = sorted(missing, key=lambda k: (k.table is None, k.path_param is None))
    if key.table is not None and not rest:
        return key
    needed = [k for k in missing if k is not key] if key.table is not None else missing
    examples = " AND ".join(
        _example(table, k.column) for k in sorted(needed, key=lambda k: k.column)
    )
    raise ProgrammingError(
        f"Stripe lists {table.name} only for a given {_and(sorted(k.column for k in needed))}: "
        f"add {examples} to the WHERE clause"
    )


def required_implied(table: Table, params: dict) -> dict:
    """The required params' values as column values (rows may not carry them)."""
    return {r.column: params[r.param] for r in table.required_filters if r.param in params}


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _example(table: Table, column: str) -> str:
    """``customer = ?``, or with the values Stripe takes: ``type = 'performance'``."""
    enum = next((c.enum for c in table.columns if c.name == column), None)
    if not enum:
        return f"{column} = ?"
    others = f" (or {', '.join(repr(v) for v in enum[1:])})" if len(enum) > 1 else ""
    return f"{column} = {enum[0]!r}{others}"
