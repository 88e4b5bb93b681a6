"""Fixtures of the shell's tests: emulators in known states for writes and slow scans."""

from __future__ import annotations

import signal

import pytest

import stripe_dbapi
from stripe_dbapi.testing.skewed import skewed_objects

TEST_KEY = "sk_test_123"  # the key tests/conftest.py uses with the emulator fixtures


@pytest.fixture(autouse=True)
def ctrl_c_reaches_the_shell():
    """The shell as a terminal starts it: SIGINT not ignored. A job started in the
    background by a non-interactive shell (``.ci/run &``, nohup) inherits SIGINT ignored,
    Python then installs no KeyboardInterrupt handler, and so neither would stripe-sql
    started from these tests: the Ctrl-C tests would test the harness. A handled signal
    is reset to the default by exec, so children start as from a terminal."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture
def shop(fresh_emulator):
    """A fresh emulator with three gold customers and one silver, requests reset."""
    with stripe_dbapi.connect(TEST_KEY, base_url=fresh_emulator.base_url) as conn:
        conn.execute(
            "INSERT INTO customers (name, metadata) VALUES "
            + ", ".join(f"('c{n}', '{{\"tier\": \"{t}\"}}')" for n, t in
                        enumerate(["gold", "gold", "gold", "silver"]))
        )
    fresh_emulator.reset_requests()
    return fresh_emulator


@pytest.fixture
def slow_customers(fresh_emulator):
    """5,000 customers (50 pages) answered 0.3 s late: a scan long enough to interrupt."""
    fresh_emulator.bulk_insert("customers", skewed_objects(
        "customer", "cus", 5_000, start=1_600_000_000, end=1_700_000_000, seed=5))
    fresh_emulator.faults.latency = 0.3
    return fresh_emulator
