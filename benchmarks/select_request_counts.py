"""Print the request-count table: each query, the requests it made, the minimum, why.

Runs the table of tests/sql/test_request_counts.py on the project's emulator
(real HTTP, generated catalog), loaded with the same data the tests use
(30 customers, 90 charges, 30 subscriptions, 8 prices, 4 products, 6 cards:
every list fits one page). Counts are the emulator's own request log.
Run: python benchmarks/select_request_counts.py
"""

from __future__ import annotations

from _select_common import load_tests_module

import stripe_dbapi
from stripe_dbapi.testing import Emulator


def main() -> None:
    harness = load_tests_module(
        "tests/integration/test_select_emulator.py", "_select_emulator_tests"
    )
    table = harness.REQUEST_COUNTS
    width = max(len(sql) for sql, _, _ in table)
    at_minimum = 0
    with Emulator(seed=None, search_lag=0) as emulator:
        harness.DATA.demo_data(harness._EmulatorLoader(emulator))
        conn = stripe_dbapi.connect(api_key="sk_test_123", base_url=emulator.base_url)
        print(f"{'query':<{width}}  made  min  why")
        for sql, expected, why in table:
            emulator.reset_requests()
            cursor = conn.cursor()
            cursor.execute(sql)
            cursor.fetchall()
            made = len(emulator.requests)
            at_minimum += made == expected
            flag = "" if made == expected else "  <-- NOT AT THE MINIMUM"
            print(f"{sql:<{width}}  {made:>4}  {expected:>3}  {why}{flag}")
        conn.close()
    print(f"\n{len(table)} queries, {at_minimum} at the minimum Stripe allows")


if __name__ == "__main__":
    main()
