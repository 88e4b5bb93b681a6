"""The replica's SQLite file: one table per (Stripe-Account, catalog table), and sync state.

- Rows are the tuples live reads produce (``rows.py``), stored the way the engine stores
  them (``sql/engine.py``: datetimes as UTC text, booleans 0/1, JSON as text), in tables
  with the same column affinities, so a query gives the same result on either. Each
  table has a unique index on ``id`` (events upsert by it) and one on ``created``.
- WAL mode: the engine reads the file (ATTACH) while another connection or process
  writes it, and never blocks or sees a write half done.
- One writer at a time across processes: every change runs in ``writing()``, one
  ``BEGIN IMMEDIATE`` transaction, so a sync or a fill is seen whole or not at all,
  and a second process wanting to sync waits for the first, then finds it done.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from stripe_dbapi.catalog.model import Table
from stripe_dbapi.exceptions import OperationalError
from stripe_dbapi.rows import flattener
from stripe_dbapi.sql.engine import column_definitions, quote, row_converter
from stripe_dbapi.sql.refs import narrowed

# Seconds a process waits for another one's sync or fill to finish (a fill of a large
# table holds the write lock while it reads Stripe).
LOCK_TIMEOUT_SECONDS = 600.0

_STATE = (
    # One row per Stripe-Account: the events feed it has applied.
    """CREATE TABLE IF NOT EXISTS replica_partitions (
        account TEXT PRIMARY KEY,
        cursor TEXT,            -- id of the newest event applied (NULL: none existed)
        cursor_created INTEGER, -- its created (seconds): Stripe keeps events 30 days
        synced_at REAL          -- when the feed was last read to its end (epoch seconds)
    )""",
    # One row per stored table.
    """CREATE TABLE IF NOT EXISTS replica_tables (
        account TEXT,
        table_name TEXT,
        shape TEXT,             -- the catalog's columns when filled: another shape refills
        kind TEXT,              -- events | ttl, when filled
        filled_at REAL,         -- when the full read that filled it started
        PRIMARY KEY (account, table_name)
    )""",
)


@dataclass(frozen=True)
class Partition:
    account: str
    cursor: str | None
    cursor_created: int | None
    synced_at: float | None


@dataclass(frozen=True)
class StoredTable:
    account: str
    table_name: str
    shape: str
    kind: str
    filled_at: float


def partition_key(account: str, live: bool) -> str:
    """One partition per Stripe-Account and mode: a test key and a live key of one account
    see different objects ("acct_1/live", "platform/test")."""
    return f"{account}/{'live' if live else 'test'}"


def split_partition(key: str) -> tuple[str, bool]:
    """(account, live) of a partition key."""
    account, _, mode = key.rpartition("/")
    return account, mode == "live"


def storage_name(account: str, table_name: str) -> str:
    """The replica file's table holding ``table_name`` of the partition ``account``."""
    return f"{account}/{table_name}"


# How rows are laid out in the file; another layout is refilled like another shape.
LAYOUT = 2  # 2: JSON columns in a table of their own


