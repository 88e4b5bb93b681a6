from stripe_dbapi.writes.many import execute_many


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


def test_other_statements_are_left_to_the_caller(fake_conn, stripe):
    assert (
        execute_many(fake_conn, "UPDATE customers SET name = ? WHERE id = ?", [("a", "cus_1")])
        is None
    )
    assert (
        execute_many(fake_conn, "INSERT INTO customers (name) VALUES (?) RETURNING id", [("a",)])
        is None
    )
    assert stripe.requests == []
