"""Round trips through sqlglot must keep SQLite's meaning (run on sqlglot 28.10 and 30.x)."""

import sqlite3

import pytest
import sqlglot

from stripe_dbapi.sql.dialect import DIALECT, to_sql

ROW = ('{"tier":"gold","n":"5"}', "2024-03-01 10:00:00", 1500, "Jane Doe")

QUERIES = [
    "SELECT json_extract(metadata, '$.tier') = 'gold' FROM t",
    "SELECT metadata ->> 'tier' FROM t",
    "SELECT metadata -> '$.tier' FROM t",
    "SELECT json_extract(metadata, '$.n') FROM t",
    "SELECT strftime('%Y', created), date(created, '+1 day'), datetime(created) FROM t",
    "SELECT ifnull(NULL, amount), iif(amount > 1000, 'big', 'small'), coalesce(NULL, 1) FROM t",
    "SELECT name LIKE 'jane%', name GLOB 'J*', name NOT LIKE '%x%' FROM t",
    "SELECT amount / 100, amount % 7, CAST(amount AS TEXT), amount || 'c' FROM t",
    "SELECT substr(name, 1, 4), upper(name), length(name), instr(name, 'D') FROM t",
    "SELECT group_concat(name, ','), total(amount), count(DISTINCT name) FROM t",
    "SELECT amount BETWEEN 1000 AND 2000, amount IN (1, 1500), created >= '2024-01-01' FROM t",
    "SELECT CASE WHEN amount > 1 THEN 'a' ELSE 'b' END, name IS NOT NULL FROM t",
    "SELECT row_number() OVER (ORDER BY amount), sum(amount) OVER () FROM t",
    "SELECT * FROM (SELECT amount AS a FROM t) AS virtual_table WHERE a > 1 LIMIT 5 OFFSET 0",
    "WITH x AS (SELECT amount FROM t) SELECT amount FROM x UNION ALL SELECT 2",
    "SELECT julianday(created) - julianday('2024-01-01'), unixepoch(created) FROM t",
    "SELECT printf('%.2f', amount / 100.0), round(amount / 3.0, 2), abs(-amount) FROM t",
]


@pytest.mark.parametrize("sql", QUERIES)
def test_regenerated_sql_means_the_same_in_sqlite(sql):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (metadata TEXT, created TEXT, amount INTEGER, name TEXT)")
    db.execute("INSERT INTO t VALUES (?, ?, ?, ?)", ROW)
    regenerated = to_sql(sqlglot.parse_one(sql, read=DIALECT))
    assert db.execute(regenerated).fetchall() == db.execute(sql).fetchall(), regenerated