def shape_of(table: Table) -> str:
    """A fingerprint of the columns (names and types) and the layout: rows of another
    shape are refilled."""
    text = f"{LAYOUT};" + ";".join(f"{c.name}:{c.type}" for c in table.columns)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class ReplicaStore:
    def __init__(self, path: str) -> None:
        self.path = os.path.abspath(os.path.expanduser(path))
        directory = os.path.dirname(self.path)
        try:
            # The file holds the account's data (customers' names and emails): readable by
            # the user alone, as SQLite then gives its -wal and -shm files the same mode.
            os.makedirs(directory, mode=0o700, exist_ok=True)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            self.db = sqlite3.connect(
                self.path, timeout=LOCK_TIMEOUT_SECONDS, isolation_level=None,
                check_same_thread=False,
            )
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # State is read on a connection of its own: planning a query (or EXPLAIN) in one
            # thread never waits for another thread's fill, which holds the writer.
            self.reader = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT_SECONDS,
                                          isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as error:
            raise OperationalError(
                f"cannot open the replica file {self.path}: {error}"
            ) from None
        self._lock = threading.RLock()  # the writer: one thread's transaction at a time
        self._reading = threading.Lock()  # the reader
        self._writing_thread: int | None = None  # the thread inside writing()
        with self.writing():
            for statement in _STATE:
                self.db.execute(statement)
        self._check_layout()

    def _check_layout(self) -> None:
        """Refuse a file whose state tables another program (or version) wrote otherwise,
        rather than fail on every query later."""
        try:
            self.tables()
            self.partition("")
        except sqlite3.Error as error:
            self.close()
            raise OperationalError(
                f"the replica file {self.path} is not one this version of stripe_dbapi can "
                f"use ({error}): give another path, or delete the file to start again"
            ) from None

    def close(self) -> None:
        with self._lock, self._reading:
            self.db.close()
            self.reader.close()

    @contextmanager
    def writing(self) -> Iterator[ReplicaStore]:
        """One write transaction holding the file's write lock (nested calls join it)."""
        with self._lock:
            if self.db.in_transaction:
                yield self
                return
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise OperationalError(
                    f"the replica file {self.path} stayed locked by another process for "
                    f"{LOCK_TIMEOUT_SECONDS:g} s: {error}"
                ) from None
            self._writing_thread = threading.get_ident()
            try:
                yield self
                self.db.execute("COMMIT")
            except BaseException as error:
                # SQLite has rolled back by itself after some errors (a full disk).
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise OperationalError(f"the replica file {self.path}: {error}") from None
                raise
            finally:
                self._writing_thread = None

    # -- state ---------------------------------------------------------------------------

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        """Rows of a read: inside this thread's write transaction, as it stands (not yet
        committed); elsewhere, the file as last committed."""
        if self._writing_thread == threading.get_ident():
            return self.db.execute(sql, args).fetchall()
        with self._reading:
            return self.reader.execute(sql, args).fetchall()

    def partition(self, account: str) -> Partition | None:
        rows = self._query(
            "SELECT account, cursor, cursor_created, synced_at FROM replica_partitions "
            "WHERE account = ?", (account,)
        )
        return Partition(*rows[0]) if rows else None

    def save_partition(self, partition: Partition) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO replica_partitions VALUES (?, ?, ?, ?)",
            (partition.account, partition.cursor, partition.cursor_created, partition.synced_at),
        )

    def forget_partition(self, account: str) -> None:
        """Drop every table of ``account`` and its cursor (a refill starts from nothing)."""
        for stored in self.tables(account):
            self.drop(account, stored.table_name)
        self.db.execute("DELETE FROM replica_partitions WHERE account = ?", (account,))

    def tables(self, account: str | None = None) -> list[StoredTable]:
        """The stored tables (of ``account``, or of every account)."""
        sql = "SELECT account, table_name, shape, kind, filled_at FROM replica_tables"
        args: tuple = ()
        if account is not None:
            sql, args = sql + " WHERE account = ?", (account,)
        return [StoredTable(*row) for row in self._query(sql + " ORDER BY 1, 2", args)]

    def stored(self, account: str, table_name: str) -> StoredTable | None:
        rows = self._query(
            "SELECT account, table_name, shape, kind, filled_at FROM replica_tables "
            "WHERE account = ? AND table_name = ?", (account, table_name)
        )
        return StoredTable(*rows[0]) if rows else None

    def row_count(self, account: str, table_name: str) -> int:
        name = quote(storage_name(account, table_name))
        return self._query(f"SELECT COUNT(*) FROM {name}")[0][0]

    # -- rows ----------------------------------------------------------------------------
    #
    # A table's rows are stored in two SQLite tables sharing ``id``: its JSON columns
    # (Stripe's nested objects, most of a row's bytes: 1.5 of a charge's 1.9 kB) apart
    # from the others, so a query that reads no JSON column scans a quarter of the bytes.

    def create(self, account: str, table: Table, kind: str, filled_at: float) -> None:
        """Empty tables for ``table``'s rows (replacing any stored ones)."""
        self.drop(account, table.name)
        name = storage_name(account, table.name)
        for part_name, part in _parts(name, table):
            self.db.execute(f"CREATE TABLE {quote(part_name)} ({column_definitions(part)})")
            self.db.execute(
                f"CREATE UNIQUE INDEX {quote(part_name + ':id')} ON {quote(part_name)} (id)")
        if any(c.name == "created" for c in table.columns):
            self.db.execute(f"CREATE INDEX {quote(name + ':created')} ON {quote(name)} (created)")
        self.db.execute(
            "INSERT INTO replica_tables VALUES (?, ?, ?, ?, ?)",
            (account, table.name, shape_of(table), kind, filled_at),
        )

    def drop(self, account: str, table_name: str) -> None:
        name = storage_name(account, table_name)
        for part_name in (name, name + JSON_PART):
            self.db.execute(f"DROP TABLE IF EXISTS {quote(part_name)}")
        self.db.execute(
            "DELETE FROM replica_tables WHERE account = ? AND table_name = ?",
            (account, table_name),
        )

    def put(self, account: str, table: Table, objects: Iterable[dict]) -> None:
        """Insert or replace the rows of Stripe objects (the newest state wins)."""
        flatten, convert = flattener(table), row_converter(table)
        rows = [convert(row) if convert is not None else row for row in map(flatten, objects)]
        for part_name, part in _parts(storage_name(account, table.name), table):
            positions = _positions(table, part)
            marks = ", ".join("?" for _ in part.columns)
            self.db.executemany(
                f"INSERT OR REPLACE INTO {quote(part_name)} VALUES ({marks})",
                ([row[i] for i in positions] for row in rows),
            )

    def delete(self, account: str, table_name: str, object_ids: Iterable[str]) -> None:
        ids = [(object_id,) for object_id in object_ids]
        name = storage_name(account, table_name)
        for part_name in (name, name + JSON_PART):
            if self._query("SELECT 1 FROM sqlite_master WHERE name = ?", (part_name,)):
                self.db.executemany(f"DELETE FROM {quote(part_name)} WHERE id = ?", ids)


