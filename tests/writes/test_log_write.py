"""writes/run.py log_write: the one place writes enter the connection's write log."""


from stripe_dbapi.testing import OfflineConnection
from stripe_dbapi.writes.run import log_write


def conn_with(catalog):
    return OfflineConnection(catalog)


def test_a_statement_s_object_is_logged_under_the_statement_s_table(catalog):
    conn = conn_with(catalog)
    log_write(conn, "customers", {"id": "cus_1", "object": "customer", "name": "a"})
    assert conn.write_log.recent("customers") == ([{"id": "cus_1", "object": "customer", "name": "a"}], set())


def test_an_action_s_object_is_logged_under_the_table_of_its_type(catalog):
    conn = conn_with(catalog)
    log_write(conn, None, {"id": "cus_1", "object": "customer"})
    assert [o["id"] for o in conn.write_log.recent("customers")[0]] == ["cus_1"]


def test_deletes_are_logged_as_deleted_even_when_stripe_returns_the_object(catalog):
    conn = conn_with(catalog)
    # DELETE FROM subscriptions cancels: Stripe returns the canceled object.
    log_write(conn, "customers", {"id": "cus_1", "object": "customer"}, deleting=True)
    log_write(conn, "customers", {"id": "cus_2", "deleted": True})
    assert conn.write_log.recent("customers") == ([], {"cus_1", "cus_2"})


def test_nothing_written_is_not_logged_and_an_untyped_answer_only_stamps(catalog):
    conn = conn_with(catalog)
    log_write(conn, "customers", None)  # the object was not there
    assert not conn.write_log.wrote_recently()
    log_write(conn, None, {"url": "https://connect.stripe.test/setup"})  # an account link
    assert conn.write_log.wrote_recently()
    assert conn.write_log.recent("customers") == ([], set())
