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
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from stripe_dbapi.client import MAX_PAGE_SIZE as PAGE_SIZE
from stripe_dbapi.sql.slicing import COLUMN, Slice, user_bounds

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
    scan = _Scan(client, Slice(path, others, gte, lt).rest_after(data), workers)
    try:
        yield from scan.pages()
    finally:
        scan.stop()


class _Scan:
    def __init__(self, client, rest: Slice, workers: int) -> None:
        self.client = client
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
        self.threads = [
            threading.Thread(target=self._work, name=f"stripe-dbapi-scan-{n}", daemon=True)
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
            if data:
                self._put(data)
            if not (page.get("has_more") and page.get("data")):
                return
            piece = self._share(piece.rest_after(page["data"]))

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
