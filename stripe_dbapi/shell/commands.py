"""Dot commands: each is SQL on the driver's catalog tables (sys_tables, sys_columns,
sys_procedures), so the shell has no catalog logic of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.names import did_you_mean

HELP = """\
.tables [PATTERN]      tables (PATTERN: a LIKE pattern, e.g. cust%)
.schema TABLE          a table's columns: type, the filters Stripe applies, description
.procedures [PATTERN]  stored procedures (Stripe actions, run with CALL)
.help                  this list
SQL statements end with ';'. Errors stop the script (exit status 1)."""


class Query(NamedTuple):
    sql: str
    parameters: tuple


class Text(NamedTuple):
    text: str


def tables(argument: str, cursor: Any) -> Query:
    return Query(
        "SELECT TableName FROM sys_tables WHERE TableName LIKE ? ORDER BY TableName",
        (argument or "%",),
    )


def schema(argument: str, cursor: Any) -> Query:
    if not argument:
        raise ProgrammingError(".schema needs a table name: .schema TABLE")
    cursor.execute("SELECT TableName FROM sys_tables")
    names = [name for (name,) in cursor.fetchall()]
    if argument not in names:
        raise ProgrammingError(f"unknown table {argument!r}{did_you_mean(argument, names)}")
    return Query(
        "SELECT ColumnName, DataTypeName, Filterable, Description FROM sys_columns "
        "WHERE TableName = ? ORDER BY Ordinal",
        (argument,),
    )


def procedures(argument: str, cursor: Any) -> Query:
    return Query(
        "SELECT ProcedureName, TableName, Description FROM sys_procedures "
        "WHERE ProcedureName LIKE ? ORDER BY ProcedureName",
        (argument or "%",),
    )


def show_help(argument: str, cursor: Any) -> Text:
    return Text(HELP)


COMMANDS: dict[str, Callable[[str, Any], Query | Text]] = {
    ".tables": tables,
    ".schema": schema,
    ".procedures": procedures,
    ".help": show_help,
}


def resolve(line: str, cursor: Any) -> Query | Text:
    """What a dot command line does: a query to run, or text to show."""
    name, _, argument = line.partition(" ")
    command = COMMANDS.get(name)
    if command is None:
        raise ProgrammingError(f"unknown command {name!r}{did_you_mean(name, list(COMMANDS))}")
    return command(argument.strip(), cursor)
