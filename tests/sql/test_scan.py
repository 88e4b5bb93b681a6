"""scan.py with a fake client: how pages and errors reach the reader (no HTTP, no timing)."""

import threading

import pytest

from stripe_dbapi.sql.scan import _Scan, scan_pages
from stripe_dbapi.sql.slicing import Slice


class Boom(Exception):
    pass


class FakeClient:
    """Full pages of objects one second apart, newest first; call ``fail_at`` raises."""

    def __init__(self, fail_at: int) -> None:
        self.calls = 0
        self.fail_at = fail_at
        self.lock = threading.Lock()

    def get(self, path, params):
        with self.lock:
            self.calls += 1
            call = self.calls
        if call == self.fail_at:
            raise Boom("the server went away")
        newest = params.get("created[lt]", 1_000_000) - 1
        data = [{"id": f"obj_{call}_{n}", "created": newest - n} for n in range(100)]
        return {"data": data, "has_more": True}


def scan_threads_alive() -> bool:
    return any(t.name.startswith("stripe-dbapi-scan") and t.is_alive() for t in threading.enumerate())


def wait_for_the_workers_to_stop() -> None:
    """A guard against a worker that never stops (the bug this file pins), not a timing test."""
    for _ in range(2000):
        if not scan_threads_alive():
            return
        threading.Event().wait(0.01)
    raise AssertionError("scan workers still running")


def test_a_worker_error_reaches_a_reader_that_let_the_queue_fill():
    # One worker, a queue of 2 pages: calls 1 and 2 fill it, call 3 fails while it is full.
    client = FakeClient(fail_at=3)
    scan = _Scan(client, Slice("/v1/things", {}, None, 1_000_000, "obj_0_99", 100, 100), workers=1)
    wait_for_the_workers_to_stop()  # the worker fails and stops before anything is read
    with pytest.raises(Boom):
        for _ in scan.pages():
            pass


def test_closing_the_reader_stops_the_workers():
    client = FakeClient(fail_at=10**9)  # an endless table
    pages = scan_pages(client, "/v1/things", {}, workers=4)
    next(pages)
    next(pages)
    pages.close()
    assert not scan_threads_alive()
    calls = client.calls
    assert calls < 1 + 4 * 4  # the queue holds 2 pages per worker; nothing was read past it