JSON_PART = ":json"  # suffix of the table holding a stored table's JSON columns


def select_sql(schema: str, account: str, table: Table) -> str:
    """The SELECT giving ``table``'s columns (a query's used ones: any subset of the
    catalog's, in its order) from the stored rows in ``schema`` (the attached file):
    the JSON part is joined only when one of its columns is asked for."""
    name = storage_name(account, table.name)
    json_columns = {c.name for c in table.columns if c.type == "json" and c.name != "id"}
    columns = ", ".join(
        f"{'j' if c.name in json_columns else 'r'}.{quote(c.name)}" for c in table.columns
    )
    source = f"{schema}.{quote(name)} AS r"
    if json_columns:
        source += f" JOIN {schema}.{quote(name + JSON_PART)} AS j ON j.id = r.id"
    return f"SELECT {columns} FROM {source}"


def _parts(name: str, table: Table) -> list[tuple[str, Table]]:
    """(SQLite table, the columns it holds) of a stored table: id and the non-JSON columns,
    then id and the JSON ones (when there are any)."""
    scalar = narrowed(table, {c.name for c in table.columns if c.type != "json" or c.name == "id"})
    json_names = {c.name for c in table.columns if c.type == "json"}
    if not json_names:
        return [(name, scalar)]
    return [(name, scalar), (name + JSON_PART, narrowed(table, json_names | {"id"}))]


def _positions(table: Table, part: Table) -> list[int]:
    index = {c.name: i for i, c in enumerate(table.columns)}
    return [index[c.name] for c in part.columns]
