"""Join-aware fetching: fetch the selective side of a join first, then the other side
only for the keys found (``customers c JOIN charges ch ON ch.customer = c.id WHERE
c.email = ?`` -> one customers list, then ``charges?customer=<id>``, instead of
listing every charge).

A reference A is restricted by a key equality ``A.x = B.y`` (collected by
resolve.py only where every result row satisfies it) when B has predicates of
its own pushed to Stripe, A has none on ``x``, Stripe can filter A by ``x`` (a
list filter, the id, or the parent id of a nested list), and B's rows give at
most ``JOIN_IN_LIMIT`` distinct values; otherwise A is fetched as planned.
"""

from __future__ import annotations

from sqlglot import exp

from stripe_dbapi.context import StatementContext
from stripe_dbapi.rows import flattener
from stripe_dbapi.sql.fetch import fetch_all
from stripe_dbapi.sql.plan import Fetch
from stripe_dbapi.sql.refs import narrowed
from stripe_dbapi.sql.search_fallback import plan_table, replace_for

JOIN_IN_LIMIT = 10


def join_restrictions(resolved, fetches: list[Fetch]) -> dict:
    """ref -> (column, other ref, other column) for the references fetched second."""
    fetch_of = {f.ref_name: f for f in fetches}
    chosen: dict = {}
    for ref in resolved.refs:
        fetch = fetch_of[ref.sql_name]
        if ref.system or fetch.empty or fetch.replica is not None or any(
            c.kind == "retrieve" for c in fetch.calls
        ):
            continue
        constrained = {c.name for conjunct in ref.conjuncts for c in conjunct.find_all(exp.Column)}
        for column, other, other_column in ref.join_keys:
            other_fetch = fetch_of[other.sql_name]
            if other in chosen or column in constrained or not _filterable(ref.table, column):
                continue
            if not (other_fetch.pushed or other_fetch.empty) or other_fetch.system:
                continue
            chosen[ref] = (column, other, other_column)
            fetch.note = (
                f"then only {column} IN ({other.alias}.{other_column}) "
                f"when <= {JOIN_IN_LIMIT} values"
            )
            break
    return chosen


def _filterable(table, column: str) -> bool:
    if column == "id" and table.retrieve_path:
        return True
    if table.parent is not None and table.parent.column == column:
        return True
    return any(f.column == column and f.kind in ("eq", "array") for f in table.filters)


def fetch_for_query(
    conn: StatementContext,
    resolved,
    fetches: list[Fetch],
) -> dict[str, list[dict]]:
    """ref_name -> objects, joined references restricted to the keys found."""
    restrictions = join_restrictions(resolved, fetches)
    later = {ref.sql_name for ref in restrictions}
    client, write_log = conn.client, conn.write_log
    replace = replace_for(conn)
    objects = fetch_all(client, write_log, [f for f in fetches if f.ref_name not in later], replace)
    second = []
    for ref, (column, other, other_column) in restrictions.items():
        fetch = next(f for f in fetches if f.ref_name == ref.sql_name)
        values = _distinct(other, other_column, objects[other.sql_name])
        if values is not None and len(values) <= JOIN_IN_LIMIT:
            keys = exp.In(
                this=exp.column(column), expressions=[exp.Literal.string(v) for v in values]
            )
            fetch = plan_table(conn, ref.table, [*ref.conjuncts, keys], ref_name=ref.sql_name,
                               catalog=conn.catalog)
        second.append(fetch)
    objects.update(fetch_all(client, write_log, second, replace))
    return objects


def _distinct(ref, column: str, objs: list[dict]):
    """Distinct non-null text values of ``column`` (None if they are not all text)."""
    get = flattener(narrowed(ref.table, {column}))
    values: list[str] = []
    for obj in objs:
        (value,) = get(obj)
        if value is None:
            continue
        if not isinstance(value, str):
            return None
        if value not in values:
            values.append(value)
            if len(values) > JOIN_IN_LIMIT:
                return values
    return values
