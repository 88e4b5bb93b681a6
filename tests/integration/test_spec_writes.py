"""Every entity example of the connector spec (seed/000_2a839b613b6b129e.txt) as SQL,
payloads verbatim with the spec's own column names and ids, on the emulator.

Each test asserts the request Stripe receives (method, path, form body) and what
the caller gets back (rowcount, lastrowid / the id the spec shows).
"""

import pytest

import stripe_dbapi

CREATED = 1707196279


@pytest.fixture
def emu(fresh_emulator):
    return fresh_emulator


@pytest.fixture
def cursor(emu):
    conn = stripe_dbapi.connect(api_key="sk_test_spec", base_url=emu.base_url, max_retries=0)
    yield conn.cursor()
    conn.close()


def seed(emu, table, object_id, **fields):
    emu.insert(table, {"id": object_id, "created": CREATED, "metadata": {}, **fields})


def writes(emu):
    """(method, path, form body) of what the emulator received, GETs left out."""
    return [(r.method, r.path, r.params) for r in emu.requests if r.method != "GET"]


def insert(cursor, entity, payload):
    """The spec's Create payload as INSERT INTO <entity> (<keys>) VALUES (?, ...)."""
    columns = ", ".join(payload)
    marks = ", ".join("?" for _ in payload)
    cursor.execute(f"INSERT INTO {entity} ({columns}) VALUES ({marks})", list(payload.values()))
    return cursor


def update(cursor, entity, payload, where, params):
    assignments = ", ".join(f"{column} = ?" for column in payload)
    cursor.execute(f"UPDATE {entity} SET {assignments} WHERE {where}", [*payload.values(), *params])
    return cursor


# --- Create ----------------------------------------------------------------------------------


def test_create_customer(emu, cursor):
    insert(cursor, "Customer", {"Name": "abc"})
    assert writes(emu) == [("POST", "/v1/customers", {"name": "abc"})]
    assert cursor.rowcount == 1 and cursor.lastrowid.startswith("cus_")
    assert emu.get("customers", cursor.lastrowid)["name"] == "abc"


def test_create_refund(emu, cursor):
    seed(
        emu,
        "charges",
        "ch_3OU27zANHgX3SHp73HqiDsh3",
        amount=1000,
        amount_refunded=0,
        currency="usd",
        status="succeeded",
        captured=True,
        paid=True,
    )
    insert(cursor, "Refunds", {"Charge": "ch_3OU27zANHgX3SHp73HqiDsh3", "Amount": 10.0})
    assert writes(emu) == [
        ("POST", "/v1/refunds", {"charge": "ch_3OU27zANHgX3SHp73HqiDsh3", "amount": "10"})
    ]
    assert cursor.lastrowid.startswith("re_")
    assert emu.get("refunds", cursor.lastrowid)["amount"] == 10


def test_create_card(emu, cursor):
    seed(emu, "customers", "cus_OmptWC2kb2264y")
    cursor.execute(
        "INSERT INTO Cards (CustomerId, Token) VALUES (?, ?) RETURNING Id, CustomerId",
        ["cus_OmptWC2kb2264y", "tok_1O9kUPANHgX3SHp7WcrPumVI"],
    )
    assert writes(emu) == [
        (
            "POST",
            "/v1/customers/cus_OmptWC2kb2264y/sources",
            {"source": "tok_1O9kUPANHgX3SHp7WcrPumVI"},
        )
    ]
    # The spec's output: {"Id": "card_...", "CustomerId": "cus_OmptWC2kb2264y"}.
    [(card_id, customer)] = cursor.fetchall()
    assert card_id.startswith("card_") and customer == "cus_OmptWC2kb2264y"
    assert [d[0] for d in cursor.description] == ["id", "customer"]


def test_create_price(emu, cursor):
    seed(emu, "products", "prod_OlNe53LwNydXSx", name="p", active=True)
    insert(
        cursor,
        "Prices",
        {"Currency": "usd", "Product": "prod_OlNe53LwNydXSx", "UnitAmount": 1200.0},
    )
    assert writes(emu) == [
        (
            "POST",
            "/v1/prices",
            {"currency": "usd", "product": "prod_OlNe53LwNydXSx", "unit_amount": "1200"},
        )
    ]
    assert cursor.lastrowid.startswith("price_")
    assert emu.get("prices", cursor.lastrowid)["unit_amount"] == 1200


def test_create_invoice(emu, cursor):
    seed(emu, "customers", "cus_OhvXm2EI9bsFyN")
    insert(cursor, "Invoices", {"CustomerId": "cus_OhvXm2EI9bsFyN"})
    assert writes(emu) == [("POST", "/v1/invoices", {"customer": "cus_OhvXm2EI9bsFyN"})]
    assert cursor.lastrowid.startswith("in_")


