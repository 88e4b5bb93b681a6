"""The emulator in a process of its own, for benchmarks under Stripe-like latency and limits.

Stripe is another machine: with the emulator in the driver's process both would share one
GIL, and the emulator's JSON encoding would slow the driver down. Here the emulator has its
own interpreter; the parent talks to it over a pipe (its URL, its request log) and to its
HTTP server like any client.

    with EmulatorProcess(seed_charges, (10_000,), latency=0.2, jitter=0.1) as emu:
        conn = stripe_dbapi.connect(api_key=KEY, base_url=emu.base_url)
        emu.reset_requests()
        ...
        sent = emu.requests()   # [(method, path, status), ...] since the reset

``seed`` runs in the child as ``seed(emulator, *seed_args)`` before latency and limits are
set, so it should fill the emulator with ``bulk_insert`` (no HTTP, no events).
"""

from __future__ import annotations

import argparse
import multiprocessing
from collections.abc import Callable

from stripe_dbapi.testing import Emulator

KEY = "sk_test_benchmark"
# Stripe-like answer times for a list page of 100 objects: 200 ms + uniform(0, 100 ms).
DEFAULT_LATENCY, DEFAULT_JITTER = 0.2, 0.1


def add_latency_arguments(parser: argparse.ArgumentParser) -> None:
    """``--latency`` and ``--jitter``, the emulator's answer time."""
    parser.add_argument("--latency", type=float, default=DEFAULT_LATENCY,
                        help="fixed part of each answer, s")
    parser.add_argument("--jitter", type=float, default=DEFAULT_JITTER,
                        help="plus uniform(0, jitter), s")


def _serve(conn, seed: Callable, seed_args: tuple, latency: float, jitter: float,
           live_limits: bool) -> None:
    """Answers ("url",), ("reset",), ("requests",) and ("stop",) on the pipe ``conn``."""
    with Emulator(seed=None) as emulator:
        seed(emulator, *seed_args)
        emulator.faults.latency, emulator.faults.jitter = latency, jitter
        emulator.faults.stripe_limits(live=live_limits)
        conn.send(emulator.base_url)
        while True:
            command = conn.recv()[0]
            if command == "reset":
                emulator.reset_requests()
                conn.send(None)
            elif command == "requests":
                conn.send([(r.method, r.path, r.status) for r in emulator.requests])
            else:
                conn.send(None)
                return


class EmulatorProcess:
    """A seeded emulator answering in ``latency + uniform(0, jitter)`` seconds with Stripe's
    rate limits (``Faults.stripe_limits``: test mode 25/s overall, or live mode 100/s; 25/s
    per endpoint and 20/s Search in both)."""

    def __init__(self, seed: Callable, seed_args: tuple = (), *, latency: float = DEFAULT_LATENCY,
                 jitter: float = DEFAULT_JITTER, live_limits: bool = False) -> None:
        self._args = (seed, seed_args, latency, jitter, live_limits)
        self._pipe = None
        self._process = None
        self.base_url = ""

    def __enter__(self) -> EmulatorProcess:
        self._pipe, theirs = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=_serve, args=(theirs, *self._args))
        self._process.start()
        self.base_url = self._pipe.recv()  # sent once seeded
        return self

    def __exit__(self, *exc) -> None:
        self._ask("stop")
        self._process.join()

    def _ask(self, command: str):
        self._pipe.send((command,))
        return self._pipe.recv()

    def reset_requests(self) -> None:
        self._ask("reset")

    def requests(self) -> list[tuple[str, str, int | None]]:
        """(method, path, status) of each request received since the last reset."""
        return self._ask("requests")
