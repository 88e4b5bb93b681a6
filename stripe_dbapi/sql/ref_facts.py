"""What a query says about each table reference, once names are resolved.

Per scope, onto its TableRefs (``refs.py``):

- ``collect_conjuncts``: the WHERE conjuncts that touch only one reference (and not
  the NULL-supplying side of an outer join) are its pushdown candidates
  (``pushdown.py`` decides what Stripe answers);
- ``collect_limit``: a LIMIT/OFFSET that may be pushed (one source, row at a time,
  the whole WHERE is the reference's own), and whether it is under
  ``ORDER BY created DESC``;
- ``collect_join_keys``: equalities with other references that every result row
  satisfies (``joinfetch.py`` narrows one side by the other's values);
- ``collect_used_columns``: which columns get flattened and loaded;
- ``streamable``: whether pages can flow through without loading all rows first.

The full WHERE still runs in SQLite afterwards, so pushing is only ever a
narrowing of what is fetched, never the last word on a row.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.optimizer.scope import Scope

from stripe_dbapi.sql.refs import TableRef
from stripe_dbapi.sql.syntax import (
    column_pairs,
    conjuncts_of,
    int_arg,
    outer_joined_aliases,
    row_at_a_time,
)
from stripe_dbapi.sql.tree import Node, where_condition


def collect_conjuncts(scope: Scope, aliases: dict[str, TableRef], column_ref) -> None:
    """Append to each reference the conjuncts of the scope's WHERE that touch only it."""
    select = scope.expression
    if not isinstance(select, exp.Select) or not aliases:
        return
    nullable = outer_joined_aliases(select)
    for conjunct in conjuncts_of(where_condition(select)):
        owner = _sole_reference(conjunct, column_ref)
        if owner is not None and owner in aliases.values() and owner.alias.lower() not in nullable:
            owner.conjuncts.append(conjunct)


def _sole_reference(conjunct: Node, column_ref) -> TableRef | None:
    """The one reference whose columns a plain conjunct reads (None: none, several, or a
    subquery, aggregate, window or unbound parameter that pushdown cannot take)."""
    if conjunct.find(exp.Select, exp.AggFunc, exp.Window, exp.Placeholder):
        return None
    found = {column_ref.get(id(c)) for c in conjunct.find_all(exp.Column)}
    return found.pop() if len(found) == 1 else None


def collect_limit(scope: Scope, aliases: dict[str, TableRef], column_ref) -> None:
    """A single-source SELECT read row at a time (or under ``ORDER BY created DESC``)
    whose whole WHERE was pushable to its reference: its LIMIT and OFFSET may be pushed.
    Run after ``collect_conjuncts``."""
    select = scope.expression
    if not isinstance(select, exp.Select) or len(aliases) != 1 or len(scope.selected_sources) != 1:
        return
    (ref,) = aliases.values()
    newest_first = _orders_newest_first(select, ref, column_ref)
    if not row_at_a_time(select, allow_order=newest_first):
        return
    ref.newest_first = newest_first
    whole_where_is_ours = len(ref.conjuncts) == len(conjuncts_of(where_condition(select)))
    limit = int_arg(select.args.get("limit"))
    if whole_where_is_ours and limit is not None:
        ref.limit, ref.offset = limit, int_arg(select.args.get("offset")) or 0


def _orders_newest_first(select: exp.Select, ref: TableRef, column_ref) -> bool:
    """``ORDER BY created DESC``: the order Stripe lists in, so a LIMIT can still be pushed."""
    order = select.args.get("order")
    if order is None or len(order.expressions) != 1:
        return False
    key = order.expressions[0]
    column = key.this
    return (
        isinstance(key, exp.Ordered) and bool(key.args.get("desc"))
        and isinstance(column, exp.Column) and column.name == "created"
        and column_ref.get(id(column)) is ref
    )


def collect_join_keys(scope: Scope, aliases: dict[str, TableRef], column_ref) -> None:
    """Equalities ``a.x = b.y`` that every result row satisfies: restricting ``a`` to the
    ``y`` values of ``b`` then loses no row. True for WHERE and inner-join ON conjuncts,
    and, for a LEFT JOIN's ON, for the joined (NULL-supplying) table only."""
    select = scope.expression
    if not isinstance(select, exp.Select) or len(aliases) < 2:
        return
    refs = list(aliases.values())
    for a, b in _restricting_pairs(select, column_ref):
        ref_a, ref_b = column_ref.get(id(a)), column_ref.get(id(b))
        if (
            ref_a in refs
            and ref_b in refs
            and ref_a is not ref_b
            and not (ref_a.system or ref_b.system)
        ):
            key = (a.name, ref_b, b.name)
            if key not in ref_a.join_keys:
                ref_a.join_keys.append(key)


def _restricting_pairs(select: exp.Select, column_ref) -> list[tuple[exp.Column, exp.Column]]:
    """(a, b) for each column equality by which ``a``'s table may be narrowed to ``b``'s values."""
    pairs: list[tuple[exp.Column, exp.Column]] = []
    for left, right in column_pairs(where_condition(select)):
        pairs += [(left, right), (right, left)]
    for join in select.args.get("joins") or []:
        side = (join.side or "").upper()
        kind = (join.kind or "").upper()
        both_ways = [
            p
            for left, right in column_pairs(join.args.get("on"))
            for p in ((left, right), (right, left))
        ]
        if not side and kind in ("", "INNER"):
            pairs += both_ways
        elif side == "LEFT":
            joined = join.this.alias_or_name.lower()
            pairs += [
                (a, b)
                for a, b in both_ways
                if column_ref.get(id(a)) is not None and column_ref[id(a)].alias.lower() == joined
            ]
    return pairs


def collect_used_columns(scopes: list[Scope], scope_refs, refs: list[TableRef], column_ref,
                         expression: exp.Expression) -> None:
    """The columns each reference's rows must carry (None: all of them, for ``*``)."""
    for ref in refs:
        ref.used_columns = set()
    for column in expression.find_all(exp.Column):
        ref = column_ref.get(id(column))
        if ref is not None:
            ref.used_columns.add(column.name)
    for scope in scopes:
        for ref in _starred_refs(scope, scope_refs.get(id(scope), {})):
            ref.used_columns = None
    for ref in refs:
        if ref.system:
            ref.used_columns = None


def _starred_refs(scope: Scope, aliases: dict[str, TableRef]) -> list[TableRef]:
    """The references whose every column the scope's ``*`` / ``t.*`` selects."""
    select = scope.expression
    if not isinstance(select, exp.Select):
        return []
    starred: list[TableRef] = []
    for projection in select.expressions:
        if isinstance(projection, exp.Star):
            starred += aliases.values()
        elif isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
            ref = aliases.get(projection.table.lower())
            if ref is not None:
                starred.append(ref)
    return starred


def streamable(scopes: list[Scope], refs: list[TableRef]) -> bool:
    """One Stripe table read row at a time: its pages can flow through to the cursor."""
    if len(scopes) != 1 or len(refs) != 1:
        return False
    select = scopes[0].expression
    return isinstance(select, exp.Select) and row_at_a_time(select) and not refs[0].system