def test_create_invoice_item(emu, cursor):
    seed(emu, "customers", "cus_OksFS6F8HS7o5O")
    insert(
        cursor,
        "InvoiceItems",
        {"Customer": "cus_OksFS6F8HS7o5O", "Currency": "usd", "Amount": 1000.0},
    )
    assert writes(emu) == [
        (
            "POST",
            "/v1/invoiceitems",
            {"customer": "cus_OksFS6F8HS7o5O", "currency": "usd", "amount": "1000"},
        )
    ]
    assert cursor.lastrowid.startswith("ii_")


def test_create_quote(emu, cursor):
    seed(emu, "customers", "cus_POGecLC3f3hwk2")
    insert(cursor, "Quotes", {"CustomerId": "cus_POGecLC3f3hwk2"})
    assert writes(emu) == [("POST", "/v1/quotes", {"customer": "cus_POGecLC3f3hwk2"})]
    assert cursor.lastrowid.startswith("qt_")


def test_create_account(emu, cursor):
    insert(cursor, "Accounts", {"Type": "standard"})
    assert writes(emu) == [("POST", "/v1/accounts", {"type": "standard"})]
    assert cursor.lastrowid.startswith("acct_")
    assert emu.get("accounts", cursor.lastrowid)["type"] == "standard"


def test_create_payment_intent(emu, cursor):
    seed(emu, "payment_methods", "pm_1OXN5YANHgX3SHp7Q5Y0rb39", type="card")
    insert(
        cursor,
        "PaymentIntent",
        {"PaymentMethod": "pm_1OXN5YANHgX3SHp7Q5Y0rb39", "Currency": "usd", "Amount": 1500.0},
    )
    assert writes(emu) == [
        (
            "POST",
            "/v1/payment_intents",
            {"payment_method": "pm_1OXN5YANHgX3SHp7Q5Y0rb39", "currency": "usd", "amount": "1500"},
        )
    ]
    assert cursor.lastrowid.startswith("pi_")


# --- Update ----------------------------------------------------------------------------------


def test_update_customer(emu, cursor):
    seed(emu, "customers", "cus_OxHsz0u5bCGWuy", name="old")
    update(cursor, "Customer", {"Name": "Charlie"}, "Id = ?", ["cus_OxHsz0u5bCGWuy"])
    assert writes(emu) == [("POST", "/v1/customers/cus_OxHsz0u5bCGWuy", {"name": "Charlie"})]
    assert cursor.rowcount == 1
    assert emu.get("customers", "cus_OxHsz0u5bCGWuy")["name"] == "Charlie"


@pytest.mark.parametrize(
    "where, params",
    [
        ("Id = ?", ["pi_3OWzKoANHgX3SHp70nE8QKyn"]),  # entityId
        ("'pi_3OWzKoANHgX3SHp70nE8QKyn'", []),  # the spec's filterClause that is just the id
        ("Currency = 'usd' AND Amount = 1500", []),  # any filterClause: ids found by SELECT first
    ],
    ids=["entity_id", "filter_clause_id", "filter_clause_predicate"],
)
def test_update_payment_intent(emu, cursor, where, params):
    seed(
        emu,
        "payment_intents",
        "pi_3OWzKoANHgX3SHp70nE8QKyn",
        amount=1500,
        currency="usd",
        status="requires_payment_method",
    )
    seed(
        emu,
        "payment_intents",
        "pi_other",
        amount=999,
        currency="usd",
        status="requires_payment_method",
    )
    update(cursor, "PaymentIntent", {"Description": "Payment Intent"}, where, params)
    assert writes(emu) == [
        (
            "POST",
            "/v1/payment_intents/pi_3OWzKoANHgX3SHp70nE8QKyn",
            {"description": "Payment Intent"},
        )
    ]
    assert cursor.rowcount == 1
    assert (
        emu.get("payment_intents", "pi_3OWzKoANHgX3SHp70nE8QKyn")["description"] == "Payment Intent"
    )
    assert emu.get("payment_intents", "pi_other")["description"] is None


def test_update_card_by_filter_clause(emu, cursor):
    seed(emu, "customers", "cus_OmptWC2kb2264y")
    seed(
        emu, "cards", "card_1O9kUPANHgX3SHp7Q8Hsk35F", customer="cus_OmptWC2kb2264y", object="card"
    )
    # The spec's payload verbatim: its key columns repeat the filterClause and are ignored.
    update(
        cursor,
        "Cards",
        {
            "AddressCountry": "US",
            "Id": "card_1O9kUPANHgX3SHp7Q8Hsk35F",
            "CustomerId": "cus_OmptWC2kb2264y",
        },
        "CustomerId = 'cus_OmptWC2kb2264y' and Id = 'card_1O9kUPANHgX3SHp7Q8Hsk35F' "
        "RETURNING Id, CustomerId",
        [],
    )
    assert writes(emu) == [
        (
            "POST",
            "/v1/customers/cus_OmptWC2kb2264y/sources/card_1O9kUPANHgX3SHp7Q8Hsk35F",
            {"address_country": "US"},
        )
    ]
    # The spec's output: {"result": [{"Id": "card_...", "CustomerId": "cus_OmptWC2kb2264y"}]}
    assert cursor.fetchall() == [("card_1O9kUPANHgX3SHp7Q8Hsk35F", "cus_OmptWC2kb2264y")]


