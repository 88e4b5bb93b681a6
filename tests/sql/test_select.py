"""execute_select end to end on the fake Stripe: rows, types, requests, streaming."""

import datetime as dt

import pytest

from stripe_dbapi.exceptions import DataError, ProgrammingError
from stripe_dbapi.sql.bind import bind_parameters
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.select import execute_select

UTC = dt.timezone.utc


def run(conn, sql, params=None):
    before = conn.client.request_count
    result = execute_select(conn, bind_parameters(parse_statement(sql), params))
    rows = list(result.rows)
    return result.description, rows, conn.client.request_count - before


def test_types_come_back_as_python_values(fake_conn):
    description, rows, requests = run(
        fake_conn, "SELECT id, created, livemode, balance, metadata, metadata ->> 'tier' AS tier "
        "FROM customers WHERE id = ?", ["cus_0005"])
    assert [d[1] for d in description] == ["string", "datetime", "boolean", "integer", "json", "string"]
    assert rows == [("cus_0005", dt.datetime(2023, 11, 15, 3, 13, 20, tzinfo=UTC), False, 50,
                     '{"tier":"gold"}', "gold")]
    assert requests == 1


def test_missing_id_is_no_row_not_an_error(fake_conn):
    assert run(fake_conn, "SELECT * FROM customers WHERE id IN ('cus_0001', 'cus_nope')")[1:] == (
        [run(fake_conn, "SELECT * FROM customers WHERE id = 'cus_0001'")[1][0]], 2)


def test_residual_filters_run_locally_and_results_use_canonical_names(fake_conn):
    description, rows, requests = run(
        fake_conn, "SELECT Id, CustomerId, Amount FROM Charge WHERE CustomerId = 'cus_0003' "
        "AND amount % 500 <> 3 OR amount = 1003 ORDER BY amount")
    assert [d[0] for d in description] == ["id", "customer", "amount"]
    assert rows == [("ch_0003_1", "cus_0003", 1003)]
    assert requests == 1


def test_join_group_by_having_and_datetime_functions(fake_conn):
    _, rows, requests = run(
        fake_conn,
        "SELECT c.id, count(*) AS n, sum(ch.amount) AS total, date(max(ch.created)) AS last_day "
        "FROM customers c JOIN charges ch ON ch.customer = c.id "
        "WHERE c.created >= '2023-11-16' AND ch.currency = 'usd' "
        "GROUP BY c.id HAVING total > 1500 ORDER BY c.id")
    assert rows == [(f"cus_00{i}", 2, 1500 + 2 * i, "2023-11-16") for i in (26, 27, 28, 29)]
    assert requests == 2


def test_virtual_table_subquery_cte_union_and_window(fake_conn):
    _, rows, _ = run(
        fake_conn,
        "SELECT status, cnt FROM (SELECT status, count(*) AS cnt FROM charges GROUP BY status) "
        "AS virtual_table ORDER BY status")
    assert rows == [("failed", 22), ("succeeded", 68)]
    _, rows, _ = run(
        fake_conn,
        "WITH gold AS (SELECT id FROM customers WHERE metadata ->> 'tier' = 'gold') "
        "SELECT id FROM gold UNION SELECT id FROM customers WHERE id = 'cus_0001' ORDER BY id")
    assert [r[0] for r in rows] == ["cus_0000", "cus_0001", "cus_0005", "cus_0010", "cus_0015",
                                    "cus_0020", "cus_0025"]
    _, rows, _ = run(
        fake_conn,
        "SELECT id, row_number() OVER (PARTITION BY customer ORDER BY amount DESC) AS rn "
        "FROM charges WHERE customer = 'cus_0002' ORDER BY rn")
    assert [r[1] for r in rows] == [1, 2, 3]


def test_subscriptions_include_canceled_and_prices_include_inactive(fake_conn):
    assert run(fake_conn, "SELECT count(*) FROM subscriptions")[1] == [(30,)]
    assert run(fake_conn, "SELECT count(*) FROM prices")[1:] == ([(8,)], 2)


def test_after_a_write_search_is_not_used_and_the_list_answers(fake_conn):
    sql = "SELECT id FROM customers WHERE metadata ->> 'tier' = 'gold'"
    searched = run(fake_conn, sql)[1]
    assert fake_conn.client.request_log[-1].path == "/v1/customers/search"
    fake_conn.write_log.record("charges", {"id": "ch_new", "object": "charge"})
    _, rows, requests = run(fake_conn, sql)
    assert sorted(rows) == sorted(searched) and requests == 1
    assert fake_conn.client.request_log[-1].path == "/v1/customers"


def test_data_error_comes_before_any_request(fake_conn):
    with pytest.raises(DataError):
        run(fake_conn, "SELECT * FROM charges WHERE created >= 'yesterdayish'")
    assert fake_conn.client.request_count == 0


def test_unknown_column_in_sql_is_a_programming_error(fake_conn):
    with pytest.raises(ProgrammingError, match="amount"):
        run(fake_conn, "SELECT amont FROM charges")


