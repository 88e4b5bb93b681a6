"""Result of a write: RETURNING rows (in the table's row shape), rowcount, lastrowid."""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from ..catalog.model import Table
from ..context import StatementContext
from ..exceptions import NotSupportedError
from ..result import Result


def description_entry(name: str, type_code: str, nullable: bool = True) -> tuple:
    return (name, type_code, None, None, None, None, nullable)


def write_result(
    conn: StatementContext,
    table: Table,
    returning: exp.Returning | None,
    objects: Sequence[dict],
    lastrowid: str | None,
) -> Result:
    """``cursor.lastrowid`` is the id of the last object created (a Stripe id
    string, as PEP 249 allows any type); ``rowcount`` the objects written."""
    if returning is None:
        return Result(description=None, rows=iter(()), rowcount=len(objects), lastrowid=lastrowid)
    picks = _picks(conn, table, returning)
    from ..rows import flatten

    rows = []
    for obj in objects:
        flat = flatten(table, obj)
        rows.append(tuple(flat[index] for _, index, _ in picks))
    description = [
        description_entry(name, table.columns[index].type, table.columns[index].nullable)
        for name, index, _ in picks
    ]
    return Result(
        description=description, rows=iter(rows), rowcount=len(objects), lastrowid=lastrowid
    )


def check_returning(conn: StatementContext, table: Table, returning: exp.Returning | None) -> None:
    """Refuse a bad RETURNING list before the write is sent, not after."""
    if returning is not None:
        _picks(conn, table, returning)


def _picks(
    conn: StatementContext,
    table: Table,
    returning: exp.Returning,
) -> list[tuple[str, int, str]]:
    """(output name, column index, canonical name) for each RETURNING item."""
    positions = {column.name: i for i, column in enumerate(table.columns)}
    picks: list[tuple[str, int, str]] = []
    for item in returning.expressions:
        alias = None
        if isinstance(item, exp.Alias):
            alias, item = item.alias, item.this
        if isinstance(item, exp.Star) or (
            isinstance(item, exp.Column) and isinstance(item.this, exp.Star)
        ):
            picks.extend((c.name, positions[c.name], c.name) for c in table.columns)
            continue
        if not isinstance(item, exp.Column):
            raise NotSupportedError(
                f"RETURNING supports columns and *, not {item.sql('sqlite')!r}; "
                "select the expression from the returned columns instead"
            )
        column = conn.catalog.column(table, item.name)
        picks.append((alias or column.name, positions[column.name], column.name))
    return picks
