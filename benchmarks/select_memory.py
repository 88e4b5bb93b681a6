"""Memory stays flat on a streamed scan: peak RSS after 100,000 rows vs after all rows.

An in-process ``httpx.MockTransport`` makes each page on demand (small charge
objects, ``created`` filters honoured), so only the driver holds rows. The read is sliced
on ``created`` (8 workers, a bounded page queue) with pacing lifted: the mock has no rate
limit. Run:
python benchmarks/select_memory.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from urllib.parse import parse_qsl

import httpx

import stripe_dbapi

PAGE = 100
NEWEST = 1_700_000_000


def handler(total: int):
    def respond(request: httpx.Request) -> httpx.Response:
        params = dict(parse_qsl(request.url.query.decode()))
        # Object i was created at NEWEST - i: created filters (the driver's slices) are ranges of i.
        after = params.get("starting_after")
        start = 0 if after is None else int(after[3:]) + 1
        if "created[lt]" in params:
            start = max(start, NEWEST - int(params["created[lt]"]) + 1)
        stop = total
        if "created[gte]" in params:
            stop = min(stop, NEWEST - int(params["created[gte]"]) + 1)
        data = [
            {
                "id": f"ch_{i:09d}",
                "object": "charge",
                "amount": 100 + i % 997,
                "currency": "usd",
                "created": NEWEST - i,
                "paid": True,
                "metadata": {"n": str(i)},
            }
            for i in range(start, min(start + PAGE, stop))
        ]
        body = {
            "object": "list",
            "data": data,
            "has_more": start + PAGE < stop,
            "url": "/v1/charges",
        }
        return httpx.Response(200, content=json.dumps(body).encode(),
                              headers={"content-type": "application/json"})

    return respond


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    conn = stripe_dbapi.connect(api_key="sk_test_bench", base_url="https://stripe.test",
                                transport=httpx.MockTransport(handler(args.rows)),
                                max_requests_per_second=1e6, max_endpoint_requests_per_second=1e6)
    cursor = conn.cursor()
    start = time.perf_counter()
    cursor.execute(
        "SELECT id, amount, created, metadata ->> 'n' FROM charges WHERE paid"
    )  # residual: every page is filtered locally
    count, at_100k = 0, None
    while True:
        batch = cursor.fetchmany(1000)
        if not batch:
            break
        count += len(batch)
        if at_100k is None and count >= 100_000:
            at_100k = peak_rss_mb()
    elapsed = time.perf_counter() - start
    print(
        f"rows: {count} in {elapsed:.1f} s, {conn.client.request_count} requests "
        f"({count / elapsed:,.0f} rows/s, on-demand mock pages)"
    )
    print(
        f"peak RSS after 100,000 rows: {at_100k:.0f} MB; after {count:,} rows: "
        f"{peak_rss_mb():.0f} MB"
    )


if __name__ == "__main__":
    main()
