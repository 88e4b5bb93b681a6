"""Writes when the network or Stripe fails part-way, on the emulator."""

import pytest

import stripe_dbapi
from stripe_dbapi.exceptions import PartialWriteError


def connect(emu, **options):
    return stripe_dbapi.connect(api_key="sk_test_faults", base_url=emu.base_url, **options)


def test_dropped_connection_after_create_is_retried_with_the_same_key_and_creates_once(
    fresh_emulator,
):
    emu = fresh_emulator
    # The server creates the customer, then drops the connection without answering.
    emu.faults.fail_next("/v1/customers", drop_after_processing=True, method="POST")
    conn = connect(emu, max_retries=2)
    cursor = conn.cursor()
    cursor.execute("INSERT INTO Customer (Name) VALUES ('abc')")
    posts = [r for r in emu.requests if r.method == "POST"]
    assert len(posts) == 2
    first_key, retry_key = (r.headers.get("idempotency-key") for r in posts)
    assert first_key and first_key == retry_key
    customers = emu.objects("customers")
    assert [c["name"] for c in customers] == ["abc"]
    assert cursor.lastrowid == customers[0]["id"]


def test_dropped_connection_on_an_action_does_not_act_twice(fresh_emulator):
    emu = fresh_emulator
    conn = connect(emu, max_retries=2)
    cursor = conn.cursor()
    cursor.execute("INSERT INTO payment_methods (type) VALUES ('card')")
    pm = cursor.lastrowid
    cursor.execute(
        "INSERT INTO payment_intents (amount, currency, payment_method) VALUES (500, 'usd', ?)",
        [pm],
    )
    intent = cursor.lastrowid
    emu.faults.fail_next(
        f"/v1/payment_intents/{intent}/confirm", drop_after_processing=True, method="POST"
    )
    cursor.execute("CALL ConfirmPaymentIntent(?)", [intent])
    assert cursor.fetchone()[0] is True
    assert (
        len(emu.objects("charges")) == 1
    )  # a second confirm would have been refused or charged twice


def test_partial_insert_failure_stops_and_lists_rows(fresh_emulator):
    emu = fresh_emulator
    conn = connect(emu, max_retries=0, max_concurrency=1)
    cursor = conn.cursor()
    # Row 2 refers to a customer that does not exist: Stripe refuses it.
    with pytest.raises(PartialWriteError) as info:
        cursor.execute(
            "INSERT INTO invoiceitems (customer, currency, amount) VALUES "
            "(?, 'usd', 100), ('cus_nope', 'usd', 200), (?, 'usd', 300)",
            [_customer(cursor), _customer(cursor)],
        )
    error = info.value
    assert len(error.done) == 1 and error.done[0].startswith("ii_")
    assert error.not_done == ["row 2", "row 3"]
    assert "cus_nope" in str(error.__cause__)
    assert [i["amount"] for i in emu.objects("invoiceitems")] == [100]


def _customer(cursor):
    cursor.execute("INSERT INTO customers (name) VALUES ('c')")
    return cursor.lastrowid


def test_executemany_insert_is_one_concurrent_batch(fresh_emulator):
    emu = fresh_emulator
    cursor = connect(emu).cursor()
    cursor.executemany(
        "INSERT INTO customers (name, email) VALUES (?, ?)",
        [(f"n{i}", f"n{i}@x.test") for i in range(5)],
    )
    assert cursor.rowcount == 5 and cursor.lastrowid.startswith("cus_")
    assert sorted(c["name"] for c in emu.objects("customers")) == [f"n{i}" for i in range(5)]
    keys = {r.headers.get("idempotency-key") for r in emu.requests if r.method == "POST"}
    assert len(keys) == 5


