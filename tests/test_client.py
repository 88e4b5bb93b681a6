"""The HTTP client against httpx.MockTransport: no network."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest

import stripe_dbapi
from stripe_dbapi import exceptions as exc
from stripe_dbapi.client import StripeClient
from stripe_dbapi.form import decode_pairs
from stripe_dbapi.retry import RetryPolicy

API_KEY = "sk_test_51SecretKeyThatMustNeverLeak1234"
ERROR_CASES = json.loads((Path(__file__).parent / "fixtures" / "stripe_errors.json").read_text())["cases"]


def make_client(handler, **kwargs) -> StripeClient:
    kwargs.setdefault("retry_policy", RetryPolicy(max_retries=kwargs.pop("max_retries", 2)))
    return StripeClient(
        API_KEY,
        base_url="http://stripe.test",
        transport=httpx.MockTransport(handler),
        sleep=lambda seconds: None,
        **kwargs,
    )


def form_of(request: httpx.Request) -> dict:
    return decode_pairs(parse_qsl(request.content.decode(), keep_blank_values=True))


def query_of(request: httpx.Request) -> dict:
    return decode_pairs(parse_qsl(request.url.query.decode(), keep_blank_values=True))


def test_sends_auth_version_and_account_headers():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json={"id": "cus_1", "object": "customer"})

    client = make_client(handler, account_id="acct_1OZBcsQbE7mBlkdN", api_version="2026-10-28.endive")
    assert client.get("/v1/customers/cus_1")["id"] == "cus_1"
    request = seen[0]
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["Stripe-Version"] == "2026-10-28.endive"
    assert request.headers["Stripe-Account"] == "acct_1OZBcsQbE7mBlkdN"


def test_post_form_encodes_nested_params_and_sets_idempotency_key():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json={"id": "sub_1"})

    client = make_client(handler)
    client.post(
        "/v1/subscriptions",
        {
            "customer": "cus_1",
            "items": [{"price": "price_1", "quantity": 2}],
            "metadata": {"tier": "gold", "old": None},
            "cancel_at_period_end": False,
        },
    )
    request = seen[0]
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    pairs = parse_qsl(request.content.decode(), keep_blank_values=True)
    assert ("items[0][price]", "price_1") in pairs
    assert ("items[0][quantity]", "2") in pairs
    assert ("metadata[tier]", "gold") in pairs
    assert ("metadata[old]", "") in pairs  # empty string unsets the key
    assert ("cancel_at_period_end", "false") in pairs
    assert len(request.headers["Idempotency-Key"]) >= 32


def test_retry_reuses_the_same_idempotency_key():
    keys = []

    def handler(request):
        keys.append(request.headers["Idempotency-Key"])
        if len(keys) < 3:
            return httpx.Response(500, json={"error": {"type": "api_error", "message": "boom"}})
        return httpx.Response(200, json={"id": "cus_9"})

    client = make_client(handler, max_retries=2)
    assert client.post("/v1/customers", {"name": "abc"})["id"] == "cus_9"
    assert len(keys) == 3 and len(set(keys)) == 1
    assert client.request_count == 3


def test_explicit_idempotency_key_is_sent():
    keys = []

    def handler(request):
        keys.append(request.headers["Idempotency-Key"])
        return httpx.Response(200, json={"id": "cus_9"})

    make_client(handler).post("/v1/customers", {}, idempotency_key="my-key-1")
    assert keys == ["my-key-1"]


def test_connection_errors_are_retried_then_raised_as_api_connection_error():
    calls = []

    def handler(request):
        calls.append(request)
        raise httpx.ConnectError("connection refused", request=request)

    client = make_client(handler, max_retries=2)
    with pytest.raises(exc.APIConnectionError) as raised:
        client.get("/v1/customers")
    assert len(calls) == 3
    assert isinstance(raised.value, stripe_dbapi.OperationalError)


@pytest.mark.parametrize(
    "failure, unknown",
    [
        (httpx.ConnectError("refused"), False),  # never sent: not applied
        (httpx.ConnectTimeout("slow connect"), False),
        (httpx.RemoteProtocolError("closed without a response"), True),  # sent, answer lost
        (httpx.ReadTimeout("no answer"), True),
        (httpx.ReadError("reset"), True),
    ],
)
def test_a_write_whose_request_may_have_reached_stripe_has_an_unknown_outcome(failure, unknown):
    def handler(request):
        raise failure

    client = make_client(handler, max_retries=0)
    with pytest.raises(exc.APIConnectionError) as info:
        client.post("/v1/customers", {"name": "a"}, idempotency_key="key-1")
    outcome = info.value.unknown_outcome
    if not unknown:
        assert outcome is None
        return
    assert (outcome.method, outcome.path, outcome.params, outcome.idempotency_key) == (
        "POST", "/v1/customers", {"name": "a"}, "key-1"
    )
    assert "name" not in repr(outcome)  # parameters stay out of reprs
    with pytest.raises(exc.APIConnectionError) as read:
        client.get("/v1/customers/cus_1")
    assert read.value.unknown_outcome is None  # a read changes nothing


def test_one_lost_answer_then_a_refused_retry_is_still_unknown():
    attempts = []

    def handler(request):
        attempts.append(request)
        if len(attempts) == 1:
            raise httpx.RemoteProtocolError("closed without a response")
        raise httpx.ConnectError("refused")

    with pytest.raises(exc.APIConnectionError) as info:
        make_client(handler, max_retries=1).post("/v1/customers", {"name": "a"})
    assert info.value.unknown_outcome is not None and len(attempts) == 2


def test_a_5xx_answer_to_a_write_is_an_unknown_outcome_a_4xx_is_not():
    def handler(request):
        status = 500 if request.url.path.endswith("500") else 400
        return httpx.Response(status, json={"error": {"type": "api_error", "message": "x"}})

    client = make_client(handler, max_retries=0)
    with pytest.raises(exc.APIError) as server:
        client.post("/v1/customers/cus_500", {"name": "a"})
    assert server.value.unknown_outcome.idempotency_key
    with pytest.raises(exc.Error) as refused:
        client.post("/v1/customers/cus_400", {"name": "a"})
    assert refused.value.unknown_outcome is None


def test_a_delete_retried_after_a_lost_answer_that_gets_404_was_deleted():
    attempts = []

    def missing(request):
        return httpx.Response(
            404, json={"error": {"type": "invalid_request_error", "code": "resource_missing"}}
        )

    def handler(request):
        attempts.append(request)
        if len(attempts) == 1:
            raise httpx.ReadTimeout("no answer")
        return missing(request)

    client = make_client(handler, max_retries=1)
    assert client.delete("/v1/customers/cus_1") == {"id": "cus_1", "deleted": True}
    with pytest.raises(exc.ProgrammingError):  # with no lost answer before, a 404 is a 404
        make_client(missing, max_retries=0).delete("/v1/customers/cus_2")


def test_should_retry_false_header_stops_retries():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(
            503, headers={"Stripe-Should-Retry": "false"}, json={"error": {"type": "api_error"}}
        )

    with pytest.raises(exc.APIError):
        make_client(handler).get("/v1/charges")
    assert len(calls) == 1


def test_should_retry_true_header_retries_a_400():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(
                400, headers={"Stripe-Should-Retry": "true"}, json={"error": {"type": "invalid_request_error"}}
            )
        return httpx.Response(200, json={"id": "ch_1"})

    assert make_client(handler).get("/v1/charges/ch_1")["id"] == "ch_1"
    assert len(calls) == 2


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c["name"] for c in ERROR_CASES])
def test_stripe_error_bodies_map_to_pep249_classes(case):
    def handler(request):
        return httpx.Response(case["status"], headers=case["headers"], json=case["body"])

    client = make_client(handler, max_retries=0)
    expected = getattr(exc, case["expect"])
    with pytest.raises(expected) as raised:
        client.get("/v1/customers/cus_nope")
    error = raised.value
    body = case["body"]["error"]
    assert type(error) is expected
    assert error.http_status == case["status"]
    assert error.type == body.get("type")
    assert error.code == body.get("code")
    assert error.param == body.get("param")
    assert error.decline_code == body.get("decline_code")
    assert error.request_log_url == body.get("request_log_url")
    assert error.request_id == case["headers"]["Request-Id"]
    assert body["message"].split(":")[0] in str(error)
    assert isinstance(error, stripe_dbapi.DatabaseError)


def test_retrieve_returns_none_for_missing_object():
    case = next(c for c in ERROR_CASES if c["name"] == "resource_missing")

    def handler(request):
        return httpx.Response(404, headers=case["headers"], json=case["body"])

    assert make_client(handler).retrieve("/v1/customers/cus_nope") is None


def test_list_pages_follows_starting_after_until_has_more_is_false():
    objects = [{"id": f"cus_{i:03d}"} for i in range(250)]
    queries = []

    def handler(request):
        query = query_of(request)
        queries.append(query)
        start = 0
        if "starting_after" in query:
            start = next(i for i, o in enumerate(objects) if o["id"] == query["starting_after"]) + 1
        limit = int(query["limit"])
        data = objects[start : start + limit]
        return httpx.Response(
            200, json={"object": "list", "data": data, "has_more": start + limit < len(objects)}
        )

    client = make_client(handler)
    pages = list(client.list_pages("/v1/customers", {"email": "a@b.c"}))
    assert [len(p) for p in pages] == [100, 100, 50]
    assert [q.get("starting_after") for q in queries] == [None, "cus_099", "cus_199"]
    assert all(q["limit"] == "100" and q["email"] == "a@b.c" for q in queries)


def test_list_pages_with_max_rows_asks_for_no_more_than_needed():
    queries = []

    def handler(request):
        query = query_of(request)
        queries.append(query)
        limit = int(query["limit"])
        return httpx.Response(200, json={"data": [{"id": f"x{i}"} for i in range(limit)], "has_more": True})

    client = make_client(handler)
    rows = [o for page in client.list_pages("/v1/charges", max_rows=130) for o in page]
    assert len(rows) == 130
    assert [q["limit"] for q in queries] == ["100", "30"]
    assert list(client.list_pages("/v1/charges", max_rows=0)) == []
    assert len(queries) == 2


def test_search_pages_follow_next_page():
    queries = []

    def handler(request):
        query = query_of(request)
        queries.append(query)
        if "page" not in query:
            return httpx.Response(
                200, json={"object": "search_result", "data": [{"id": "cus_1"}], "has_more": True, "next_page": "pg_2"}
            )
        return httpx.Response(200, json={"data": [{"id": "cus_2"}], "has_more": False, "next_page": None})

    client = make_client(handler)
    pages = list(client.search_pages("/v1/customers/search", 'email:"a@b.c"'))
    assert [p[0]["id"] for p in pages] == ["cus_1", "cus_2"]
    assert queries[0]["query"] == 'email:"a@b.c"' and queries[1]["page"] == "pg_2"


def test_map_concurrently_keeps_order_and_raises_first_error():
    client = make_client(lambda r: httpx.Response(200, json={}), max_concurrency=4)
    assert client.map_concurrently(lambda x: x * 2, [3, 1, 2]) == [6, 2, 4]

    def fail_on_two(x):
        if x == 2:
            raise exc.APIError("nope")
        return x

    with pytest.raises(exc.APIError):
        client.map_concurrently(fail_on_two, [1, 2, 3])


def test_api_key_never_appears_in_repr_errors_or_logs(caplog):
    def handler(request):
        # A server that echoes the key back must not make the driver leak it.
        return httpx.Response(401, json={"error": {"message": f"Invalid API Key provided: {API_KEY}", "type": "invalid_request_error"}})

    client = make_client(handler, max_retries=0)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(exc.AuthenticationError) as raised:
        client.get("/v1/customers")
    assert API_KEY not in repr(client)
    assert API_KEY not in str(raised.value)
    assert API_KEY not in raised.value.message
    assert "sk_test_****1234" in str(raised.value)
    assert API_KEY not in caplog.text


def test_closed_client_refuses_requests():
    client = make_client(lambda r: httpx.Response(200, json={}))
    client.close()
    client.close()  # harmless twice
    with pytest.raises(exc.InterfaceError):
        client.get("/v1/customers")


def test_short_keys_are_masked_entirely():
    from stripe_dbapi.error_mapping import mask_key

    assert mask_key("sk_test_ab") == "sk_test_****"
    assert mask_key(API_KEY) == "sk_test_****1234"


def test_empty_list_and_dict_clear_the_field():
    from stripe_dbapi.form import encode_params

    assert encode_params({"preferred_locales": [], "metadata": {}}) == [
        ("preferred_locales", ""),
        ("metadata", ""),
    ]
