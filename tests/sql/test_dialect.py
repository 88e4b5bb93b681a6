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
    "SELECT max(amount, 2000), min(amount, 10), nullif(amount, 1500), typeof(amount) FROM t",
    "SELECT metadata ->> '$.n', json_extract(metadata, '$.n') + 1, json_type(metadata) FROM t",
    "SELECT key, value FROM t, json_each(t.metadata) ORDER BY key",
    "SELECT name LIKE 'J%' ESCAPE '\\', name = 'jane doe' COLLATE NOCASE, name IS NOT 'x' FROM t",
    "SELECT strftime('%s', created), CAST(strftime('%m', created) AS INTEGER), created || 'Z' FROM t",
    "SELECT EXISTS (SELECT 1 FROM t AS u WHERE u.amount = t.amount), (SELECT count(*) FROM t) FROM t",
    "SELECT amount NOT IN (SELECT amount FROM t), amount NOT BETWEEN 1 AND 2 FROM t",
    "SELECT name, count(*) FROM t GROUP BY name HAVING count(*) >= 1 ORDER BY 2 DESC LIMIT 1 OFFSET 0",
    "SELECT sum(amount) OVER (PARTITION BY name ORDER BY created ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t",
    "SELECT replace(name, ' ', '_'), trim('  a '), hex('a'), char(65), lower(name) FROM t",
    "SELECT CASE amount WHEN 1500 THEN 'x' END, iif(name IS NULL, 0, 1), coalesce(NULL, NULL, 3) FROM t",
]


@pytest.mark.parametrize("sql", QUERIES)
def test_regenerated_sql_means_the_same_in_sqlite(sql):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (metadata TEXT, created TEXT, amount INTEGER, name TEXT)")
    db.execute("INSERT INTO t VALUES (?, ?, ?, ?)", ROW)
    regenerated = to_sql(sqlglot.parse_one(sql, read=DIALECT))
    assert db.execute(regenerated).fetchall() == db.execute(sql).fetchall(), regenerated