def test_executemany_checks_every_set_first_then_reports_a_partial_failure(fresh_emulator):
    emu = fresh_emulator
    cursor = connect(emu, max_retries=0).cursor()
    customers = [_customer(cursor) for _ in range(3)]
    emu.reset_requests()
    # An id no object can have, in the last set: refused before the first request.
    with pytest.raises(stripe_dbapi.ProgrammingError, match="not a valid Stripe id"):
        cursor.executemany("CALL CancelQuote(?)", [("qt_1",), ("",)])
    with pytest.raises(stripe_dbapi.DataError, match="whole number"):
        cursor.executemany(
            "UPDATE customers SET balance = ? WHERE id = ?", [(1, customers[0]), (1.5, customers[1])]
        )
    assert emu.requests == []
    # Stripe refuses set 2: set 1 is done, set 2 failed, set 3 never sent.
    emu.faults.fail_next(f"/v1/customers/{customers[1]}", 400, method="POST")
    with pytest.raises(PartialWriteError) as info:
        cursor.executemany(
            "UPDATE customers SET name = ? WHERE id = ?",
            [("one", customers[0]), ("two", customers[1]), ("three", customers[2])],
        )
    assert (info.value.done, info.value.not_done, info.value.unknown) == (
        [customers[0]],
        ["parameter set 2", "parameter set 3"],
        [],
    )
    assert isinstance(info.value.__cause__, stripe_dbapi.ProgrammingError)
    names = {c["id"]: c["name"] for c in emu.objects("customers")}
    assert names == {customers[0]: "one", customers[1]: "c", customers[2]: "c"}
    # A 5xx is indeterminate (Stripe's word): set 2's outcome is unknown, not "not done".
    emu.faults.fail_next(f"/v1/customers/{customers[1]}", 500, method="POST")
    with pytest.raises(PartialWriteError) as info:
        cursor.executemany(
            "UPDATE customers SET name = ? WHERE id = ?",
            [("one", customers[0]), ("two", customers[1]), ("three", customers[2])],
        )
    assert (info.value.done, info.value.not_done) == ([customers[0]], ["parameter set 3"])
    [unknown] = info.value.unknown
    assert unknown.row == f"parameter set 2: {customers[1]}" and unknown.idempotency_key
    assert isinstance(info.value.__cause__, stripe_dbapi.exceptions.APIError)
    # The first set refused: Stripe's own error class, as for one row.
    emu.faults.fail_next(f"/v1/customers/{customers[0]}", 400, method="POST")
    with pytest.raises(stripe_dbapi.ProgrammingError) as first:
        cursor.executemany(
            "UPDATE customers SET name = ? WHERE id = ?", [("x", customers[0]), ("y", customers[1])]
        )
    assert not isinstance(first.value, PartialWriteError)
    assert first.value.done == [] and first.value.not_done == ["parameter set 1", "parameter set 2"]


# --- Lost answers: the outcome is unknown, never "not done" -------------------------


def test_creates_whose_answers_were_lost_are_unknown_with_their_keys(fresh_emulator):
    emu = fresh_emulator
    conn = connect(emu, max_retries=0)
    cursor = conn.cursor()
    # Stripe creates every customer, and every answer is lost.
    emu.faults.fail_next("/v1/customers", drop_after_processing=True, method="POST", count=5)
    with pytest.raises(PartialWriteError, match="may have been applied") as info:
        cursor.execute(
            "INSERT INTO customers (name) VALUES ('a'), ('b'), ('c'), ('d'), ('e')"
        )
    error = info.value
    # Calls not started when the first answer was lost are not started at all (not_done);
    # how many had started depends on thread timing, so the test reads the split.
    unknown_rows = [u.row for u in error.unknown]
    assert (error.done, error.failed) == ([], [])
    assert sorted(unknown_rows + error.not_done) == [f"row {n}" for n in range(1, 6)]
    assert not set(unknown_rows) & set(error.not_done)
    keys = [u.idempotency_key for u in error.unknown]
    assert len(set(keys)) == len(keys) >= 1 and all(keys)
    assert all(key in str(error) for key in keys)
    assert isinstance(error.__cause__, stripe_dbapi.APIConnectionError)
    created = {c["id"] for c in emu.objects("customers")}
    assert len(created) == len(error.unknown)  # every unknown row was in fact created
    emu.faults.clear()  # drops scripted for calls that were never started
    # Re-sent with their keys, Stripe replays the first results: nothing new.
    resent = {conn.resend(unknown)["id"] for unknown in error.unknown}
    assert resent == created
    assert len(emu.objects("customers")) == len(created)
    conn.close()


