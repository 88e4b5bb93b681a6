"""Write features beyond the spec's examples, end to end on the emulator."""

import json

import pytest

import stripe_dbapi
from stripe_dbapi.catalog import load_catalog


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
    row = dict(zip(names, cursor.fetchone(), strict=True))
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


def test_card_writes_need_the_customer_and_never_fan_out(emu, cursor):
    cursor.execute("INSERT INTO customers (name) VALUES ('holder')")
    customer = cursor.lastrowid
    cursor.execute("INSERT INTO cards (CustomerId, Token) VALUES (?, 'tok_visa')", [customer])
    card = cursor.lastrowid
    emu.reset_requests()
    for sql in (
        "UPDATE Cards SET AddressCountry = 'US' WHERE Id = ?",
        "DELETE FROM cards WHERE id = ?",
    ):
        with pytest.raises(
            stripe_dbapi.ProgrammingError,
            match=r"needs CustomerId = \.\.\. in WHERE \(cards live under /v1/customers/\{customer\}/sources\)",
        ):
            cursor.execute(sql, [card])
    with pytest.raises(stripe_dbapi.ProgrammingError, match="INSERT INTO cards needs CustomerId "):
        cursor.execute("INSERT INTO cards (Token) VALUES ('tok_visa')")
    assert emu.requests == []
    cursor.execute(
        "UPDATE cards SET address_country = 'FR' WHERE customer = ? AND id = ? "
        "RETURNING customer, address_country",
        [customer, card],
    )
    assert cursor.fetchall() == [(customer, "FR")]
    emu.reset_requests()
    cursor.execute("DELETE FROM cards WHERE CustomerId = ? AND id = ?", [customer, card])
    assert cursor.rowcount == 1
    assert [(r.method, r.path) for r in emu.requests] == [
        ("DELETE", f"/v1/customers/{customer}/sources/{card}")
    ]


def _customer_with_metadata(cursor, metadata: dict) -> str:
    cursor.execute(
        "INSERT INTO customers (name, description, metadata) VALUES ('m', 'd', ?)",
        [json.dumps(metadata)],
    )
    return cursor.lastrowid


def test_set_metadata_replaces_it_with_one_get_per_named_id(emu, cursor):
    # Stripe merges metadata; SQL (and the ORM) mean the column becomes the new value.
    first = _customer_with_metadata(cursor, {"a": "1", "b": "2"})
    second = _customer_with_metadata(cursor, {"c": "3"})
    emu.reset_requests()
    cursor.execute(
        'UPDATE customers SET description = NULL, metadata = \'{"b": "20", "n": "1"}\' '
        "WHERE id IN (?, ?)",
        [first, second],
    )
    assert cursor.rowcount == 2
    gets = sorted(r.path for r in emu.requests if r.method == "GET")
    assert gets == sorted([f"/v1/customers/{first}", f"/v1/customers/{second}"])
    posts = {r.path: r.params for r in emu.requests if r.method == "POST"}
    assert posts[f"/v1/customers/{first}"] == {
        "description": "",
        "metadata": {"a": "", "b": "20", "n": "1"},
    }
    assert emu.get("customers", first)["metadata"] == {"b": "20", "n": "1"}
    assert emu.get("customers", second)["metadata"] == {"b": "20", "n": "1"}
    assert emu.get("customers", first)["description"] is None


def test_set_metadata_by_predicate_reads_it_with_the_targets(emu, cursor):
    customer = _customer_with_metadata(cursor, {"a": "1", "b": "2"})
    emu.reset_requests()
    cursor.execute("UPDATE customers SET description = 'x' WHERE name = 'm'")
    plain = [(r.method, r.path) for r in emu.requests]
    emu.reset_requests()
    cursor.execute("UPDATE customers SET metadata = '{\"b\": \"3\"}' WHERE name = 'm'")
    assert [(r.method, r.path) for r in emu.requests] == plain  # no extra request
    assert emu.get("customers", customer)["metadata"] == {"b": "3"}


def test_json_set_merges_and_json_remove_removes(emu, cursor):
    customer = _customer_with_metadata(cursor, {"a": "1", "b": "2"})
    cursor.execute(
        "UPDATE customers SET metadata = json_set(metadata, '$.tier', 'gold') WHERE id = ?",
        [customer],
    )
    assert emu.get("customers", customer)["metadata"] == {"a": "1", "b": "2", "tier": "gold"}
    cursor.execute(
        "UPDATE customers SET metadata = json_remove(metadata, '$.a') WHERE id = ?", [customer]
    )
    assert emu.get("customers", customer)["metadata"] == {"b": "2", "tier": "gold"}


