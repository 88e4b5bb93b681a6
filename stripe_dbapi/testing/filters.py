"""A list request's filter params as predicates on objects, from the catalog's ListFilters.

Equality, enum, array (``ids[]``) and range (``created[gte]``) filters apply
generically; a required one (``Table.required_filters``) left out is Stripe's 400
``parameter_missing``; ``behaviours.list_rules`` adds Stripe's special cases (subscription
status ``all``, default visibility). ``created`` comes back as bounds instead,
so the store can bisect to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..catalog.model import FILTER_ARRAY, FILTER_RANGE, Table
from . import behaviours
from .errors import invalid, missing_parameter, unknown_parameter
from .objects import ref, value_at
from .params import coerce

Predicate = Callable[[dict], bool]  # whether a listed object is kept


@dataclass
class ListQuery:
    """What a list request asks for, in the forms the store can use."""

    predicates: list[Predicate] = field(default_factory=list)
    created: tuple[int | None, int | None] = (None, None)  # inclusive bounds, for bisection
    # (path, value) equality filters: the store can answer one from an index.
    equalities: list[tuple[tuple[str, ...], Any]] = field(default_factory=list)

    def keep(self, obj: dict) -> bool:
        return all(predicate(obj) for predicate in self.predicates)

    def require(self, path: tuple[str, ...], value: Any) -> None:
        self.predicates.append(lambda o: ref(value_at(o, path)) == value)
        self.equalities.append((path, value))


def list_predicates(ctx, table: Table, params: dict) -> ListQuery:
    """The list params as a ``ListQuery`` (predicates, ``created`` bounds, equalities)."""
    by_param = {f.param: f for f in table.filters}
    given = _flatten_brackets(params)
    for required in table.required_filters:  # Stripe checks these first
        if given.get(required.param) in (None, ""):
            raise missing_parameter(required.param)
    query = ListQuery()
    predicates: list[Predicate] = []
    created: tuple[int | None, int | None] = (None, None)
    special = behaviours.list_rules(table.object)
    for name, value in given.items():
        spec = by_param.get(name)
        if spec is None:
            if name in special.extra_params:
                continue
            raise unknown_parameter(name)
        if name in special.custom_filters:
            predicates.append(special.custom_filters[name](ctx, value))
            continue
        column = next((c for c in table.columns if c.name == (spec.column or name)), None)
        path = column.path if column else (spec.column or name,)
        if spec.kind == FILTER_RANGE:
            low, high = _range(value, spec.type, name)
            if path == ("created",):
                created = (low, high)
            else:
                predicates.append(_in_range_at(path, low, high))
        elif spec.kind == FILTER_ARRAY:
            values = value if isinstance(value, list) else [value]
            if spec.max_items and len(values) > spec.max_items:
                raise invalid(f"Invalid {name}: at most {spec.max_items} values.", param=name)
            wanted = {str(coerce(v, spec.type, name)) for v in values}
            predicates.append(_id_in_at(path, wanted))
        else:
            if spec.enum and value not in spec.enum:
                raise invalid(f"Invalid {name}: must be one of {', '.join(spec.enum)}", param=name)
            wanted = coerce(value, spec.type, name)
            query.require(path, wanted)
    predicates.extend(special.default_visibility(given))
    for column_name in table.hidden_unless_filtered:
        if column_name not in given:
            predicates.append(_field_is(column_name, None))
    retention = table.retention_days
    if retention:  # e.g. events: Stripe keeps only the last 30 days
        oldest = ctx.now - int(retention) * 86400
        predicates.append(lambda o: (o.get("created") or 0) >= oldest)
    for column_name, split_values in table.visibility_splits.items():
        if column_name not in given and split_values:
            predicates.append(_field_is(column_name, split_values[0]))
    query.predicates.extend(predicates)
    query.created = created
    return query


def _flatten_brackets(params: dict, prefix: str = "") -> dict:
    """``{"recurring": {"interval": "month"}}`` -> ``{"recurring[interval]": "month"}``,
    keeping range dicts (``created[gte]``) whole."""
    flat: dict = {}
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else key
        if isinstance(value, dict) and not set(value) <= {"gt", "gte", "lt", "lte"}:
            flat.update(_flatten_brackets(value, name))
        else:
            flat[name] = value
    return flat


def _range(value: Any, type_: str, name: str) -> tuple[int | None, int | None]:
    """(gte, lte) as inclusive integer bounds from ``x`` or ``{gt, gte, lt, lte}``."""
    if not isinstance(value, dict):
        exact = coerce(value, "integer" if type_ == "datetime" else type_, name)
        return exact, exact
    low = high = None
    for op, raw in value.items():
        if op not in ("gt", "gte", "lt", "lte"):
            raise unknown_parameter(f"{name}[{op}]")
        bound = coerce(raw, "integer", f"{name}[{op}]")
        if op == "gt":
            bound += 1
        if op == "lt":
            bound -= 1
        if op in ("gt", "gte"):
            low = bound if low is None else max(low, bound)
        else:
            high = bound if high is None else min(high, bound)
    return low, high


# Predicates are made by functions, so each binds its own values (not the loop's last).
def _in_range_at(path: tuple[str, ...], low: int | None, high: int | None) -> Predicate:
    return lambda obj: _in_range(value_at(obj, path), low, high)


def _id_in_at(path: tuple[str, ...], wanted: set[str]) -> Predicate:
    return lambda obj: str(ref(value_at(obj, path))) in wanted


def _field_is(name: str, value: Any) -> Predicate:
    return lambda obj: obj.get(name) == value


def _in_range(value: Any, low: int | None, high: int | None) -> bool:
    if value is None or isinstance(value, bool):
        return False
    return (low is None or value >= low) and (high is None or value <= high)
