"""Property tests of list paging (StripeApp without HTTP): cursors walk every object once,
newest first, whatever the created values, page sizes and range bounds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.testing.app import StripeApp

CATALOG = load_catalog()


def app_with(createds: list[int]) -> StripeApp:
    app = StripeApp(CATALOG, search_lag=0)
    for i, created in enumerate(createds):
        app.store.put(
            "platform", "customers", {"id": f"cus_{i:05d}", "created": created, "test_clock": None}
        )
    return app


def expected(createds: list[int], low=None, high=None) -> list[str]:
    # Newest first; ties: the later insert first.
    order = sorted(range(len(createds)), key=lambda i: (-createds[i], -i))
    return [
        f"cus_{i:05d}"
        for i in order
        if (low is None or createds[i] >= low) and (high is None or createds[i] <= high)
    ]


def walk(app: StripeApp, limit: int, params: dict) -> list[str]:
    seen, cursor = [], None
    while True:
        query = {"limit": str(limit), **params, **({"starting_after": cursor} if cursor else {})}
        status, body = app.handle("GET", "/v1/customers", query, "platform")
        assert status == 200
        seen += [o["id"] for o in body["data"]]
        if not body["has_more"]:
            return seen
        assert len(body["data"]) == limit
        cursor = body["data"][-1]["id"]


createds = st.lists(st.integers(min_value=0, max_value=50), min_size=0, max_size=60)


@settings(max_examples=60, deadline=None)
@given(createds, st.integers(min_value=1, max_value=7))
def test_starting_after_walks_everything_newest_first(values, limit):
    assert walk(app_with(values), limit, {}) == expected(values)


@settings(max_examples=60, deadline=None)
@given(createds, st.integers(min_value=1, max_value=7), st.integers(0, 50), st.integers(0, 50))
def test_created_bounds_with_cursors(values, limit, a, b):
    low, high = min(a, b), max(a, b)
    params = {"created": {"gte": str(low), "lte": str(high)}}
    assert walk(app_with(values), limit, params) == expected(values, low, high)


@settings(max_examples=60, deadline=None)
@given(createds.filter(bool), st.integers(min_value=1, max_value=7), st.data())
def test_ending_before_is_the_page_just_newer_than_the_cursor(values, limit, data):
    app = app_with(values)
    order = expected(values)
    position = data.draw(st.integers(0, len(order) - 1))
    query = {"limit": str(limit), "ending_before": order[position]}
    _, body = app.handle("GET", "/v1/customers", query, "platform")
    newer = order[:position]
    assert [o["id"] for o in body["data"]] == newer[-limit:]
    assert body["has_more"] == (len(newer) > limit)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.sampled_from(["a", "b", "c"])), max_size=50),
    st.integers(min_value=1, max_value=6),
    st.sampled_from(["a", "b", "c"]),
    st.lists(st.tuples(st.integers(0, 49), st.sampled_from(["a", "b", "c"])), max_size=5),
)
def test_equality_filter_pages_match_a_full_scan(rows, limit, wanted, changes):
    """The equality index gives the same pages as filtering every object, also after updates."""
    app = app_with([created for created, _ in rows])
    store = app.store.table("platform", "customers")
    for i, (_, email) in enumerate(rows):
        store.objects[f"cus_{i:05d}"]["email"] = email
    walk(app, limit, {"email": wanted})  # builds the index
    for step, (index, email) in enumerate(changes):  # writes through put, as the API does
        if index < len(rows):
            if step % 2:  # the behaviours change stored objects in place, then save them
                obj = store.objects[f"cus_{index:05d}"]
                obj["email"] = email
            else:
                obj = dict(store.objects[f"cus_{index:05d}"], email=email)
            app.store.put("platform", "customers", obj)
            rows[index] = (rows[index][0], email)
    by_scan = [i for i in expected([c for c, _ in rows]) if rows[int(i[4:])][1] == wanted]
    assert walk(app, limit, {"email": wanted}) == by_scan
    if by_scan:
        query = {"limit": str(limit), "email": wanted, "ending_before": by_scan[-1]}
        _, body = app.handle("GET", "/v1/customers", query, "platform")
        assert [o["id"] for o in body["data"]] == by_scan[:-1][-limit:]
