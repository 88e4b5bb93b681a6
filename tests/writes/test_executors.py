"""INSERT/UPDATE/DELETE against a mock Stripe: what is sent, what is returned."""

import pytest
import sqlglot

from stripe_dbapi.exceptions import (
    DataError,
    NotSupportedError,
    OperationalError,
    PartialWriteError,
    ProgrammingError,
)
from stripe_dbapi.writes import execute_write


def run(conn, sql):
    return execute_write(conn, sqlglot.parse_one(sql, read="sqlite"))


def test_insert_rows_each_get_their_own_idempotency_key(fake_conn, stripe):
    result = run(fake_conn, "INSERT INTO Customer (Name, Balance) VALUES ('a', 10.0), ('b', 2 * 3)")
    assert result.rowcount == 2
    assert result.description is None
    posts = sorted(stripe.requests, key=lambda r: r.body["name"])
    assert [(r.method, r.path, r.body) for r in posts] == [
        ("POST", "/v1/customers", {"name": "a", "balance": "10"}),
        ("POST", "/v1/customers", {"name": "b", "balance": "6"}),
    ]
    keys = {r.idempotency_key for r in posts}
    assert len(keys) == 2 and None not in keys
    assert result.lastrowid.startswith("obj_")
    objects, _ = fake_conn.write_log.recent("customers")
    assert len(objects) == 2


def test_insert_card_goes_to_customer_sources(fake_conn, stripe):
    run(fake_conn, "INSERT INTO Cards (CustomerId, Token) VALUES ('cus_1', 'tok_1')")
    assert [(r.path, r.body) for r in stripe.requests] == [
        ("/v1/customers/cus_1/sources", {"source": "tok_1"})
    ]


def test_bad_value_in_any_row_sends_nothing(fake_conn, stripe):
    with pytest.raises(DataError, match="whole number"):
        run(fake_conn, "INSERT INTO customers (name, balance) VALUES ('a', 1), ('b', 10.5)")
    assert stripe.requests == []


def test_insert_needs_a_column_list(fake_conn):
    with pytest.raises(ProgrammingError, match="needs a column list"):
        run(fake_conn, "INSERT INTO customers VALUES ('a')")


def test_insert_value_count_must_match(fake_conn):
    with pytest.raises(ProgrammingError, match="row 1 has 2 values for 1 columns"):
        run(fake_conn, "INSERT INTO customers (name) VALUES ('a', 'b')")


def test_insert_value_must_be_constant(fake_conn):
    with pytest.raises(ProgrammingError, match="must be a constant"):
        run(fake_conn, "INSERT INTO customers (name) VALUES (other)")


def test_partial_failure_names_done_and_not_done(fake_conn, stripe):
    fake_conn.client.max_concurrency = 1  # deterministic order
    with pytest.raises(PartialWriteError) as info:
        run(fake_conn, "INSERT INTO customers (name) VALUES ('a'), ('fail'), ('c')")
    error = info.value
    assert error.done == ["obj_1"]
    assert error.not_done == ["row 2", "row 3"]
    assert "Done: obj_1" in str(error) and "Not done: row 2, row 3" in str(error)
    assert len(stripe.requests) == 2  # row 3 was never started
    assert isinstance(error.__cause__, DataError)  # what the client maps code parameter_invalid to


def test_single_row_failure_is_stripes_error_unchanged(fake_conn):
    with pytest.raises(DataError, match="Refused"):
        run(fake_conn, "INSERT INTO customers (name) VALUES ('fail')")


def test_multi_row_failure_with_nothing_done_is_stripes_error_with_the_lists(fake_conn, stripe):
    fake_conn.client.max_concurrency = 1
    with pytest.raises(DataError, match="Refused") as info:
        run(fake_conn, "UPDATE customers SET name = 'x' WHERE id IN ('cus_fail', 'cus_2', 'cus_3')")
    error = info.value
    assert not isinstance(error, PartialWriteError)
    assert (error.done, error.not_done, error.failed) == (
        [],
        ["cus_fail", "cus_2", "cus_3"],
        ["cus_fail"],
    )
    assert len(stripe.requests) == 1


def test_update_by_id_and_in_list(fake_conn, stripe):
    result = run(fake_conn, "UPDATE customers SET name = 'Charlie' WHERE id IN ('cus_1', 'cus_2')")
    assert result.rowcount == 2
    assert sorted((r.method, r.path, r.body["name"]) for r in stripe.requests) == [
        ("POST", "/v1/customers/cus_1", "Charlie"),
        ("POST", "/v1/customers/cus_2", "Charlie"),
    ]


def test_update_by_bare_entity_id_filter_clause(fake_conn, stripe):
    run(fake_conn, "UPDATE prices SET Nickname = 'Price Update' WHERE 'price_1'")
    assert [(r.path, r.body) for r in stripe.requests] == [
        ("/v1/prices/price_1", {"nickname": "Price Update"})
    ]


def test_a_bare_string_sqlite_reads_as_true_is_no_id_but_every_row(fake_conn, stripe):
    with pytest.raises(ProgrammingError, match="would touch every object of prices"):
        run(fake_conn, "UPDATE prices SET Nickname = 'x' WHERE '1'")
    assert run(fake_conn, "DELETE FROM customers WHERE ''").rowcount == 0  # matches nothing
    assert stripe.requests == []


