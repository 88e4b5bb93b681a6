"""Progress of a running statement, reported to a callback, and its cancellation.

A ``Monitor`` follows one statement. The client counts the requests it sends and the
objects Stripe returns, the writers count the rows written, a sliced scan estimates
how many rows it will read. The monitor hands a ``Progress`` to the user's callback
(``connect(progress=...)``, ``conn.progress``, ``cursor.progress``): at most every
``interval`` seconds, never from two threads at once, and a last time with
``done=True`` when the statement is over (for a streamed SELECT: when its rows have
been read or the result is discarded).

``cancel()`` (``cursor.cancel()``) marks the statement canceled; the client checks the
mark before every request it sends for the statement and raises QueryCanceledError
instead, so the statement's worker threads stop too. Setting the mark is a single
assignment, so cancel() may be called from any thread or from a signal handler.

The running statement's monitor is a context variable: the cursor sets it while the
statement runs and while a streamed result is read; the client's pool and a scan's
threads run their work under the monitor of the statement that started it
(``Monitor.run``). Code running no statement sees an inert monitor (``current()``).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from .exceptions import InterfaceError, QueryCanceledError

__all__ = ["CALL", "READ", "REPLICA_FILL", "WRITE", "Monitor", "Progress", "ProgressCallback",
           "callback_problem", "check_callback", "current", "running"]

log = logging.getLogger("stripe_dbapi.progress")

# What a statement is doing (Progress.phase).
READ = "read"  # a SELECT, or the reads that find a write's targets
WRITE = "write"  # INSERT, UPDATE, DELETE
CALL = "call"  # CALL / callproc: a Stripe action
REPLICA_FILL = "replica fill"  # a local replica being filled

DEFAULT_INTERVAL = 0.1  # seconds between two calls of the callback, at least

T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    """Where a statement stands, as its progress callback receives it."""

    phase: str  # READ, WRITE, CALL or REPLICA_FILL
    table: str | None  # the table read or written ("customers, charges" for a join)
    rows: int  # rows read for READ; rows written for WRITE and CALL
    requests: int  # requests sent so far (retries included)
    elapsed: float  # seconds since the statement started
    requests_per_second: float
    estimated_rows: int | None  # what ``rows`` will reach, where it can be estimated
    eta_seconds: float | None  # seconds left at the rate so far, where estimated_rows is known
    done: bool  # the last report of the statement (finished, failed or canceled)
    canceled: bool  # cancel() was called
    rows_read: int  # Stripe objects received (list items, retrieved objects)
    rows_written: int  # objects created, updated or deleted, actions run


ProgressCallback = Callable[[Progress], Any]


def callback_problem(value: Any, where: str = "progress") -> str | None:
    """Why ``value`` cannot be a progress callback (None: it can; None is no callback)."""
    if value is None or callable(value):
        return None
    return (
        f"{where} must be a function taking a stripe_dbapi.progress.Progress, or None; "
        f"not {type(value).__name__}"
    )


def check_callback(value: Any, where: str = "progress") -> ProgressCallback | None:
    """``value`` if it can be a progress callback; InterfaceError otherwise."""
    problem = callback_problem(value, where)
    if problem is not None:
        raise InterfaceError(problem)
    return value


class Monitor:
    """One statement's counters, its progress callback and its cancel mark."""

    def __init__(
        self,
        callback: ProgressCallback | None = None,
        *,
        phase: str = READ,
        table: str | None = None,
        interval: float | None = None,  # None: DEFAULT_INTERVAL
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._callback = check_callback(callback)
        self.phase = phase
        self.table = table
        self._interval = DEFAULT_INTERVAL if interval is None else interval
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()  # the counters
        self._calling = threading.Lock()  # held while the callback runs: one call at a time
        self._last_report: float | None = None
        self._requests = 0
        self._rows_read = 0
        self._rows_written = 0
        self._writes_expected = 0
        # A scan that can estimate its size -> (rows it has read, rows it will read).
        self._estimates: dict[int, tuple[int, int]] = {}
        self._canceled = False
        self._finished = False

    def __repr__(self) -> str:
        return f"<Monitor {self.snapshot()}>"

    # --- cancellation ----------------------------------------------------------------

    def cancel(self) -> None:
        """Stop the statement at its next request. One assignment, no lock: safe from a
        signal handler and from any thread."""
        self._canceled = True

    @property
    def canceled(self) -> bool:
        return self._canceled

    def check(self) -> None:
        """QueryCanceledError if the statement was canceled (called before each request)."""
        if self._canceled:
            raise self.canceled_error()

    @staticmethod
    def canceled_error() -> QueryCanceledError:
        return QueryCanceledError("canceled: the statement sent no request after cancel()")

    # --- what the driver reports -------------------------------------------------------

    def describe(self, *, phase: str | None = None, table: str | None = None) -> None:
        """What the statement is doing, as soon as it is known (the planner, the writers)."""
        if phase is not None:
            self.phase = phase
        if table is not None:
            self.table = table

    def sent(self) -> None:
        """A request is about to be sent."""
        with self._lock:
            self._requests += 1
        self._report()

    def received(self, objects: int) -> None:
        """A response brought ``objects`` Stripe objects (a page's items, one retrieved)."""
        with self._lock:
            self._rows_read += objects
        self._report()

    def expect_writes(self, rows: int) -> None:
        """``rows`` more rows are about to be written (the total for an ETA)."""
        with self._lock:
            self._writes_expected += rows

    def wrote(self, rows: int = 1) -> None:
        with self._lock:
            self._rows_written += rows
        self._report()

    def estimate(self, source: object, rows_seen: int, rows_total: int) -> None:
        """``source`` (a scan) has read ``rows_seen`` of an estimated ``rows_total``."""
        with self._lock:
            self._estimates[id(source)] = (rows_seen, max(rows_seen, rows_total))

    # --- reporting ---------------------------------------------------------------------

    def snapshot(self, *, done: bool = False) -> Progress:
        with self._lock:
            requests, read, written = self._requests, self._rows_read, self._rows_written
            writes_expected = self._writes_expected
            remaining = sum(total - seen for seen, total in self._estimates.values())
            estimating = bool(self._estimates)
        elapsed = max(self._clock() - self._started, 0.0)
        writing = self.phase in (WRITE, CALL)
        rows = written if writing else read
        # A write knows its rows once found; a read only what its scans estimate.
        estimated = (writes_expected or None) if writing else (
            read + remaining if estimating else None)
        eta = None
        if estimated is not None and rows and elapsed > 0:
            eta = max(estimated - rows, 0) / (rows / elapsed)
        return Progress(
            phase=self.phase,
            table=self.table,
            rows=rows,
            requests=requests,
            elapsed=elapsed,
            requests_per_second=requests / elapsed if elapsed > 0 else 0.0,
            estimated_rows=estimated,
            eta_seconds=eta,
            done=done,
            canceled=self._canceled,
            rows_read=read,
            rows_written=written,
        )

    def _report(self) -> None:
        """Call the callback unless it was called less than ``interval`` ago or is running
        (on another thread): a worker never waits for the user's callback of another."""
        if self._callback is None or self._finished:
            return
        now = self._clock()
        if self._last_report is not None and now - self._last_report < self._interval:
            return
        if not self._calling.acquire(blocking=False):
            return
        try:
            self._last_report = now
            self._call(self.snapshot())
        finally:
            self._calling.release()

    def finish(self) -> None:
        """The last report (``done=True``), once; later reports are dropped."""
        if self._finished:
            return
        self._finished = True
        if self._callback is not None:
            with self._calling:
                self._call(self.snapshot(done=True))

    def _call(self, progress: Progress) -> None:
        callback = self._callback
        if callback is None:
            return
        try:
            callback(progress)
        except Exception:
            # The statement goes on (a display's bug must not stop a write half-way);
            # the callback is not called again for this statement.
            self._callback = None
            log.warning("the progress callback %r raised; it is not called again for this "
                        "statement", callback, exc_info=True)

    # --- the statement's context -------------------------------------------------------

    @contextlib.contextmanager
    def active(self) -> Iterator[Monitor]:
        """This monitor is the current one inside the block (this thread, this context)."""
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` with this monitor current: for work handed to another thread."""
        token = _CURRENT.set(self)
        try:
            return fn(*args)
        finally:
            _CURRENT.reset(token)

    def stream(self, pages: Iterator[T]) -> Iterator[T]:
        """``pages`` (of a streamed result: requests are sent as they are read, after the
        statement's execute returned), each read with this monitor current; the monitor
        finishes when they end or the stream is closed."""
        end = object()
        try:
            while True:
                page = self.run(next, pages, end)
                if page is end:
                    return
                yield page  # type: ignore[misc]
        finally:
            close = getattr(pages, "close", None)
            if close is not None:
                close()
            self.finish()


class _Inert(Monitor):
    """The monitor of code that runs no statement: counts nothing, is never canceled."""

    def cancel(self) -> None:
        pass

    def sent(self) -> None:
        pass

    def received(self, objects: int) -> None:
        pass

    def wrote(self, rows: int = 1) -> None:
        pass

    def expect_writes(self, rows: int) -> None:
        pass

    def estimate(self, source: object, rows_seen: int, rows_total: int) -> None:
        pass

    def describe(self, *, phase: str | None = None, table: str | None = None) -> None:
        pass

    def finish(self) -> None:
        pass


_INERT = _Inert()
_CURRENT: contextvars.ContextVar[Monitor] = contextvars.ContextVar(
    "stripe_dbapi_statement", default=_INERT
)


def current() -> Monitor:
    """The running statement's monitor (an inert one outside a statement)."""
    return _CURRENT.get()


def running() -> bool:
    """Whether a statement's monitor is current (not the inert one)."""
    return _CURRENT.get() is not _INERT


# How soon a wait (a retry's backoff, a pacing wait) notices cancel(): it sleeps in
# steps this long. A backoff may last seconds and a pace wait longer (a low
# max_requests_per_second); Ctrl-C in the shell should not sit through them.
CANCEL_POLL_SECONDS = 0.1


def pause(seconds: float, sleep: Callable[[float], None] = time.sleep) -> None:
    """Sleep ``seconds``, returning early once the running statement is canceled (its
    next check() then raises). Outside a statement, one plain sleep."""
    monitor = current()
    if monitor is _INERT:
        sleep(seconds)
        return
    remaining = seconds
    while remaining > 0 and not monitor.canceled:
        step = min(remaining, CANCEL_POLL_SECONDS)
        sleep(step)
        remaining -= step
