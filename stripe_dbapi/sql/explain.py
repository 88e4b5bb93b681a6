"""EXPLAIN <select>: the plan as a result set, without calling Stripe.

One row per planned call (a fan-out shows its parent listing and the per-parent
call), with the table, the pushed and residual predicates and the estimated
requests of that table; a last row gives the SQL SQLite runs.
"""

from __future__ import annotations

import json

from sqlglot import exp

from stripe_dbapi.client import MAX_PAGE_SIZE
from stripe_dbapi.context import StatementContext
from stripe_dbapi.result import Result
from stripe_dbapi.sql.select import build_plan, checked_engine

COLUMNS = (
    ("table_name", "string"),
    ("step", "string"),
    ("method", "string"),
    ("path", "string"),
    ("params", "json"),
    ("pushed", "json"),
    ("residual", "json"),
    ("exact", "boolean"),
    ("estimated_requests", "integer"),
)


def execute_explain(conn: StatementContext, expression: exp.Expression) -> Result:
    return explain_result(plan_rows(conn, expression))


def explain_result(rows: list[tuple]) -> Result:
    """EXPLAIN rows (in COLUMNS order) as a result set; shared with EXPLAIN of
    writes and CALL (stripe_dbapi/writes/explain.py)."""
    description = [(name, type_code, None, None, None, None, None) for name, type_code in COLUMNS]
    return Result(description=description, rows=iter(rows), rowcount=len(rows))


def call_row(table_name: str, step: str, method: str, path: str, params, requests) -> tuple:
    """One planned Stripe call that no SELECT plan describes (a write, an action)."""
    return (table_name, step, method, path, json.dumps(params, default=str), "[]", "[]", True,
            requests)


def plan_rows(conn: StatementContext, expression: exp.Expression) -> list[tuple]:
    """One row per planned call of a SELECT, then the SQL SQLite runs."""
    plan, resolved = build_plan(conn, expression)
    engine, _ = checked_engine(plan, resolved)  # a statement that cannot run cannot be explained
    engine.close()
    rows: list[tuple] = []
    for fetch in plan.fetches:
        common = (
            json.dumps(fetch.pushed),
            json.dumps([r for r in fetch.residual]),
            fetch.exact,
            fetch.estimated_requests(),
        )
        if fetch.system:
            rows.append((fetch.table_name, "catalog", None, None, None) + common)
            continue
        if fetch.replica is not None:
            rows.extend(_replica_rows(fetch.replica, common))
            continue
        if fetch.empty:
            rows.append(
                (fetch.table_name, "none: the WHERE can never be true", None, None, None) + common
            )
            continue
        rows.extend(_call_rows(fetch, common))
    rows.append(("", "sqlite", None, None, None, json.dumps([plan.sql]), "[]", True,
                 plan.estimated_requests()))
    return rows


def _replica_rows(read, common: tuple) -> list[tuple]:
    """A table answered from the replica: where its rows come from and how stale they may
    be, then the requests made first (the events sync, or the full read that fills it)."""
    from stripe_dbapi.replica.coverage import SYNC
    from stripe_dbapi.replica.sync import EVENTS_PATH, sync_request

    if read.action == SYNC:
        return [(read.table_name, read.describe(), "GET", EVENTS_PATH,
                 json.dumps(sync_request(read.cursor))) + common]
    rows = [(read.table_name, read.describe(), None, None, None) + common]
    if read.fill is not None:
        rows.extend((row[0], "fill: " + row[1], *row[2:])
                    for row in _call_rows(read.fill, common))
    return rows


def _call_rows(fetch, common: tuple) -> list[tuple]:
    """One row per call a list/Search/retrieve fetch plans (a fan-out's parent listing and
    per-parent call first; a sliced read's slices after its call)."""
    rows: list[tuple] = []
    if fetch.fan_out is not None:
        fan = fetch.fan_out
        for call in fan.parent_calls:
            rows.append((fetch.table_name, "list parents", call.method, call.path,
                         _params(call, None)) + common)
        how = "one parent at a time" if fetch.max_rows is not None else "concurrently"
        for call in fan.child_calls:
            rows.append(
                (
                    fetch.table_name,
                    f"list per parent, {how} ({fetch.fan_out_estimate()})",
                    call.method,
                    call.path,
                    json.dumps(fan.shown_params(call), default=str),
                )
                + common
            )
    for call in fetch.calls:
        rows.append((fetch.table_name, _step(call, fetch), call.method, call.path,
                     _params(call, fetch)) + common)
        if fetch.slicing is not None:
            rows.append((fetch.table_name, fetch.slicing.describe(call.params), call.method,
                         call.path, json.dumps(fetch.slicing.slice_params(call.params)))
                        + common)
    return rows


def _step(call, fetch) -> str:
    if call.kind == "retrieve":
        step = "retrieve"
        return step + f" ({fetch.live_reason})" if fetch.live_reason else step
    step = "search" if call.kind == "search" else "list"
    if fetch.merge_write_log:
        step += " + recent writes"
    if fetch.note:
        step += f" ({fetch.note})"
    if fetch.search_unavailable:
        step += f" (Search is not available on this connection: {fetch.search_unavailable})"
    if len(fetch.calls) > 1:
        step += ", concurrently"
    if fetch.serial_reason:
        step += f" ({fetch.serial_reason})"
    if fetch.live_reason:
        step += f" ({fetch.live_reason})"
    return step


def _params(call, fetch) -> str:
    params = call.params_dict()
    if call.kind != "retrieve":
        params["limit"] = fetch.page_size if fetch is not None else MAX_PAGE_SIZE
    return json.dumps(params, default=str)
