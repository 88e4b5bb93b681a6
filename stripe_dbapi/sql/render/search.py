"""The Search calls for one table reference, or None when Search cannot serve it.

Clauses are ANDed (``amount>=1001 AND status:"succeeded"``); an ``IN`` becomes one
query per value, or a single OR query when it is the only clause (Search cannot
mix AND and OR), at most MAX_SEARCH_CLAUSES clauses a query. Ranges use the one
bound encoder (``constraints.range_bounds``). String fields match words and token
fields case-insensitively, so only numeric fields and enum tokens are exact.
"""

from __future__ import annotations

from stripe_dbapi.catalog.model import Table
from stripe_dbapi.sql.analysis import Analysis
from stripe_dbapi.sql.constraints import ColumnConstraint, range_bounds
from stripe_dbapi.sql.plan import Call
from stripe_dbapi.sql.render import MAX_FANOUT_CALLS, Rendering

MAX_SEARCH_CLAUSES = 10
_OPERATORS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def search_calls(table: Table, analysis: Analysis) -> Rendering | None:
    fields = search_fields(table)
    if not fields or table.search is None:  # no fields: not searchable
        return None
    search_path = table.search.path
    base: list[str] = []
    variants: list[list[str]] = []
    pushed: set[str] = set()
    exact: set[str] = set()
    enums = {c.name for c in table.columns if c.enum}
    for column, constraint in analysis.constraints.items():
        if column not in fields or column == "metadata":
            continue
        field, kind = fields[column]
        clauses = _clauses(field, kind, constraint)
        if not clauses:
            continue
        if constraint.given and len(clauses) > 1:
            variants.append(clauses)
        else:
            base += clauses
        pushed.add(column)
        if kind == "numeric" or (kind == "token" and column in enums):
            exact.add(column)
    if "metadata" in fields and analysis.metadata:
        base += [
            f"metadata[{_quote(key)}]:{_quote(value)}" for key, value in analysis.metadata.items()
        ]
    queries = _queries(base, variants)
    if queries is None:
        return None
    calls = [Call("search", search_path, {}, query=query) for query in queries]
    return Rendering(
        calls, pushed, exact, metadata="metadata" in fields and bool(analysis.metadata)
    )


def search_fields(table: Table) -> dict[str, tuple[str, str]]:
    """column -> (search field, kind)."""
    if table.search is None:
        return {}
    fields = {}
    for name, kind in table.search.fields.items():
        column = name.replace(".", "_")
        if name not in table.search.unlike_column:  # charges.refunded (catalog fact)
            fields[column] = (name, kind)
    return fields


def _clauses(field: str, kind: str, constraint: ColumnConstraint) -> list[str] | None:
    """The column's clauses: one per allowed value (any of them) or one per bound (all)."""
    if constraint.given:
        return _value_clauses(field, kind, constraint)
    if kind == "numeric":
        return [f"{field}{_OPERATORS[op]}{value}" for op, value in range_bounds(constraint)]
    return None


def _value_clauses(field: str, kind: str, constraint: ColumnConstraint) -> list[str] | None:
    """``field:value`` per allowed value; None when one of them Search cannot say."""
    clauses = []
    for wire in constraint.wire_values():
        if kind == "numeric":
            if not isinstance(wire, int):
                return None
            clauses.append(f"{field}:{wire}")
            continue
        text = ("true" if wire else "false") if isinstance(wire, bool) else str(wire)
        if kind == "string" and not any(ch.isalnum() for ch in text):
            return None
        clauses.append(f"{field}:{_quote(text)}")
    return clauses


def _queries(base: list[str], variants: list[list[str]]) -> list[str] | None:
    """The query strings: the base clauses ANDed with one clause of each variant."""
    if not base and not variants:
        return None
    if not base and len(variants) == 1 and len(variants[0]) <= MAX_SEARCH_CLAUSES:
        # One IN and nothing else: a single OR query (Search cannot mix AND and OR).
        return [" OR ".join(variants[0])]
    combos = [base]
    for clauses in variants:
        combos = [combo + [c] for combo in combos for c in clauses]
    if len(combos) > MAX_FANOUT_CALLS or any(len(c) > MAX_SEARCH_CLAUSES for c in combos):
        return None
    return [" AND ".join(combo) for combo in combos]


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
