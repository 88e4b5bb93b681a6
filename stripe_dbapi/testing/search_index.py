"""What Stripe Search sees: objects become searchable ``lag`` seconds after a write.

Stripe's index trails the data by "usually under a minute". Each write here
records a snapshot visible from ``now + lag``; a search reads, per object, the
newest snapshot already visible (or nothing, for an object created too recently).
Objects never written through the API (demo seed, bulk loads, ``insert``) are
indexed since their creation: before a write request changes one in place,
``before_write`` keeps its current version as indexed, so Search goes on serving
it until the new version's lag has passed, as Stripe's index does.
A deleted object leaves search results at once (a simplification).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .objects import clone

_ABSENT = object()


class SearchIndex:
    def __init__(self, lag: float, clock: Callable[[], float] = time.time) -> None:
        self.lag = lag
        self._clock = clock
        # (account, id) -> [(visible_at, snapshot or None if deleted)], oldest first
        self._history: dict[tuple[str, str], list[tuple[float, dict | None]]] = {}

    def written(self, account: str, obj: dict) -> None:
        # With no lag the live object is what Search sees: no snapshot to copy.
        self._record(account, obj["id"], clone(obj) if self.lag > 0 else None)

    def deleted(self, account: str, object_id: str) -> None:
        self._record(account, object_id, None)

    def before_write(self, account: str, obj: dict) -> None:
        """Called when a write request is about to touch ``obj`` (it may change it in place).

        An object without history was indexed all along: keep that version as
        visible since forever. Objects with history already have their versions.
        """
        if self.lag <= 0:
            return
        key = (account, obj["id"])
        if key not in self._history:
            self._history[key] = [(float("-inf"), clone(obj))]

    def _record(self, account: str, object_id: str, snapshot: dict | None) -> None:
        if self.lag <= 0:
            self._history.pop((account, object_id), None)
            return
        history = self._history.setdefault((account, object_id), [])
        history.append((self._clock() + self.lag, snapshot))

    def view(self, account: str, live: dict | None, object_id: str):
        """The indexed version of an object: a dict, or None if not searchable yet."""
        history = self._history.get((account, object_id))
        if not history:
            return live
        now = self._clock()
        visible = sum(1 for visible_at, _ in history if visible_at <= now)
        if visible > 1:  # forget superseded snapshots, keep the newest visible one
            del history[: visible - 1]
            visible = 1
        if visible == len(history):
            return live  # caught up: the index holds the current object
        return history[0][1] if visible else None
