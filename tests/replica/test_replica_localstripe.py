"""The replica against localstripe, an independent Stripe-compatible server whose
``/v1/events`` lists events but refuses ``ending_before`` ("Unexpected ending_before"):
the replica cannot follow the feed there, says so once, and keeps every answer right
by re-reading on the TTL instead of failing the query."""

from __future__ import annotations

import time
import uuid

import pytest

import stripe_dbapi
from stripe_dbapi.replica import ReplicaWarning


@pytest.fixture
def marker() -> str:
    """Emails of this test's customers (localstripe is shared by the session)."""
    return f"replica-{uuid.uuid4().hex[:10]}"


def _connect(url: str, replica: str | None = None, **options):
    return stripe_dbapi.connect(api_key="sk_test_replica_ls", base_url=url, replica=replica,
                                **options)


def _emails(conn, marker: str) -> list[tuple]:
    return conn.execute("SELECT email, name FROM customers WHERE email LIKE ? ORDER BY email",
                        (f"{marker}%",)).fetchall()


def test_a_feed_without_ending_before_degrades_to_ttl_rereads_and_stays_correct(
        localstripe_url, tmp_path, marker):
    replica_file = str(tmp_path / "ls.sqlite")
    with _connect(localstripe_url) as other, \
            _connect(localstripe_url, replica_file, max_staleness=0) as conn:
        other.execute("INSERT INTO customers (email, name) VALUES (?, 'A')", (f"{marker}-a",))
        assert _emails(conn, marker) == [(f"{marker}-a", "A")]  # the fill

        # Changes made elsewhere: the next query would sync, and localstripe refuses the
        # sync's request. A warning naming the server's answer, not an error.
        other.execute("UPDATE customers SET name = 'A2' WHERE email = ?", (f"{marker}-a",))
        with pytest.warns(ReplicaWarning, match="answered 400: Unexpected ending_before"):
            assert _emails(conn, marker) == [(f"{marker}-a", "A")]  # within the TTL
        [status] = conn.execute(
            "SELECT Freshness, MaxStaleness, Note FROM sys_replica "
            "WHERE TableName = 'customers'").fetchall()
        assert status[0] == "ttl" and status[1] == 300.0
        assert "Unexpected ending_before" in status[2]

        # CALL SyncReplica() re-reads the TTL table: the change made elsewhere shows.
        conn.execute("CALL SyncReplica('customers')").fetchall()
        assert _emails(conn, marker) == [(f"{marker}-a", "A2")]

        # Read-your-writes still holds on the replica connection itself.
        conn.execute("INSERT INTO customers (email, name) VALUES (?, 'B')", (f"{marker}-b",))
        conn.execute("DELETE FROM customers WHERE email = ?", (f"{marker}-a",))
        assert _emails(conn, marker) == [(f"{marker}-b", "B")]

        # Past the TTL, a query re-reads in full: the answer equals a live read.
        other.execute("INSERT INTO customers (email, name) VALUES (?, 'C')", (f"{marker}-c",))
        conn.replica.clock = lambda: time.time() + 301
        assert _emails(conn, marker) == _emails(other, marker) == [
            (f"{marker}-b", "B"), (f"{marker}-c", "C")]
