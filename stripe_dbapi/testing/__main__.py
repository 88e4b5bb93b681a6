"""``python -m stripe_dbapi.testing --port N [--seed demo|none]``: the emulator, in the foreground.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading

from .app import DEFAULT_SEARCH_LAG
from .emulator import Emulator


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m stripe_dbapi.testing", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument(
        "--seed", default="demo", help="'demo' (default) or 'none' for an empty emulator"
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds added to every response"
    )
    parser.add_argument("--jitter", type=float, default=0.0, help="plus uniform(0, jitter) seconds")
    parser.add_argument(
        "--search-lag",
        type=float,
        default=DEFAULT_SEARCH_LAG,
        help=f"seconds before writes are searchable (default {DEFAULT_SEARCH_LAG})",
    )
    parser.add_argument(
        "--stripe-limits",
        action="store_true",
        help="enforce Stripe's test-mode rate limits (25/s, 25/s per endpoint, 20/s search)",
    )
    args = parser.parse_args(argv)
    seed = None if args.seed.lower() == "none" else args.seed
    emulator = Emulator(
        seed=seed,
        latency=args.latency,
        jitter=args.jitter,
        search_lag=args.search_lag,
        host=args.host,
        port=args.port,
    )
    if args.stripe_limits:
        emulator.faults.stripe_limits()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with emulator:
        print(
            f"Stripe emulator listening on {emulator.base_url} (seed={seed}); "
            "use api_key sk_test_... ; Ctrl-C to stop",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()


if __name__ == "__main__":
    main()
