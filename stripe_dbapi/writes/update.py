"""UPDATE -> one Stripe update per target object (POST update_path)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from ..catalog.model import Table
from ..context import StatementContext
from ..exceptions import NotSupportedError, ProgrammingError
from ..result import Result
from ..sql.explain import call_row
from ..sql.tree import from_clause, where_condition
from .explain import explain_per_target
from .maps import MapColumn, needs_current, read_current, replace_maps, replaced_maps
from .missing import skip_missing
from .params import Request, Target, build_request, resolve_target
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


def prepare_update(conn: StatementContext, expr: exp.Update) -> PreparedWrite:
    plan = plan_update(conn, expr)
    return PreparedWrite(plan.run, plan.explain, plan.written)


@dataclass(frozen=True)
class UpdatePlan:
    """An UPDATE checked and planned with no request: which objects, which bodies.

    Targets are either named by the WHERE (``named``: no read, or one GET per id
    when ``read_per_id``, for the current maps), or found by a SELECT of
    ``WHERE``/``ORDER BY``/``LIMIT`` that also computes ``reads``: the per-row
    values (``SET x = name || '!'``) and the current maps.
    """

    conn: StatementContext
    table: Table
    table_expr: exp.Table
    where: exp.Expression | None
    order: exp.Order | None
    limit: exp.Limit | None
    constants: list[tuple[str, Any]]  # SET name = constant, as values
    per_row: list[tuple[str, exp.Expression]]  # SET name = expression of the row
    request: Request  # the constant assignments' body
    maps: list[MapColumn]  # SET metadata = ... replaces these maps (maps.py)
    named: list[RowKey] | None  # targets the WHERE names, or None: a SELECT finds them
    read_per_id: bool  # the named targets' current maps are read, one GET per id
    returning: exp.Returning | None
    written: list[str] = field(default_factory=list)  # ids updated so far (run fills it)

    @property
    def reads(self) -> list[exp.Expression]:
        """What the target-finding SELECT computes besides the keys."""
        return [e for _, e in self.per_row] + [m.expression() for m in self.maps]

    def targets(self) -> list[tuple[RowKey, tuple, list | None]]:
        """(key, per-row values, current maps) of every object to update."""
        conn, table = self.conn, self.table
        if self.read_per_id:
            assert self.named is not None  # only named targets are read per id
            current = read_current(conn, table, self.named, self.maps)
            return [(key, (), maps) for key, maps in current]
        if self.named is not None:
            return [(key, (), None) for key in self.named]
        rows = select_rows(
            conn, table, self.table_expr, self.where, self.reads, order=self.order, limit=self.limit
        )
        first: dict[RowKey, tuple] = {}
        for key, values in rows:
            first.setdefault(key, values)
        split = len(self.per_row)
        return [(key, values[:split], list(values[split:])) for key, values in first.items()]

    def body(self, values: tuple, current: list | None) -> dict:
        """One target's body: the constants, its per-row values, its maps replaced."""
        built = self.request.body
        if self.per_row:
            pairs = self.constants + [
                (name, v) for (name, _), v in zip(self.per_row, values, strict=True)
            ]
            table = self.table
            built = build_request(
                self.conn.catalog, table, table.update_params, pairs, "UPDATE"
            ).body
        return replace_maps(built, self.maps, current)

    def run(self) -> Result:
        # Every body is built (and checked) before the first update is sent; the
        # Idempotency-Keys are fixed now, one per object, reused by every retry.
        jobs = [
            (key, self.body(values, current), str(uuid.uuid4()))
            for key, values, current in self.targets()
        ]
        results = run_per_row(
            self.conn,
            jobs,
            skip_missing(self._post),
            lambda job: job[0].label,
            f"UPDATE {self.table.name}",
            table=self.table.name,
            written=self.written,
        )
        objects = [obj for obj in results if obj is not None]
        return write_result(self.conn, self.table, self.returning, objects, None)

    def _post(self, job) -> dict:
        key, body, idempotency_key = job
        assert self.table.update_path is not None  # plan_update refuses a table without
        path = object_path(self.table.update_path, key)
        return self.conn.client.post(path, body, idempotency_key=idempotency_key)

    def explain(self) -> list[tuple]:
        table = self.table
        # Read per id: named targets of a table with a retrieve path (_named_targets).
        per_id = self.named if self.read_per_id else None
        retrieve_path = table.retrieve_path
        body = {**self.request.body, **{name: e.sql("sqlite") for name, e in self.per_row}}
        gets = [
            call_row(
                table.name,
                f"by id: read the current {_paths(self.maps)} (SET replaces it)",
                "GET",
                object_path(retrieve_path, key),
                {},
                1,
            )
            for key in (per_id or ())
            if retrieve_path is not None
        ]
        select = (
            None
            if self.named is not None
            else target_select(
                table, self.table_expr, self.where, self.reads, self.order, self.limit
            )
        )
        return gets + explain_per_target(
            self.conn, table, self.named, select, "POST", table.update_path, body
        )


def plan_update(conn: StatementContext, expr: exp.Update) -> UpdatePlan:
    """Check everything an UPDATE needs, before any request (including the SELECT
    that will find its targets), and plan it."""
    table_expr = expr.this
    table = conn.catalog.table(table_expr.name)
    if table.update_path is None:
        raise NotSupportedError(f"Stripe has no update for {table.name}")
    if from_clause(expr) is not None or expr.args.get("joins"):
        raise NotSupportedError("UPDATE ... FROM is not supported; use WHERE id IN (SELECT ...)")
    where, order, limit = where_condition(expr), expr.args.get("order"), expr.args.get("limit")
    check_target_where(conn, table, where, "UPDATE")
    constants, per_row = _assignments(conn, table, expr, where)
    request = build_request(conn.catalog, table, table.update_params, constants, "UPDATE")
    per_row_targets = [
        resolve_target(conn.catalog, table, table.update_params, n, "UPDATE") for n, _ in per_row
    ]
    # Only a nested table's parent id goes in the URL.
    parent = table.parent
    if parent is not None and (
        request.url_params or any(target.in_url for target in per_row_targets)
    ):
        raise ProgrammingError(
            f"UPDATE cannot move {table.name} to another {parent.column}: "
            "Stripe has no such update (delete and insert instead)"
        )
    returning = expr.args.get("returning")
    check_returning(conn, table, returning)
    # SET metadata = ... replaces the map (Stripe would merge it): see maps.py.
    maps = replaced_maps(conn.catalog, table, [n for n, _ in constants] + [n for n, _ in per_row])
    named, read_per_id = _named_targets(conn, table, where, order, limit, per_row, request, maps)
    return UpdatePlan(
        conn, table, table_expr, where, order, limit, constants, per_row, request, maps,
        named, read_per_id, returning,
    )


def _named_targets(conn: StatementContext, table, where, order, limit, per_row, request, maps):
    """(targets named by the WHERE or None, whether to GET each for its current maps).

    Named targets cost no read, unless a non-empty map needs the current one:
    then one GET per id. Values computed from the row, or maps of a table with
    no retrieve endpoint, need the SELECT, which reads them with the targets.
    """
    named = named_targets(conn, table, where, order, limit)
    if not named:
        return named, False  # None (a SELECT finds them) or [] (nothing matches)
    if per_row:
        return None, False
    if not needs_current(request.body, maps):
        return named, False
    if table.retrieve_path is None:
        return None, False
    return named, True


def _assignments(
    conn: StatementContext, table, expr: exp.Update, where
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


def _repeats_key(conn: StatementContext, table, keys, name: str, value) -> bool:
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
