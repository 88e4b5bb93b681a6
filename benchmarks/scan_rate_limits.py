"""Full reads at Stripe's rate limit: serial cursor pagination vs the driver, side by side.

The emulator answers with Stripe-like latency (200-300 ms a request) and enforces Stripe's
test-mode rate limits (25 requests/s overall, 25/s per endpoint, 20/s Search: 429 with
Stripe-Rate-Limited-Reason). Data is skewed as in a growing business: half of the objects
in the newest tenth of the range, a few seconds holding hundreds of objects
(stripe_dbapi/testing/skewed.py). Objects are Stripe's fixture customer and charge.

For each table and size it prints, in one run:
- serial: ``starting_after`` pagination, one page after the other (what stripe-python's
  auto-pagination does);
- driver: ``SELECT * FROM <table>`` with default settings (pacing, created slicing);
as rows/s, the fraction of the 2,500 rows/s bound (25 requests/s x 100 rows), requests
against ceil(rows / 100), 429s received, rows returned vs distinct ids vs the table, and the
peak RSS growth during the run (sampled).

Run: python benchmarks/scan_rate_limits.py [--rows 10000 100000] [--tables customers charges]
The emulator runs in a process of its own (as Stripe is another machine); the machine's
cores are shared by both, so the figures depend on its load (printed first).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import threading
import time

import httpx
from _emulator_process import KEY, EmulatorProcess, add_latency_arguments

import stripe_dbapi
from stripe_dbapi.testing.skewed import skewed_objects

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "fixtures3.json"
BOUND = 25 * 100  # rows/s: Stripe's per-endpoint (and test-mode) limit x a page of 100
START, END = 1_500_000_000, 1_700_000_000
OBJECTS = {"customers": ("customer", "cus"), "charges": ("charge", "ch")}


def fixture(object_type: str) -> dict:
    return json.loads(FIXTURES.read_text())["resources"][object_type]


class PeakRss:
    """Samples this process's resident memory while a run lasts; growth over the start."""

    def __init__(self) -> None:
        self.start = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _rss())

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 1e6


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def serial(base_url: str, path: str) -> list[str]:
    """stripe-python's auto-pagination: one page after the other, newest first."""
    ids, after = [], None
    with httpx.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30
    ) as http:
        while True:
            params = {"limit": 100, **({"starting_after": after} if after else {})}
            response = http.get(path, params=params)
            if response.status_code == 429:  # stripe-python does not retry a plain 429
                continue
            page = response.json()
            ids.extend(obj["id"] for obj in page["data"])
            if not page["has_more"]:
                return ids
            after = page["data"][-1]["id"]


def driver(base_url: str, table: str) -> list[str]:
    with stripe_dbapi.connect(api_key=KEY, base_url=base_url) as conn:
        cursor = conn.execute(f"SELECT * FROM {table}")
        ids = []
        while rows := cursor.fetchmany(1000):
            ids.extend(row[0] for row in rows)
        return ids


def seed(emulator, table: str, count: int) -> None:
    object_type, prefix = OBJECTS[table]
    body = fixture(object_type)
    objects = skewed_objects(object_type, prefix, count, start=START, end=END,
                             bursts=max(2, count // 2000), seed=count)
    emulator.bulk_insert(table, ({**body, **obj} for obj in objects))


def measure(emulator: EmulatorProcess, label: str, path: str, count: int, run) -> dict:
    emulator.reset_requests()
    with PeakRss() as rss:
        began = time.perf_counter()
        ids = run()
        seconds = time.perf_counter() - began
    sent = [status for _, sent_path, status in emulator.requests() if sent_path.startswith(path)]
    requests, rate_limited = len(sent), sent.count(429)
    return {
        "how": label, "rows": len(ids), "distinct": len(set(ids)), "table": count,
        "seconds": seconds, "rows_s": len(ids) / seconds, "bound": len(ids) / seconds / BOUND,
        "requests": requests, "minimum": math.ceil(count / 100),
        "r429": rate_limited, "rss_mb": rss.growth_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--tables", nargs="+", default=list(OBJECTS), choices=list(OBJECTS))
    parser.add_argument(
        "--how", nargs="+", default=["serial", "driver"], choices=["serial", "driver"]
    )
    add_latency_arguments(parser)
    args = parser.parse_args()
    print(
        f"emulator: {args.latency * 1000:.0f}-{(args.latency + args.jitter) * 1000:.0f} ms a "
        "request, "
        f"Stripe test-mode limits (25/s, 25/s per endpoint, 20/s Search), in its own process; "
        f"cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}"
    )
    header = (
        f"{'table':<10} {'rows':>7} {'how':<7} {'seconds':>8} {'rows/s':>7} {'bound':>6} "
        f"{'requests':>8} {'ceil/100':>8} {'429s':>5} {'returned':>8} {'distinct':>8} {'RSS+MB':>7}"
    )
    print(header)
    for table in args.tables:
        path = f"/v1/{table}"
        for count in args.rows:
            with EmulatorProcess(seed, (table, count), latency=args.latency,
                                 jitter=args.jitter) as emulator:
                base_url = emulator.base_url
                for label, run in (("serial", lambda u=base_url, p=path: serial(u, p)),
                                   ("driver", lambda u=base_url, t=table: driver(u, t))):
                    if label not in args.how:
                        continue
                    m = measure(emulator, label, path, count, run)
                    print(
                        f"{table:<10} {count:>7} {m['how']:<7} {m['seconds']:>8.1f} "
                        f"{m['rows_s']:>7.0f} "
                        f"{m['bound']:>6.2f} {m['requests']:>8} {m['minimum']:>8} {m['r429']:>5} "
                        f"{m['rows']:>8} {m['distinct']:>8} {m['rss_mb']:>7.1f}",
                        flush=True,
                    )

if __name__ == "__main__":
    main()
