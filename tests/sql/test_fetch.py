import httpx

from stripe_dbapi.client import StripeClient
from stripe_dbapi.sql.fetch import fetch_all, merge_recent_writes
from stripe_dbapi.sql.plan import Call, FanOut, Fetch
from stripe_dbapi.write_log import WriteLog


def test_search_results_merge_recent_writes_newest_version_wins_deleted_dropped():
    log = WriteLog()
    log.record("customers", {"id": "cus_1", "name": "new"})
    log.record("customers", {"id": "cus_3", "name": "written"})
    log.record_deleted("customers", "cus_2")
    searched = [{"id": "cus_1", "name": "stale"}, {"id": "cus_2"}, {"id": "cus_1", "name": "dup"}]
    assert merge_recent_writes(searched, log, "customers") == [
        {"id": "cus_1", "name": "new"}, {"id": "cus_3", "name": "written"}]


def test_fan_out_escapes_parent_ids_from_stripe():
    sent = []

    def handler(request):
        sent.append(request.url.raw_path.decode())
        data = [{"id": "cus/../x", "object": "customer"}] if request.url.path == "/v1/customers" else []
        return httpx.Response(200, json={"object": "list", "data": data, "has_more": False})

    fan = FanOut([Call("list", "/v1/customers")], [Call("list", "/v1/customers/{customer}/sources")],
                 "customer", path_param="customer")
    client = StripeClient("sk_test_123", base_url="https://stripe.test",
                          transport=httpx.MockTransport(handler), max_retries=0)
    try:
        fetch_all(client, None, [Fetch(ref_name="t", table_name="cards", fan_out=fan)])
    finally:
        client.close()
    assert [p.split("?")[0] for p in sent] == ["/v1/customers", "/v1/customers/cus%2F..%2Fx/sources"]
