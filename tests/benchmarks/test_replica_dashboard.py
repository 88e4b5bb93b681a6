"""The harness of benchmarks/replica_dashboard.py: its data, its dashboard, its writes.

Timings are never asserted: these check that the figures it prints measure what they say
(the requested sizes, a dashboard that reads every table, live and replica rows compared).
"""

from __future__ import annotations

import contextlib
import importlib
import pathlib
from collections import Counter

import pytest

from stripe_dbapi.testing import Emulator

BENCHMARKS = pathlib.Path(__file__).resolve().parents[2] / "benchmarks"
CHARGES = 2_000


@pytest.fixture(scope="module")
def dashboard():
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCHMARKS))  # the benchmarks import their helpers by name
        yield importlib.import_module("replica_dashboard")


@pytest.fixture(scope="module")
def objects(dashboard):
    return dashboard.dashboard_objects(CHARGES)


@pytest.fixture(scope="module")
def seeded(dashboard):
    with Emulator(seed=None) as emulator:
        dashboard.seed_emulator(emulator, CHARGES)
        yield emulator


def test_the_seeder_makes_the_requested_charges_and_a_customer_per_ten(objects):
    assert len(objects["charges"]) == CHARGES
    assert len({c["id"] for c in objects["charges"]}) == CHARGES
    assert len(objects["customers"]) == CHARGES // 10


def test_the_seeder_mixes_statuses_currencies_and_decline_codes(dashboard, objects):
    charges = objects["charges"]
    statuses = Counter(c["status"] for c in charges)
    assert set(statuses) == set(dashboard.STATUSES)
    assert 0.85 < statuses["succeeded"] / CHARGES < 0.95
    assert {c["currency"] for c in charges} == set(dashboard.CURRENCIES)
    failed = [c for c in charges if c["status"] == "failed"]
    assert {(c["failure_code"], c["outcome"]["reason"]) for c in failed} == set(dashboard.DECLINES)
    assert all(c["failure_code"] is None and not c["outcome"]["reason"]
               for c in charges if c["status"] != "failed")
    assert all(c["paid"] == (c["status"] == "succeeded") for c in charges)


def test_refunds_match_their_succeeded_charges(objects):
    charges = {c["id"]: c for c in objects["charges"]}
    refunds = objects["refunds"]
    succeeded = sum(c["status"] == "succeeded" for c in charges.values())
    assert 0.02 < len(refunds) / succeeded < 0.08
    for refund in refunds:
        charge = charges[refund["charge"]]
        assert charge["status"] == "succeeded"
        assert charge["amount_refunded"] == refund["amount"] <= charge["amount"]
        assert charge["refunded"] == (refund["amount"] == charge["amount"])
        assert refund["created"] >= charge["created"]
    assert sum(c["amount_refunded"] > 0 for c in charges.values()) == len(refunds)


def test_the_seed_is_fixed(dashboard, objects):
    again = dashboard.dashboard_objects(CHARGES)
    assert again == objects
    assert dashboard.dashboard_objects(CHARGES, seed=dashboard.SEED + 1) != objects


def test_seeding_fills_the_emulator_with_the_counts(dashboard, objects, seeded):
    for table in ("customers", "charges", "refunds"):
        assert seeded.count(table) == len(objects[table])


def test_a_live_refresh_answers_every_query_from_every_row(dashboard, objects, seeded):
    with contextlib.closing(dashboard.live_connection(seeded.base_url)) as conn:
        result = dashboard.refresh(conn)
    assert set(result.rows) == set(dashboard.QUERIES)
    by_status = result.rows["revenue by status"]
    assert sum(row[2] for row in by_status) == CHARGES
    months = result.rows["revenue by month"]
    assert sum(row[3] for row in months) == CHARGES
    failed = result.rows["failed by decline code"]
    assert sum(row[3] for row in failed) == sum(c["status"] == "failed" for c in objects["charges"])
    refunds = result.rows["refunds"]
    assert sum(row[2] for row in refunds) == len(objects["refunds"])
    assert len(result.rows["top customers"]) == 20


def test_the_writer_creates_updates_and_refunds_through_the_api(dashboard):
    with Emulator(seed=None) as emulator:
        dashboard.seed_emulator(emulator, 200)
        emulator.reset_requests()
        writer = dashboard.Writer(emulator.base_url)
        writer.change(200)
        writer.close()
        assert emulator.count("charges") == 200 + dashboard.Writer.CREATES
        assert emulator.count("refunds") == len(dashboard.dashboard_objects(200)["refunds"]) + 1
        reviewed = [c for c in emulator.objects("charges") if c["metadata"].get("reviewed")]
        assert 1 <= len(reviewed) <= dashboard.Writer.UPDATES
        assert writer.writes == len(emulator.requests) == dashboard.Writer.CREATES + dashboard.Writer.UPDATES + 1


@pytest.mark.parametrize("mode", ["call", "staleness0"])
def test_the_dashboard_gives_the_same_rows_live_and_on_the_replica(dashboard, mode, tmp_path):
    with Emulator(seed=None) as emulator, contextlib.ExitStack() as stack:
        dashboard.seed_emulator(emulator, 500)
        live = stack.enter_context(contextlib.closing(dashboard.live_connection(emulator.base_url)))
        replica = stack.enter_context(contextlib.closing(
            dashboard.replica_connection(emulator.base_url, str(tmp_path / "r.sqlite"), mode)))
        _, before = dashboard.SYNC_MODES[mode]
        first = dashboard.refresh(live).rows
        assert dashboard.refresh(replica, before).rows == first
        writer = dashboard.Writer(emulator.base_url)
        writer.change(500)  # new charges, updated ones, a partial refund
        writer.close()
        changed = dashboard.refresh(live).rows
        assert changed["revenue by month"] != first["revenue by month"]
        assert dashboard.refresh(replica, before).rows == changed  # applied from events
