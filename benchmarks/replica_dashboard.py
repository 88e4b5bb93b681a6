"""A dashboard of five queries refreshed ten times: live reads vs the local replica (issue 13).

The emulator runs in a process of its own (benchmarks/_emulator_process.py), answers in
200-300 ms a request (``--latency`` + uniform(0, ``--jitter``), as scan_rate_limits.py) and
enforces Stripe's live-mode rate limits (``Faults.stripe_limits(live=True)``: 100 requests/s
overall, 25/s per endpoint, 20/s Search): a dashboard reads a live account, and a full read
of one list is bound by the 25/s per endpoint in either mode. It is seeded with
``bulk_insert`` (no HTTP, no events), from a fixed random seed:

- ``--charges`` charges (default 100,000) on Stripe's fixture charge (3.4 kB of JSON), at
  skewed ``created`` times (stripe_dbapi/testing/skewed.py) over the two years up to today;
  five currencies (usd 60 %, eur 20 %, gbp 10 %, cad 5 %, jpy 5 %); 90 % succeeded, 8 %
  failed with a ``failure_code`` and a decline code (``outcome.reason``), 2 % pending; 85 %
  belong to a customer (a few customers pay most), the rest are guest payments;
- one customer per ten charges;
- refunds of 5 % of the succeeded charges (70 % in full), with Stripe's reasons.

The dashboard (``QUERIES``) is five SELECTs the driver runs: revenue by month, by status, top
customers, refunds joined to their charges, failed payments by decline code; money is
grouped by currency. They are written as a dashboard author would, and so that live reads
take the driver's fastest path: a full read sliced on ``created`` (revenue by month keeps
only succeeded charges in a CASE, since ``status = 'succeeded'`` would go to Search, which
pages serially), and one Search query for the failed payments (8 % of the charges).

One run, in this order:
1. a live full read of the charges (``SELECT * FROM charges``), the yardstick of a fill;
2. the first fill of a new replica file: the charges alone (``CALL SyncReplica('charges')``),
   reading them back (``SELECT *``), then a first refresh (which fills customers and
   refunds);
3. "unchanged": ``--refreshes`` refreshes on the replica, and ``--live-refreshes`` live;
4. "changed": before each refresh a few writes through the API (charges created and
   updated, a partial refund), so the replica's sync applies events; then one live refresh.
Replica refreshes are compared with live ones on the same data (the rows must be equal):
every one in "unchanged", the last one in "changed" (a live refresh re-reads everything).
Requests are counted from the emulator's request log, writes excluded.

Replica refreshes run in two ways (``--sync``): ``call`` sends ``CALL SyncReplica()`` first,
on a connection with ``max_staleness=60`` (one sync a refresh, queries 2-5 answer from the
replica); ``staleness0`` uses ``max_staleness=0`` (every query checks for events first).

Run: python benchmarks/replica_dashboard.py [--charges 100000] [--refreshes 10]
     [--live-refreshes 3] [--latency 0.2] [--jitter 0.1] [--sync call staleness0]
The figures depend on the machine's load (printed first). Tests never assert them;
tests/benchmarks/test_replica_dashboard.py checks the seeder and that the dashboard gives
the same rows live and on the replica.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pathlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from _emulator_process import KEY, EmulatorProcess, add_latency_arguments

import stripe_dbapi
from stripe_dbapi.testing.skewed import skewed_times

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "fixtures3.json"
# Two years up to today (midnight UTC): the charges written during the run continue the
# series, as on a real account (a gap of months would change how live reads slice).
END = int(time.time()) // 86_400 * 86_400
START = END - 730 * 86_400
SEED = 13

# Each choice and its share.
CURRENCIES = {"usd": 0.60, "eur": 0.20, "gbp": 0.10, "cad": 0.05, "jpy": 0.05}
MINOR_UNITS_PER_CENT = {"jpy": 1.5}  # jpy has no decimals: a US cent is about 1.5 yen
STATUSES = {"succeeded": 0.90, "failed": 0.08, "pending": 0.02}
# (failure_code, the decline code as Stripe puts it in outcome.reason)
DECLINES = {
    ("card_declined", "generic_decline"): 0.35, ("card_declined", "insufficient_funds"): 0.30,
    ("card_declined", "do_not_honor"): 0.10, ("expired_card", "expired_card"): 0.08,
    ("incorrect_cvc", "incorrect_cvc"): 0.07, ("card_declined", "fraudulent"): 0.05,
    ("processing_error", "processing_error"): 0.05,
}
REFUND_REASONS = {"requested_by_customer": 0.6, "duplicate": 0.2, "fraudulent": 0.2}
REFUNDED_SHARE, FULL_REFUND_SHARE, CUSTOMER_SHARE = 0.05, 0.7, 0.85
CHARGES_PER_CUSTOMER = 10

QUERIES = {
    "revenue by month": """
        SELECT strftime('%Y-%m', created) AS month, currency,
               SUM(CASE WHEN status = 'succeeded' THEN amount - amount_refunded END) AS net,
               COUNT(*) AS charges
        FROM charges GROUP BY month, currency ORDER BY month, currency""",
    "revenue by status": """
        SELECT status, currency, COUNT(*) AS charges, SUM(amount) AS amount
        FROM charges GROUP BY status, currency ORDER BY status, currency""",
    "top customers": """
        SELECT cu.id, cu.email, ch.currency, SUM(ch.amount - ch.amount_refunded) AS net
        FROM charges ch JOIN customers cu ON cu.id = ch.customer
        WHERE ch.paid
        GROUP BY cu.id, cu.email, ch.currency ORDER BY net DESC, cu.id LIMIT 20""",
    "refunds": """
        SELECT ch.currency, r.reason, COUNT(*) AS refunds, SUM(r.amount) AS refunded,
               SUM(ch.amount) AS charged
        FROM refunds r JOIN charges ch ON ch.id = r.charge
        GROUP BY ch.currency, r.reason ORDER BY ch.currency, r.reason""",
    "failed by decline code": """
        SELECT outcome_reason AS decline_code, failure_code, currency,
               COUNT(*) AS charges, SUM(amount) AS amount
        FROM charges WHERE status = 'failed'
        GROUP BY decline_code, failure_code, currency
        ORDER BY charges DESC, decline_code, failure_code, currency""",
}

# Replica refreshes: the connection's settings, and what each refresh sends first.
SYNC_MODES = {
    "call": ({"max_staleness": 60}, "CALL SyncReplica()"),
    "staleness0": ({"max_staleness": 0}, None),
}


# -- the data -------------------------------------------------------------------------


def _pick(rng: random.Random, shares: dict):
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def dashboard_objects(charges: int, seed: int = SEED) -> dict[str, list[dict]]:
    """Customers, charges and refunds as described in the module docstring."""
    rng = random.Random(seed)
    resources = json.loads(FIXTURES.read_text())["resources"]
    customers = _customers(resources["customer"], max(1, charges // CHARGES_PER_CUSTOMER), rng)
    charge_objects = _charges(resources["charge"], charges, [c["id"] for c in customers], rng)
    refunds = _refunds(resources["refund"], charge_objects, rng)
    return {"customers": customers, "charges": charge_objects, "refunds": refunds}


def _customers(body: dict, count: int, rng: random.Random) -> list[dict]:
    times = skewed_times(count, start=START, end=END, bursts=2, seed=rng.random())
    return [{**body, "id": f"cus_{n:07d}", "created": created, "email": f"buyer{n}@example.com",
             "name": f"Buyer {n}", "metadata": {}}
            for n, created in enumerate(times)]


def _charges(body: dict, count: int, customer_ids: list[str], rng: random.Random) -> list[dict]:
    times = skewed_times(count, start=START, end=END, bursts=max(2, count // 2000),
                         seed=rng.random())
    objects = []
    for n, created in enumerate(times):
        currency, status = _pick(rng, CURRENCIES), _pick(rng, STATUSES)
        amount = int((50 + rng.lognormvariate(8, 1)) * MINOR_UNITS_PER_CENT.get(currency, 1))
        # A few customers pay most: the square skews the index towards the first ones.
        customer = (customer_ids[int(len(customer_ids) * rng.random() ** 2)]
                    if rng.random() < CUSTOMER_SHARE else None)
        objects.append({
            **body, **_charge_outcome(status, rng), "id": f"ch_{n:07d}", "created": created,
            "amount": amount, "currency": currency, "status": status, "customer": customer,
            "amount_captured": amount if status == "succeeded" else 0,
            "paid": status == "succeeded", "captured": status == "succeeded",
            "amount_refunded": 0, "refunded": False, "refunds": None, "metadata": {},
        })
    return objects


def _charge_outcome(status: str, rng: random.Random) -> dict:
    if status != "failed":
        return {"failure_code": None, "failure_message": None, "outcome": {
            "type": "authorized", "reason": None, "network_status": "approved_by_network",
            "risk_level": "normal", "seller_message": "Payment complete."}}
    failure_code, reason = _pick(rng, DECLINES)
    return {"failure_code": failure_code,
            "failure_message": f"Your card was declined ({reason}).",
            "outcome": {"type": "issuer_declined", "reason": reason,
                        "network_status": "declined_by_network", "risk_level": "normal",
                        "seller_message": "The bank did not return any further details."}}


def _refunds(body: dict, charges: list[dict], rng: random.Random) -> list[dict]:
    refunds = []
    for charge in charges:
        if charge["status"] != "succeeded" or rng.random() >= REFUNDED_SHARE:
            continue
        full = rng.random() < FULL_REFUND_SHARE
        amount = charge["amount"] if full else max(1, charge["amount"] // rng.randint(2, 5))
        charge["amount_refunded"], charge["refunded"] = amount, full
        refunds.append({
            **body, "id": f"re_{len(refunds):07d}", "charge": charge["id"], "amount": amount,
            "currency": charge["currency"], "customer": charge["customer"],
            "created": min(END, charge["created"] + rng.randint(3600, 30 * 86400)),
            "reason": _pick(rng, REFUND_REASONS), "status": "succeeded", "metadata": {},
        })
    return refunds


def seed_emulator(emulator, charges: int, seed: int = SEED) -> dict[str, int]:
    """Fill ``emulator`` (in process or in EmulatorProcess's child) without HTTP; the counts."""
    # Live and replica are compared at the same instant: Search sees writes at once.
    emulator.search_lag = 0
    return {table: emulator.bulk_insert(table, objects)
            for table, objects in dashboard_objects(charges, seed).items()}


# -- the dashboard ---------------------------------------------------------------------


@dataclass
class Refresh:
    """One refresh of the dashboard: its rows by query, wall time, requests sent."""

    rows: dict[str, list[tuple]]
    seconds: float
    requests: int = 0
    rate_limited: int = 0
    query_seconds: dict[str, float] = field(default_factory=dict)


def refresh(conn, before: str | None = None) -> Refresh:
    """Run the five queries, one after the other (``before`` first, if any)."""
    began = time.perf_counter()
    rows, query_seconds = {}, {}
    if before is not None:
        run_statement(conn, before)
    for name, sql in QUERIES.items():
        start = time.perf_counter()
        rows[name] = [tuple(row) for row in conn.execute(sql).fetchall()]
        query_seconds[name] = time.perf_counter() - start
    return Refresh(rows, time.perf_counter() - began, query_seconds=query_seconds)


def run_statement(conn, sql: str) -> None:
    cursor = conn.execute(sql)
    if cursor.description is not None:  # a CALL may return no result set
        cursor.fetchall()


def refresh_of(conn, sql: str) -> Refresh:
    """One statement, timed as a refresh."""
    began = time.perf_counter()
    run_statement(conn, sql)
    return Refresh({}, time.perf_counter() - began)


def counted(emulator: EmulatorProcess, run: Callable[[], Refresh]) -> Refresh:
    """``run()`` with the requests the emulator received meanwhile."""
    emulator.reset_requests()
    result = run()
    statuses = [status for _, _, status in emulator.requests()]
    result.requests, result.rate_limited = len(statuses), statuses.count(429)
    return result


def live_connection(base_url: str):
    return stripe_dbapi.connect(api_key=KEY, base_url=base_url)


def replica_connection(base_url: str, path: str, mode: str):
    settings, _ = SYNC_MODES[mode]
    return stripe_dbapi.connect(api_key=KEY, base_url=base_url, replica=path, **settings)


def full_read(conn, table: str) -> Refresh:
    """``SELECT * FROM table``, every row fetched."""
    began = time.perf_counter()
    cursor = conn.execute(f"SELECT * FROM {table}")
    count = 0
    while batch := cursor.fetchmany(1000):
        count += len(batch)
    return Refresh({table: [(count,)]}, time.perf_counter() - began)


class Writer:
    """Writes through the API between refreshes, as the account's own traffic would:
    ``CREATES`` new charges, ``UPDATES`` charges given metadata, one partial refund."""

    CREATES, UPDATES = 3, 2

    def __init__(self, base_url: str, seed: int = SEED) -> None:
        self._http = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {KEY}"},
                                  timeout=30)
        self._rng = random.Random(seed)
        self._created: list[str] = []
        self.writes = 0

    def close(self) -> None:
        self._http.close()

    def _post(self, path: str, data: dict) -> dict:
        while True:
            response = self._http.post(path, data=data)
            if response.status_code != 429:  # the writes share the account's rate limits
                response.raise_for_status()
                self.writes += 1
                return response.json()
            time.sleep(0.1)

    def change(self, charges: int) -> None:
        for _ in range(self.CREATES):
            customer = self._rng.randrange(max(1, charges // CHARGES_PER_CUSTOMER))
            created = self._post("/v1/charges", {
                "amount": self._rng.randint(500, 20_000), "currency": _pick(self._rng, CURRENCIES),
                "source": "tok_visa", "customer": f"cus_{customer:07d}"})
            self._created.append(created["id"])
        for _ in range(self.UPDATES):
            charge_id = f"ch_{self._rng.randrange(charges):07d}"
            self._post(f"/v1/charges/{charge_id}", {"metadata[reviewed]": "yes",
                                                     "description": "reviewed"})
        self._post("/v1/refunds", {"charge": self._created[-1], "amount": 100})


# -- the run ----------------------------------------------------------------------------


@dataclass
class Series:
    """Refreshes of one kind (scenario x how), for the figures table."""

    scenario: str
    how: str
    refreshes: list[Refresh] = field(default_factory=list)
    same_as_live: list[bool] = field(default_factory=list)

    def median_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.refreshes)

    def requests(self) -> str:
        counts = sorted({r.requests for r in self.refreshes})
        return str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"


def run_benchmark(args) -> list[Series]:
    with EmulatorProcess(seed_emulator, (args.charges,), latency=args.latency,
                         jitter=args.jitter, live_limits=True) as emulator, \
            tempfile.TemporaryDirectory(prefix="replica-dashboard-") as workdir:
        live = live_connection(emulator.base_url)
        first = _first_fill(emulator, live, workdir, args)
        series = _unchanged(emulator, live, workdir, args, first)
        series += _changed(emulator, live, workdir, args)
        live.close()
        return series


def _first_fill(emulator, live, workdir: str, args) -> Refresh:
    """The yardstick (a live full read of charges), the replica's first fill of the charges
    (``CALL SyncReplica('charges')`` on a new file), reading them back, and a first refresh
    (which fills customers and refunds)."""
    read = counted(emulator, lambda: full_read(live, "charges"))
    path = os.path.join(workdir, "replica.sqlite")
    with contextlib.closing(replica_connection(emulator.base_url, path, args.sync[0])) as rep:
        fill = counted(emulator, lambda: refresh_of(rep, "CALL SyncReplica('charges')"))
        back = counted(emulator, lambda: full_read(rep, "charges"))
        rest = counted(emulator, lambda: refresh(rep))
    print(f"live full read of charges: {read.seconds:.1f} s, {read.requests} requests, "
          f"{read.rate_limited} 429s")
    print(f"replica first fill of charges: {fill.seconds:.1f} s, {fill.requests} requests, "
          f"{fill.rate_limited} 429s (fill / live read: {fill.seconds / read.seconds:.2f}); "
          f"then SELECT * from the replica: {back.seconds:.1f} s, {back.requests} requests")
    print(f"replica first refresh (fills customers and refunds): {rest.seconds:.1f} s, "
          f"{rest.requests} requests", flush=True)
    return rest


def _unchanged(emulator, live, workdir: str, args, first: Refresh) -> list[Series]:
    live_series = Series("unchanged", "live")
    for _ in range(args.live_refreshes):
        live_series.refreshes.append(counted(emulator, lambda: refresh(live)))
        _progress(live_series)
    expected = live_series.refreshes[-1].rows
    live_series.same_as_live = [r.rows == expected for r in live_series.refreshes]
    series = [live_series]
    path = os.path.join(workdir, "replica.sqlite")
    if first.rows != expected:
        print("! the first replica refresh differs from live")
    for mode in args.sync:
        _, before = SYNC_MODES[mode]
        mine = Series("unchanged", f"replica ({mode})")
        with contextlib.closing(replica_connection(emulator.base_url, path, mode)) as rep:
            for _ in range(args.refreshes):
                mine.refreshes.append(counted(emulator, lambda r=rep, b=before: refresh(r, b)))
                mine.same_as_live.append(mine.refreshes[-1].rows == expected)
                _progress(mine)
        series.append(mine)
    return series


def _changed(emulator, live, workdir: str, args) -> list[Series]:
    """Writes before each replica refresh; the last refresh is compared with live."""
    writer = Writer(emulator.base_url)
    path = os.path.join(workdir, "replica.sqlite")
    series = []
    for mode in args.sync:
        _, before = SYNC_MODES[mode]
        mine = Series("changed", f"replica ({mode})")
        with contextlib.closing(replica_connection(emulator.base_url, path, mode)) as rep:
            for _ in range(args.refreshes):
                writer.change(args.charges)
                mine.refreshes.append(counted(emulator, lambda r=rep, b=before: refresh(r, b)))
                _progress(mine)
            checked = counted(emulator, lambda: refresh(live))
            mine.same_as_live = [mine.refreshes[-1].rows == checked.rows]
        series += [Series("changed", "live", [checked], [True]), mine]
    writer.close()
    print(f"writes through the API in the changed scenario: {writer.writes} "
          f"({Writer.CREATES} charges created, {Writer.UPDATES} updated, 1 refund a refresh)")
    return series


def _progress(series: Series) -> None:
    last = series.refreshes[-1]
    print(f"  {series.scenario:<9} {series.how:<22} refresh {len(series.refreshes):>2}: "
          f"{last.seconds:9.3f} s {last.requests:>6} requests {last.rate_limited:>4} 429s",
          flush=True)


def print_figures(series: list[Series]) -> None:
    print()
    print(f"{'scenario':<9} {'how':<22} {'refreshes':>9} {'s/refresh (median)':>18} "
          f"{'requests/refresh':>16} {'429s':>5} {'live/replica':>12} {'same rows as live':>17}")
    live = {s.scenario: s.median_seconds() for s in series if s.how == "live"}
    for s in series:
        ratio = "" if s.how == "live" else f"{live[s.scenario] / s.median_seconds():,.0f}x"
        same = f"{s.same_as_live.count(True)}/{len(s.same_as_live)}"
        print(f"{s.scenario:<9} {s.how:<22} {len(s.refreshes):>9} {s.median_seconds():>18.4f} "
              f"{s.requests():>16} {sum(r.rate_limited for r in s.refreshes):>5} {ratio:>12} "
              f"{same:>17}")
    print()
    print("per query, median seconds:")
    names = list(QUERIES)
    print(f"{'how':<32} " + " ".join(f"{n[:14]:>14}" for n in names))
    for s in series:
        medians = [statistics.median(r.query_seconds[n] for r in s.refreshes) for n in names]
        print(f"{s.scenario + ' ' + s.how:<32} " + " ".join(f"{m:>14.4f}" for m in medians))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--charges", type=int, default=100_000)
    parser.add_argument("--refreshes", type=int, default=10, help="replica refreshes a scenario")
    parser.add_argument("--live-refreshes", type=int, default=3,
                        help="live refreshes on unchanged data (each re-reads every table)")
    add_latency_arguments(parser)
    parser.add_argument("--sync", nargs="+", default=list(SYNC_MODES), choices=list(SYNC_MODES))
    args = parser.parse_args()
    print(f"emulator: {args.latency * 1000:.0f}-{(args.latency + args.jitter) * 1000:.0f} ms a "
          "request, Stripe live-mode limits (100/s, 25/s per endpoint, 20/s Search), in its own "
          f"process; {args.charges:,} charges; cores: {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    print_figures(run_benchmark(args))


if __name__ == "__main__":
    main()
