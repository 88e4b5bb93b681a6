"""Property: after every sync, each events-covered table on the replica equals a full live
listing (ids and every column), whatever random writes and actions came before.

The changes come from ``stripe_dbapi.testing.workload`` (seeded random INSERT/UPDATE/
DELETE and CALLs on customers, products, prices, charges, refunds, invoices,
subscriptions and coupons, with payment intents and invoice items besides), run:

- through another connection: the replica learns every change from the events alone;
- through the replica's own connection: writes put Stripe's answer at once, and the
  events bring the rest (side effects, objects changed by others' actions).

The replica connection never syncs by itself (max_staleness=None), so each round is
exactly "changes, CALL SyncReplica(), compare".
"""

from __future__ import annotations

import pytest

import stripe_dbapi
from stripe_dbapi.testing.workload import EVENT_TABLES, Workload

from .conftest import KEY, connect

ROUNDS, STEPS_PER_ROUND = 4, 20


def _listing(conn, table: str) -> list[tuple]:
    return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


@pytest.mark.parametrize("writer", ["another connection", "the replica's connection"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_each_sync_the_replica_equals_a_full_live_listing(
        seed, writer, fresh_emulator, replica_file):
    live = stripe_dbapi.connect(api_key=KEY, base_url=fresh_emulator.base_url)
    replica = connect(fresh_emulator, replica_file, max_staleness=None)
    with live, replica:
        workload = Workload(replica if writer == "the replica's connection" else live, seed)
        workload.run(STEPS_PER_ROUND)  # something to fill from
        for table in EVENT_TABLES:
            assert _listing(replica, table) == _listing(live, table), table  # the fill
        for round_ in range(ROUNDS):
            workload.run(STEPS_PER_ROUND)
            replica.execute("CALL SyncReplica()").fetchall()
            for table in EVENT_TABLES:
                assert _listing(replica, table) == _listing(live, table), (table, round_)
        # the rounds changed every table compared (the property is not vacuous)
        for table in EVENT_TABLES:
            assert _listing(live, table), table
        assert len({step.name for step in workload.steps}) >= 15
