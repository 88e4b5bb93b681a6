"""execute_select: parse tree in, Result out (docs/architecture.md, "One statement, end to end").

resolve names -> plan a Fetch per table reference -> fetch -> SQLite.
Single-table row-at-a-time queries stream page by page; everything else loads
all fetched rows, then runs.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Generator, Iterator

from sqlglot import exp

from stripe_dbapi import progress
from stripe_dbapi.context import StatementContext
from stripe_dbapi.result import Result
from stripe_dbapi.rows import flattener
from stripe_dbapi.sql import systables
from stripe_dbapi.sql.dialect import to_sql
from stripe_dbapi.sql.engine import Engine, convert_rows, value_converters
from stripe_dbapi.sql.fetch import iter_pages
from stripe_dbapi.sql.joinfetch import fetch_for_query, join_restrictions
from stripe_dbapi.sql.output import output_types, value_type
from stripe_dbapi.sql.plan import Fetch, Plan
from stripe_dbapi.sql.resolve import ResolvedQuery, resolve_query
from stripe_dbapi.sql.search_fallback import plan_table, replace_for
from stripe_dbapi.sql.syntax import int_arg


def build_plan(conn: StatementContext, expression: exp.Expression) -> tuple[Plan, ResolvedQuery]:
    """The plan for a SELECT, without any request (shared with EXPLAIN)."""
    resolved = resolve_query(conn.catalog, expression)
    fetches = []
    for ref in resolved.refs:
        if ref.system:
            fetches.append(
                Fetch(ref_name=ref.sql_name, table_name=ref.table.name, system=True, exact=True)
            )
            continue
        read, live_reason = conn.replica.plan(ref) if conn.replica is not None else (None, "")
        if read is not None:
            fetches.append(
                Fetch(ref_name=ref.sql_name, table_name=ref.table.name, exact=True, replica=read)
            )
            continue
        fetch = plan_table(
            conn,
            ref.table,
            ref.conjuncts,
            ref_name=ref.sql_name,
            limit=ref.limit,
            offset=ref.offset,
            catalog=conn.catalog,
            newest_first=ref.newest_first,
        )
        fetch.live_reason = live_reason
        fetches.append(fetch)
    _no_search_limit_over_own_writes(conn, fetches)
    join_restrictions(resolved, fetches)  # notes for EXPLAIN; applied at fetch time
    query = resolved.expression
    # Rows on the replica are not pages: SQLite answers the whole query (LIMIT included).
    on_replica = any(fetch.replica is not None for fetch in fetches)
    streaming = resolved.streamable and _plain_limits(query) and not on_replica
    if streaming:
        query = query.copy()
        query.set("limit", None)
        query.set("offset", None)
    _check_requests(conn, fetches)
    return Plan(fetches=fetches, sql=to_sql(query), streaming=streaming), resolved


def _check_requests(conn: StatementContext, fetches: list[Fetch]) -> None:
    """Every planned call must be a request that can be sent (a 100,000-character value
    cannot travel in a URL): checked for all tables before the first one is fetched."""
    for fetch in fetches:
        parents = fetch.fan_out.parent_calls if fetch.fan_out is not None else []
        for call in list(fetch.calls) + list(parents):
            conn.client.check_request(call.method, call.path, call.params_dict())


def _no_search_limit_over_own_writes(conn: StatementContext, fetches: list[Fetch]) -> None:
    """A Search plan merges this connection's recent writes and re-filters them; with
    a pushed LIMIT a stale Search row dropped locally would leave the result short,
    so the LIMIT stays local while such writes exist."""
    for fetch in fetches:
        if fetch.merge_write_log and fetch.max_rows is not None:
            recent, deleted = conn.write_log.recent(fetch.table_name)
            if recent or deleted:
                fetch.max_rows = None


def _plain_limits(query: exp.Expression) -> bool:
    return all(
        int_arg(query.args.get(key)) is not None or query.args.get(key) is None
        for key in ("limit", "offset")
    )


def execute_select(conn: StatementContext, expression: exp.Expression) -> Result:
    plan, resolved = build_plan(conn, expression)
    read = ", ".join(dict.fromkeys(f.table_name for f in plan.fetches if not f.system))
    progress.current().describe(table=read or None)
    engine, empty_run = checked_engine(plan, resolved)
    try:
        tables = {ref.sql_name: ref.loaded_table for ref in resolved.refs}
        declared = output_types(resolved.expression, tables)
        if plan.streaming:
            return _streaming_result(conn, plan, resolved, engine, declared, empty_run.description)
        _load_all(conn, plan, resolved, engine)
        cursor = engine.run(plan.sql)
        if any(fetch.replica is not None for fetch in plan.fetches):
            return _rows_as_read(cursor, declared, engine)
        rows = cursor.fetchall()
        description, converters = _describe(cursor.description, declared, rows)
        engine.close()
        return Result(description=description, rows=iter(list(convert_rows(rows, converters))),
                      rowcount=len(rows))
    except BaseException:
        engine.close()
        raise


def checked_engine(plan: Plan, resolved: ResolvedQuery):
    """An engine with the query's (empty) tables, and the query's SQL run once on them:
    SQL that SQLite refuses (``SELECT FROM ...``, an unknown function, too many UNION
    terms) fails here, before any request, so an invalid statement costs nothing."""
    engine = Engine()
    try:
        for ref in resolved.refs:
            engine.create_table(ref.sql_name, ref.loaded_table)
        return engine, engine.run(plan.sql)
    except BaseException:
        engine.close()
        raise


def _load_all(conn: StatementContext, plan: Plan, resolved: ResolvedQuery, engine: Engine) -> None:
    reads = {f.ref_name: f.replica for f in plan.fetches if f.replica is not None}
    if reads:
        assert conn.replica is not None  # only a replica connection plans replica reads
        conn.replica.prepare(list(reads.values()))
    objects = fetch_for_query(conn, resolved, plan.fetches)
    for ref in resolved.refs:
        read = reads.get(ref.sql_name)
        if read is not None:
            assert conn.replica is not None
            engine.read_from(ref.sql_name, conn.replica.path,
                             conn.replica.select(read, ref.loaded_table))
        elif ref.system:
            engine.insert(ref.sql_name, systables.rows(conn, ref.table))
        else:
            engine.insert(ref.sql_name, map(flattener(ref.loaded_table), objects[ref.sql_name]))


def _streaming_result(conn: StatementContext, plan, resolved, engine, declared, names) -> Result:
    (ref,), (fetch,) = resolved.refs, plan.fetches
    query = resolved.expression
    limit, offset = int_arg(query.args.get("limit")), int_arg(query.args.get("offset")) or 0
    # Later pages are fetched as the caller reads, outside execute: under the statement's
    # monitor still (its cancel, its progress), which finishes when the pages end.
    pages = progress.current().stream(
        iter_pages(conn.client, conn.write_log, fetch, replace_for(conn))
    )

    flatten = flattener(ref.loaded_table)

    def evaluated() -> Generator[list[tuple], None, None]:
        for page in pages:
            engine.clear(ref.sql_name)
            engine.insert(ref.sql_name, map(flatten, page))
            yield engine.run(plan.sql).fetchall()

    per_page = evaluated()
    # The first page (one request) decides the types of computed columns and shows
    # errors early; later pages are fetched only as the caller reads.
    first = next(per_page, [])
    rows: Iterator[tuple] = itertools.chain(first, itertools.chain.from_iterable(per_page))
    if limit is not None or offset:
        # islice takes at most sys.maxsize; a larger LIMIT/OFFSET is "all" / "none" anyway.
        start = min(offset, sys.maxsize)
        stop = None if limit is None else min(start + max(limit, 0), sys.maxsize)
        rows = itertools.islice(rows, start, stop)
    description, converters = _describe(names, declared, first)

    def stream() -> Iterator[tuple]:
        try:
            yield from convert_rows(rows, converters)
        finally:
            per_page.close()
            pages.close() if hasattr(pages, "close") else None
            engine.close()

    return Result(description=description, rows=stream(), rowcount=-1, streaming=True)


# Rows of a replica query that decide the types of its computed columns (as the first page
# does for a streamed live read).
TYPE_SAMPLE_ROWS = 1000


def _rows_as_read(cursor, declared, engine: Engine) -> Result:
    """A query over the replica's file, its rows read from SQLite as the caller fetches
    them: a million-row SELECT keeps memory flat (the engine closes when they end)."""
    first = cursor.fetchmany(TYPE_SAMPLE_ROWS)
    description, converters = _describe(cursor.description, declared, first)

    def stream() -> Iterator[tuple]:
        try:
            yield from convert_rows(itertools.chain(first, cursor), converters)
        finally:
            engine.close()

    return Result(description=description, rows=stream(), rowcount=-1)


def _describe(sqlite_description, declared, sample_rows):
    names = [d[0] for d in sqlite_description or ()]
    types: list[str | None] = (
        [t for _, t in declared] if len(declared) == len(names) else [None] * len(names)
    )
    for i, type_code in enumerate(types):
        if type_code is None:
            sample = next((row[i] for row in sample_rows if row[i] is not None), None)
            types[i] = "string" if sample is None else value_type(sample)
    description = [
        (name, type_code, None, None, None, None, None)
        for name, type_code in zip(names, types, strict=True)
    ]
    return description, value_converters(types)