def test_sys_tables_list_the_catalog_without_requests(fake_conn):
    _, rows, requests = run(fake_conn, "SELECT TableName FROM sys_tables WHERE TableName LIKE 'c%'")
    assert sorted(r[0] for r in rows) == ["cards", "charges", "customers"]
    _, rows, _ = run(fake_conn, "SELECT ColumnName, DataTypeName FROM sys_columns "
                                "WHERE TableName = 'charges' AND Ordinal <= 2")
    assert rows == [("id", "string"), ("amount", "integer")]
    assert requests == 0


def test_ids_for_writes_are_one_minimal_select(fake_conn):
    """The writes engineer's path: SELECT id[, parent] FROM t WHERE ... as an AST."""
    _, rows, requests = run(fake_conn, "SELECT id, customer FROM cards WHERE customer = 'cus_0001'")
    assert rows == [("card_0001", "cus_0001")] and requests == 1


@pytest.fixture
def big_conn(fake_conn, fake_stripe):
    for i in range(250):
        fake_stripe.add("/v1/products", {"id": f"prod_big_{i}", "object": "product", "name": f"P{i}",
                                         "active": True, "created": 1_800_000_000 + i})
    return fake_conn


def test_single_table_scans_stream_page_by_page(big_conn):
    client = big_conn.client
    result = execute_select(big_conn, parse_statement("SELECT id, upper(name) FROM products WHERE active"))
    assert client.request_count == 1  # the first page, for the description and first rows
    first = [next(result.rows) for _ in range(100)]
    assert first[0][0] == "prod_big_249" and client.request_count == 1
    # Past the first page, the rest is read in created slices concurrently (scan.py).
    rest = [next(result.rows)] + list(result.rows)
    assert client.request_count >= 2
    ids = [row[0] for row in first + rest]
    assert len(ids) == len(set(ids)) == 250 + 3


def test_limit_stops_paging_early(big_conn):
    _, rows, requests = run(big_conn, "SELECT id FROM products LIMIT 120 OFFSET 10")
    assert len(rows) == 120 and requests == 2
    assert big_conn.client.request_log[-1].params["limit"] == 30


@pytest.mark.parametrize("join", [
    "customers c JOIN charges ch ON ch.customer = c.id",
    "customers c LEFT JOIN charges ch ON ch.customer = c.id",
    "charges ch JOIN customers c ON c.id = ch.customer",
    "customers c, charges ch",
])
@pytest.mark.parametrize("where", [
    "c.email IN ('user3@example.com', 'user4@example.com')",
    "c.metadata ->> 'tier' = 'gold' AND (ch.customer = c.id OR ch.customer IS NULL)",
    "ch.amount > 1520",
    "ch.customer = c.id AND c.email = 'nobody@example.com'",
])
def test_join_restricted_fetch_gives_the_rows_of_full_scans(fake_conn, join, where):
    select = "SELECT c.id, ch.id FROM {} WHERE {} ORDER BY 1, 2"
    _, rows, _ = run(fake_conn, select.format(join, where))
    full = join.replace("customers c", "(SELECT * FROM customers LIMIT -1) c").replace(
        "charges ch", "(SELECT * FROM charges LIMIT -1) ch")
    assert rows == run(fake_conn, select.format(full, where))[1]


def test_join_fetches_the_other_side_only_for_the_keys_found(fake_conn):
    _, rows, requests = run(fake_conn, "SELECT ch.id FROM customers c JOIN charges ch ON ch.customer = c.id "
                                       "WHERE c.email = 'user3@example.com' ORDER BY 1")
    assert rows == [("ch_0003_0",), ("ch_0003_1",), ("ch_0003_2",)] and requests == 2
    assert fake_conn.client.request_log[-1].params == {"customer": "cus_0003", "limit": 100}


def _full(table: str) -> str:
    return f"(SELECT * FROM {table} LIMIT -1)"


@pytest.mark.parametrize("template", [
    "SELECT id FROM {customers} AS c WHERE id NOT IN (SELECT customer FROM {charges} AS x WHERE status = 'failed')",
    ("SELECT id, (SELECT count(*) FROM {charges} AS ch WHERE ch.customer = c.id) AS n FROM {customers} AS c "
    "WHERE EXISTS (SELECT 1 FROM {charges} AS x WHERE customer = c.id AND amount > 1520)"),
    ("SELECT customer FROM {charges} AS x WHERE amount > 1500 INTERSECT "
    "SELECT id FROM {customers} AS c WHERE metadata ->> 'tier' = 'gold'"),
    ("WITH t AS (SELECT customer, sum(amount) AS s FROM {charges} AS x WHERE currency = 'usd' GROUP BY customer) "
    "SELECT c.email, t.s FROM t JOIN {customers} AS c ON c.id = t.customer WHERE t.s > 1540"),
])
def test_subqueries_give_the_rows_of_full_scans(fake_conn, template):
    pushed = run(fake_conn, template.format(customers="customers", charges="charges"))[1]
    full = run(fake_conn, template.format(customers=_full("customers"), charges=_full("charges")))[1]
    assert sorted(pushed) == sorted(full) and pushed


