"""One unit of a script or of what was typed at the prompt, performed: a statement
run on the cursor, or a command resolved and run. Both shells (script and interactive)
perform units here and differ only in how they show the outcome."""

from __future__ import annotations

from typing import Any, NamedTuple

from .commands import Query, Quit, Text, resolve
from .formats import rows_text
from .script import Unit


class Rows(NamedTuple):
    """A result set: column names, type codes, the rows."""

    names: list[str]
    types: list[str]
    rows: list[tuple]


class Done(NamedTuple):
    """A statement without a result set, and how many rows (objects) it wrote."""

    rowcount: int


Outcome = Rows | Done | Text | Quit


def perform(unit: Unit, cursor: Any) -> Outcome:
    sql, parameters = unit.text, None
    if unit.is_command:
        action = resolve(unit.text, cursor)
        if not isinstance(action, Query):
            return action
        sql, parameters = action
    cursor.execute(sql, parameters)
    if cursor.description is None:
        return Done(cursor.rowcount)
    names = [column[0] for column in cursor.description]
    types = [column[1] for column in cursor.description]
    return Rows(names, types, cursor.fetchall())


def done_text(outcome: Done) -> str:
    return f"OK ({rows_text(outcome.rowcount)})"


__all__ = ["Done", "Outcome", "Quit", "Rows", "Text", "done_text", "perform"]
