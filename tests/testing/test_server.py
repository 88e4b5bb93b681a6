"""HTTP-level behaviour: auth, Stripe-Account, Idempotency-Key, headers, request log."""

from __future__ import annotations

import re
import threading

import httpx
import pytest


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer sk_live_123456789"},
        {"Authorization": "Bearer pk_test_123456789"},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": "Bearer sk_test_"},
    ],
)
def test_401_without_a_test_secret_or_restricted_key(fresh_emulator, headers, error_of):
    response = httpx.get(f"{fresh_emulator.base_url}/v1/customers", headers=headers)
    assert response.status_code == 401
    error = error_of(response)
    assert error["type"] == "invalid_request_error"
    assert "123456789" not in error["message"]  # keys are never echoed in full


@pytest.mark.parametrize("key", ["sk_test_abc", "rk_test_abc"])
def test_test_keys_are_accepted_as_bearer_or_basic(fresh_emulator, key):
    url = f"{fresh_emulator.base_url}/v1/customers"
    assert httpx.get(url, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert httpx.get(url, auth=(key, "")).status_code == 200


def test_request_log_redacts_the_key(api, fresh_emulator):
    api.get("/v1/customers", params={"email": "a@example.com"})
    record = fresh_emulator.requests[-1]
    assert (record.method, record.path, record.params, record.status) == (
        "GET",
        "/v1/customers",
        {"email": "a@example.com"},
        200,
    )
    assert "sk_test_emulator" not in repr(fresh_emulator.requests)
    fresh_emulator.reset_requests()
    assert fresh_emulator.requests == []


def test_response_headers(api):
    response = api.get("/v1/customers")
    assert response.headers["Request-Id"].startswith("req_")
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Stripe-Version"]
    assert (
        api.get("/v1/customers", headers={"Stripe-Version": "2020-08-27"}).headers["Stripe-Version"]
        == "2020-08-27"
    )


def _connected_account(api) -> str:
    return api.post("/v1/accounts", data={"type": "custom", "country": "US"}).json()["id"]


def test_stripe_account_partitions_objects(api):
    connected = {"Stripe-Account": _connected_account(api)}
    mine = api.post("/v1/customers", data={"name": "platform"}).json()["id"]
    theirs = api.post("/v1/customers", data={"name": "connected"}, headers=connected).json()["id"]
    assert [c["id"] for c in api.get("/v1/customers").json()["data"]] == [mine]
    assert [c["id"] for c in api.get("/v1/customers", headers=connected).json()["data"]] == [theirs]
    assert api.get(f"/v1/customers/{theirs}").status_code == 404
    assert api.get(f"/v1/customers/{theirs}", headers=connected).status_code == 200


def test_an_unknown_stripe_account_is_stripe_s_403_account_invalid(api, fresh_emulator, error_of):
    for method, path in (("GET", "/v1/customers"), ("POST", "/v1/customers"), ("GET", "/v1/nope")):
        answer = api.request(method, path, headers={"Stripe-Account": "acct_nobody"})
        assert answer.status_code == 403
        error = error_of(answer)
        assert (error["type"], error["code"]) == ("invalid_request_error", "account_invalid")
        assert re.fullmatch(
            r"The provided key 'sk_test_\*\*\*\w{4}' does not have access to account 'acct_nobody' "
            r"\(or that account does not exist\)\. Application access may have been revoked\.",
            error["message"])
    assert fresh_emulator.count("customers", account="acct_nobody") == 0
    # Objects given to a partition directly make its account known (tests, the demo seed).
    fresh_emulator.insert("customers", {"id": "cus_seeded", "created": 1}, account="acct_seeded")
    seeded = api.get("/v1/customers", headers={"Stripe-Account": "acct_seeded"})
    assert [c["id"] for c in seeded.json()["data"]] == ["cus_seeded"]


def test_ids_in_paths_are_percent_decoded(api):
    assert api.post("/v1/products", data={"id": "prod_odd/slash +", "name": "Odd"}).status_code == 200
    assert api.get("/v1/products/prod_odd%2Fslash%20+").json()["id"] == "prod_odd/slash +"
    renamed = api.post("/v1/products/prod_odd%2Fslash%20+", data={"name": "Renamed"})
    assert renamed.json()["name"] == "Renamed"
    assert api.get("/v1/products/prod_odd/slash%20+").status_code == 404  # a raw "/" is a new segment
    assert api.delete("/v1/products/prod_odd%2Fslash%20+").json()["deleted"] is True


def test_idempotency_key_replays_the_first_answer(api):
    headers = {"Idempotency-Key": "key-1"}
    first = api.post("/v1/customers", data={"name": "Once"}, headers=headers)
    again = api.post("/v1/customers", data={"name": "Once"}, headers=headers)
    assert first.json() == again.json()
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(api.get("/v1/customers").json()["data"]) == 1


def test_idempotency_key_with_other_params_is_an_idempotency_error(api, error_of):
    api.post("/v1/customers", data={"name": "Once"}, headers={"Idempotency-Key": "key-2"})
    other = api.post("/v1/customers", data={"name": "Twice"}, headers={"Idempotency-Key": "key-2"})
    assert other.status_code == 400
    assert error_of(other)["type"] == "idempotency_error"


def test_idempotency_does_not_save_validation_failures(api):
    headers = {"Idempotency-Key": "key-3"}
    assert api.post("/v1/customers", data={"colour": "red"}, headers=headers).status_code == 400
    retried = api.post("/v1/customers", data={"colour": "red"}, headers=headers)
    assert retried.status_code == 400
    assert "Idempotent-Replayed" not in retried.headers


def test_idempotency_keys_are_per_account(api):
    headers = {"Idempotency-Key": "key-4"}
    one = api.post("/v1/customers", headers=headers).json()["id"]
    connected = {**headers, "Stripe-Account": _connected_account(api)}
    two = api.post("/v1/customers", headers=connected).json()["id"]
    assert one != two


def test_concurrent_requests_are_served(api, fresh_emulator):
    results = []

    def create(i):
        with httpx.Client(
            base_url=fresh_emulator.base_url, headers={"Authorization": "Bearer sk_test_x"}
        ) as client:
            results.append(client.post("/v1/customers", data={"name": f"c{i}"}).status_code)

    threads = [threading.Thread(target=create, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 20
    assert fresh_emulator.count("customers") == 20


def test_idempotent_replay_sends_the_first_answer_not_the_current_object(api):
    headers = {"Idempotency-Key": "key-5"}
    first = api.post("/v1/customers", data={"name": "Before"}, headers=headers).json()
    api.post(f"/v1/customers/{first['id']}", data={"name": "After"})
    replay = api.post("/v1/customers", data={"name": "Before"}, headers=headers)
    assert replay.json()["name"] == "Before"