def test_a_lost_answer_stops_the_write_and_the_rest_is_not_done(fresh_emulator):
    emu = fresh_emulator
    conn = connect(emu, max_retries=0, max_concurrency=1)
    emu.faults.fail_next("/v1/customers", drop_after_processing=True, method="POST")
    with pytest.raises(PartialWriteError) as info:
        conn.cursor().execute("INSERT INTO customers (name) VALUES ('a'), ('b'), ('c')")
    error = info.value
    assert (error.done, error.not_done, [u.row for u in error.unknown]) == (
        [],
        ["row 2", "row 3"],
        ["row 1"],
    )
    assert "response. Done: none. Not done: row 2, row 3 (not attempted)" in str(error)
    assert [c["name"] for c in emu.objects("customers")] == ["a"]
    conn.resend(error.unknown[0])
    assert [c["name"] for c in emu.objects("customers")] == ["a"]
    conn.close()


def test_a_create_that_never_reached_stripe_is_not_done(fresh_emulator):
    # Nothing listens there: the connection is refused before anything is sent.
    conn = stripe_dbapi.connect(api_key="sk_test_faults", base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(stripe_dbapi.APIConnectionError) as info:
        conn.cursor().execute("INSERT INTO customers (name) VALUES ('a'), ('b')")
    assert not isinstance(info.value, PartialWriteError)
    assert info.value.unknown == [] and sorted(info.value.not_done) == ["row 1", "row 2"]
    conn.close()


def test_a_delete_whose_answer_was_lost_is_unknown_and_its_retry_counts_it(fresh_emulator):
    emu = fresh_emulator
    cursor = connect(emu).cursor()
    cursor.execute("INSERT INTO customers (name) VALUES ('a'), ('b')")
    first, second = (c["id"] for c in emu.objects("customers"))
    # No retry: the outcome is unknown; DELETE has no key, running it again is safe.
    emu.faults.fail_next(f"/v1/customers/{first}", drop_after_processing=True, method="DELETE")
    no_retry = connect(emu, max_retries=0)
    with pytest.raises(PartialWriteError, match="may have been applied") as info:
        no_retry.cursor().execute("DELETE FROM customers WHERE id = ?", [first])
    [unknown] = info.value.unknown
    assert (unknown.row, unknown.method, unknown.idempotency_key) == (first, "DELETE", None)
    assert no_retry.resend(unknown)["deleted"] is True  # Stripe's 404: it was deleted
    # With a retry: the retry's 404 means the lost attempt deleted it.
    emu.faults.fail_next(f"/v1/customers/{second}", drop_after_processing=True, method="DELETE")
    cursor.execute("DELETE FROM customers WHERE id = ?", [second])
    assert cursor.rowcount == 1
    assert emu.objects("customers") == []


def test_an_action_whose_answer_was_lost_is_unknown_and_resends_once(fresh_emulator):
    emu = fresh_emulator
    conn = connect(emu, max_retries=0)
    cursor = conn.cursor()
    cursor.execute("INSERT INTO payment_methods (type) VALUES ('card')")
    cursor.execute(
        "INSERT INTO payment_intents (amount, currency, payment_method) VALUES (500, 'usd', ?)",
        [cursor.lastrowid],
    )
    intent = cursor.lastrowid
    emu.faults.fail_next(
        f"/v1/payment_intents/{intent}/confirm", drop_after_processing=True, method="POST"
    )
    with pytest.raises(PartialWriteError, match="may have been applied") as info:
        cursor.execute("CALL ConfirmPaymentIntent(?)", [intent])
    [unknown] = info.value.unknown
    assert unknown.row == "CALL ConfirmPaymentIntent" and unknown.idempotency_key
    assert conn.resend(unknown)["status"] == "succeeded"
    assert len(emu.objects("charges")) == 1  # confirmed once
    conn.close()
