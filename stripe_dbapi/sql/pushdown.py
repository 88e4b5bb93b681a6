"""The SQL -> Stripe translation for one table reference: ``plan_fetch``.

Input: one table reference and the WHERE conjuncts that touch only it.
Output: a :class:`~stripe_dbapi.sql.plan.Fetch`. The conjuncts are analysed once
(``analysis.py``: atoms, typed per-column constraints); then, in order:

1. A contradiction (``id = 'a' AND id = 'b'``, an empty range, ``IN ()``) -> no request.
2. WHERE names ids -> retrieves (``render/retrieve.py``).
3. Otherwise lists (``render/lists.py``), or Search instead when it answers a
   predicate the list cannot and the list takes no equality filter
   (``render/search.py``; Search lags behind writes, so its rows are merged with
   this connection's write log).

Whatever is pushed, the whole WHERE still runs locally: pushing narrows the
fetch, the engine decides. "Exact" only gates LIMIT pushdown.
"""

from __future__ import annotations

from sqlglot import exp

from stripe_dbapi.catalog.model import FILTER_ARRAY, FILTER_EQ, Table
from stripe_dbapi.context import StatementContext
from stripe_dbapi.sql.analysis import Analysis, analyse
from stripe_dbapi.sql.dialect import DIALECT
from stripe_dbapi.sql.plan import Fetch
from stripe_dbapi.sql.render import Rendering
from stripe_dbapi.sql.render.lists import list_calls
from stripe_dbapi.sql.render.retrieve import retrieve_calls
from stripe_dbapi.sql.render.search import search_calls


def plan_fetch(table: Table, conjuncts: list, *, ref_name: str, use_search: bool,
               limit: int | None = None, offset: int = 0, catalog=None,
               newest_first: bool = False) -> Fetch:
    """The fetch for one table reference; ``catalog`` resolves a nested table's parent."""
    fetch = Fetch(ref_name=ref_name, table_name=table.name)
    analysis = analyse(table, conjuncts)
    if analysis.empty:
        fetch.empty = True
        fetch.exact = True
        fetch.pushed = [_sql(c) for c in conjuncts]
        return fetch
    rendering, searched = _render(table, analysis, use_search, catalog)
    fetch.calls, fetch.fan_out = rendering.calls, rendering.fan_out
    if searched:
        fetch.merge_write_log = True
        fetch.dedupe = len(fetch.calls) > 1
    fetch.exact = _sort_conjuncts(fetch, analysis, rendering)
    if newest_first and (searched or fetch.fan_out is not None):
        limit = None  # Search and fan-outs do not come newest first overall
    if limit is not None and fetch.exact:
        fetch.max_rows = limit + offset  # a fan-out then walks parents lazily (fetch.py)
    return fetch


def _render(table: Table, analysis: Analysis, use_search: bool, catalog) -> tuple[Rendering, bool]:
    """The calls that read the rows, and whether they are Search calls."""
    retrieved = retrieve_calls(table, analysis)
    if retrieved is not None:
        return retrieved, False
    listed = list_calls(table, analysis, catalog)
    searched = search_calls(table, analysis) if use_search else None
    if searched is not None and _prefer_search(analysis, listed, searched):
        return searched, True
    return listed, False


def _sort_conjuncts(fetch: Fetch, analysis: Analysis, rendering: Rendering) -> bool:
    """File each conjunct as pushed (the calls apply it) or residual (only SQLite does);
    return whether the calls return exactly the rows the WHERE matches."""
    exact = not analysis.unparsed
    for conjunct, atoms in analysis.pushable:
        columns = {a.column for a in atoms if a.op != "meta"}
        metas = any(a.op == "meta" for a in atoms)
        if columns <= rendering.pushed and (not metas or rendering.metadata):
            fetch.pushed.append(_sql(conjunct))
            # Token fields and metadata match case-insensitively, string fields by words.
            exact = exact and columns <= rendering.exact and not metas
        else:
            fetch.residual.append(_sql(conjunct))
            exact = False
    fetch.residual.extend(_sql(c) for c in analysis.unparsed)
    return exact


def _sql(node: exp.Expression) -> str:
    return node.sql(dialect=DIALECT)


def _prefer_search(analysis: Analysis, listed: Rendering, searched: Rendering) -> bool:
    """Search when it answers something the list cannot (fewer rows, fewer requests).

    Never when the list already takes an equality filter (``customer=``,
    ``payment_intent=``): that list is narrow and always fresh, while Search lags
    behind writes (STRIPE_FACTS.md "Search"), so the rest is filtered locally.
    """
    if listed.fan_out is not None:
        return False  # nested tables have no Search
    if any(_pushed_equality(analysis, column) for column in listed.pushed):
        return False
    if searched.metadata:
        return True
    listable = {
        c for c in analysis.constraints if any(f.column == c for f in analysis.table.filters)
    }
    return bool(searched.pushed - listable)


def _pushed_equality(analysis: Analysis, column: str) -> bool:
    return analysis.given(column) and any(
        analysis.list_filter(column, kind) is not None for kind in (FILTER_EQ, FILTER_ARRAY))


def search_allowed(conn: StatementContext) -> bool:
    """Search is used only if the connection allows it and nothing this connection
    wrote may still be missing from it (a write's side effects, such as the charge
    a confirmed payment intent creates, are not in the write log)."""
    return conn.use_search and not conn.write_log.wrote_recently()
