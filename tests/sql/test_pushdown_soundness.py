"""Property: for any WHERE, the rows with pushdown equal a full scan filtered locally.

The full scan is the same WHERE over ``(SELECT * FROM charges LIMIT -1) AS t``: a
derived table with a LIMIT of its own (-1: none, in SQLite) takes no outer predicate,
so it lists everything and SQLite filters.
"""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.select import execute_select

BASE = 1_700_000_000


def _iso(seconds):
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


customers = st.sampled_from(["'cus_0001'", "'cus_0002'", "'cus_0017'", "'cus_nope'"])
statuses = st.sampled_from(["'succeeded'", "'failed'", "'SUCCEEDED'"])
currencies = st.sampled_from(["'usd'", "'eur'", "'USD'"])
amounts = st.integers(400, 1600).map(str)
createds = st.integers(BASE - 100, BASE + 31 * 3600).flatmap(
    lambda s: st.sampled_from([str(s), f"'{_iso(s)}'", f"'{_iso(s)[:10]}'"]))
ops = st.sampled_from(["=", "<>", "<", "<=", ">", ">="])


def _comparison(column, values):
    return st.tuples(ops, values).map(lambda t: f"{column} {t[0]} {t[1]}")


def _in(column, values):
    return st.lists(values, min_size=1, max_size=3).map(lambda vs: f"{column} IN ({', '.join(vs)})")


atoms = st.one_of(
    _comparison("customer", customers), _in("customer", customers),
    _comparison("status", statuses), _in("status", statuses),
    _comparison("currency", currencies),
    _comparison("amount", amounts), _comparison("created", createds),
    st.tuples(createds, createds).map(lambda t: f"created BETWEEN {t[0]} AND {t[1]}"),
    st.sampled_from(["refunded", "NOT refunded", "refunded = 1", "customer IS NULL",
                     "refunded IS TRUE", "refunded IS NOT FALSE", "customer IS 'cus_0002'", "id = ''",
                     "metadata ->> 'order' = 'o10'", "json_extract(metadata, '$.order') = 'o21'",
                     "currency LIKE 'u%'", "created >= date('2023-11-15', '+12 hours')", "id = 'ch_0001_1'", "id IN ('ch_0002_0', 'ch_0003_2', 'nope')"]),
)
wheres = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda t: f"({t[0]} AND {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} OR {t[1]})"),
        inner.map(lambda w: f"NOT ({w})"),
    ),
    max_leaves=4,
)


def _ids(conn, sql):
    return sorted(row[0] for row in execute_select(conn, parse_statement(sql)).rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=wheres, limit=st.sampled_from(["", " LIMIT 3", " LIMIT 200", " ORDER BY created DESC LIMIT 4"]),
       use_search=st.booleans())
def test_pushdown_equals_full_scan_filtered_locally(fake_conn, where, limit, use_search):
    fake_conn.use_search = use_search
    pushed = _ids(fake_conn, f"SELECT id FROM charges WHERE {where}{limit}")
    full = _ids(fake_conn, f"SELECT id FROM (SELECT * FROM charges LIMIT -1) AS t WHERE {where}")
    assert fake_conn.client.request_log[-1].params == {"limit": 100}  # really a full scan
    # BI tools' virtual tables get the outer WHERE pushed into them: same rows.
    assert _ids(fake_conn, f"SELECT id FROM (SELECT * FROM charges) AS t WHERE {where}") == full
    if "ORDER BY" in limit:
        # created is unique in this data, so the newest four are one set.
        newest = _ids(fake_conn, f"SELECT id FROM (SELECT * FROM charges LIMIT -1) AS t WHERE {where}{limit}")
        assert pushed == newest
    elif limit == " LIMIT 3":
        # Stripe's order is not guaranteed: any 3 matching rows are right.
        assert set(pushed) <= set(full) and len(pushed) == min(3, len(full))
    else:
        assert pushed == full
