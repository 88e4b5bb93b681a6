"""List-page latency of the emulator at 10k and 1M objects (prints figures, asserts nothing).

    python benchmarks/emulator_list_latency.py [--sizes 10000 1000000] [--requests 200]

Measures one HTTP round trip for ``GET /v1/customers?limit=100`` from a keep-alive
httpx client: the first page, a page deep in the list (``starting_after``), a
``created`` range page, and an ``email=`` equality filter (first request, which
builds the store's index, then later ones). The store finds cursors and ``created``
bounds by bisection, so the figures should not grow with the table size (O(log n + page)).
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import time

import httpx

from stripe_dbapi.testing import Emulator

START = 1_600_000_000


def customer(i: int) -> dict:
    """A customer shaped like Stripe's, with the fields a list page usually carries."""
    return {
        "id": f"cus_{i:014d}",
        "object": "customer",
        "created": START + i,
        "livemode": False,
        "email": f"user{i}@example.com",
        "name": f"User {i}",
        "phone": None,
        "description": None,
        "address": None,
        "balance": 0,
        "currency": "usd",
        "default_source": None,
        "delinquent": False,
        "discount": None,
        "invoice_prefix": f"P{i:07d}",
        "metadata": {"n": str(i % 100)},
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "next_invoice_sequence": 1,
    }


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(client: httpx.Client, params: dict, repeat: int, rows: int = 100) -> list[float]:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get("/v1/customers", params=params)
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.text[:200]
        assert len(response.json()["data"]) == rows, response.text[:200]
    return samples


def describe(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    return f"median {statistics.median(samples):6.2f} ms  p95 {p95:6.2f} ms"


def run(size: int, repeat: int) -> None:
    gc.collect()
    before = rss_mb()
    began = time.perf_counter()
    emu = Emulator(seed=None)
    emu.bulk_insert("customers", (customer(i) for i in range(size)))
    load = time.perf_counter() - began
    print(f"\n{size:>9,} customers: bulk load {load:.1f} s, max RSS +{rss_mb() - before:.0f} MB")
    with (
        emu,
        httpx.Client(
            base_url=emu.base_url, headers={"Authorization": "Bearer sk_test_bench"}
        ) as client,
    ):
        client.get("/v1/customers", params={"limit": 1})  # connect
        middle = f"cus_{size // 2:014d}"
        cases = {
            "first page (limit=100)": {"limit": 100},
            "mid-list page (starting_after)": {"limit": 100, "starting_after": middle},
            "created range page": {
                "limit": 100,
                "created[gte]": START + size // 4,
                "created[lt]": START + size // 2,
            },
        }
        for name, params in cases.items():
            print(f"  {name:<32} {describe(timed(client, params, repeat))}")
        # An equality filter: the first request builds the store's index (O(n)),
        # later ones use it (O(log n + page)).
        wanted = {"email": f"user{size // 3}@example.com", "limit": 100}
        first = timed(client, wanted, 1, rows=1)[0]
        print(f"  {'email= filter, first (index)':<32} {first:9.2f} ms")
        print(f"  {'email= filter, then':<32} {describe(timed(client, wanted, repeat, rows=1))}")
        # Server-side cost alone (no HTTP): the store's page lookup.
        table = emu.app.store.table("platform", "customers")
        began = time.perf_counter()
        for _ in range(repeat):
            index = table.index_of(middle)
            list(table.scan(index + 1, index + 101))
        per_page = (time.perf_counter() - began) / repeat * 1e6
        print(f"  {'store lookup + 100-object slice':<32} {per_page:6.1f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--requests", type=int, default=200, help="requests per case")
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.requests)


if __name__ == "__main__":
    main()
