"""What the verbose log costs: one read of N customers from the emulator with verbosity
unset, then at each level 1-5 written to a log file (prints figures, asserts nothing).

    python benchmarks/verbose_overhead.py [--rows 5000] [--repeat 5] [--levels 1 2 3 4 5]

Pacing is lifted (1000 requests/s) so the figures are the driver's work, not the wait
for Stripe's budget; the scan is slicing's concurrent pages, as a real read is. Each
configuration runs ``--repeat`` times interleaved with the others; the median is shown
with its ratio to the unset run. Level 4 writes every response body (4096 characters of
each page), level 5 adds one TLS line per new connection (plain HTTP here).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from emulator_list_latency import customer

import stripe_dbapi
from stripe_dbapi.testing import Emulator

KEY = "sk_test_benchmark_verbose"


def read_once(base_url: str, verbosity: int | None, logfile: str | None) -> float:
    options = {"verbosity": verbosity, "logfile": logfile} if verbosity else {}
    with stripe_dbapi.connect(KEY, base_url=base_url, max_requests_per_second=1000,
                              max_endpoint_requests_per_second=1000, **options) as conn:
        began = time.perf_counter()
        rows = conn.execute("SELECT id, email, name FROM customers").fetchall()
        elapsed = time.perf_counter() - began
    assert rows, "the emulator is empty"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    args = parser.parse_args()
    configurations: list[int | None] = [None, *args.levels]
    samples: dict[int | None, list[float]] = {c: [] for c in configurations}
    sizes: dict[int | None, int] = {}
    with Emulator(seed=None, search_lag=0) as emu, tempfile.TemporaryDirectory() as tmp:
        emu.bulk_insert("customers", (customer(i) for i in range(args.rows)))
        read_once(emu.base_url, None, None)  # warm up: catalog, imports, emulator indexes
        for _ in range(args.repeat):
            for level in configurations:
                logfile = os.path.join(tmp, f"level{level}.log") if level else None
                samples[level].append(read_once(emu.base_url, level, logfile))
                if logfile:
                    sizes[level] = os.path.getsize(logfile)
                    os.remove(logfile)
    base = statistics.median(samples[None])
    print(f"SELECT id, email, name FROM customers: {args.rows} rows, median of {args.repeat}")
    for level in configurations:
        median = statistics.median(samples[level])
        name = "unset" if level is None else f"verbosity={level}"
        written = f"  log {sizes[level] / 1024:8.1f} KiB per read" if level else ""
        print(f"  {name:12} {median * 1000:8.1f} ms  x{median / base:5.2f}{written}")


if __name__ == "__main__":
    main()
