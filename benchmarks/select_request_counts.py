"""Print the request-count table: each query, the requests it made, the minimum, why.

Runs the table of tests/sql/test_request_counts.py on the same fake Stripe the
tests use (30 customers, 90 charges, ...: every list fits in one page).
Run: python benchmarks/select_request_counts.py
"""

from __future__ import annotations

import httpx
from _select_common import load_request_count_table, load_tests_module

from stripe_dbapi.client import StripeClient
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.select import execute_select
from stripe_dbapi.write_log import WriteLog


def main() -> None:
    fixtures = load_tests_module("tests/sql/conftest.py", "_sql_conftest")
    table = load_request_count_table()
    width = max(len(sql) for sql, _, _ in table)
    print(f"{'query':<{width}}  made  min  why")
    mismatches = 0
    for sql, expected, why in table:
        fake = fixtures.FakeStripe()
        fixtures.demo_data(fake)
        client = StripeClient("sk_test_123", base_url="https://stripe.test",
                              transport=httpx.MockTransport(fake.handler), max_retries=0)
        conn = type("Conn", (), {})()
        conn.catalog, conn.client, conn.use_search, conn.write_log = (
            fixtures.MiniCatalog(), client, True, WriteLog())
        list(execute_select(conn, parse_statement(sql)).rows)
        made = client.request_count
        mismatches += made != expected
        print(f"{sql:<{width}}  {made:>4}  {expected:>3}  {why}{'' if made == expected else '  <-- MISMATCH'}")
        client.close()
    print(f"\n{len(table)} queries, {len(table) - mismatches} at the minimum")


if __name__ == "__main__":
    main()