def test_json_each_table_valued_function_over_a_json_column(fake_conn):
    _, rows, requests = run(fake_conn, "SELECT c.id, j.key, j.value FROM customers c, json_each(c.metadata) j "
                                       "WHERE c.id = 'cus_0001'")
    assert rows == [("cus_0001", "tier", "basic")] and requests == 1


def test_independent_calls_of_a_plan_go_through_the_clients_pool(fake_conn, fake_stripe):
    run(fake_conn, "SELECT c.id, ch.id FROM customers c, charges ch WHERE ch.customer IN ('cus_0001', 'cus_0002')"
                   " AND c.id IN ('cus_0003', 'cus_0004')")
    assert len(fake_stripe.threads) == 4
    assert all(name.startswith("stripe-dbapi") for name in fake_stripe.threads)


def test_a_selective_residual_does_not_read_ahead_before_the_first_fetch(big_conn):
    result = execute_select(big_conn, parse_statement("SELECT id FROM products WHERE name = 'P3'"))
    assert big_conn.client.request_count == 1  # execute() returned after one page
    assert list(result.rows) == [("prod_big_3",)]
    # Past the first page the rest is read in created slices (scan.py): each slice ends with
    # a partial page, so 3 pages of products take a few more requests than 3.
    assert 3 <= big_conn.client.request_count <= 3 + big_conn.client.max_concurrency


def test_ids_cannot_walk_to_another_endpoint_and_empty_ids_send_nothing(fake_conn, fake_stripe):
    assert run(fake_conn, "SELECT id FROM charges WHERE id = ?", ["../charges/ch_0001_0"])[1:] == ([], 1)
    assert fake_stripe.requests[-1][1] == "/v1/charges/../charges/ch_0001_0"  # one segment, decoded
    assert run(fake_conn, "SELECT id FROM cards WHERE customer = ? OR customer = '..'", [""])[1:] == ([], 0)


def test_an_ambiguous_column_in_a_join_fails_before_any_request(fake_conn):
    with pytest.raises(ProgrammingError, match=r"ambiguous column name 'id' \(in charges and customers\): "
                                               r"write charges\.id or customers\.id") as info:
        run(fake_conn, "SELECT id FROM charges JOIN customers ON customers.id = charges.customer")
    assert "_t0" not in str(info.value) and fake_conn.client.request_count == 0
    rows = run(fake_conn, "SELECT charges.id AS id FROM charges JOIN customers ON customers.id = charges.customer "
                          "WHERE customers.id = 'cus_0001' ORDER BY id")[1]
    assert len(rows) == 3


def test_an_unknown_column_in_a_join_suggests_from_every_table(fake_conn):
    with pytest.raises(ProgrammingError, match=r"unknown column 'emial' in charges c, customers u; "
                                               r"did you mean: u\.email\?"):
        run(fake_conn, "SELECT c.id FROM charges c JOIN customers u ON u.id = c.customer WHERE emial = 'x'")
    assert fake_conn.client.request_count == 0


def test_forgiving_names_reach_through_derived_tables_and_ctes(fake_conn):
    assert run(fake_conn, "SELECT t.CustomerId FROM (SELECT * FROM Charge) t WHERE t.Id = 'ch_0001_0'")[1] == [
        ("cus_0001",)]
    assert run(fake_conn, "SELECT CustomerId, Total FROM (SELECT customer, amount AS total FROM charges) "
                          "WHERE customer = 'cus_0001' ORDER BY total LIMIT 1")[0][0][0] == "customer"
    assert run(fake_conn, "WITH x AS (SELECT c.* FROM charges c) SELECT x.CustomerId FROM x "
                          "WHERE x.id = 'ch_0001_0'")[1] == [("cus_0001",)]


def test_computed_result_columns_are_named_as_written(fake_conn):
    description = run(fake_conn, "SELECT max(created), Count( * ), amount/100.0 AS a, amount / 2, id "
                                 "FROM charges WHERE customer = 'cus_0001' GROUP BY id "
                                 "UNION ALL SELECT 1, 2, 3, 4, 'x'")[0]
    assert [d[0] for d in description] == ["max(created)", "Count( * )", "a", "amount / 2", "id"]


def test_truth_values_and_datetime_grains_come_back_typed(fake_conn):
    description, rows, _ = run(fake_conn, "SELECT amount > 1000, datetime(created, 'start of day') AS day, "
                                          "date(created) FROM charges WHERE id = 'ch_0001_0'")
    assert [d[1] for d in description] == ["boolean", "datetime", "string"]
    (flag, day, date_text), = rows
    assert isinstance(flag, bool) and day.tzinfo is not None and day.hour == 0 and isinstance(date_text, str)
