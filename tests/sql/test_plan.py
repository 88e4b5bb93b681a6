from stripe_dbapi.sql.plan import Call, FanOut, Fetch


def test_estimated_requests_count_calls_and_pages_a_limit_needs():
    lists = Fetch("_t0", "charges", calls=[Call("list", "/v1/charges"), Call("list", "/v1/charges")])
    assert lists.estimated_requests() == 2
    lists.max_rows = 250
    assert lists.estimated_requests() == 6 and lists.page_size == 100
    retrieves = Fetch("_t0", "charges", calls=[Call("retrieve", "/v1/charges/ch_1")], max_rows=1)
    assert retrieves.estimated_requests() == 1
    assert Fetch("_t0", "charges", empty=True, calls=[Call("list", "/v1/charges")]).estimated_requests() == 0


def _fan_out(parent_lists=1, max_rows=None):
    parents = [Call("list", "/v1/prices", {"active": a}) for a in (True, False)[:parent_lists]]
    return Fetch("_t0", "cards", max_rows=max_rows,
                 fan_out=FanOut(parents, [Call("list", "/v1/customers/{customer}/sources")], "customer",
                                path_param="customer"))


def test_a_fan_out_is_estimated_from_a_page_of_parents_and_says_so():
    # Each list of parents is assumed to fill a page (100 parents), one list per parent.
    assert _fan_out().estimated_requests() == 1 + 100
    assert _fan_out(parent_lists=2).estimated_requests() == 2 + 200
    assert _fan_out().fan_out_estimate() == (
        "estimate: 1 page(s) of parents, then one list per parent, assuming 100 parents a page; "
        "the real count is known once the parents are listed")
    assert Fetch("_t0", "charges", calls=[Call("list", "/v1/charges")]).fan_out_estimate() == ""
    # Two child calls per parent (e.g. a visibility split of the child list): two lists each.
    two = _fan_out()
    two.fan_out.child_calls.append(Call("list", "/v1/customers/{customer}/sources", {"x": 1}))
    assert two.estimated_requests() == 1 + 200
    assert "then 2 lists per parent" in two.fan_out_estimate()


def test_a_fan_out_with_a_pushed_limit_is_estimated_at_its_best_case():
    assert _fan_out(max_rows=5).estimated_requests() == 1 + 1
    assert _fan_out(max_rows=250).estimated_requests() == 1 + 3
    assert "at least 3 list(s): the walk stops at 250 rows" in _fan_out(max_rows=250).fan_out_estimate()
    assert Fetch("_t0", "charges", empty=True, calls=[Call("list", "/v1/charges")]).estimated_requests() == 0
