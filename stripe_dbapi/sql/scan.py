"""Runs a sliced list read: the first page, then slices on worker threads, pages to the reader.

The first page is read as a serial scan would read it (a list that fits one page costs
one request, as before). If Stripe says there is more, what is left becomes one slice
(slicing.py) and ``workers`` threads take slices from a shared stack. A worker holding a
dense slice (a full page and ``has_more``) splits off the older part of its range whenever
other workers are idle (work stealing), so skewed data (most objects recent, bursts of
many objects in one second) keeps every worker busy; a one-second slice pages serially.

Pages go to the reader through a bounded queue, so a scan of millions of rows streams with
flat memory; closing the reader early stops the workers, which send no request after
that. Pacing is the client's: the workers only decide what to ask next.

Each scan has its own threads rather than the client's pool: a worker blocks while the
queue is full, and two scans read in turn from one connection must not starve each other.
They run under the statement's progress monitor (progress.py): a canceled statement's
workers send nothing more. A scan of a bounded ``created`` range estimates its rows for
the monitor from the share of the range's seconds read so far (``_Coverage``).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from stripe_dbapi import progress
from stripe_dbapi.client import MAX_PAGE_SIZE as PAGE_SIZE
from stripe_dbapi.sql.slicing import COLUMN, Slice, created_second, user_bounds

QUEUE_PAGES_PER_WORKER = 2  # pages buffered between the workers and the reader
POLL_SECONDS = 0.1  # how often a blocked reader or worker checks whether the scan ended


def scan_pages(client, path: str, params: dict, workers: int) -> Iterator[list[dict]]:
    """Every object a list call returns, page by page, in no fixed order."""
    page = client.get(path, {**params, "limit": PAGE_SIZE})  # the request a serial scan makes
    data = page.get("data") or []
    if data:
        yield data
    if not (data and page.get("has_more")):
        return
    others, gte, lt = user_bounds(params)
    rest = Slice(path, others, gte, lt).rest_after(data)
    coverage = _Coverage.of(gte, lt, data, rest, progress.current())
    scan = _Scan(client, rest, workers, coverage)
    try:
        yield from scan.pages()
    finally:
        scan.stop()


class _Coverage:
    """How much of a bounded ``created`` range a scan has read, for an estimate of its rows:
    rows read / share of the range's seconds read. Only for a range bounded below (a
    range open to the past has no size to take a share of); the estimate assumes the
    unread seconds are as dense as the read ones, and is exact once the scan is done."""

    def __init__(self, monitor: progress.Monitor, seconds: int) -> None:
        self.monitor = monitor
        self.seconds = seconds  # in the range
        self.read_seconds = 0
        self.rows = 0

    @classmethod
    def of(cls, gte, lt, first_page: list[dict], rest: Slice, monitor) -> _Coverage | None:
        top = lt if lt is not None else created_second(first_page[0])
        if gte is None or top is None or rest.lt is None:
            return None
        if lt is None:
            top += 1  # the newest object's second is in the range
        coverage = cls(monitor, max(1, top - gte))
        coverage.add(top - rest.lt, len(first_page))
        return coverage

    def add(self, seconds: int, rows: int) -> None:
        """Called under the scan's lock: ``seconds`` more read, bringing ``rows``."""
        self.read_seconds += max(0, seconds)
        self.rows += rows
        share = min(1.0, self.read_seconds / self.seconds)
        if share > 0:
            self.monitor.estimate(self, self.rows, round(self.rows / share))


