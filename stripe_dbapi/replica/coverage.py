"""How each table is kept fresh on the replica, and what a query of it will do first.

The catalog says per table how Stripe's events cover it (``Table.freshness``: ``kind``
"events", "ttl" or "live", the event types, the event that means "deleted", the changes
no event reports, a TTL). From that and the connection's ``max_staleness``:

- "events": answered from the replica, synced from ``/v1/events`` when older than
  ``max_staleness`` (None: only by CALL SyncReplica);
- "ttl": answered from the replica, re-read in full when older than
  ``max(max_staleness, ttl_seconds)``: a re-read costs a request per 100 rows of the
  read allocation, so the catalog's TTL is the floor on how often it happens (a change
  no event reports can be that old; sys_replica and EXPLAIN say so);
- "live": never stored; every query reads Stripe.

When the events feed cannot be followed (a key that may not read events: 403; a
Stripe-compatible server without it, or without ``ending_before``: 404 / 400), "events"
turns into "ttl" for the connection.
"""

from __future__ import annotations

from dataclasses import dataclass

from stripe_dbapi.catalog.model import FRESH_BY_EVENTS, FRESH_BY_TTL, FRESH_LIVE, Table

EVENTS, TTL, LIVE = FRESH_BY_EVENTS, FRESH_BY_TTL, FRESH_LIVE
# How old a TTL table may get when the catalog gives no TTL (and what an events table
# becomes when the key cannot read events).
DEFAULT_TTL_SECONDS = 300.0


@dataclass(frozen=True)
class Coverage:
    kind: str  # EVENTS | TTL | LIVE
    bound: float | None  # seconds the rows may lag Stripe before a query refreshes them
    why: str  # one sentence: how the table is kept fresh, or why it is read live
    deleted_event: str | None = None  # the event type that removes a row


def coverage(table: Table, max_staleness: float | None,
             events_unreadable: str | None = None) -> Coverage:
    """How ``table`` is kept fresh on a replica connection. ``events_unreadable``: why the
    events feed cannot be followed (None: it can)."""
    freshness = table.freshness
    unfit = _not_replicable(table)
    if unfit or freshness.kind == LIVE:
        return Coverage(LIVE, None, "answered live: " + (
            unfit or freshness.gaps.rstrip(".") or "no events keep this table fresh"))
    deleted = freshness.deleted_event
    if freshness.kind == EVENTS and events_unreadable is None:
        return Coverage(EVENTS, max_staleness, "synced from Stripe's events", deleted)
    if freshness.kind == EVENTS:
        why = (f"events cannot be followed ({events_unreadable}): re-read in full when "
               "older than the TTL")
        ttl = DEFAULT_TTL_SECONDS
    else:
        why = "re-read in full when older than the TTL: " + (
            freshness.gaps.rstrip(".") or "events do not report every change")
        ttl = freshness.ttl_seconds or DEFAULT_TTL_SECONDS
    bound = None if max_staleness is None else max(max_staleness, float(ttl))
    return Coverage(TTL, bound, why, deleted)


def _not_replicable(table: Table) -> str:
    """Why a table cannot be stored whatever its events ("" when it can): the replica
    holds whole lists, one row per object id, that a full read can list."""
    if table.retention_days and table.freshness.kind != LIVE:
        return f"Stripe keeps only {table.retention_days} days of it"
    if not any(c.name == "id" for c in table.columns):
        return "its rows have no id"
    if table.parent is not None and table.parent.table is None:
        return "a nested list whose parents cannot be listed"
    needs_filter = next((f.param for f in table.required_filters if f.table is None), None)
    if needs_filter:
        return f"Stripe lists it only for a given {needs_filter}"
    return ""


# What a query of a replicated table does before it reads the replica.
NOTHING, SYNC, FILL, REFILL = "nothing", "sync", "fill", "refill"


@dataclass
class ReplicaRead:
    """A table reference answered from the replica (plain data: ``Fetch.replica``)."""

    table_name: str
    account: str  # the partition: the Stripe-Account, or "platform"
    coverage: Coverage
    age: float | None  # seconds since the rows were last brought up to date (None: not stored)
    action: str  # NOTHING | SYNC | FILL | REFILL, as known when planned
    cursor: str | None = None  # the newest event applied (a sync reads after it)
    fill: object = None  # the full read's Fetch, for FILL/REFILL (EXPLAIN shows its calls)

    def estimated_requests(self) -> int:
        if self.action == SYNC:
            return 1
        if self.fill is not None:
            return self.fill.estimated_requests()  # type: ignore[attr-defined]
        return 0

    def describe(self) -> str:
        """EXPLAIN's step: where the rows come from and how stale they may be."""
        kind = self.coverage.kind
        bound = self.coverage.bound
        lag = ("until CALL SyncReplica" if bound is None else f"up to {bound:g} s")
        where = f"replica ({kind}: {self.coverage.why}; may lag Stripe {lag})"
        if self.action == FILL:
            return where + ": not stored yet, filled first by a full read"
        if self.action == REFILL:
            return where + f": last read {self.age:.0f} s ago, re-read in full first"
        synced = f"synced {self.age:.0f} s ago"
        if self.action == SYNC:
            return (where + f": {synced}, synced first from the events after the last one "
                    "applied (1 request when nothing changed, one more per 100 events)")
        return where + f": {synced}, no request"
