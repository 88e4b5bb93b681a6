"""What to offer at the cursor: SQL keywords, tables, the columns of the tables the
statement names, procedures and their parameters, and the shell's commands.

Pure logic on text (no prompt_toolkit here: interactive.py adapts it). What has been
typed is read leniently, a statement being written is rarely valid SQL: words and
punctuation are scanned, not parsed, and the tables are taken from ``FROM``, ``JOIN``,
``UPDATE`` and ``INTO`` anywhere in the statement, before or after the cursor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.sql.name_resolution import table_named
from stripe_dbapi.sql.systables import SYS_TABLES

from .commands import COMMANDS
from .script import COMMAND_STARTS, split

KEYWORDS = (
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "GLOB",
    "BETWEEN", "EXISTS", "AS", "ON", "JOIN", "LEFT", "INNER", "CROSS", "USING", "GROUP BY",
    "ORDER BY", "HAVING", "LIMIT", "OFFSET", "DISTINCT", "UNION", "ALL", "CASE", "WHEN",
    "THEN", "ELSE", "END", "ASC", "DESC", "WITH", "INSERT INTO", "VALUES", "UPDATE", "SET",
    "DELETE FROM", "RETURNING", "CALL", "EXECUTE", "EXPLAIN", "TRUE", "FALSE", "CAST",
    "COUNT", "SUM", "AVG", "MIN", "MAX", "COALESCE", "IFNULL", "DATE", "DATETIME",
    "STRFTIME", "JSON_EXTRACT", "LOWER", "UPPER", "LENGTH", "ROUND", "OVER", "PARTITION BY",
)
# After these words comes a table name.
TABLE_WORDS = {"from", "join", "update", "into", "table"}
PROCEDURE_WORDS = {"call", "exec", "execute"}
# Words that end a table reference, so are no alias: FROM customers WHERE ...
_NOT_ALIASES = {w.split()[0].lower() for w in KEYWORDS} | {
    "natural", "outer", "full", "right", "indexed", "default",
}
_TOKEN = re.compile(r"\"[^\"]*\"?|`[^`]*`?|'(?:[^']|'')*'?|[A-Za-z_][\w$]*|\S")
_WORD_AT_END = re.compile(r"[A-Za-z_][\w$]*\Z")


@dataclass(frozen=True)
class Suggestion:
    text: str  # what replaces the word at the cursor
    start: int  # where the replaced word starts, counted back from the cursor (<= 0)
    meta: str = ""  # a word on what it is (a column's type, "table", ...)


class CatalogNames:
    """The names completion offers, read from the driver's catalog (``conn.catalog``):
    the Stripe tables and the sys_* tables, their columns, procedures and parameters."""

    def __init__(self, catalog: Any) -> None:
        self.catalog = catalog
        self.tables = sorted([*catalog.tables, *SYS_TABLES])
        self.procedures = sorted(catalog.procedures)

    def table(self, name: str) -> Any | None:
        """The table ``name`` names, forgivingly as in SQL (Customer, PaymentIntents)."""
        try:
            return table_named(self.catalog, name.strip('"`'))
        except ProgrammingError:
            return None

    def procedure(self, name: str) -> Any | None:
        try:
            return self.catalog.procedure(name)
        except ProgrammingError:
            return None


def suggestions(before: str, after: str, names: CatalogNames) -> list[Suggestion]:
    """What may replace the word that ends at the cursor: ``before`` is the text up to
    the cursor, ``after`` the rest (it may name the statement's tables)."""
    statement = _open_statement(before)
    if statement is None:
        return []  # in a string or a quoted name: nothing to offer
    word = _WORD_AT_END.search(statement)
    partial = word.group() if word else ""
    stripped = statement.lstrip()
    if stripped[:1] and stripped[0] in COMMAND_STARTS:
        return _command_suggestions(stripped, partial, after, names)
    head = statement[: len(statement) - len(partial)]
    return _sql_suggestions(head, partial, head + partial + _first_statement(after), names)


def _open_statement(before: str) -> str | None:
    """The statement the cursor is in (text after the last finished unit), or None
    when the cursor is inside a quote."""
    _, rest = split(before)
    if not rest:
        # Only whitespace, comments or a command line at the end: take the last line.
        rest = before.rsplit("\n", 1)[-1] if not before.endswith(";") else ""
    tokens = _TOKEN.findall(rest)
    if tokens and tokens[-1][0] in "'\"`" and (len(tokens[-1]) == 1 or
                                             tokens[-1][-1] != tokens[-1][0]):
        return None
    return rest


def _first_statement(after: str) -> str:
    return after.split(";", 1)[0]


def _command_suggestions(line: str, partial: str, after: str,
                         names: CatalogNames) -> list[Suggestion]:
    command, space, argument = line.partition(" ")
    if not space:
        return [Suggestion(c, -len(command), "command") for c in COMMANDS
                if c.startswith(command.lower())]
    if command in (".schema", "\\d"):
        return _names(names.tables, partial, "table")
    if command == ".explain":
        head = argument[: len(argument) - len(partial)]
        return _sql_suggestions(head, partial, argument + _first_statement(after), names)
    return []


def _sql_suggestions(head: str, partial: str, statement: str,
                     names: CatalogNames) -> list[Suggestion]:
    """``head``: the statement up to the word being typed (``partial``)."""
    tokens = _TOKEN.findall(head)
    if head.endswith(".") and len(tokens) >= 2:  # alias.col
        table = _tables_in(statement, names).get(tokens[-2].strip('"`').lower())
        return _columns(names, [table] if table is not None else [], partial)
    last = tokens[-1].lower() if tokens else ""
    if last in TABLE_WORDS or _in_from_list(tokens):
        return _names(names.tables, partial, "table")
    if last in PROCEDURE_WORDS:
        return _names(names.procedures, partial, "procedure")
    procedure = _procedure_being_called(tokens, names)
    if procedure is not None:
        # CALL Name(Param => value), EXECUTE Name Param = value
        assignment = "=" if tokens[0].lower() in ("exec", "execute") else "=>"
        return _parameters(procedure, partial, assignment)
    tables = list({t.name: t for t in _tables_in(statement, names).values()}.values())
    return _columns(names, tables, partial) + _keywords(partial)


def _in_from_list(tokens: list[str]) -> bool:
    """``FROM customers c, char|``: after a comma of a FROM list (no other clause since)."""
    if not tokens or tokens[-1] != ",":
        return False
    for token in reversed(tokens[:-1]):
        lowered = token.lower()
        if lowered == "from":
            return True
        if lowered in _NOT_ALIASES or token in "()":
            return False
    return False


def _procedure_being_called(tokens: list[str], names: CatalogNames) -> Any | None:
    """The procedure whose arguments are being written: ``CALL Name(...`` with the
    parenthesis still open, or ``EXECUTE Name p = v, ...``."""
    if tokens[:1] and tokens[0].lower() == "explain":
        tokens = tokens[1:]
    if len(tokens) < 2 or tokens[0].lower() not in PROCEDURE_WORDS:
        return None
    if len(tokens) >= 3 and tokens[2] == "(":
        depth = sum(1 if t == "(" else -1 if t == ")" else 0 for t in tokens[2:])
        argument_start = depth > 0 and tokens[-1] in ("(", ",")
    elif tokens[0].lower() == "call":
        return None  # CALL takes its arguments in parentheses
    else:
        argument_start = len(tokens) == 2 or tokens[-1] == ","
    return names.procedure(tokens[1]) if argument_start else None


def _tables_in(statement: str, names: CatalogNames) -> dict[str, Any]:
    """Name or alias (lower case) -> catalog table, for each table the statement names."""
    tokens = _TOKEN.findall(statement)
    found: dict[str, Any] = {}
    i = 0
    while i < len(tokens):
        if tokens[i].lower() not in TABLE_WORDS:
            i += 1
            continue
        i += 1
        while i < len(tokens):  # FROM a x, b AS y
            table = names.table(tokens[i])
            if table is None:
                break
            found[tokens[i].strip('"`').lower()] = table
            found[table.name.lower()] = table
            i += 1
            if i < len(tokens) and tokens[i].lower() == "as":
                i += 1
            if i < len(tokens) and _WORD_AT_END.match(tokens[i]) and (
                tokens[i].lower() not in _NOT_ALIASES
            ):
                found[tokens[i].lower()] = table
                i += 1
            if i < len(tokens) and tokens[i] == ",":
                i += 1
                continue
            break
    return found


def _matches(candidate: str, partial: str) -> bool:
    """Prefix match ignoring case and underscores, as the catalog's names are matched:
    ``paymentint`` offers payment_intents."""
    return _squash(candidate).startswith(_squash(partial))


@lru_cache(maxsize=4096)
def _squash(name: str) -> str:
    return name.replace("_", "").lower()


def _names(candidates: Iterable[str], partial: str, meta: str) -> list[Suggestion]:
    return [Suggestion(c, -len(partial), meta) for c in candidates if _matches(c, partial)]


def _columns(names: CatalogNames, tables: list[Any], partial: str) -> list[Suggestion]:
    seen: dict[str, Suggestion] = {}
    for table in tables:
        for column in table.columns:
            if column.name not in seen and _matches(column.name, partial):
                meta = column.type if len(tables) == 1 else f"{column.type}, {table.name}"
                seen[column.name] = Suggestion(column.name, -len(partial), meta)
    return list(seen.values())


def _parameters(procedure: Any, partial: str, assignment: str) -> list[Suggestion]:
    return [
        Suggestion(f"{p.name} {assignment} ", -len(partial),
                   f"{p.type}{', required' if p.required else ''}")
        for p in procedure.params
        if _matches(p.name, partial)
    ]


def _keywords(partial: str) -> list[Suggestion]:
    if not partial:
        return []  # every keyword at every blank would be noise
    lower = partial.islower()
    return [
        Suggestion(k.lower() if lower else k, -len(partial), "keyword")
        for k in KEYWORDS
        if k.lower().startswith(partial.lower())
    ]
