"""Requests per query, each the minimum Stripe allows for that query.

The fake Stripe holds 30 customers, 90 charges, 30 subscriptions (10 canceled),
8 prices (4 inactive), 4 products, 6 cards on customers 0-5: every list fits one
page, so a list is one request, a retrieve one, a fan-out 1 + one per parent.
``python benchmarks/select_request_counts.py`` prints this table.
"""

import pytest

from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.select import execute_select

# (query, requests, why that is the minimum)
REQUEST_COUNTS = [
    ("SELECT * FROM customers WHERE id = 'cus_0001'", 1, "one retrieve"),
    ("SELECT * FROM customers WHERE id IN ('cus_0001', 'cus_0002', 'cus_0003')", 3, "one retrieve per id"),
    ("SELECT * FROM customers WHERE id = 'cus_missing'", 1, "a missing id is one 404, no row"),
    ("SELECT * FROM customers WHERE id = 'a' AND id = 'b'", 0, "contradiction"),
    ("SELECT * FROM charges WHERE created > '2024-01-01' AND created < '2024-01-01'", 0, "empty range"),
    ("SELECT * FROM charges WHERE status IN ()", 0, "empty IN"),
    ("SELECT * FROM charges WHERE amount = NULL", 0, "= NULL is never true"),
    ("SELECT * FROM customers WHERE id = ''", 0, "'' names no object"),
    ("SELECT * FROM cards WHERE customer IN ('', '..')", 0, "no parent is named '' or '..'"),
    ("SELECT * FROM customers WHERE id = '../charges/ch_0001_0'", 1, "one retrieve, escaped: a 404"),
    ("SELECT * FROM customers", 1, "one page"),
    ("SELECT * FROM customers LIMIT 5", 1, "limit=5"),
    ("SELECT * FROM charges LIMIT 150", 1, "90 rows fit in the first page of 100"),
    ("SELECT * FROM charges ORDER BY created DESC LIMIT 5", 1, "lists come newest first: limit=5"),
    ("SELECT * FROM charges WHERE customer = 'cus_0001'", 1, "customer= list filter"),
    ("SELECT * FROM charges WHERE customer IN ('cus_0001', 'cus_0002')", 2, "one list per value"),
    ("SELECT * FROM charges WHERE customer = 'cus_0001' OR customer = 'cus_0002'", 2, "OR -> IN"),
    ("SELECT * FROM charges WHERE created >= '2023-11-15' AND created < 1700100000", 1, "created[gte/lte]"),
    ("SELECT * FROM charges WHERE amount > 1000", 1, "Search amount>"),
    ("SELECT * FROM charges WHERE amount > 1000 AND currency = 'usd'", 1, "one Search, two clauses"),
    ("SELECT * FROM customers WHERE metadata ->> 'tier' = 'gold'", 1, "Search metadata"),
    ("SELECT * FROM charges WHERE status IN ('failed', 'succeeded')", 1, "one Search: status:a OR status:b"),
    ("SELECT * FROM customers WHERE email = 'user3@example.com'", 1, "email= list filter"),
    ("SELECT * FROM subscriptions", 1, "status=all, one list"),
    ("SELECT * FROM subscriptions WHERE status = 'canceled'", 1, "status= list filter"),
    ("SELECT * FROM prices", 2, "active=true and active=false"),
    ("SELECT * FROM prices WHERE active", 1, "active=true"),
    ("SELECT * FROM prices WHERE active IS FALSE", 1, "active=false"),
    ("SELECT * FROM prices WHERE lookup_key IN ('lk_0_0', 'lk_1_1') AND active = 0", 1, "lookup_keys[] array"),
    ("SELECT * FROM products WHERE id IN ('prod_0', 'prod_1', 'prod_2')", 1, "ids[] array"),
    ("SELECT * FROM cards WHERE customer = 'cus_0001'", 1, "nested list of one parent"),
    ("SELECT * FROM cards WHERE customer IN ('cus_0001', 'cus_0002')", 2, "one nested list per parent"),
    ("SELECT * FROM cards WHERE customer = 'cus_0001' AND id = 'card_0001'", 1, "nested retrieve"),
    ("SELECT * FROM cards", 31, "fan-out: 1 parent list + 30 parents"),
    ("SELECT * FROM cards LIMIT 2", 27, "fan-out walks parents (newest first) until 2 rows: 1 + 26"),
    ("SELECT c.id, count(*) FROM customers c JOIN charges ch ON ch.customer = c.id GROUP BY c.id",
     2, "one list per table"),
    (("SELECT c.id, ch.amount FROM customers c JOIN charges ch ON ch.customer = c.id "
     "WHERE c.email = 'user3@example.com'"), 2, "customer by email, then only its charges"),
    ("SELECT * FROM (SELECT * FROM charges WHERE customer = 'cus_0003') AS virtual_table", 1,
     "derived table keeps its pushdown"),
    (("SELECT status, count(*) FROM (SELECT * FROM charges) AS virtual_table "
     "WHERE customer = 'cus_0003' GROUP BY status LIMIT 1000"), 1, "BI virtual table: outer WHERE pushed"),
    ("SELECT * FROM charges WHERE created >= date('2023-11-16', '-1 day')", 1, "constant folded, created[gte]"),
    ("SELECT count(*) FROM sys_columns", 0, "catalog only"),
]


@pytest.mark.parametrize("sql,expected,why", REQUEST_COUNTS, ids=[r[0][:60] for r in REQUEST_COUNTS])
def test_request_count_is_the_minimum(fake_conn, sql, expected, why):
    result = execute_select(fake_conn, parse_statement(sql))
    list(result.rows)
    assert fake_conn.client.request_count == expected, why


def test_the_table_is_big_enough():
    assert len(REQUEST_COUNTS) >= 25
