import pytest

from stripe_dbapi.exceptions import DataError, PartialWriteError, ProgrammingError
from stripe_dbapi.execute import execute_many


def test_insert_parameter_sets_become_one_concurrent_batch(fake_conn, stripe):
    result = execute_many(
        fake_conn,
        "INSERT INTO customers (name, balance) VALUES (?, ?)",
        [("a", 1), ("b", 2.0), ("c", 3)],
    )
    assert result.rowcount == 3
    assert sorted((r.body["name"], r.body["balance"]) for r in stripe.requests) == [
        ("a", "1"),
        ("b", "2"),
        ("c", "3"),
    ]
    assert len({r.idempotency_key for r in stripe.requests}) == 3


def test_named_parameters_and_empty_batch(fake_conn, stripe):
    execute_many(fake_conn, "INSERT INTO customers (name) VALUES (:n)", [{"n": "x"}])
    assert [r.body for r in stripe.requests] == [{"name": "x"}]
    assert execute_many(fake_conn, "INSERT INTO customers (name) VALUES (?)", []).rowcount == 0


def test_explain_of_a_write_runs_once_per_set_and_sends_nothing(fake_conn, stripe):
    result = execute_many(fake_conn, "EXPLAIN DELETE FROM customers WHERE id = ?", [("cus_1",), ("cus_2",)])
    assert [(row[2], row[3]) for row in result.rows] == [("DELETE", "/v1/customers/cus_2")]
    assert stripe.requests == []


def test_update_and_delete_sets_are_all_checked_before_the_first_request(fake_conn, stripe):
    with pytest.raises(DataError, match="whole number"):
        execute_many(
            fake_conn,
            "UPDATE customers SET balance = ? WHERE id = ?",
            [(1, "cus_1"), (2.5, "cus_2")],
        )
    with pytest.raises(ProgrammingError, match="needs CustomerId"):
        execute_many(fake_conn, "DELETE FROM cards WHERE id = ?", [("card_1",)])
    assert stripe.requests == []


def test_update_sets_run_in_order(fake_conn, stripe):
    result = execute_many(
        fake_conn,
        "UPDATE customers SET name = ? WHERE id = ?",
        [("a", "cus_1"), ("b", "cus_2"), ("c", "")],  # '' matches nothing, sends nothing
    )
    assert result.rowcount == 2
    assert [(r.path, r.body) for r in stripe.requests] == [
        ("/v1/customers/cus_1", {"name": "a"}),
        ("/v1/customers/cus_2", {"name": "b"}),
    ]


def test_failure_part_way_lists_what_was_done(fake_conn, stripe):
    with pytest.raises(PartialWriteError) as info:
        execute_many(
            fake_conn,
            "DELETE FROM customers WHERE id = ?",
            [("cus_1",), ("cus_fail",), ("cus_3",)],
        )
    error = info.value
    assert (error.done, error.not_done, error.failed) == (
        ["cus_1"],
        ["parameter set 2", "parameter set 3"],
        ["parameter set 2"],
    )
    assert error.__cause__.code == "parameter_invalid"
    assert [r.path for r in stripe.requests] == ["/v1/customers/cus_1", "/v1/customers/cus_fail"]


def test_failure_with_nothing_done_is_stripes_own_error(fake_conn, stripe):
    with pytest.raises(DataError) as info:  # Stripe's parameter_invalid, as for one row
        execute_many(
            fake_conn, "UPDATE customers SET name = 'x' WHERE id = ?", [("cus_fail",), ("cus_2",)]
        )
    assert not isinstance(info.value, PartialWriteError)
    assert info.value.code == "parameter_invalid"
    assert (info.value.done, info.value.not_done) == ([], ["parameter set 1", "parameter set 2"])
    assert len(stripe.requests) == 1
