"""execute() / executemany() dispatch (stripe_dbapi/execute.py) on a connection whose
transport records every request."""

import httpx
import pytest

import stripe_dbapi


@pytest.fixture
def recorded():
    requests = []

    def handler(request):
        requests.append(request)
        email = request.url.params.get("email")
        data = [{"id": f"cus_{email}", "object": "customer", "email": email}] if email else []
        return httpx.Response(200, json={"object": "list", "data": data, "has_more": False})

    conn = stripe_dbapi.connect(api_key="sk_test_123", transport=httpx.MockTransport(handler))
    yield conn, requests
    conn.close()


def test_executemany_of_a_select_runs_each_set_and_keeps_the_last_result(recorded):
    conn, requests = recorded
    cursor = conn.cursor()
    cursor.executemany("SELECT id FROM customers WHERE email = ?", [("a",), ("b",)])
    assert [r.url.params["email"] for r in requests] == ["a", "b"]
    assert cursor.fetchall() == [("cus_b",)]


def test_executemany_of_explain_sends_nothing(recorded):
    conn, requests = recorded
    cursor = conn.cursor()
    cursor.executemany("EXPLAIN UPDATE customers SET name = ? WHERE id = ?", [("x", "cus_1"), ("y", "cus_2")])
    assert [row[3] for row in cursor.fetchall()] == ["/v1/customers/cus_2"]
    assert requests == []


@pytest.mark.parametrize("sets", [None, 5, "abc", {"a": 1}])
def test_executemany_needs_a_sequence_of_parameter_sets(recorded, sets):
    conn, requests = recorded
    with pytest.raises(stripe_dbapi.InterfaceError, match="sequence of parameter sets"):
        conn.cursor().executemany("INSERT INTO customers (name) VALUES (?)", sets)
    assert requests == []
