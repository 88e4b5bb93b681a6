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


def shape_of(table: Table) -> str:
    """A fingerprint of the columns (names and types): rows of another shape are refilled."""
    text = ";".join(f"{c.name}:{c.type}" for c in table.columns)
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
        self._inserts: dict[tuple[str, int], str] = {}

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
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            else:
                self.db.execute("COMMIT")
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

    def create(self, account: str, table: Table, kind: str, filled_at: float) -> None:
        """An empty table for ``table``'s rows (replacing any stored one)."""
        self.drop(account, table.name)
        name = storage_name(account, table.name)
        self.db.execute(f"CREATE TABLE {quote(name)} ({column_definitions(table)})")
        self.db.execute(f"CREATE UNIQUE INDEX {quote(name + ':id')} ON {quote(name)} (id)")
        if any(c.name == "created" for c in table.columns):
            self.db.execute(f"CREATE INDEX {quote(name + ':created')} ON {quote(name)} (created)")
        self.db.execute(
            "INSERT INTO replica_tables VALUES (?, ?, ?, ?, ?)",
            (account, table.name, shape_of(table), kind, filled_at),
        )

    def drop(self, account: str, table_name: str) -> None:
        self.db.execute(f"DROP TABLE IF EXISTS {quote(storage_name(account, table_name))}")
        self.db.execute(
            "DELETE FROM replica_tables WHERE account = ? AND table_name = ?",
            (account, table_name),
        )

    def put(self, account: str, table: Table, objects: Iterable[dict]) -> None:
        """Insert or replace the rows of Stripe objects (the newest state wins)."""
        flatten, convert = flattener(table), row_converter(table)
        rows: Iterable[tuple] = map(flatten, objects)
        if convert is not None:
            rows = map(convert, rows)
        self.db.executemany(self._insert(account, table), rows)

    def delete(self, account: str, table_name: str, object_ids: Iterable[str]) -> None:
        name = quote(storage_name(account, table_name))
        self.db.executemany(f"DELETE FROM {name} WHERE id = ?", ((i,) for i in object_ids))

    def _insert(self, account: str, table: Table) -> str:
        key = (storage_name(account, table.name), len(table.columns))
        sql = self._inserts.get(key)
        if sql is None:
            marks = ", ".join("?" for _ in table.columns)
            sql = f"INSERT OR REPLACE INTO {quote(key[0])} VALUES ({marks})"
            self._inserts[key] = sql
        return sql
