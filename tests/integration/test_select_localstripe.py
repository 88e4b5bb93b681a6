"""The SELECT path against localstripe: an independent fake Stripe, so the driver and
the project's emulator cannot agree on a mistake. localstripe has no Search and no
``created`` filters, so these queries push only what it has (ids, customers ``email``,
charges ``customer``) and filter the rest locally.
Order-independent: localstripe's state is shared by the session."""

from __future__ import annotations

import socket
import subprocess
import time
import uuid

import httpx
import pytest

import stripe_dbapi


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ls_url(request):
    try:
        yield request.getfixturevalue("localstripe_url")
        return
    except pytest.FixtureLookupError:
        pass
    port = _free_port()
    process = subprocess.Popen(["localstripe", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(url + "/v1/customers", auth=("sk_test_123", ""), timeout=0.5)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def ls(ls_url):
    conn = stripe_dbapi.connect(api_key="sk_test_123", base_url=ls_url, use_search=False)
    client = conn.client
    tag = uuid.uuid4().hex[:8]
    customers = []
    for i in range(3):
        customer = client.post("/v1/customers", {"email": f"{tag}-{i}@example.com", "name": f"Sel {tag} {i}",
                                                 "metadata": {"tag": tag, "tier": "gold" if i == 0 else "basic"}})
        token = client.post("/v1/tokens", {"card": {"number": "4242424242424242", "exp_month": 12,
                                                    "exp_year": 2030, "cvc": "123"}})
        client.post(f"/v1/customers/{customer['id']}/sources", {"source": token["id"]})
        for amount in (1000 * (i + 1), 1000 * (i + 1) + 1):
            client.post("/v1/charges", {"amount": amount, "currency": "usd", "customer": customer["id"]})
        client.post("/v1/payment_intents", {"amount": 5000 + i, "currency": "usd", "customer": customer["id"]})
        customers.append(customer)
    yield conn, tag, [c["id"] for c in customers]
    conn.close()


def _query(conn, sql, params=None):
    cursor = conn.cursor()
    before = conn.client.request_count
    cursor.execute(sql, params)
    return cursor.fetchall(), conn.client.request_count - before, cursor.description


def test_customer_by_id_and_by_email(ls):
    conn, tag, ids = ls
    rows, requests, description = _query(conn, "SELECT id, email, created, metadata ->> 'tier' FROM customers "
                                               "WHERE id = ?", [ids[0]])
    assert rows[0][0] == ids[0] and rows[0][1] == f"{tag}-0@example.com" and rows[0][3] == "gold"
    assert rows[0][2].tzinfo is not None and description[2][1] == "datetime"
    assert requests == 1
    rows, requests, _ = _query(conn, "SELECT id FROM customers WHERE email = ?", [f"{tag}-1@example.com"])
    assert rows == [(ids[1],)] and requests == 1


def test_missing_id_is_no_row(ls):
    conn, _, ids = ls
    rows, requests, _ = _query(conn, "SELECT id FROM customers WHERE id IN (?, 'cus_doesnotexist')", [ids[2]])
    assert rows == [(ids[2],)] and requests == 2


def test_charges_by_customer_with_local_residual_and_aggregate(ls):
    conn, _, ids = ls
    rows, requests, _ = _query(conn, "SELECT customer, count(*), sum(amount) FROM charges "
                                     "WHERE customer IN (?, ?) AND amount % 2 = 1 GROUP BY customer "
                                     "ORDER BY customer", ids[:2])
    assert sorted(rows) == sorted([(ids[0], 1, 1001), (ids[1], 1, 2001)])
    assert requests == 2


def test_join_customers_and_charges_filtered_on_metadata_locally(ls):
    conn, tag, ids = ls
    rows, _, _ = _query(conn, "SELECT c.id, sum(ch.amount) FROM customers c JOIN charges ch "
                              "ON ch.customer = c.id WHERE c.metadata ->> 'tag' = ? GROUP BY c.id", [tag])
    assert sorted(rows) == sorted([(ids[0], 2001), (ids[1], 4001), (ids[2], 6001)])


def test_payment_intents_list_scan_with_local_filter(ls):
    conn, _, ids = ls
    rows, _, _ = _query(conn, "SELECT customer, amount FROM payment_intents WHERE amount BETWEEN 5000 AND 5002")
    assert {r for r in rows if r[0] in ids} == {(ids[0], 5000), (ids[1], 5001), (ids[2], 5002)}


def test_charge_retrieved_by_id_matches_the_listed_one(ls):
    conn, _, ids = ls
    listed, _, _ = _query(conn, "SELECT id, amount, paid, created FROM charges WHERE customer = ? "
                                "AND amount = 3000", [ids[2]])
    ((charge_id, amount, paid, _),) = listed
    assert amount == 3000
    rows, requests, description = _query(conn, "SELECT id, amount, paid, created FROM charges WHERE id = ?",
                                         [charge_id])
    assert rows == listed and requests == 1
    assert paid is True and description[2][1] == "boolean"
