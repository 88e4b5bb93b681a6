import json

from stripe_dbapi.sql.explain import execute_explain
from stripe_dbapi.statement import classify


def explain(conn, sql):
    result = execute_explain(conn, classify(sql).tree)
    return [d[0] for d in result.description], list(result.rows)


def test_explain_lists_calls_pushed_residual_and_estimate_without_requests(fake_conn):
    names, rows = explain(fake_conn, "EXPLAIN SELECT id FROM charges WHERE customer IN ('a', 'b') "
                                     "AND amount % 2 = 0")
    assert names == ["table_name", "step", "method", "path", "params", "pushed", "residual", "exact",
                     "estimated_requests"]
    assert [(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows[:2]] == [
        ("charges", "list, concurrently", "GET", "/v1/charges", {"customer": "a", "limit": 100}),
        ("charges", "list, concurrently", "GET", "/v1/charges", {"customer": "b", "limit": 100}),
    ]
    assert json.loads(rows[0][5]) == ["customer IN ('a', 'b')"]
    assert json.loads(rows[0][6]) == ["amount % 2 = 0"]
    assert rows[0][7] is False and rows[0][8] == 2
    assert rows[-1][1] == "sqlite" and "`_t0`" in json.loads(rows[-1][5])[0]
    assert fake_conn.client.request_count == 0


def test_explain_shows_contradictions_fan_outs_and_catalog_tables(fake_conn):
    _, rows = explain(fake_conn, "SELECT * FROM customers WHERE id = 'a' AND id = 'b'")
    assert rows[0][1].startswith("none") and rows[0][8] == 0
    _, rows = explain(fake_conn, "SELECT * FROM cards")
    assert [r[1] for r in rows[:2]] == [
        "list parents",
        "list per parent, concurrently (estimate: 1 page(s) of parents, then one list per parent, "
        "assuming 100 parents a page; the real count is known once the parents are listed)"]
    assert rows[0][8] == rows[-1][8] == 101
    _, rows = explain(fake_conn, "SELECT * FROM cards LIMIT 3")
    assert rows[1][1].startswith("list per parent, one parent at a time (estimate: 1 page(s) of parents "
                                 "+ at least 1 list(s)")
    assert rows[-1][8] == 2
    _, rows = explain(fake_conn, "SELECT * FROM sys_tables")
    assert rows[0][1] == "catalog"
