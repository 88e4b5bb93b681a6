"""Write features beyond the spec's examples, end to end on the emulator."""

import json

import pytest

import stripe_dbapi


@pytest.fixture
def emu(fresh_emulator):
    return fresh_emulator


@pytest.fixture
def cursor(emu):
    conn = stripe_dbapi.connect(api_key="sk_test_writes", base_url=emu.base_url, max_retries=0)
    yield conn.cursor()
    conn.close()


def test_returning_star_and_aliases(cursor):
    cursor.execute("INSERT INTO customers (name, email) VALUES ('Ann', 'ann@x.test') RETURNING *")
    names = [d[0] for d in cursor.description]
    row = dict(zip(names, cursor.fetchone()))
    assert row["name"] == "Ann" and row["id"] == cursor.lastrowid
    assert cursor.description[names.index("created")][1] == "datetime"
    cursor.execute(
        "UPDATE customers SET name = 'Bo' WHERE id = ? RETURNING id AS customer_id, name",
        [row["id"]],
    )
    assert [d[0] for d in cursor.description] == ["customer_id", "name"]
    assert cursor.fetchall() == [(row["id"], "Bo")]


def test_update_by_predicate_plans_a_select_then_updates_each(emu, cursor):
    cursor.execute(
        "INSERT INTO customers (name, email) VALUES ('a', 'a@x.test'), ('b', 'b@y.test'), ('c', 'c@x.test')"
    )
    emu.reset_requests()
    cursor.execute(
        "UPDATE customers SET metadata = json_object('tier', 'gold') WHERE email LIKE '%@x.test'"
    )
    assert cursor.rowcount == 2
    posts = [r for r in emu.requests if r.method == "POST"]
    assert sorted(r.params["metadata"]["tier"] for r in posts) == ["gold", "gold"]
    tiers = {c["name"]: c["metadata"].get("tier") for c in emu.objects("customers")}
    assert tiers == {"a": "gold", "b": None, "c": "gold"}
    # Search is eventually consistent; the write log keeps this connection's writes visible.
    cursor.execute(
        "UPDATE customers SET description = 'vip' WHERE json_extract(metadata, '$.tier') = 'gold'"
    )
    assert cursor.rowcount == 2


def test_insert_from_select(emu, cursor):
    cursor.execute("INSERT INTO customers (name) VALUES ('x'), ('y')")
    cursor.execute("INSERT INTO products (name) SELECT name || ' product' FROM customers")
    assert cursor.rowcount == 2
    assert sorted(p["name"] for p in emu.objects("products")) == ["x product", "y product"]


def test_card_by_id_alone_finds_its_customer(emu, cursor):
    cursor.execute("INSERT INTO customers (name) VALUES ('holder')")
    customer = cursor.lastrowid
    cursor.execute("INSERT INTO cards (CustomerId, Token) VALUES (?, 'tok_visa')", [customer])
    card = cursor.lastrowid
    cursor.execute(
        "UPDATE cards SET address_country = 'FR' WHERE id = ? RETURNING customer, address_country",
        [card],
    )
    assert cursor.fetchall() == [(customer, "FR")]
    emu.reset_requests()
    cursor.execute("DELETE FROM cards WHERE id = ?", [card])
    assert cursor.rowcount == 1
    assert ("DELETE", f"/v1/customers/{customer}/sources/{card}") in [
        (r.method, r.path) for r in emu.requests
    ]


def test_null_unsets_and_metadata_key_deletion(emu, cursor):
    cursor.execute(
        'INSERT INTO customers (name, description, metadata) VALUES (\'m\', \'d\', \'{"a": "1", "b": "2"}\')'
    )
    customer = cursor.lastrowid
    emu.reset_requests()
    cursor.execute(
        'UPDATE customers SET description = NULL, metadata = \'{"a": ""}\' WHERE id = ?', [customer]
    )
    assert emu.requests[-1].params == {"description": "", "metadata": {"a": ""}}
    stored = emu.get("customers", customer)
    assert stored["description"] is None and stored["metadata"] == {"b": "2"}


def test_delete_subscription_cancels_it(emu, cursor):
    cursor.execute("INSERT INTO customers (name) VALUES ('s')")
    customer = cursor.lastrowid
    cursor.execute("INSERT INTO products (name) VALUES ('plan')")
    product = cursor.lastrowid
    cursor.execute(
        "INSERT INTO prices (currency, product, unit_amount, recurring) VALUES ('usd', ?, 500, ?)",
        [product, json.dumps({"interval": "month"})],
    )
    price = cursor.lastrowid
    cursor.execute(
        "INSERT INTO subscriptions (customer, items) VALUES (?, ?)",
        [customer, json.dumps([{"price": price}])],
    )
    subscription = cursor.lastrowid
    cursor.execute("DELETE FROM subscriptions WHERE id = ?", [subscription])
    assert cursor.rowcount == 1
    assert emu.get("subscriptions", subscription)["status"] == "canceled"


def test_update_of_a_missing_id_is_no_row(cursor):
    cursor.execute("UPDATE customers SET name = 'x' WHERE id = 'cus_doesnotexist'")
    assert cursor.rowcount == 0
    cursor.execute("DELETE FROM customers WHERE id IN ('cus_doesnotexist')")
    assert cursor.rowcount == 0


def test_update_with_per_row_expressions(emu, cursor):
    cursor.execute("INSERT INTO customers (name, balance) VALUES ('a', 10), ('b', 20)")
    emu.reset_requests()
    cursor.execute(
        "UPDATE customers SET description = upper(name) || '!', balance = balance * 2, email = 'x@y.test' "
        "WHERE balance > 5 RETURNING name, description, balance, email"
    )
    assert sorted(cursor.fetchall()) == [("a", "A!", 20, "x@y.test"), ("b", "B!", 40, "x@y.test")]
    bodies = sorted(
        (r.params["description"], r.params["balance"]) for r in emu.requests if r.method == "POST"
    )
    assert bodies == [("A!", "20"), ("B!", "40")]


def test_per_row_value_of_the_wrong_type_is_refused_before_any_update(emu, cursor):
    cursor.execute("INSERT INTO customers (name, balance) VALUES ('a', 10), ('b', 15)")
    emu.reset_requests()
    with pytest.raises(stripe_dbapi.DataError, match="whole number"):
        cursor.execute("UPDATE customers SET balance = balance / 2.0 WHERE balance > 0")
    assert [r.method for r in emu.requests if r.method != "GET"] == []


def test_dicts_and_lists_bind_as_json(emu, cursor):
    cursor.execute(
        "INSERT INTO customers (name, metadata, preferred_locales) VALUES (?, ?, ?) RETURNING metadata",
        ["j", {"tier": "gold"}, ["fr", "en"]],
    )
    assert json.loads(cursor.fetchone()[0]) == {"tier": "gold"}
    assert emu.requests[-1].params == {
        "name": "j",
        "metadata": {"tier": "gold"},
        "preferred_locales": ["fr", "en"],
    }
