"""Median parse + plan time per query (no requests): the request-count table's queries
on the generated catalog.  Run: python benchmarks/select_plan_time.py"""

from __future__ import annotations

import statistics
import time

from _select_common import load_request_count_table

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.select import build_plan
from stripe_dbapi.testing import OfflineConnection

REPEAT = 30


def main() -> None:
    conn = OfflineConnection(load_catalog())
    table = load_request_count_table()
    per_query = []
    for sql, _, _ in table:
        build_plan(conn, parse_statement(sql))  # warm caches (catalog lookups)
        times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            build_plan(conn, parse_statement(sql))
            times.append(time.perf_counter() - start)
        per_query.append(statistics.median(times))
    print(f"queries: {len(per_query)}, {REPEAT} runs each")
    print(f"median parse+plan per query: {statistics.median(per_query) * 1000:.2f} ms")
    print(f"slowest query (median of its runs): {max(per_query) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
