"""Property: after every sync, each events-covered table on the replica equals a full live
listing (ids and every column), whatever random creates, updates and deletes came before.

The changes are made on the emulator through its API (it emits Stripe's events), in
random order from a seeded generator, between syncs; the replica connection never syncs
by itself (max_staleness=None), so each round is exactly "changes, CALL SyncReplica(),
compare".
"""

from __future__ import annotations

import random

import httpx
import pytest

import stripe_dbapi

from .conftest import KEY, connect

TABLES = ("customers", "products", "coupons", "charges", "refunds")
ROUNDS, CHANGES_PER_ROUND = 4, 8


class Workload:
    """Random changes through the API, remembering what exists to update or delete it."""

    def __init__(self, api: httpx.Client, rng: random.Random) -> None:
        self.api, self.rng = api, rng
        self.live: dict[str, list[str]] = {table: [] for table in TABLES}

    def _post(self, path: str, **data) -> dict:
        response = self.api.post(path, data=data)
        assert response.status_code == 200, response.text
        return response.json()

    def _some(self, table: str) -> str | None:
        ids = self.live[table]
        return self.rng.choice(ids) if ids else None

    def step(self) -> None:
        getattr(self, self.rng.choice([
            "create_customer", "create_customer", "update_customer", "delete_customer",
            "create_product", "update_product", "delete_product",
            "create_coupon", "update_coupon", "delete_coupon",
            "create_charge", "create_charge", "update_charge", "refund", "pay",
        ]))()

    def create_customer(self) -> None:
        n = self.rng.randrange(10_000)
        self.live["customers"].append(self._post(
            "/v1/customers", name=f"customer {n}", email=f"c{n}@example.com",
            **{"metadata[tier]": self.rng.choice(["free", "pro"])})["id"])

    def update_customer(self) -> None:
        if (customer := self._some("customers")) is not None:
            self._post(f"/v1/customers/{customer}", name=f"renamed {self.rng.randrange(99)}",
                       **{"metadata[tier]": self.rng.choice(["", "pro", "team"])})

    def delete_customer(self) -> None:
        if (customer := self._some("customers")) is not None:
            assert self.api.delete(f"/v1/customers/{customer}").status_code == 200
            self.live["customers"].remove(customer)

    def create_product(self) -> None:
        self.live["products"].append(self._post(
            "/v1/products", name=f"product {self.rng.randrange(99)}")["id"])

    def update_product(self) -> None:
        if (product := self._some("products")) is not None:
            self._post(f"/v1/products/{product}", active=self.rng.choice(["true", "false"]),
                       description=f"d{self.rng.randrange(99)}")

    def delete_product(self) -> None:
        if (product := self._some("products")) is not None:
            assert self.api.delete(f"/v1/products/{product}").status_code == 200
            self.live["products"].remove(product)

    def create_coupon(self) -> None:
        self.live["coupons"].append(self._post(
            "/v1/coupons", percent_off=str(self.rng.randrange(5, 50)), duration="once")["id"])

    def update_coupon(self) -> None:
        if (coupon := self._some("coupons")) is not None:
            self._post(f"/v1/coupons/{coupon}", name=f"coupon {self.rng.randrange(99)}")

    def delete_coupon(self) -> None:
        if (coupon := self._some("coupons")) is not None:
            assert self.api.delete(f"/v1/coupons/{coupon}").status_code == 200
            self.live["coupons"].remove(coupon)

    def create_charge(self) -> None:
        params = {"amount": str(self.rng.randrange(100, 10_000)), "currency": "usd",
                  "source": "tok_visa"}
        if (customer := self._some("customers")) is not None and self.rng.random() < 0.5:
            params["customer"] = customer
        self.live["charges"].append(self._post("/v1/charges", **params)["id"])

    def update_charge(self) -> None:
        if (charge := self._some("charges")) is not None:
            self._post(f"/v1/charges/{charge}", description=f"note {self.rng.randrange(99)}",
                       **{"metadata[order]": str(self.rng.randrange(999))})

    def refund(self) -> None:
        """A partial refund: the charge's amount_refunded changes too (charge.refunded)."""
        if (charge := self._some("charges")) is not None:
            response = self.api.post("/v1/refunds", data={"charge": charge, "amount": "50"})
            if response.status_code == 200:  # 400 once a charge is refunded in full
                self.live["refunds"].append(response.json()["id"])

    def pay(self) -> None:
        """A payment intent confirmed at once: its charge is a side effect of the action."""
        intent = self._post("/v1/payment_intents", amount=str(self.rng.randrange(100, 5000)),
                            currency="usd", payment_method="pm_card_visa", confirm="true")
        self.live["charges"].append(intent["latest_charge"])


def _listing(conn, table: str) -> list[tuple]:
    return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_each_sync_the_replica_equals_a_full_live_listing(
        seed, fresh_emulator, stripe_api, replica_file):
    workload = Workload(stripe_api, random.Random(seed))
    for _ in range(CHANGES_PER_ROUND):  # something to fill from
        workload.step()
    live = stripe_dbapi.connect(api_key=KEY, base_url=fresh_emulator.base_url)
    with live, connect(fresh_emulator, replica_file, max_staleness=None) as replica:
        for table in TABLES:
            assert _listing(replica, table) == _listing(live, table), table  # the fill
        for round_ in range(ROUNDS):
            for _ in range(CHANGES_PER_ROUND):
                workload.step()
            replica.execute("CALL SyncReplica()").fetchall()
            for table in TABLES:
                expected = _listing(live, table)
                assert _listing(replica, table) == expected, (table, round_)
                assert [row[0] for row in expected] == sorted(workload.live[table]), table

