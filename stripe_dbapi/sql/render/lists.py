"""The list calls for one table reference.

Equality filters become params (``customer=``), ranges Stripe's bounds
(``created[gte]=``, encoded by ``constraints.range_bounds``), ``IN`` one list per
value (cartesian over columns, at most MAX_FANOUT_CALLS lists) or an array param
(``lookup_keys[]``, ten values a call). Stripe's default visibility is undone
(``status=all``; prices' ``active`` split in two) unless the query constrains that
column. A nested table is listed per parent id WHERE gives, else over every
parent (a fan-out, see ``required_ids.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stripe_dbapi.catalog.model import FILTER_ARRAY, FILTER_EQ, FILTER_RANGE, Table
from stripe_dbapi.paths import fill_path
from stripe_dbapi.sql.analysis import Analysis
from stripe_dbapi.sql.constraints import ColumnConstraint, range_bounds
from stripe_dbapi.sql.plan import Call, FanOut
from stripe_dbapi.sql.render import DEFAULT_ARRAY_ITEMS, MAX_FANOUT_CALLS, Rendering
from stripe_dbapi.sql.render.required_ids import fan_out_key, missing_ids, required_implied


@dataclass
class _Params:
    """The params every list takes (``base``) and, per ``IN`` column, the alternatives
    of which each list takes one (``variants``)."""

    base: dict = field(default_factory=dict)
    variants: list[list[dict]] = field(default_factory=list)
    variant_columns: set[str] = field(default_factory=set)  # columns with one list per value
    pushed: set[str] = field(default_factory=set)
    budget: int = MAX_FANOUT_CALLS  # lists the remaining IN columns may still multiply into

    def alternatives(self, column: str, choices: list[dict]) -> None:
        """One list per choice, if the budget allows (else the column is filtered locally)."""
        if len(choices) > self.budget:
            return
        self.variants.append(choices)
        self.variant_columns.add(column)
        self.budget //= len(choices)
        self.pushed.add(column)

    def combinations(self) -> list[dict]:
        combos = [self.base]
        for alternatives in self.variants:
            combos = [{**combo, **alt} for combo in combos for alt in alternatives]
        return combos


def list_calls(table: Table, analysis: Analysis, catalog=None) -> Rendering:
    """The lists (or the fan-out) that read the rows WHERE may match; ``catalog``
    resolves the table a fan-out lists the parents of."""
    params = _Params()
    parent = table.parent
    for column, constraint in analysis.constraints.items():
        if parent is not None and column == parent.column:
            continue
        if constraint.given:
            _push_values(analysis, column, constraint, params)
        else:
            _push_range(analysis, column, constraint, params)
    _undo_default_visibility(table, params)
    combos = params.combinations()
    parent_ids = analysis.given_values(parent.column) if parent is not None else None
    parent_given = parent_ids is not None
    # (path, implied) of every list to make
    paths: list[tuple[str, dict]] = [(table.list_path, {})]
    if parent is not None and parent_ids is not None:
        paths = [
            (fill_path(table.list_path, {parent.path_param: parent_id}), {parent.column: parent_id})
            for parent_id in parent_ids
        ]
        params.pushed.add(parent.column)
    key = fan_out_key(table, missing_ids(table, parent_given, combos))
    pushed = params.pushed
    if key is not None and len(combos) > 1:
        combos, pushed = [params.base], pushed - params.variant_columns  # one list per parent
    calls = [Call("list", path, combo, implied={**implied, **required_implied(table, combo)})
             for path, implied in paths for combo in combos]
    if key is None:
        return Rendering(calls, pushed, set(pushed))
    assert key.table is not None  # fan_out_key returns only a key whose table lists
    fan_out = FanOut(parent_calls=_parent_calls(catalog, key.table), child_calls=calls,
                     parent_column=key.column, path_param=key.path_param, list_param=key.list_param)
    return Rendering([], pushed, set(pushed), fan_out)


def _push_values(
    analysis: Analysis, column: str, constraint: ColumnConstraint, params: _Params
) -> None:
    """``x = v`` / ``x IN (...)``: an array param, an equality param, or one list per value."""
    wire = constraint.wire_values()
    array = analysis.list_filter(column, FILTER_ARRAY)
    if array is not None:
        size = array.max_items or DEFAULT_ARRAY_ITEMS
        params.alternatives(
            column, [{array.param: wire[i : i + size]} for i in range(0, len(wire), size)]
        )
        return
    target = analysis.list_filter(column, FILTER_EQ) or analysis.list_filter(column, FILTER_RANGE)
    if target is None or (target.enum and any(w not in target.enum for w in wire)):
        return
    if len(wire) == 1:
        params.base[target.param] = wire[0]
        params.pushed.add(column)
    else:
        params.alternatives(column, [{target.param: w} for w in wire])


def _push_range(
    analysis: Analysis, column: str, constraint: ColumnConstraint, params: _Params
) -> None:
    """``x > a AND x <= b``: ``x[gt]=a&x[lte]=b`` on a range filter."""
    rng = analysis.list_filter(column, FILTER_RANGE)
    bounds = range_bounds(constraint)
    if rng is None or not bounds:
        return
    params.base.update({f"{rng.param}[{op}]": value for op, value in bounds})
    params.pushed.add(column)


def _undo_default_visibility(table: Table, params: _Params) -> None:
    """Stripe lists only some rows unless asked (subscriptions without ``status=all``
    leave out canceled ones; prices are listed active and inactive separately)."""
    for param, value in (table.default_list_params or {}).items():
        if _filter_column(table, param) not in params.pushed and param not in params.base:
            params.base[param] = value
    splits = table.visibility_splits
    for param, values in splits.items():
        if _filter_column(table, param) not in params.pushed:
            params.variants.append([{param: v} for v in values])


def _filter_column(table: Table, param: str) -> str:
    return next((f.column for f in table.filters if f.param == param), None) or param


def _parent_calls(catalog, parent_table: str) -> list[Call]:
    """Every parent: a full list of the parent table, its default visibility undone."""
    table = catalog.table(parent_table)
    return list_calls(table, Analysis(table), catalog).calls