@pytest.mark.parametrize("value", [None, "{}"])
def test_set_metadata_null_or_empty_clears_it_without_a_read(emu, cursor, value):
    customer = _customer_with_metadata(cursor, {"a": "1", "b": "2"})
    emu.reset_requests()
    cursor.execute("UPDATE customers SET metadata = ? WHERE id = ?", [value, customer])
    assert [(r.method, r.params) for r in emu.requests] == [("POST", {"metadata": ""})]
    assert emu.get("customers", customer)["metadata"] == {}


def test_set_metadata_of_a_missing_id_sends_no_update(emu, cursor):
    emu.reset_requests()
    cursor.execute("UPDATE customers SET metadata = '{\"a\": \"1\"}' WHERE id = 'cus_gone'")
    assert cursor.rowcount == 0
    assert [r.method for r in emu.requests] == ["GET"]


def test_explain_set_metadata_by_id_lists_the_reads(emu, cursor):
    cursor.execute("EXPLAIN UPDATE customers SET metadata = '{\"a\": \"1\"}' WHERE id = 'cus_1'")
    assert [r[1:4] for r in cursor.fetchall()] == [
        ("by id: read the current metadata (SET replaces it)", "GET", "/v1/customers/cus_1"),
        ("by id", "POST", "/v1/customers/cus_1"),
    ]
    cursor.execute("EXPLAIN UPDATE customers SET metadata = NULL WHERE id = 'cus_1'")
    assert [r[1:4] for r in cursor.fetchall()] == [("by id", "POST", "/v1/customers/cus_1")]
    assert emu.requests == []


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


# --- acceptance review fixes -----------------------------------------------------------


def sent(emu):
    return [(r.method, r.path) for r in emu.requests]


@pytest.mark.parametrize(
    "sql, params",
    [
        ("UPDATE customers SET name = 'x' WHERE id = ?", ("",)),
        ("UPDATE customers SET name = 'x' WHERE ''", None),
        ("UPDATE customers SET name = 'x' WHERE id = '.'", None),
        ("UPDATE customers SET name = 'x' WHERE id IN ('', ' ', '..')", None),
        ("DELETE FROM customers WHERE id = ''", None),
        ("UPDATE cards SET address_country = 'US' WHERE CustomerId = '' AND Id = 'card_1'", None),
        ("DELETE FROM cards WHERE CustomerId = 'cus_1' AND Id = '.'", None),
    ],
)
def test_an_id_no_object_can_have_matches_nothing_and_sends_nothing(emu, cursor, sql, params):
    cursor.execute("INSERT INTO customers (name) VALUES ('bystander')")
    emu.reset_requests()
    cursor.execute(sql, params)
    assert cursor.rowcount == 0
    assert emu.requests == []  # before the fix: POST /v1/customers, a create


def test_insert_with_an_empty_parent_id_is_refused(emu, cursor):
    with pytest.raises(stripe_dbapi.ProgrammingError, match="must be a Stripe id"):
        cursor.execute("INSERT INTO cards (CustomerId, Token) VALUES ('', 'tok_visa')")
    assert emu.requests == []


@pytest.mark.parametrize(
    "sql, error",
    [
        ("INSERT INTO customers (name) VALUES ('a') RETURNING id, emial", "emial"),
        ("INSERT INTO customers (name) VALUES ('a') RETURNING count(*)", "COUNT"),
        ("UPDATE customers SET name = 'b' WHERE email = 'a@x.io' RETURNING nope", "nope"),
        ("UPDATE customers SET name = 'b' WHERE id = 'cus_1' RETURNING nope", "nope"),
    ],
)
def test_returning_is_checked_before_the_write_is_sent(emu, cursor, sql, error):
    with pytest.raises(stripe_dbapi.DatabaseError, match=error):
        cursor.execute(sql)
    assert emu.requests == []
    assert emu.objects("customers") == []


def three_customers(emu):
    for n in range(3):
        emu.insert("customers", {"id": f"cus_{n}", "email": "a@x.io", "created": 1700000000 + n})


def test_delete_honours_order_by_and_limit(emu, cursor):
    three_customers(emu)
    cursor.execute("DELETE FROM customers WHERE email = 'a@x.io' ORDER BY created DESC LIMIT 1")
    assert cursor.rowcount == 1
    assert sorted(c["id"] for c in emu.objects("customers") if not c.get("deleted")) == [
        "cus_0",
        "cus_1",
    ]


def test_update_honours_limit_with_order_by(emu, cursor):
    three_customers(emu)
    cursor.execute(
        "UPDATE customers SET name = 'first' WHERE email = 'a@x.io' ORDER BY created LIMIT 2 "
        "RETURNING id"
    )
    assert sorted(cursor.fetchall()) == [("cus_0",), ("cus_1",)]
    assert {c["id"]: c["name"] for c in emu.objects("customers")}["cus_2"] is None
    # LIMIT on a statement naming ids goes through the SELECT too.
    cursor.execute("DELETE FROM customers WHERE id IN ('cus_0', 'cus_1') LIMIT 1")
    assert cursor.rowcount == 1


