"""UPDATE -> one Stripe update per target object (POST update_path)."""

from __future__ import annotations

import uuid

from sqlglot import exp

from ..exceptions import NotSupportedError, ProgrammingError
from ..sql.explain import call_row
from ..sql.tree import from_clause, where_condition
from .explain import explain_per_target
from .maps import needs_current, read_current, replace_maps, replaced_maps
from .missing import skip_missing
from .params import Target, build_request, resolve_target
from .prepared import PreparedWrite
from .returning import check_returning, write_result
from .run import run_per_row
from .targets import (
    RowKey,
    check_target_where,
    key_column,
    named_targets,
    object_path,
    select_rows,
    target_select,
    where_keys,
)
from .values import constant_value


def prepare_update(conn, expr: exp.Update) -> PreparedWrite:
    table_expr = expr.this
    table = conn.catalog.table(table_expr.name)
    if table.update_path is None:
        raise NotSupportedError(f"Stripe has no update for {table.name}")
    if from_clause(expr) is not None or expr.args.get("joins"):
        raise NotSupportedError("UPDATE ... FROM is not supported; use WHERE id IN (SELECT ...)")
    where, order, limit = where_condition(expr), expr.args.get("order"), expr.args.get("limit")
    # Everything below is checked before any request, including the SELECT
    # that finds the targets.
    check_target_where(conn, table, where, "UPDATE")
    constants, per_row = _assignments(conn, table, expr, where)
    request = build_request(conn.catalog, table, table.update_params, constants, "UPDATE")
    per_row_targets = [
        resolve_target(conn.catalog, table, table.update_params, n, "UPDATE") for n, _ in per_row
    ]
    if request.url_params or any(target.in_url for target in per_row_targets):
        raise ProgrammingError(
            f"UPDATE cannot move {table.name} to another {table.parent.column}: "
            "Stripe has no such update (delete and insert instead)"
        )
    returning = expr.args.get("returning")
    check_returning(conn, table, returning)
    # SET metadata = ... replaces the map (Stripe would merge it): see maps.py.
    maps = replaced_maps(conn.catalog, table, [n for n, _ in constants] + [n for n, _ in per_row])
    # Targets named by id cost no read, unless a non-empty map needs the
    # current one: then one GET per id. A SELECT reads the maps with the targets.
    reading = not per_row and needs_current(request.body, maps)
    named = named_targets(conn, table, where, order, limit)
    if per_row and named:
        named = None  # values computed from the row: the SELECT reads them
    get_per_id = named is not None and reading and table.retrieve_path is not None
    if reading and not get_per_id and named:
        named = None  # no retrieve endpoint: the SELECT finds and reads them
    names = [name for name, _ in per_row]
    # Values that depend on the row (SET x = name || '!') and the current maps:
    # the SELECT that finds the objects computes them too.
    reads = [e for _, e in per_row] + [m.expression() for m in maps]

    def targets() -> list[tuple[RowKey, tuple, list | None]]:
        """(key, per-row values, current maps) of every object to update."""
        if get_per_id:
            return [(key, (), current) for key, current in read_current(conn, table, named, maps)]
        if named is not None:
            return [(key, (), None) for key in named]
        rows = select_rows(conn, table, table_expr, where, reads, order=order, limit=limit)
        first: dict[RowKey, tuple] = {}
        for key, values in rows:
            first.setdefault(key, values)
        split = len(per_row)
        return [(key, values[:split], list(values[split:])) for key, values in first.items()]

    def body(values, current) -> dict:
        if per_row:
            pairs = constants + list(zip(names, values))
            built = build_request(conn.catalog, table, table.update_params, pairs, "UPDATE").body
        else:
            built = request.body
        return replace_maps(built, maps, current)

    def jobs() -> list:
        # Every body is built (and checked) before the first update is sent.
        return [
            (key, body(values, current), str(uuid.uuid4())) for key, values, current in targets()
        ]

    written: list[str] = []

    @skip_missing
    def update(job):
        key, body, idempotency_key = job
        return conn.client.post(
            object_path(table.update_path, key), body, idempotency_key=idempotency_key
        )

    def run():
        results = run_per_row(
            conn,
            jobs(),
            update,
            lambda job: job[0].label,
            f"UPDATE {table.name}",
            table=table.name,
            written=written,
        )
        objects = [obj for obj in results if obj is not None]
        return write_result(conn, table, returning, objects, None)

    def explain() -> list[tuple]:
        body = (
            request.body
            if not per_row
            else {**request.body, **{name: e.sql("sqlite") for name, e in per_row}}
        )
        gets = [
            call_row(
                table.name,
                f"by id: read the current {_paths(maps)} (SET replaces it)",
                "GET",
                object_path(table.retrieve_path, key),
                {},
                1,
            )
            for key in (named if get_per_id else ())
        ]
        select = (
            None
            if named is not None
            else target_select(table, table_expr, where, reads, order, limit)
        )
        return gets + explain_per_target(
            conn, table, named, select, "POST", table.update_path, body
        )

    return PreparedWrite(run, explain, written)


def _assignments(
    conn, table, expr: exp.Update, where
) -> tuple[list[tuple[str, object]], list[tuple[str, exp.Expression]]]:
    """(constant assignments as values, per-row assignments as expressions)."""
    constants, per_row = [], []
    keys = where_keys(conn, table, where)
    for item in expr.expressions:
        if not isinstance(item, exp.EQ) or not isinstance(item.this, exp.Column):
            raise ProgrammingError(f"UPDATE SET takes column = value, got {item.sql('sqlite')!r}")
        name, value = item.this.name, item.expression
        if value.find(exp.Column) is not None and not value.find(exp.Select):
            per_row.append((name, value))
            continue
        value = constant_value(value, f"the value for {name}")
        if _repeats_key(conn, table, keys, name, value):
            continue
        constants.append((name, value))
    return constants, per_row


def _repeats_key(conn, table, keys, name: str, value) -> bool:
    """``SET Id = 'card_1', CustomerId = 'cus_1' ... WHERE CustomerId = 'cus_1' AND
    Id = 'card_1'`` (the connector spec's card update): a key column set to the
    value the WHERE already gives it changes nothing and is ignored. Set to
    another value it is an error: Stripe cannot rename or move an object."""
    column = key_column(conn, table, name)
    if column is None:
        return False
    if keys.get(column) == [value]:
        return True
    if column != "id":
        raise ProgrammingError(
            f"UPDATE cannot move {table.name} to another {column}: "
            "Stripe has no such update (delete and insert instead)"
        )
    raise ProgrammingError(
        f"column {name!r} cannot be set by UPDATE: it names the object (only the value "
        f"the WHERE gives {column} may be repeated in SET)"
    )


def _paths(maps) -> str:
    return ", ".join(Target(m.path, None).display for m in maps)
