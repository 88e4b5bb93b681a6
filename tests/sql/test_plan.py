from stripe_dbapi.sql.plan import Call, FanOut, Fetch


def test_estimated_requests_count_calls_and_pages_a_limit_needs():
    lists = Fetch("_t0", "charges", calls=[Call("list", "/v1/charges"), Call("list", "/v1/charges")])
    assert lists.estimated_requests() == 2
    lists.max_rows = 250
    assert lists.estimated_requests() == 6 and lists.page_size == 100
    retrieves = Fetch("_t0", "charges", calls=[Call("retrieve", "/v1/charges/ch_1")], max_rows=1)
    assert retrieves.estimated_requests() == 1
    fan = Fetch("_t0", "cards", fan_out=FanOut([Call("list", "/v1/customers")], "/v1/customers/{customer}/sources",
                                               "customer", "customer"))
    assert fan.estimated_requests() == 1
    assert Fetch("_t0", "charges", empty=True, calls=[Call("list", "/v1/charges")]).estimated_requests() == 0