def test_overlapping_columns_are_refused_before_any_request(emu, cursor):
    with pytest.raises(
        stripe_dbapi.ProgrammingError, match="'address_city' and 'address' both set address"
    ):
        cursor.execute(
            "INSERT INTO customers (address, address_city) VALUES ('{\"city\":\"A\"}', 'B')"
        )
    with pytest.raises(stripe_dbapi.ProgrammingError, match="both set"):
        cursor.execute("UPDATE customers SET address_city = 'B', address = NULL WHERE id = 'cus_1'")
    assert emu.requests == []


def test_insert_leaves_nulls_out_of_the_create_and_update_unsets_them(emu, cursor):
    cursor.execute("INSERT INTO customers (name, email, phone) VALUES ('n', NULL, ?)", [None])
    [create] = [r for r in emu.requests if r.method == "POST"]
    assert create.params == {"name": "n"}
    emu.reset_requests()
    cursor.execute("UPDATE customers SET email = NULL WHERE id = ?", [cursor.lastrowid])
    [update] = [r for r in emu.requests if r.method == "POST"]
    assert update.params == {"email": ""}


def test_insert_default_values_creates_one_object(emu, cursor):
    cursor.execute("INSERT INTO customers DEFAULT VALUES RETURNING id")
    [(new_id,)] = cursor.fetchall()
    assert cursor.rowcount == 1 and cursor.lastrowid == new_id
    assert [r.params for r in emu.requests if r.method == "POST"] == [{}]


def test_a_key_column_set_to_another_value_is_refused(emu, cursor):
    with pytest.raises(stripe_dbapi.ProgrammingError, match="column 'Id' cannot be set"):
        cursor.execute("UPDATE customers SET name = 'x', Id = 'cus_2' WHERE id = 'cus_1'")
    with pytest.raises(stripe_dbapi.ProgrammingError, match="cannot move cards"):
        cursor.execute(
            "UPDATE cards SET CustomerId = 'cus_2' WHERE CustomerId = 'cus_1' AND Id = 'card_1'"
        )
    assert emu.requests == []


@pytest.mark.parametrize(
    "sql",
    [
        "EXPLAIN UPDATE customers SET name = 'x' WHERE email = 'a@x.io'",
        "EXPLAIN DELETE FROM customers WHERE id = 'cus_1'",
        "EXPLAIN INSERT INTO customers (name) VALUES ('z'), ('w')",
        "EXPLAIN INSERT INTO products (name) SELECT name FROM customers",
        "EXPLAIN UPDATE cards SET address_country = 'US' WHERE CustomerId = 'cus_1' AND id = 'card_1'",
    ],
)
def test_explain_of_a_write_lists_calls_and_sends_nothing(emu, cursor, sql):
    three_customers(emu)
    select_columns = cursor.execute("EXPLAIN SELECT id FROM customers").description
    emu.reset_requests()
    cursor.execute(sql)
    rows = cursor.fetchall()
    assert cursor.description == select_columns  # the same columns as SELECT's EXPLAIN
    assert emu.requests == []
    assert len(emu.objects("customers")) == 3 and emu.objects("products") == []
    write = rows[-1]
    assert write[2] in ("POST", "DELETE") and write[3].startswith("/v1/")


def test_explain_details(emu, cursor):
    cursor.execute("EXPLAIN UPDATE customers SET name = 'x' WHERE email = ?", ["a@x.io"])
    rows = cursor.fetchall()
    assert (rows[0][1], rows[0][2], rows[0][3]) == ("list", "GET", "/v1/customers")
    assert json.loads(rows[0][4])["email"] == "a@x.io"
    update_path = load_catalog().table("customers").update_path
    assert rows[-1][1:5] == (
        "one POST per matching id, concurrently",
        "POST",
        update_path,
        '{"name": "x"}',
    )
    cursor.execute("EXPLAIN DELETE FROM customers WHERE id IN ('cus_1', 'cus_2')")
    assert [r[1:4] for r in cursor.fetchall()] == [
        ("by id", "DELETE", "/v1/customers/cus_1"),
        ("by id", "DELETE", "/v1/customers/cus_2"),
    ]
    cursor.execute("EXPLAIN INSERT INTO cards (CustomerId, Token) VALUES ('cus_1', 'tok_visa')")
    assert [r[1:5] for r in cursor.fetchall()] == [
        ("create row 1", "POST", "/v1/customers/cus_1/sources", '{"source": "tok_visa"}')
    ]
    assert emu.requests == []


