"""SQLite (stdlib) as the one evaluator of SQL semantics over fetched rows.

Each table reference is a temp table with the catalog's columns. Values are
stored the way SQLite compares them: datetimes as 'YYYY-MM-DD HH:MM:SS' UTC
text, booleans 0/1, JSON as text. Declared types give SQLite's affinities
(``amount = '100'`` compares as a number, as SQL users expect). Results are
converted back with the output column types: aware datetimes, bools.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from stripe_dbapi.catalog.model import Table
from stripe_dbapi.exceptions import DataError, OperationalError, ProgrammingError
from stripe_dbapi.guard import TOO_DEEP
from stripe_dbapi.sql.values import from_sqlite_datetime

_AFFINITY = {
    "integer": "INTEGER",
    "number": "REAL",
    "boolean": "INTEGER",
    "datetime": "TEXT",
    "string": "TEXT",
    "json": "TEXT",
}


REPLICA_SCHEMA = "replica"  # the name the replica file is attached under
REPLICA_MMAP_BYTES = 1 << 30  # how much of the replica file a query may map into memory

# SQLite's own nesting limits (its parser stack; an expression tree of depth 1,000).
_SQLITE_TOO_DEEP = ("parser stack overflow", "Expression tree is too large")


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def column_definitions(table: Table) -> str:
    """The columns of a table holding ``table``'s rows, with SQLite's affinities (shared with
    the replica's tables, so a query compares values the same way live and replicated)."""
    return ", ".join(f"{quote(c.name)} {_AFFINITY.get(c.type, '')}" for c in table.columns)


def row_converter(table: Table) -> Callable[[tuple], tuple] | None:
    """flatten()ed tuple -> tuple SQLite stores (datetimes as UTC text)."""
    datetime_columns = [i for i, c in enumerate(table.columns) if c.type == "datetime"]
    if not datetime_columns:
        return None

    def convert(row: tuple) -> tuple:
        values = list(row)
        for i in datetime_columns:
            value = values[i]
            if value is not None and not isinstance(value, str):
                # Stripe timestamps are whole seconds; str() of an aware UTC
                # datetime is 'YYYY-MM-DD HH:MM:SS+00:00'.
                values[i] = str(value)[:19]
        return tuple(values)

    return convert


class Engine:
    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._inserts: dict[str, str] = {}
        self._converters: dict[str, Callable[[tuple], tuple] | None] = {}
        self._table_names: dict[str, str] = {}  # temp name ("_t0") -> the Stripe table's

    def create_table(self, name: str, table: Table) -> None:
        self.db.execute(f"CREATE TABLE {quote(name)} ({column_definitions(table)})")
        marks = ", ".join("?" for _ in table.columns)
        self._inserts[name] = f"INSERT INTO {quote(name)} VALUES ({marks})"
        self._converters[name] = row_converter(table)
        self._table_names[name] = table.name

    def insert(self, name: str, rows: Iterable[tuple]) -> None:
        convert = self._converters[name]
        if convert is not None:
            rows = map(convert, rows)
        self.db.executemany(self._inserts[name], rows)

    def read_from(self, name: str, path: str, select: Callable[[str], str]) -> None:
        """Answer the table ``name`` from the SQLite file ``path`` (the replica) instead of
        rows inserted here: a view of ``select(schema)``, the SELECT over the file attached
        as ``schema``, so the query runs in SQLite over the file and its indexes (nothing
        is copied)."""
        if REPLICA_SCHEMA not in {row[1] for row in self.db.execute("PRAGMA database_list")}:
            self.db.execute(f"ATTACH DATABASE ? AS {REPLICA_SCHEMA}", (path,))
            # Scans of wide rows read the file through the OS's cache, not copies (~25 %
            # faster on a dashboard's full-table aggregates).
            self.db.execute(f"PRAGMA {REPLICA_SCHEMA}.mmap_size = {REPLICA_MMAP_BYTES}")
        # A temp view is found before the (empty) table of that name the statement was
        # checked on, which a pending statement may still be reading: it stays.
        self.db.execute(f"CREATE TEMP VIEW {quote(name)} AS {select(REPLICA_SCHEMA)}")

    def clear(self, name: str) -> None:
        self.db.execute(f"DELETE FROM {quote(name)}")

    def run(self, sql: str) -> sqlite3.Cursor:
        if "\x00" in sql:
            # A NUL in a text value (char(0) folded to a literal): SQLite takes no SQL text
            # with one.
            raise DataError("a text value in the statement contains a NUL character (char(0))")
        try:
            return self.db.execute(sql)
        except sqlite3.OperationalError as error:
            if str(error).startswith(_SQLITE_TOO_DEEP):
                raise ProgrammingError(f"{TOO_DEEP} ({error})") from None
            # SQLite's "no such column"/"no such function" are the user's SQL.
            raise ProgrammingError(f"{error} (in: {self._as_written(sql)})") from None
        except (sqlite3.IntegrityError, sqlite3.DataError) as error:
            # "datatype mismatch" (LIMIT 'x'), "integer overflow": a value in the SQL.
            raise DataError(f"{error} (in: {self._as_written(sql)})") from None
        except sqlite3.Error as error:
            raise OperationalError(f"SQLite could not evaluate the query: {error}") from None

    def _as_written(self, sql: str) -> str:
        """The statement for an error message, with the Stripe tables' names in place of
        the temp names the user never wrote."""
        for temp, table_name in self._table_names.items():
            for quoted in (f"`{temp}`", quote(temp)):
                sql = sql.replace(quoted, quote(table_name))
        return _shortened(sql)

    def close(self) -> None:
        self.db.close()


def _shortened(sql: str, most: int = 300) -> str:
    return sql if len(sql) <= most else sql[:most] + f"... ({len(sql)} characters)"


def value_converters(types: list[str | None]):
    """Per output column: a function from SQLite's value to the caller's, or None."""
    out: list[Callable[[Any], Any] | None] = []
    for type_code in types:
        if type_code == "datetime":
            out.append(from_sqlite_datetime)
        elif type_code == "boolean":
            out.append(lambda v: v if v is None else bool(v))
        else:
            out.append(None)
    return out


def convert_rows(rows: Iterable[tuple], converters) -> Iterator[tuple]:
    if not any(converters):
        yield from rows
        return
    pairs = [(i, f) for i, f in enumerate(converters) if f is not None]
    for row in rows:
        values = list(row)
        for i, f in pairs:
            values[i] = f(values[i])
        yield tuple(values)
