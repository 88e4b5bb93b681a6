"""``Replica``: a connection's local replica (``connect(replica=path, max_staleness=...)``).

What the rest of the driver asks of it:

- the planner, per table reference: ``plan(ref)`` -> a ReplicaRead (answer it from the
  replica) or why it is read live; no request, so EXPLAIN shows it as well;
- the SELECT, before it runs: ``prepare(reads)`` fills tables not stored yet (a full
  read through the same planner and scans as a live query) and syncs those older than
  their bound from the events feed (sync.py), all under the file's write lock;
- writers: ``record_write(table, obj)`` puts what Stripe answered at once
  (read-your-writes, whatever ``max_staleness`` is);
- CALL SyncReplica / ResetReplica and ``sys_replica``.

One partition per Stripe-Account (``account_id``, "platform" without one): the events
feed, its cursor and the tables are all per account.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import warnings
from collections.abc import Callable
from datetime import datetime, timezone

from stripe_dbapi import exceptions as exc
from stripe_dbapi import progress
from stripe_dbapi.catalog.model import Table
from stripe_dbapi.pacing import TEST_MODE_PREFIXES
from stripe_dbapi.replica.coverage import (
    EVENTS,
    FILL,
    LIVE,
    NOTHING,
    REFILL,
    SYNC,
    TTL,
    Coverage,
    ReplicaRead,
    coverage,
)
from stripe_dbapi.replica.store import (
    Partition,
    ReplicaStore,
    StoredTable,
    partition_key,
    select_sql,
    shape_of,
    split_partition,
)
from stripe_dbapi.replica.sync import (
    EVENTS_PATH,
    apply_events,
    events_after,
    newest_event,
    too_old,
)

log = logging.getLogger("stripe_dbapi.replica")

PLATFORM = "platform"  # the partition of the key's own account (no Stripe-Account)


class ReplicaWarning(UserWarning):
    """The replica cannot keep a table fresh the way it was meant to (events unreadable)."""


class Replica:
    def __init__(self, conn, path: str, max_staleness: float | None,
                 clock: Callable[[], float] = time.time) -> None:
        self.conn = conn  # the StatementContext it reads Stripe through
        self.store = ReplicaStore(path)
        # The partition: the Stripe-Account (or the key's own) in the key's mode.
        self.account = partition_key(conn.settings.account_id or PLATFORM,
                                     live=not conn.settings.api_key.startswith(TEST_MODE_PREFIXES))
        self.max_staleness = None if max_staleness is None else float(max_staleness)
        self.clock = clock
        # Why the events feed cannot be followed (None: it can); event tables become TTL ones.
        self.events_refused: str | None = None
        self._lock = threading.RLock()  # one fill or sync at a time in this process
        self._event_tables: dict[str, str] | None = None

    @property
    def path(self) -> str:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def coverage(self, table: Table) -> Coverage:
        return coverage(table, self.max_staleness, events_unreadable=self.events_refused)

    # -- planning (no request) ---------------------------------------------------------

    def plan(self, ref) -> tuple[ReplicaRead | None, str]:
        """(how ``ref`` is read from the replica, "") or (None, why it is read live)."""
        cov = self.coverage(ref.table)
        if cov.kind == LIVE:
            return None, cov.why
        hidden = _hidden_filters(ref)
        if hidden:
            return None, (f"answered live: {hidden} selects objects Stripe lists only when "
                          "asked for them, which the replica does not hold")
        return self._read(ref.table, cov), ""

    def _read(self, table: Table, cov: Coverage) -> ReplicaRead:
        stored = self.store.stored(self.account, table.name)
        partition = self.store.partition(self.account)
        read = ReplicaRead(table.name, self.account, cov, age=None, action=FILL,
                           cursor=partition.cursor if partition else None)
        if stored is None or not _usable(stored, table, cov):
            read.fill = self._full_read(table)
            return read
        refreshed = stored.filled_at
        if cov.kind == EVENTS and partition is not None and partition.synced_at is not None:
            refreshed = max(refreshed, partition.synced_at)
        read.age = max(0.0, self.clock() - refreshed)
        if cov.bound is None or read.age <= cov.bound:
            read.action = NOTHING
        elif cov.kind == EVENTS:
            read.action = SYNC
        else:
            read.action, read.fill = REFILL, self._full_read(table)
        return read

    def select(self, read: ReplicaRead, table: Table) -> Callable[[str], str]:
        """schema -> the SELECT of ``table``'s columns (a query's used ones) from the stored
        rows of ``read``, with the replica file attached as that schema (Engine.read_from)."""
        return functools.partial(select_sql, account=read.account, table=table)

    def _full_read(self, table: Table):
        from stripe_dbapi.sql.search_fallback import plan_table

        return plan_table(self.conn, table, [], ref_name=table.name, catalog=self.conn.catalog)

    # -- before a query ----------------------------------------------------------------

    def prepare(self, reads: list[ReplicaRead]) -> None:
        """Bring the tables of ``reads`` within their bounds: fill, re-read or sync. Under
        the write lock each is decided again: another process may have done it meanwhile."""
        if all(read.action == NOTHING for read in reads):
            return
        with self._lock, self.store.writing():
            self._forget_if_too_old()
            tables = [self.conn.catalog.tables[read.table_name] for read in reads]
            current = [self._read(table, self.coverage(table)) for table in tables]
            if any(read.action == SYNC for read in current):
                self._sync_events()
                current = [self._read(table, self.coverage(table)) for table in tables]
            for table, read in zip(tables, current, strict=True):
                if read.action in (FILL, REFILL):
                    self._fill(table)

    def _fill(self, table: Table) -> None:
        """Replace ``table``'s rows by a full read (the caller holds the write lock)."""
        from stripe_dbapi.sql.fetch import iter_pages
        from stripe_dbapi.sql.search_fallback import replace_for

        # The statement's progress reports say what it is doing meanwhile (rows and
        # requests are counted by the client and the scan, as for a live read).
        monitor = progress.current()
        phase, shown = monitor.phase, monitor.table
        monitor.describe(phase=progress.REPLICA_FILL, table=table.name)
        started = self.clock()
        try:
            if self.coverage(table).kind == EVENTS and self.store.partition(self.account) is None:
                self._start_partition(started)  # before the read: events during it are replayed
            cov = self.coverage(table)
            self.store.create(self.account, table, cov.kind, started)
            fetch = self._full_read(table)
            rows = 0
            for page in iter_pages(self.conn.client, None, fetch, replace_for(self.conn)):
                self.store.put(self.account, table, page)
                rows += len(page)
        finally:
            monitor.describe(phase=phase, table=shown)
        log.info("replica: filled %s (%s) with %d rows", table.name, self.account, rows)

    def _start_partition(self, now: float) -> None:
        """The events cursor of a new partition: the newest event (one request)."""
        try:
            cursor, created = newest_event(self.conn.client)
        except exc.Error as error:
            if not self._refused(error):
                raise
            return
        self.store.save_partition(Partition(self.account, cursor, created, now))

    def _sync_events(self) -> None:
        """Apply the events after the cursor (the caller holds the write lock)."""
        partition = self.store.partition(self.account)
        if partition is None:
            return
        started = self.clock()
        catalog = self.conn.catalog
        # Tables stored with other columns (by another catalog version) are refilled when
        # next queried: their events are skipped, not written into the older layout.
        stored = {t.table_name for t in self.store.tables(self.account)
                  if t.table_name in catalog.tables
                  and t.shape == shape_of(catalog.tables[t.table_name])}

        tables_of_events = self._tables_of_events()

        def table_of(event_type: str) -> str | None:
            name = tables_of_events.get(event_type)
            return name if name in stored else None

        def put(table_name: str, obj: dict) -> None:
            self._put(catalog.tables[table_name], obj)

        def remove(table_name: str, obj: dict) -> None:
            self.store.delete(self.account, table_name, [obj["id"]])

        def deleted_event(table_name: str) -> str | None:
            return self.coverage(catalog.tables[table_name]).deleted_event

        cursor, created = partition.cursor, partition.cursor_created
        client = self.conn.client
        try:
            for page in events_after(client, cursor):
                foreign = apply_events(page, table_of, deleted_event, put, remove,
                                       client.api_version)
                self._retrieve(foreign)
                cursor, created = page[-1]["id"], page[-1].get("created")
        except exc.Error as error:
            if error.code == "resource_missing" and cursor:
                self._forget(f"Stripe no longer has the last event applied ({cursor})")
                return
            if self._refused(error):
                return
            raise
        self.store.save_partition(Partition(self.account, cursor, created, started))

    def _retrieve(self, objects: list[tuple[str, str]]) -> None:
        """Store the current state of (table, id) pairs, retrieved in the catalog's API
        version (concurrently; an object gone since is removed)."""
        from stripe_dbapi.paths import fill_path

        catalog, client = self.conn.catalog, self.conn.client
        objects = [(t, i) for t, i in objects if catalog.tables[t].retrieve_path]
        found = client.map_concurrently(
            lambda item: client.retrieve(fill_path(catalog.tables[item[0]].retrieve_path,
                                                   {"id": item[1]})),
            objects,
        )
        for (table_name, object_id), obj in zip(objects, found, strict=True):
            if obj is None or obj.get("deleted") is True:
                self.store.delete(self.account, table_name, [object_id])
            else:
                self._put(catalog.tables[table_name], obj)

    def _put(self, table: Table, obj: dict) -> None:
        """Store one changed object, unless a plain listing leaves it out (a customer on a
        test clock): the replica holds what a full read of the table returns."""
        if any(obj.get(name) for name in table.hidden_unless_filtered):
            self.store.delete(self.account, table.name, [obj["id"]])
        else:
            self.store.put(self.account, table, [obj])

    def _tables_of_events(self) -> dict[str, str]:
        """Event type -> the table its ``data.object`` is a row of (the catalog's
        ``Table.freshness.event_types``; types it leaves unmapped are skipped)."""
        if self._event_tables is None:
            self._event_tables = {
                event_type: table.name
                for table in self.conn.catalog.tables.values()
                for event_type in table.freshness.event_types
            }
        return self._event_tables

    def _forget_if_too_old(self) -> None:
        partition = self.store.partition(self.account)
        if partition is not None and too_old(partition.cursor_created, partition.synced_at,
                                             self.clock()):
            self._forget("the last event applied is older than the 30 days Stripe keeps events")

    def _forget(self, why: str) -> None:
        log.warning("replica: refilling account %s: %s", self.account, why)
        self.store.forget_partition(self.account)

    def _refused(self, error: exc.Error) -> bool:
        """Whether ``error`` says the events feed cannot be followed: the key may not read
        events (403), or the server has no feed or no ``ending_before`` on it (404, or a 400
        other than a cursor Stripe no longer has: localstripe answers "Unexpected
        ending_before"). Event tables become TTL tables for this connection, with a
        warning (once). A 403 ``account_invalid`` is no such answer: the key cannot reach
        the Stripe-Account at all, and the query fails with it."""
        status = error.http_status
        if status not in (400, 403, 404) or error.code in ("resource_missing",
                                                           "account_invalid"):
            return False
        if self.events_refused is None:
            self.events_refused = f"GET {EVENTS_PATH} answered {status}: {error.message or error}"
            message = (
                "stripe_dbapi replica: Stripe's events cannot be followed with this key and "
                f"server ({self.events_refused}); tables are re-read in full when older than "
                "their TTL instead of synced from events"
            )
            log.warning(message)
            warnings.warn(message, ReplicaWarning, stacklevel=2)
        return True

    # -- writes through the driver -----------------------------------------------------

    def record_write(self, table_name: str, obj: dict, *, deleted: bool) -> None:
        """Put the object Stripe answered a write with (or remove it), if the table is stored."""
        table = self.conn.catalog.tables.get(table_name)
        stored = self.store.stored(self.account, table_name)
        if table is None or stored is None or stored.shape != shape_of(table):
            return
        with self._lock, self.store.writing():
            if deleted:
                self.store.delete(self.account, table_name, [obj["id"]])
            else:
                self._put(table, obj)

    # -- CALL SyncReplica / ResetReplica -----------------------------------------------

    def sync(self, table: Table | None = None) -> list[tuple]:
        """Sync now, whatever the bounds: the events feed, then ``table`` (filled if not
        stored, re-read if a TTL table) or every stored TTL table. sys_replica's rows of
        the tables concerned."""
        with self._lock, self.store.writing():
            self._forget_if_too_old()
            self._sync_events()
            if table is not None:
                self._refuse_live(table)
                targets = [table]
            else:
                targets = [self.conn.catalog.tables[t.table_name]
                           for t in self.store.tables(self.account)
                           if t.table_name in self.conn.catalog.tables]
            for target in targets:
                read = self._read(target, self.coverage(target))
                if read.action in (FILL, REFILL) or read.coverage.kind == TTL:
                    self._fill(target)
        return self.status_rows({t.name for t in targets})

    def reset(self, table: Table) -> list[tuple]:
        """Drop ``table``'s rows and fill it again by a full read."""
        self._refuse_live(table)
        with self._lock, self.store.writing():
            self._forget_if_too_old()
            self.store.drop(self.account, table.name)
            self._fill(table)
        return self.status_rows({table.name})

    def _refuse_live(self, table: Table) -> None:
        cov = self.coverage(table)
        if cov.kind == LIVE:
            raise exc.ProgrammingError(f"{table.name} is not kept on the replica: {cov.why}")

    # -- sys_replica -------------------------------------------------------------------

    def status_rows(self, tables: set[str] | None = None) -> list[tuple]:
        """sys_replica: one row per stored table of every partition in the file (only
        ``tables`` of this connection's partition, when given)."""
        rows = []
        partitions: dict[str, Partition | None] = {}
        for stored in self.store.tables(None if tables is None else self.account):
            if tables is not None and stored.table_name not in tables:
                continue
            table = self.conn.catalog.tables.get(stored.table_name)
            if stored.account not in partitions:
                partitions[stored.account] = self.store.partition(stored.account)
            partition = partitions[stored.account]
            cov = self.coverage(table) if table is not None else Coverage(LIVE, None, "")
            synced = stored.filled_at
            if cov.kind == EVENTS and partition is not None and partition.synced_at:
                synced = max(synced, partition.synced_at)
            note = cov.why
            if table is None or stored.shape != shape_of(table):
                note = "stored with other columns: refilled when next queried"
            account, live = split_partition(stored.account)
            rows.append((
                stored.table_name,
                account,
                live,
                self.store.row_count(stored.account, stored.table_name),
                partition.cursor if partition is not None and cov.kind == EVENTS else None,
                datetime.fromtimestamp(synced, timezone.utc).replace(microsecond=0),
                cov.kind,
                cov.bound,
                note,
            ))
        return rows


def _usable(stored: StoredTable, table: Table, cov: Coverage) -> bool:
    """Whether the stored rows can answer: same columns, and an events table was filled
    while its events were being followed (a table filled as TTL has no cursor behind it)."""
    if stored.shape != shape_of(table):
        return False
    return not (cov.kind == EVENTS and stored.kind != EVENTS)


def _hidden_filters(ref) -> str:
    """A column of ``ref``'s WHERE that selects objects a plain listing leaves out
    (customers on test clocks: ``test_clock``), or ""."""
    hidden = set(ref.table.hidden_unless_filtered)
    if not hidden:
        return ""
    from sqlglot import exp

    for conjunct in ref.conjuncts:
        for column in conjunct.find_all(exp.Column):
            if column.name in hidden:
                return column.name
    return ""
