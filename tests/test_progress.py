"""The progress monitor on its own (stripe_dbapi/progress.py): throttling, the last report,
a failing callback, estimates, cancel; with a fake clock, no requests."""

from __future__ import annotations

import logging
import threading

import pytest

import stripe_dbapi
from stripe_dbapi import progress
from stripe_dbapi.progress import Monitor


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_reports_are_throttled_and_the_last_one_says_done():
    clock, seen = Clock(), []
    monitor = Monitor(seen.append, interval=1.0, clock=clock)
    monitor.sent()  # the first event is reported at once
    monitor.received(100)  # less than a second later: dropped
    clock.now += 1.5
    monitor.sent()
    monitor.received(100)
    monitor.finish()
    monitor.finish()  # once only
    monitor.sent()  # nothing after the end
    assert [(p.requests, p.rows, p.done) for p in seen] == [(1, 0, False), (2, 100, False),
                                                            (2, 200, True)]
    assert seen[-1].elapsed == 1.5 and seen[-1].requests_per_second == pytest.approx(2 / 1.5)


def test_a_write_reports_rows_written_against_the_rows_expected():
    clock, seen = Clock(), []
    monitor = Monitor(seen.append, phase=progress.WRITE, table="customers", interval=0, clock=clock)
    monitor.expect_writes(4)
    monitor.received(1)  # a read (finding targets) is not a written row
    clock.now += 2
    monitor.wrote()
    last = seen[-1]
    assert (last.phase, last.table, last.rows, last.rows_read, last.rows_written) == (
        "write", "customers", 1, 1, 1)
    assert last.estimated_rows == 4
    assert last.eta_seconds == pytest.approx(6.0)  # 3 rows left at one row per 2 seconds


def test_a_read_has_an_estimate_only_when_a_scan_gives_one():
    clock = Clock()
    monitor = Monitor(clock=clock)
    monitor.received(100)
    assert monitor.snapshot().estimated_rows is None
    assert monitor.snapshot().eta_seconds is None
    clock.now += 10
    monitor.estimate("scan", 100, 400)
    snapshot = monitor.snapshot()
    assert snapshot.estimated_rows == 400
    assert snapshot.eta_seconds == pytest.approx(30.0)


def test_a_failing_callback_is_logged_and_not_called_again(caplog):
    calls = []

    def broken(p):
        calls.append(p)
        raise ValueError("display bug")

    monitor = Monitor(broken, interval=0)
    with caplog.at_level(logging.WARNING, logger="stripe_dbapi.progress"):
        monitor.sent()
        monitor.sent()
        monitor.finish()
    assert len(calls) == 1
    assert "progress callback" in caplog.text and "display bug" in caplog.text


def test_the_callback_is_never_called_from_two_threads_at_once():
    inside, most, lock = [0], [0], threading.Lock()
    entered = threading.Event()
    release = threading.Event()

    def slow(p):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        entered.set()
        release.wait(5)
        with lock:
            inside[0] -= 1

    monitor = Monitor(slow, interval=0)
    first = threading.Thread(target=monitor.sent)
    first.start()
    assert entered.wait(5)
    monitor.sent()  # another thread's report while the callback runs: skipped, not waited for
    release.set()
    first.join()
    monitor.finish()
    assert most[0] == 1
    assert monitor.snapshot().requests == 2


def test_cancel_makes_check_raise_query_canceled():
    monitor = Monitor()
    monitor.check()
    monitor.cancel()
    with pytest.raises(stripe_dbapi.QueryCanceledError) as raised:
        monitor.check()
    assert isinstance(raised.value, stripe_dbapi.OperationalError)
    assert monitor.snapshot().canceled


def test_outside_a_statement_the_monitor_is_inert():
    idle = progress.current()
    assert not progress.running()
    idle.cancel()
    idle.check()  # never canceled
    with Monitor().active() as monitor:
        assert progress.current() is monitor and progress.running()
    assert progress.current() is idle


def test_a_progress_callback_must_be_callable():
    with pytest.raises(stripe_dbapi.InterfaceError, match="progress must be a function"):
        stripe_dbapi.connect("sk_test_123", progress=3)
    conn = stripe_dbapi.connect("sk_test_123", base_url="http://127.0.0.1:9")
    with pytest.raises(stripe_dbapi.InterfaceError, match="cursor.progress must be a function"):
        conn.cursor().progress = "tqdm"
    with pytest.raises(stripe_dbapi.InterfaceError, match="progress must be a function"):
        conn.progress = 1
    conn.close()
