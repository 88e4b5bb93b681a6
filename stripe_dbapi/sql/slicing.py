"""Slices of a list read on ``created``: plain data, and where to split them.

A full read of a list that has a ``created`` filter is split into slices of whole seconds,
``created[gte]=lo`` and ``created[lt]=hi``, each paged newest first with ``starting_after``
(scan.py runs them). A slice is plain data (no client, no connection) so the same plan can
later run elsewhere, e.g. one Spark task per (account, slice).

Correctness at the edges: slices are half-open ranges of whole seconds, so an object
belongs to exactly one slice however many objects share its second. A slice that has
returned pages keeps its cursor: what is left of it is ``[lo, t]`` where ``t`` is the
``created`` of the last object returned, with ``starting_after`` skipping the objects of
second ``t`` already returned. Splitting it keeps the cursor in the newest piece, which
always contains ``t``; the older pieces start fresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from stripe_dbapi.client import MAX_PAGE_SIZE as PAGE_SIZE

COLUMN = "created"  # the list filter slices are made on
GROWTH = 4  # an open-ended range is split into pieces this many times wider each step back
MIN_PAGES_TO_SPLIT = 3  # a piece worth splitting off holds at least this many pages (estimated)


@dataclass(frozen=True)
class Slice:
    """``created`` in ``[gte, lt)`` (None: unbounded) of one list, from ``starting_after`` on."""

    path: str
    params: dict = field(default_factory=dict)  # the list params without the created bounds
    gte: int | None = None
    lt: int | None = None
    starting_after: str | None = None
    # What this slice has seen so far (its density): rows returned, and the seconds they span.
    rows_seen: int = 0
    seconds_seen: int = 0

    def request_params(self, limit: int = PAGE_SIZE) -> dict:
        params = dict(self.params)
        if self.gte is not None:
            params[f"{COLUMN}[gte]"] = self.gte
        if self.lt is not None:
            params[f"{COLUMN}[lt]"] = self.lt
        if self.starting_after is not None:
            params["starting_after"] = self.starting_after
        params["limit"] = limit
        return params

    def rest_after(self, page: list[dict]) -> Slice:
        """What is left after ``page`` (non-empty, newest first) when Stripe said has_more."""
        last = page[-1]
        if not (created_second(last) is not None and created_second(page[0]) is not None):
            # A server whose objects lack `created`: go on from the cursor, never split.
            return replace(self, starting_after=last["id"])
        newest = self.lt if self.lt is not None else int(page[0][COLUMN]) + 1
        return replace(
            self,
            lt=int(last[COLUMN]) + 1,
            starting_after=last["id"],
            rows_seen=self.rows_seen + len(page),
            seconds_seen=self.seconds_seen + max(1, newest - int(last[COLUMN])),
        )

    @property
    def seconds(self) -> int | None:
        """Whole seconds in the range (None: unbounded below)."""
        if self.gte is None or self.lt is None:
            return None
        return self.lt - self.gte

    def estimated_rows(self) -> float | None:
        """Rows left, from the density seen so far (None when unknown or unbounded)."""
        if not self.rows_seen or self.seconds is None:
            return None
        return self.rows_seen / max(1, self.seconds_seen) * self.seconds

    def split(self, pieces: int) -> list[Slice]:
        """At most ``pieces`` slices covering exactly this one, newest first; the first keeps
        the cursor. Bounded ranges split evenly; a range unbounded below splits into pieces
        ``GROWTH`` times wider each step back (a growing business has fewer objects per
        second in the past). A one-second slice is never split: it pages serially."""
        if pieces < 2 or self.lt is None:
            return [self]
        if self.gte is None:
            step = max(1, self.seconds_seen)
            edges = [self.lt - 1 - step * GROWTH ** n for n in range(pieces - 1)]
            edges = [e for e in edges if e > 0]
        else:
            width = (self.lt - self.gte) / pieces
            edges = sorted({self.lt - int(width * n) for n in range(1, pieces)}, reverse=True)
            edges = [e for e in edges if self.gte < e < self.lt]
        if not edges:
            return [self]
        bounds = [self.lt, *edges, self.gte]
        newest = replace(self, gte=edges[0])
        return [newest] + [Slice(self.path, self.params, low, high)
                           for high, low in zip(bounds[1:], bounds[2:], strict=False)]  # pairs

    def pieces_worth_splitting(self, idle: int) -> int:
        """How many pieces to make when ``idle`` workers wait: 1 + idle, fewer if this slice
        holds too little to be worth an extra last (partial) page per piece."""
        estimate = self.estimated_rows()
        if estimate is None:
            return 1 + idle if self.gte is None or (self.seconds or 0) > 1 else 1
        worth = int(estimate // (PAGE_SIZE * MIN_PAGES_TO_SPLIT))
        return max(1, min(1 + idle, worth))


def created_second(obj: dict) -> int | None:
    value = obj.get(COLUMN)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def user_bounds(params: dict) -> tuple[dict, int | None, int | None]:
    """Split a list call's params into (other params, created >= gte, created < lt)."""
    rest = dict(params)
    gte = lt = None
    if COLUMN in rest and not isinstance(rest[COLUMN], dict):
        value = int(rest.pop(COLUMN))
        gte, lt = value, value + 1
    for op, convert in (("gte", lambda v: v), ("gt", lambda v: v + 1)):
        if f"{COLUMN}[{op}]" in rest:
            value = convert(int(rest.pop(f"{COLUMN}[{op}]")))
            gte = value if gte is None else max(gte, value)
    for op, convert in (("lt", lambda v: v), ("lte", lambda v: v + 1)):
        if f"{COLUMN}[{op}]" in rest:
            value = convert(int(rest.pop(f"{COLUMN}[{op}]")))
            lt = value if lt is None else min(lt, value)
    return rest, gte, lt


@dataclass(frozen=True)
class Slicing:
    """A fetch's slicing, chosen at plan time: up to ``workers`` slices at once."""

    workers: int

    def describe(self, params: dict) -> str:
        _, gte, lt = user_bounds(params)
        bounds = [
            f"{COLUMN} >= {gte}" if gte is not None else "",
            f"{COLUMN} < {lt}" if lt is not None else "",
        ]
        shown = " and ".join(b for b in bounds if b) or f"every {COLUMN}"
        return (
            f"then, if Stripe has more than a page: sliced on {COLUMN}, up to "
            f"{self.workers} workers over whole-second ranges of {shown}, dense ranges split "
            f"while workers are idle; estimated requests: ceil(rows / {PAGE_SIZE}) + about 1 per "
            "slice"
        )

    def slice_params(self, params: dict) -> dict:
        """A slice's request as EXPLAIN shows it: the range as placeholders."""
        others, _, _ = user_bounds(params)
        return {**others, f"{COLUMN}[gte]": "{slice start}", f"{COLUMN}[lt]": "{slice end}",
                "starting_after": "{last id of the previous page}", "limit": PAGE_SIZE}


def plan_slicing(table, fetch, workers: int) -> None:
    """Mark ``fetch`` as sliced, or say why it pages serially (for EXPLAIN)."""
    if fetch.empty or fetch.system or fetch.fan_out is not None or len(fetch.calls) != 1:
        return
    call = fetch.calls[0]
    if call.kind != "list" or fetch.max_rows is not None:
        return
    if not any(f.param == COLUMN and f.kind == "range" for f in table.filters):
        fetch.serial_reason = (
            f"pages serially: Stripe's {call.path} has no {COLUMN} filter to slice on"
        )
        return
    if workers > 1:
        fetch.slicing = Slicing(workers)