class _Scan:
    def __init__(
        self, client, rest: Slice, workers: int, coverage: _Coverage | None = None
    ) -> None:
        self.client = client
        self.coverage = coverage
        self.workers = max(1, workers)
        self.pages_out: queue.Queue = queue.Queue(maxsize=self.workers * QUEUE_PAGES_PER_WORKER)
        self.lock = threading.Condition()
        # Slices waiting for a worker, a stack. What is left after the first page is dense
        # (it had more): split it for every worker at once.
        self.todo: list[Slice] = list(
            reversed(rest.split(rest.pieces_worth_splitting(self.workers - 1)))
        )
        self.idle = 0  # workers waiting for a slice
        self.running = self.workers
        self.stopped = threading.Event()
        self.error: BaseException | None = None
        # Safety net for objects on slice edges (the ranges never overlap, so it stays empty
        # unless a server's created filter disagrees with Stripe's): ids seen at an edge second.
        self.edges: set[int] = {piece.lt for piece in self.todo[:-1] if piece.lt is not None}
        self.edge_ids: set[str] = set()
        self.monitor = progress.current()
        self.threads = [
            threading.Thread(target=self.monitor.run, args=(self._work,),
                             name=f"stripe-dbapi-scan-{n}", daemon=True)
            for n in range(self.workers)
        ]
        for thread in self.threads:
            thread.start()

    # -- the reader's side ----------------------------------------------------------------

    def pages(self) -> Iterator[list[dict]]:
        while True:
            try:
                page = self.pages_out.get(timeout=POLL_SECONDS)
            except queue.Empty:
                page = None
            # A worker's error is kept on the scan, not queued: it reaches the reader even
            # when the queue is full and the other workers have stopped.
            if self.error is not None:
                raise self.error
            self.monitor.check()  # canceled while every worker waits on a full queue
            if page is not None:
                yield page
            elif self.running == 0 and self.pages_out.empty():
                return  # every worker is done and every page was read

    def stop(self) -> None:
        """Stop every worker (early close or an error) and wait until none can send."""
        self.stopped.set()
        with self.lock:
            self.lock.notify_all()
        while any(thread.is_alive() for thread in self.threads):
            self._drain()
            for thread in self.threads:
                thread.join(timeout=0.05)

    def _drain(self) -> None:
        try:
            while True:
                self.pages_out.get_nowait()
        except queue.Empty:
            pass

    # -- the workers' side ----------------------------------------------------------------

    def _work(self) -> None:
        try:
            while True:
                piece = self._take()
                if piece is None:
                    return
                self._run(piece)
        except BaseException as error:  # handed to the reader, who raises it
            with self.lock:
                if self.error is None:
                    self.error = error
            self.stopped.set()
        finally:
            with self.lock:
                self.running -= 1
                self.lock.notify_all()

    def _take(self) -> Slice | None:
        """The next slice; None when the scan is over (nothing waiting, nobody working)."""
        with self.lock:
            self.idle += 1
            try:
                while not self.todo:
                    if self.stopped.is_set() or self.idle == self.running:
                        self.lock.notify_all()
                        return None
                    self.lock.wait()
                return None if self.stopped.is_set() else self.todo.pop()
            finally:
                self.idle -= 1

    def _run(self, piece: Slice) -> None:
        while not self.stopped.is_set():
            page = self.client.get(piece.path, piece.request_params(PAGE_SIZE))
            data = self._dedupe(page.get("data") or [])
            more = bool(page.get("has_more") and page.get("data"))
            rest = piece.rest_after(page["data"]) if more else None
            self._covered(piece, rest, len(data))
            if data:
                self._put(data)
            if rest is None:
                return
            piece = self._share(rest)

    def _covered(self, piece: Slice, rest: Slice | None, rows: int) -> None:
        """A page of ``piece`` was read: what is left of it is ``rest`` (None: nothing)."""
        if self.coverage is None:
            return
        if rest is None:
            seconds = piece.seconds or 0
        elif piece.lt is not None and rest.lt is not None:
            seconds = piece.lt - rest.lt
        else:
            seconds = 0
        with self.lock:
            self.coverage.add(seconds, rows)

    def _share(self, rest: Slice) -> Slice:
        """Split ``rest`` with the idle workers; keep the newest piece (it has the cursor)."""
        with self.lock:
            if not self.idle or self.todo:
                return rest
            pieces = rest.split(rest.pieces_worth_splitting(self.idle))
            if len(pieces) == 1:
                return rest
            for piece in pieces[1:]:
                if piece.lt is not None:  # the last piece may be unbounded
                    self.edges.add(piece.lt)
            self.todo.extend(reversed(pieces[1:]))
            self.lock.notify_all()
            return pieces[0]

    def _dedupe(self, data: list[dict]) -> list[dict]:
        with self.lock:
            if not self.edges:
                return data
            kept = []
            for obj in data:
                created = int(obj.get(COLUMN) or 0)
                if created in self.edges or created + 1 in self.edges:
                    if obj["id"] in self.edge_ids:
                        continue
                    self.edge_ids.add(obj["id"])
                kept.append(obj)
            return kept

    def _put(self, page: list[dict]) -> None:
        """Hand ``page`` to the reader; waits while the queue is full, gives up if stopped."""
        while not self.stopped.is_set():
            try:
                self.pages_out.put(page, timeout=POLL_SECONDS)
                return
            except queue.Full:
                pass