def test_explain_of_a_bad_write_is_the_same_error(cursor):
    with pytest.raises(stripe_dbapi.ProgrammingError, match="emial"):
        cursor.execute("EXPLAIN INSERT INTO customers (emial) VALUES ('x')")


# --- The full-table guard sees through WHEREs that do not look at the object ------


def _three_customers(emu, cursor):
    cursor.execute("INSERT INTO customers (name) VALUES ('a'), ('b'), ('c')")
    emu.reset_requests()


@pytest.mark.parametrize(
    "where, params",
    [
        ("1=1", ()),
        ("true", ()),
        ("1", ()),
        ("NOT 0", ()),
        ("'a' = 'a'", ()),
        ("1=1 OR id = 'cus_x'", ()),
        ("(SELECT 1)", ()),
        ("abs(-1)", ()),
        ("?", (1,)),
        ("EXISTS (SELECT 1 FROM customers)", ()),
    ],
)
def test_update_and_delete_whose_where_holds_for_every_object_are_refused(
    emu, cursor, where, params
):
    _three_customers(emu, cursor)
    for sql in (f"UPDATE customers SET description = 'x' WHERE {where}",
                f"DELETE FROM customers WHERE {where}"):
        with pytest.raises(stripe_dbapi.ProgrammingError, match="allow_full_table_writes=True"):
            cursor.execute(sql, params)
    assert emu.requests == []
    assert {c["description"] for c in emu.objects("customers")} == {None}


@pytest.mark.parametrize(
    "where, params", [("0", ()), ("1 = 2", ()), ("NULL", ()), ("NOT 1", ()), ("?", (0,)),
                      ("1 = 1 AND 0", ())]
)
def test_update_and_delete_whose_where_is_false_touch_nothing_and_send_nothing(
    emu, cursor, where, params
):
    _three_customers(emu, cursor)
    cursor.execute(f"UPDATE customers SET description = 'x' WHERE {where} RETURNING id", params)
    assert (cursor.rowcount, cursor.fetchall()) == (0, [])
    cursor.execute(f"UPDATE customers SET description = name || '!' WHERE {where}", params)
    assert cursor.rowcount == 0
    cursor.execute(f"DELETE FROM customers WHERE {where}", params)
    assert cursor.rowcount == 0
    assert emu.requests == []
    assert len(emu.objects("customers")) == 3


def test_a_where_true_with_allow_full_table_writes_updates_every_object(emu):
    conn = stripe_dbapi.connect(
        api_key="sk_test_writes", base_url=emu.base_url, allow_full_table_writes=True
    )
    cursor = conn.cursor()
    _three_customers(emu, cursor)
    cursor.execute("UPDATE customers SET description = 'all' WHERE 1 = 1")
    assert cursor.rowcount == 3
    assert {c["description"] for c in emu.objects("customers")} == {"all"}
    conn.close()


def test_a_tautology_on_a_column_is_a_filter(emu, cursor):
    """The guard refuses WHEREs that do not look at the object; one that does is a
    filter, even when every object passes it (documented in writes_and_procedures.md)."""
    _three_customers(emu, cursor)
    cursor.execute("UPDATE customers SET description = 'same' WHERE id = id")
    assert cursor.rowcount == 3


# --- Safety settings are fixed once the connection is open ------------------------


def test_readonly_cannot_be_switched_off_after_connect(emu):
    conn = stripe_dbapi.connect(api_key="sk_test_writes", base_url=emu.base_url, readonly=True)
    with pytest.raises(stripe_dbapi.InterfaceError, match=r"readonly is fixed.*connect\(readonly=False\)"):
        conn.readonly = False
    with pytest.raises(AttributeError):  # what Python code expects of a read-only attribute
        conn.readonly = False
    with pytest.raises(stripe_dbapi.InterfaceError):
        del conn.readonly
    assert conn.readonly is True
    with pytest.raises(stripe_dbapi.OperationalError, match="readonly=True"):
        conn.cursor().execute("INSERT INTO customers (name) VALUES ('a')")
    assert emu.requests == [] and emu.objects("customers") == []
    conn.close()


def test_allow_full_table_writes_cannot_be_switched_on_after_connect(emu, cursor):
    _three_customers(emu, cursor)
    conn = cursor.connection
    with pytest.raises(stripe_dbapi.InterfaceError, match="allow_full_table_writes is fixed"):
        conn.allow_full_table_writes = True
    assert conn.allow_full_table_writes is False
    with pytest.raises(stripe_dbapi.ProgrammingError, match="without WHERE"):
        cursor.execute("DELETE FROM customers")
    assert emu.requests == [] and len(emu.objects("customers")) == 3
