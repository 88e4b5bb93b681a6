"""How the demo is made: the emulator's own create hooks and actions, run in time order.

Each story (one customer's subscription, one order...) is a generator that yields the
moment it wants to act next; ``Timeline`` runs every story's steps in time order, so
objects are made the way Stripe would have made them, at their ``created`` moment, and
every object's events come in order (``customer.created`` before its subscription's).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator

from .. import behaviours, events
from ..app import Ctx
from ..server import PLATFORM

Story = Iterator[int]  # yields the unix time of its next step


class Builder:
    """Makes objects in one account at the current moment (``at``), with their events."""

    def __init__(self, emulator, now: int, account: str = PLATFORM) -> None:
        self.app = emulator.app
        self.ctx = Ctx(self.app, account, now)
        self.tables = emulator.catalog.tables

    @property
    def now(self) -> int:
        return self.ctx.now

    def at(self, moment: int) -> Builder:
        self.ctx.now = int(moment)
        return self

    def create(self, table: str, **fields) -> dict:
        """As ``POST /v1/<table>`` would (its ``*.created`` event included)."""
        return self.app.create(self.ctx, self.tables[table], fields)

    def act(self, procedure: str, table: str, obj: dict, **typed) -> dict:
        """As the action's request would (its event included: ``invoice.finalized``...)."""
        result = behaviours.ACTIONS[procedure](self.ctx, self.tables[table], obj, typed)
        events.record_action(self.ctx, procedure, result)
        return result

    def update(self, table: str, obj: dict, verb: str = "updated", **changes) -> dict:
        """Stripe's own change to an object (a subscription going past_due...), announced
        as ``<object>.<verb>`` with the previous values."""
        before = dict(obj)
        obj.update(changes)
        self.ctx.save(table, obj)
        events.record(self.ctx, obj, verb, events.changed(before, obj))
        return obj


class Timeline:
    """Runs stories step by step, earliest moment first (ties in the order added)."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self._queue: list[tuple[int, int, Story]] = []
        self._order = itertools.count()

    def add(self, story: Story) -> None:
        moment = next(story, None)
        if moment is not None:
            heapq.heappush(self._queue, (moment, next(self._order), story))

    def run(self) -> None:
        while self._queue:
            moment, _, story = heapq.heappop(self._queue)
            if moment < self.builder.now:  # a story went back in time: a bug in the demo
                raise ValueError(f"demo story step at {moment}, before {self.builder.now}")
            self.builder.at(moment)
            self.add(story)