def test_update_card_by_customer_and_id(fake_conn, stripe):
    run(
        fake_conn,
        "UPDATE Cards SET AddressCountry = 'US' WHERE CustomerId = 'cus_1' AND Id = 'card_1'",
    )
    assert [(r.path, r.body) for r in stripe.requests] == [
        ("/v1/customers/cus_1/sources/card_1", {"address_country": "US"})
    ]


def test_update_contradictory_ids_sends_nothing(fake_conn, stripe):
    result = run(fake_conn, "UPDATE customers SET name = 'x' WHERE id = 'a' AND id = 'b'")
    assert result.rowcount == 0 and stripe.requests == []


def test_update_of_missing_object_affects_no_row(fake_conn):
    assert run(fake_conn, "UPDATE customers SET name = 'x' WHERE id = 'cus_missing'").rowcount == 0


def test_update_null_unsets(fake_conn, stripe):
    run(
        fake_conn,
        "UPDATE customers SET name = NULL, metadata = '{\"a\": \"b\"}' WHERE id = 'cus_1'",
    )
    assert stripe.requests[0].body == {"name": "", "metadata[a]": "b"}


def test_update_read_only_column_refused_before_any_request(fake_conn, stripe):
    with pytest.raises(ProgrammingError, match="'created' of customers cannot be set by UPDATE"):
        run(fake_conn, "UPDATE customers SET created = 1 WHERE id = 'cus_1'")
    assert stripe.requests == []


def test_update_cannot_move_a_card(fake_conn):
    with pytest.raises(ProgrammingError, match="cannot move cards"):
        run(
            fake_conn,
            "UPDATE cards SET customer = 'cus_2' WHERE customer = 'cus_1' AND id = 'card_1'",
        )


def test_full_table_writes_need_the_flag(fake_conn, stripe):
    with pytest.raises(ProgrammingError, match="allow_full_table_writes=True"):
        run(fake_conn, "UPDATE customers SET name = 'x'")
    with pytest.raises(ProgrammingError, match="without WHERE"):
        run(fake_conn, "DELETE FROM customers")
    assert stripe.requests == []


def test_readonly_refuses_every_write_before_any_request(fake_conn, stripe):
    fake_conn.readonly = True
    for sql in (
        "INSERT INTO customers (name) VALUES ('a')",
        "UPDATE customers SET name = 'x' WHERE id = 'cus_1'",
        "DELETE FROM customers WHERE id = 'cus_1'",
    ):
        with pytest.raises(OperationalError, match="readonly=True"):
            run(fake_conn, sql)
    assert stripe.requests == []


def test_delete_by_id_records_deletion(fake_conn, stripe):
    result = run(fake_conn, "DELETE FROM Customer WHERE id = 'cus_1'")
    assert result.rowcount == 1
    assert [(r.method, r.path) for r in stripe.requests] == [("DELETE", "/v1/customers/cus_1")]
    assert fake_conn.write_log.recent("customers")[1] == {"cus_1"}


def test_delete_card_needs_parent(fake_conn, stripe):
    run(fake_conn, "DELETE FROM cards WHERE customer = 'cus_1' AND id IN ('card_1', 'card_2')")
    assert sorted(r.path for r in stripe.requests) == [
        "/v1/customers/cus_1/sources/card_1",
        "/v1/customers/cus_1/sources/card_2",
    ]


def test_delete_where_stripe_has_none_names_the_alternative(fake_conn):
    with pytest.raises(
        NotSupportedError,
        match=r"no delete for prices; instead, archive it: UPDATE prices SET active = false",
    ):
        run(fake_conn, "DELETE FROM prices WHERE id = 'price_1'")


def test_partial_update_failure_lists_ids(fake_conn, stripe):
    fake_conn.client.max_concurrency = 1
    with pytest.raises(PartialWriteError) as info:
        run(fake_conn, "UPDATE customers SET name = 'x' WHERE id IN ('cus_1', 'cus_fail', 'cus_3')")
    assert (info.value.done, info.value.not_done) == (["cus_1"], ["cus_fail", "cus_3"])
    assert info.value.failed == ["cus_fail"]
    assert "failed: cus_fail; the rest were not attempted" in str(info.value)


def test_insert_missing_a_required_param_is_named_before_any_request(fake_conn, stripe):
    with pytest.raises(
        ProgrammingError, match=r"INSERT INTO prices needs currency \(Stripe requires it\)"
    ):
        run(fake_conn, "INSERT INTO prices (unit_amount) VALUES (100)")
    with pytest.raises(ProgrammingError, match="INSERT INTO cards needs source"):
        run(fake_conn, "INSERT INTO cards (customer) VALUES ('cus_1')")
    assert stripe.requests == []


def test_insert_default_values_creates_one_object(fake_conn, stripe):
    result = run(fake_conn, "INSERT INTO customers DEFAULT VALUES")
    assert result.rowcount == 1
    assert [(r.path, r.body) for r in stripe.requests] == [("/v1/customers", {})]


def test_a_message_names_three_or_more_consecutive_rows_as_a_range():
    from stripe_dbapi.writes.run import listed_rows

    labels = ["row 2", "row 4", "row 5", "row 6", "cus_x", *(f"row {n}" for n in range(9, 10_001))]
    assert listed_rows(labels) == "row 2, rows 4-6, cus_x, rows 9-10000"
    assert listed_rows(["row 2", "row 3"]) == "row 2, row 3"
