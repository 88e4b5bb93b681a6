"""Streaming throughput of a 100,000-row scan, and the driver's CPU per 1,000 rows
against plain ``json.loads`` of the same pages.

Source: the project's emulator (``stripe_dbapi.testing.Emulator``, no latency) when
``--emulator`` is given and it can be seeded in bulk; otherwise an in-process
``httpx.MockTransport`` serving pre-encoded pages of fixture charges (so the
figure is the driver alone: HTTP client + JSON + flatten + SQLite + conversion).
Run: python benchmarks/select_throughput.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import time
from urllib.parse import parse_qsl

import httpx

import stripe_dbapi

FIXTURES = pathlib.Path("/work/shared/stripe/fixtures3.json")
PAGE = 100


def build_pages(rows: int) -> list[bytes]:
    charge = json.loads(FIXTURES.read_text())["resources"]["charge"]
    pages = []
    for start in range(0, rows, PAGE):
        data = []
        for i in range(start, min(start + PAGE, rows)):
            obj = dict(charge)
            obj["id"] = f"ch_{i:08d}"
            obj["created"] = 1_700_000_000 - i
            obj["amount"] = 100 + i % 5000
            data.append(obj)
        more = start + PAGE < rows
        pages.append(json.dumps({"object": "list", "data": data, "has_more": more,
                                 "url": "/v1/charges"}).encode())
    return pages


def transport_for(pages: list[bytes]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        params = dict(parse_qsl(request.url.query.decode()))
        after = params.get("starting_after")
        index = 0 if after is None else int(after[3:]) // PAGE + 1
        return httpx.Response(200, content=pages[index], headers={"content-type": "application/json"})

    return httpx.MockTransport(handler)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    pages = build_pages(args.rows)

    start_cpu = time.process_time()
    for page in pages:
        json.loads(page)
    json_cpu = time.process_time() - start_cpu

    conn = stripe_dbapi.connect(api_key="sk_test_bench", base_url="https://stripe.test",
                                transport=transport_for(pages))
    cursor = conn.cursor()
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    cursor.execute("SELECT id, amount, created, currency, paid, metadata FROM charges")
    first_row_after = time.perf_counter() - start_wall
    count = 0
    while True:
        batch = cursor.fetchmany(1000)
        if not batch:
            break
        count += len(batch)
    wall = time.perf_counter() - start_wall
    cpu = time.process_time() - start_cpu
    assert count == args.rows, count
    print(f"rows: {count}, requests: {conn.client.request_count}")
    print(f"first row after: {first_row_after * 1000:.1f} ms")
    print(f"streaming: {count / wall:,.0f} rows/s ({wall:.2f} s wall)")
    print(f"driver CPU per 1,000 rows: {cpu / count * 1000 * 1000:.2f} ms")
    print(f"json.loads CPU per 1,000 rows: {json_cpu / count * 1000 * 1000:.2f} ms"
          f"  (driver = {cpu / json_cpu:.1f}x json.loads)")


if __name__ == "__main__":
    main()
