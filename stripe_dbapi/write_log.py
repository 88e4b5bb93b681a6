"""Objects this connection wrote recently.

Stripe's Search is eventually consistent (new or changed objects can take a
minute or more to become searchable), so a Search-based plan must never hide
a row the same connection just wrote. Writers record every object they create,
update or delete here; Search plans merge these in and re-filter them locally.

A write can also change objects the log never sees (confirming a payment intent
creates a charge; accepting a quote creates an invoice), so the log also keeps
when this connection last wrote anything: while that is within the horizon the
planner does not use Search at all (``wrote_recently``).
"""

from __future__ import annotations

import threading
import time

# How long a written object is considered possibly missing from Search results.
DEFAULT_HORIZON_SECONDS = 3600.0


class WriteLog:
    def __init__(self, horizon_seconds: float = DEFAULT_HORIZON_SECONDS, clock=time.monotonic):
        self._horizon = horizon_seconds
        self._clock = clock
        self._lock = threading.Lock()
        # table -> id -> (when, object or None if deleted)
        self._entries: dict[str, dict[str, tuple[float, dict | None]]] = {}
        self._last_write: float | None = None  # clock() of the latest write or action

    def record(self, table: str, obj: dict) -> None:
        """Remember an object as Stripe returned it after a create/update/action."""
        self._put(table, obj["id"], obj)

    def record_deleted(self, table: str, object_id: str) -> None:
        self._put(table, object_id, None)

    def note_write(self) -> None:
        """Stamp a write whose objects are not recorded (an action answering with
        no table-shaped object): its side effects can still be missing from Search."""
        now = self._clock()
        with self._lock:
            self._last_write = now

    def _put(self, table: str, object_id: str, obj: dict | None) -> None:
        now = self._clock()
        with self._lock:
            self._entries.setdefault(table, {})[object_id] = (now, obj)
            self._last_write = now

    def wrote_recently(self) -> bool:
        """Whether this connection wrote anything Search may not reflect yet (any table,
        including side effects on objects never recorded here)."""
        with self._lock:
            last = self._last_write
        return last is not None and self._clock() - last < self._horizon

    def recent(self, table: str) -> tuple[list[dict], set[str]]:
        """(objects written within the horizon, ids deleted within it) for a table."""
        cutoff = self._clock() - self._horizon
        with self._lock:
            entries = self._entries.get(table, {})
            for object_id in [k for k, (when, _) in entries.items() if when < cutoff]:
                del entries[object_id]
            live = [obj for _, obj in entries.values() if obj is not None]
            deleted = {k for k, (_, obj) in entries.items() if obj is None}
        return live, deleted
