"""Several processes on one replica file: two read while a third syncs, and no read
fails or sees a sync half applied.

Each sync brings 20 customers from metadata version v-1 to v at once (the syncing
process updates them all on the emulator, then runs CALL SyncReplica). A reader that saw
two versions in one query would have seen half a sync.
"""

from __future__ import annotations

import multiprocessing

import httpx

import stripe_dbapi

from .conftest import KEY, create

CUSTOMERS = 20
SYNCS = 6
QUERY = ("SELECT COUNT(*), COUNT(DISTINCT json_extract(metadata, '$.v')), "
         "MIN(json_extract(metadata, '$.v')) FROM customers")


def _reader(base_url: str, path: str, started, done, results) -> None:
    seen, reads = set(), 0
    try:
        with stripe_dbapi.connect(api_key=KEY, base_url=base_url, replica=path,
                                  max_staleness=None) as conn:
            while True:
                finished = done.is_set()  # read once more after the last sync
                count, versions, version = conn.execute(QUERY).fetchone()
                if (count, versions) != (CUSTOMERS, 1):
                    results.put(f"torn read: {count} rows, {versions} versions")
                    return
                seen.add(version)
                reads += 1
                if reads == 1:
                    started.wait()  # the syncs begin once both readers are reading
                if finished:
                    break
        results.put(("reader", reads, sorted(seen)))
    except Exception as error:  # reported to the test, which fails with it
        results.put(f"{type(error).__name__}: {error}")


def _syncer(base_url: str, path: str, ids: list[str], started, results) -> None:
    try:
        started.wait()
        with stripe_dbapi.connect(api_key=KEY, base_url=base_url, replica=path,
                                  max_staleness=None) as conn, \
                httpx.Client(base_url=base_url,
                             headers={"Authorization": f"Bearer {KEY}"}) as api:
            for version in range(1, SYNCS + 1):
                for object_id in ids:
                    api.post(f"/v1/customers/{object_id}",
                             data={"metadata[v]": str(version)}).raise_for_status()
                conn.execute("CALL SyncReplica()").fetchall()
        results.put(("syncer", SYNCS, []))
    except Exception as error:
        results.put(f"{type(error).__name__}: {error}")


def test_two_processes_read_while_a_third_syncs(fresh_emulator, stripe_api, replica_file):
    ids = [create(stripe_api, "/v1/customers", **{"metadata[v]": "0"})["id"]
           for _ in range(CUSTOMERS)]
    base_url = fresh_emulator.base_url
    with stripe_dbapi.connect(api_key=KEY, base_url=base_url, replica=replica_file) as conn:
        assert conn.execute(QUERY).fetchone() == (CUSTOMERS, 1, "0")  # filled
    context = multiprocessing.get_context("spawn")
    started, done, results = context.Barrier(3), context.Event(), context.Queue()
    readers = [
        context.Process(target=_reader, args=(base_url, replica_file, started, done, results))
        for _ in range(2)
    ]
    syncer = context.Process(target=_syncer,
                             args=(base_url, replica_file, ids, started, results))
    for process in readers:
        process.start()
    syncer.start()
    syncer.join(timeout=120)
    done.set()
    for process in readers:
        process.join(timeout=60)
    outcomes = [results.get(timeout=10) for _ in range(3)]
    assert sorted(o[0] if isinstance(o, tuple) else o for o in outcomes) == [
        "reader", "reader", "syncer"], outcomes
    # each reader read before the first sync and after the last
    assert all({"0", str(SYNCS)} <= set(o[2]) for o in outcomes if o[0] == "reader"), outcomes
    assert all(p.exitcode == 0 for p in [*readers, syncer])
    with stripe_dbapi.connect(api_key=KEY, base_url=base_url, replica=replica_file,
                              max_staleness=None) as conn:
        assert conn.execute(QUERY).fetchone() == (CUSTOMERS, 1, str(SYNCS))
