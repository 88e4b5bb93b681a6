"""Shell commands: each is SQL on the driver's catalog tables (sys_tables, sys_columns,
sys_procedures) or on the statement it is given, so the shell has no catalog logic of
its own. psql's backslash commands are aliases of the dot commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.names import did_you_mean
from stripe_dbapi.sql.name_resolution import table_named

HELP = """\
.tables [PATTERN]      tables (PATTERN: a LIKE pattern, e.g. cust%)      \\dt [PATTERN]
.schema TABLE          a table's columns: type, the filters Stripe        \\d TABLE
                       applies, description
.procedures [PATTERN]  stored procedures (Stripe actions, run with CALL)  \\df [PATTERN]
.explain SQL           the Stripe requests SQL would make, none sent (also EXPLAIN SQL;)
.help                  this list                                          \\?
.quit, .exit           leave (also Ctrl-D at the prompt)                  \\q
\\d                     the tables, as .tables
SQL statements end with ';'; a command ends at the end of its line."""


class Query(NamedTuple):
    sql: str
    parameters: tuple | None


class Text(NamedTuple):
    text: str


class Quit(NamedTuple):
    pass


Action = Query | Text | Quit


def tables(argument: str, cursor: Any) -> Query:
    return Query(
        "SELECT TableName FROM sys_tables WHERE TableName LIKE ? ORDER BY TableName",
        (argument or "%",),
    )


def schema(argument: str, cursor: Any) -> Query:
    if not argument:
        raise ProgrammingError(".schema needs a table name: .schema TABLE")
    # The table as a query names it: Customer, "customers", SysTables...
    table = table_named(cursor.connection.catalog, argument.strip('"`'))
    return Query(
        "SELECT ColumnName, DataTypeName, Filterable, Description FROM sys_columns "
        "WHERE TableName = ? ORDER BY Ordinal",
        (table.name,),
    )


def procedures(argument: str, cursor: Any) -> Query:
    return Query(
        "SELECT ProcedureName, TableName, Description FROM sys_procedures "
        "WHERE ProcedureName LIKE ? ORDER BY ProcedureName",
        (argument or "%",),
    )


def explain(argument: str, cursor: Any) -> Query:
    statement = argument.strip().rstrip(";").strip()
    if not statement:
        raise ProgrammingError(".explain needs a statement: .explain SELECT ...")
    return Query(f"EXPLAIN {statement}", None)


def show_help(argument: str, cursor: Any) -> Text:
    return Text(HELP)


def leave(argument: str, cursor: Any) -> Quit:
    return Quit()


def describe(argument: str, cursor: Any) -> Query:
    """psql's ``\\d``: the tables, or one table's columns."""
    return schema(argument, cursor) if argument else tables("", cursor)


COMMANDS: dict[str, Callable[[str, Any], Action]] = {
    ".tables": tables,
    ".schema": schema,
    ".procedures": procedures,
    ".explain": explain,
    ".help": show_help,
    ".quit": leave,
    ".exit": leave,
    "\\d": describe,
    "\\dt": tables,
    "\\df": procedures,
    "\\?": show_help,
    "\\q": leave,
}


def resolve(line: str, cursor: Any) -> Action:
    """What a command line does: a query to run, text to show, or leaving."""
    name, _, argument = line.strip().partition(" ")
    command = COMMANDS.get(name)
    if command is None:
        # Quoted as typed: repr would double a backslash (\\x for \x).
        raise ProgrammingError(f"unknown command '{name}'{did_you_mean(name, list(COMMANDS))}")
    # psql and sqlite users may end a command with ';' out of habit.
    return command(argument.strip().rstrip(";").rstrip(), cursor)
