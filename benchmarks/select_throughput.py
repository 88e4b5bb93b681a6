"""Streaming throughput of a 100,000-row scan, and the driver's CPU per 1,000 rows
against plain ``json.loads`` of the same pages.

Two sources, both with the fixture charge (fixtures3.json, ~3.4 kB of JSON each):
- ``emulator`` (default): ``stripe_dbapi.testing.Emulator`` over real HTTP on
  127.0.0.1, no latency. The emulator runs in this process, so driver CPU is the
  caller thread's CPU (``time.thread_time``), which is where the driver works.
- ``mock``: an in-process ``httpx.MockTransport`` serving pre-encoded pages, so
  the wall-clock figure is the driver alone.
Run: python benchmarks/select_throughput.py [--rows 100000] [--source emulator|mock]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import time
from urllib.parse import parse_qsl

import httpx

import stripe_dbapi

# A copy of Stripe's fixtures3.json ships with the tests, so this runs from any checkout.
FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "fixtures3.json"
PAGE = 100
# The driver's own cost on the caller's thread: one worker (no created slicing, which moves
# requests and decoding to worker threads) and no pacing (neither source has a rate limit).
# benchmarks/scan_rate_limits.py measures sliced reads under Stripe's limits.
SERIAL_UNPACED = {"max_concurrency": 1, "max_requests_per_second": 1e6,
                  "max_endpoint_requests_per_second": 1e6}


def build_charges(rows: int) -> list[dict]:
    charge = json.loads(FIXTURES.read_text())["resources"]["charge"]
    charges = []
    for i in range(rows):
        obj = dict(charge)
        obj["id"] = f"ch_{i:08d}"
        obj["created"] = 1_700_000_000 - i
        obj["amount"] = 100 + i % 5000
        charges.append(obj)
    return charges


def build_pages(charges: list[dict]) -> list[bytes]:
    pages = []
    for start in range(0, len(charges), PAGE):
        more = start + PAGE < len(charges)
        pages.append(
            json.dumps(
                {
                    "object": "list",
                    "data": charges[start : start + PAGE],
                    "has_more": more,
                    "url": "/v1/charges",
                }
            ).encode()
        )
    return pages


def raw_pages(base_url: str) -> list[bytes]:
    """The emulator's own page bodies, for the json.loads baseline."""
    pages, after = [], None
    with httpx.Client(base_url=base_url, headers={"Authorization": "Bearer sk_test_bench"}) as http:
        while True:
            params = {"limit": PAGE, **({"starting_after": after} if after else {})}
            body = http.get("/v1/charges", params=params).content
            pages.append(body)
            page = json.loads(body)
            if not page["has_more"]:
                return pages
            after = page["data"][-1]["id"]


def transport_for(pages: list[bytes]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        params = dict(parse_qsl(request.url.query.decode()))
        after = params.get("starting_after")
        index = 0 if after is None else int(after[3:]) // PAGE + 1
        return httpx.Response(
            200, content=pages[index], headers={"content-type": "application/json"}
        )

    return httpx.MockTransport(handler)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--source", choices=("emulator", "mock"), default="emulator")
    args = parser.parse_args()
    charges = build_charges(args.rows)
    if args.source == "mock":
        pages = build_pages(charges)
        conn = stripe_dbapi.connect(api_key="sk_test_bench", base_url="https://stripe.test",
                                    transport=transport_for(pages), **SERIAL_UNPACED)
        run(conn, pages, args.rows, args.source)
        return
    from stripe_dbapi.testing import Emulator

    with Emulator(seed=None) as emulator:
        emulator.bulk_insert("charges", charges)
        del charges
        conn = stripe_dbapi.connect(api_key="sk_test_bench", base_url=emulator.base_url,
                                    **SERIAL_UNPACED)
        run(conn, raw_pages(emulator.base_url), args.rows, args.source)


def run(conn, pages: list[bytes], rows: int, source: str) -> None:
    start_cpu = time.thread_time()
    for page in pages:
        json.loads(page)
    json_cpu = time.thread_time() - start_cpu

    cursor = conn.cursor()
    # Warm up once (catalog load, compiled row function): a steady-state figure.
    cursor.execute("SELECT id FROM charges LIMIT 1")
    cursor.fetchall()
    requests_before = conn.client.request_count
    start_wall, start_cpu = time.perf_counter(), time.thread_time()
    cursor.execute("SELECT id, amount, created, currency, paid, metadata FROM charges")
    first_row_after = time.perf_counter() - start_wall
    count = 0
    while True:
        batch = cursor.fetchmany(1000)
        if not batch:
            break
        count += len(batch)
    wall = time.perf_counter() - start_wall
    cpu = time.thread_time() - start_cpu
    assert count == rows, count
    print(
        f"source: {source}; rows: {count}, requests: {conn.client.request_count - requests_before}"
    )
    print(f"first row after: {first_row_after * 1000:.1f} ms")
    print(f"streaming: {count / wall:,.0f} rows/s ({wall:.2f} s wall)")
    print(f"driver CPU per 1,000 rows: {cpu / count * 1000 * 1000:.2f} ms")
    print(f"json.loads CPU per 1,000 rows: {json_cpu / count * 1000 * 1000:.2f} ms"
          f"  (driver = {cpu / json_cpu:.1f}x json.loads)")


if __name__ == "__main__":
    main()