def test_update_price(emu, cursor):
    seed(
        emu,
        "prices",
        "price_1O9nTjANHgX3SHp7Zr552abc",
        active=True,
        currency="usd",
        unit_amount=100,
    )
    update(
        cursor, "Prices", {"Nickname": "Price Update"}, "Id = ?", ["price_1O9nTjANHgX3SHp7Zr552abc"]
    )
    assert writes(emu) == [
        ("POST", "/v1/prices/price_1O9nTjANHgX3SHp7Zr552abc", {"nickname": "Price Update"})
    ]
    assert emu.get("prices", "price_1O9nTjANHgX3SHp7Zr552abc")["nickname"] == "Price Update"


def test_update_invoice(emu, cursor):
    seed(emu, "invoices", "in_1OA74xANHgX3SHp7YbC6x9R6", status="draft")
    update(
        cursor,
        "Invoices",
        {"Description": "Invoice for car"},
        "Id = ?",
        ["in_1OA74xANHgX3SHp7YbC6x9R6"],
    )
    assert writes(emu) == [
        ("POST", "/v1/invoices/in_1OA74xANHgX3SHp7YbC6x9R6", {"description": "Invoice for car"})
    ]
    assert emu.get("invoices", "in_1OA74xANHgX3SHp7YbC6x9R6")["description"] == "Invoice for car"


def test_update_invoice_item(emu, cursor):
    seed(
        emu, "invoiceitems", "ii_1OZAfAANHgX3SHp7xsd9o7Qm", amount=1000, currency="usd", quantity=1
    )
    update(cursor, "InvoiceItems", {"Quantity": 3.0}, "Id = ?", ["ii_1OZAfAANHgX3SHp7xsd9o7Qm"])
    assert writes(emu) == [
        ("POST", "/v1/invoiceitems/ii_1OZAfAANHgX3SHp7xsd9o7Qm", {"quantity": "3"})
    ]
    assert emu.get("invoiceitems", "ii_1OZAfAANHgX3SHp7xsd9o7Qm")["quantity"] == 3


def test_update_quote(emu, cursor):
    seed(emu, "customers", "cus_PQuEGGfutajbAs")
    seed(emu, "quotes", "qt_1Oc2VaANHgX3SHp7PaM9Ph9o", status="draft")
    update(
        cursor,
        "Quotes",
        {"CustomerId": "cus_PQuEGGfutajbAs"},
        "Id = ?",
        ["qt_1Oc2VaANHgX3SHp7PaM9Ph9o"],
    )
    assert writes(emu) == [
        ("POST", "/v1/quotes/qt_1Oc2VaANHgX3SHp7PaM9Ph9o", {"customer": "cus_PQuEGGfutajbAs"})
    ]
    assert emu.get("quotes", "qt_1Oc2VaANHgX3SHp7PaM9Ph9o")["customer"] == "cus_PQuEGGfutajbAs"


def test_update_account(emu, cursor):
    seed(emu, "accounts", "acct_1OZBcsQbE7mBlkdN", type="standard")
    update(
        cursor,
        "Accounts",
        {"BusinessProfileName": "StagingName"},
        "Id = ?",
        ["acct_1OZBcsQbE7mBlkdN"],
    )
    assert writes(emu) == [
        (
            "POST",
            "/v1/accounts/acct_1OZBcsQbE7mBlkdN",
            {"business_profile": {"name": "StagingName"}},
        )
    ]
    assert emu.get("accounts", "acct_1OZBcsQbE7mBlkdN")["business_profile"]["name"] == "StagingName"


# --- Delete ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql, params",
    [
        ("DELETE FROM Customer WHERE Id = ?", ["cus_OxIqiMh1W335rE"]),  # entityId
        ("DELETE FROM Customer WHERE id='cus_OxIqiMh1W335rE'", None),  # the spec's filterClause
    ],
    ids=["entity_id", "filter_clause"],
)
def test_delete_customer(emu, cursor, sql, params):
    seed(emu, "customers", "cus_OxIqiMh1W335rE")
    cursor.execute(sql, params)
    assert writes(emu) == [("DELETE", "/v1/customers/cus_OxIqiMh1W335rE", {})]
    assert cursor.rowcount == 1
    assert emu.get("customers", "cus_OxIqiMh1W335rE") is None
