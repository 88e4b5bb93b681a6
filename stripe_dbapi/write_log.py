"""Objects this connection wrote recently.

Stripe's Search is eventually consistent (new or changed objects can take a
minute or more to become searchable), so a Search-based plan must never hide
a row the same connection just wrote. Writers record every object they create,
update or delete here; Search plans merge these in and re-filter them locally.
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

    def record(self, table: str, obj: dict) -> None:
        """Remember an object as Stripe returned it after a create/update/action."""
        self._put(table, obj["id"], obj)

    def record_deleted(self, table: str, object_id: str) -> None:
        self._put(table, object_id, None)

    def _put(self, table: str, object_id: str, obj: dict | None) -> None:
        with self._lock:
            self._entries.setdefault(table, {})[object_id] = (self._clock(), obj)

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
