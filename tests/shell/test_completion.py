"""Completion candidates from partial statements (stripe_dbapi/shell/completion.py), on
the real catalog: what is offered where, read leniently from what has been typed."""

from __future__ import annotations

import pytest

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.shell.completion import CatalogNames, Suggestion, suggestions


@pytest.fixture(scope="module")
def names() -> CatalogNames:
    return CatalogNames(load_catalog())


def offered(names, before: str, after: str = "") -> list[str]:
    return [s.text for s in suggestions(before, after, names)]


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("SELECT * FROM charg", ["charges"]),
        ("select * from refu", ["refunds"]),
        ("SELECT * FROM customers c JOIN disp", ["disputes"]),
        ("SELECT * FROM customers, invoicei", ["invoiceitems"]),
        ("UPDATE subscription_sch", ["subscription_schedules"]),
        ("INSERT INTO balance_t", ["balance_transactions"]),
        ("DELETE FROM sys_col", ["sys_columns"]),
        ("SELECT 1;\nSELECT * FROM paymentint",  # underscores are optional, as in SQL
         ["payment_intent_amount_details_line_items", "payment_intents"]),
        (".schema refu", ["refunds"]),
        ("\\d refu", ["refunds"]),
    ],
)
def test_tables_after_from_join_update_into(names, before, expected):
    assert offered(names, before) == expected


def test_a_table_suggestion_replaces_the_word_typed(names):
    assert suggestions("SELECT * FROM charg", "", names) == [
        Suggestion("charges", -5, "table")
    ]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        # The tables may come after the cursor: the whole statement is read.
        ("SELECT ema", " FROM customers", ["email"]),
        ("SELECT * FROM customers WHERE ema", "", ["email"]),
        ("SELECT * FROM Customer WHERE ema", "", ["email"]),  # forgiving table names
        ("UPDATE customers SET descr", "", ["description"]),
        ("INSERT INTO customers (na", ")", ["name"]),
        ("SELECT Tab", " FROM sys_tables", ["TableName", "TableType"]),
        # alias.column takes the alias's table only
        ("SELECT ch.cu", " FROM customers c JOIN charges ch ON ch.customer = c.id",
         ["currency", "customer"]),
        ("SELECT c.cu", " FROM customers c JOIN charges ch ON ch.customer = c.id",
         ["currency", "customer_account"]),
        ("SELECT customers.ema", " FROM customers", ["email"]),
        # only up to the statement's ';'
        ("SELECT ema", " FROM customers; SELECT * FROM charges", ["email"]),
        (".explain SELECT ema", " FROM customers", ["email"]),
    ],
)
def test_columns_of_the_tables_the_statement_names(names, before, after, expected):
    assert offered(names, before, after) == expected


def test_columns_of_two_tables_say_which_table_and_come_before_keywords(names):
    found = suggestions("SELECT am", " FROM charges ch JOIN refunds r ON r.charge = ch.id", names)
    assert [(s.text, s.meta) for s in found][:2] == [
        ("amount", "integer, charges"),
        ("amount_captured", "integer, charges"),
    ]
    assert ("amount", "integer, charges") in [(s.text, s.meta) for s in found]
    assert not any(s.meta == "keyword" for s in found[:2])


def test_keywords_in_the_case_typed(names):
    assert offered(names, "sel") == ["select"]
    assert offered(names, "SEL") == ["SELECT"]
    assert "ORDER BY" in offered(names, "SELECT * FROM customers OR")
    # No word yet: the columns, not every keyword.
    found = suggestions("SELECT * FROM customers WHERE ", "", names)
    assert found and not any(s.meta == "keyword" for s in found)


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("CALL FinalizeI", ["FinalizeInvoice"]),
        ("EXECUTE CancelQu", ["CancelQuote"]),
        ("CALL ConfirmPaymentIntent(ReturnU", ["ReturnUrl => "]),
        ("CALL ConfirmPaymentIntent('pi_1', ReturnU", ["ReturnUrl => "]),
        ("EXPLAIN CALL CancelQuote(Qu", ["QuoteId => "]),
        ("EXECUTE CapturePaymentIntent AmountToC", ["AmountToCapture = "]),
        ("EXECUTE CapturePaymentIntent PaymentIntentId = 'pi_1', AmountToC", ["AmountToCapture = "]),
    ],
)
def test_procedures_and_their_parameters(names, before, expected):
    assert offered(names, before) == expected


def test_parameters_say_their_type_and_whether_required(names):
    found = suggestions("CALL CapturePaymentIntent(", "", names)
    assert (found[0].text, found[0].meta) == ("PaymentIntentId => ", "string, required")
    assert ("AmountToCapture => ", "integer") in [(s.text, s.meta) for s in found]


def test_no_parameters_once_the_call_is_closed(names):
    assert offered(names, "CALL CancelQuote('qt_1') Qu") == []


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        (".sch", [".schema"]),
        (".", [".tables", ".schema", ".procedures", ".explain", ".help", ".quit", ".exit"]),
        ("\\d", ["\\d", "\\dt", "\\df"]),
        (".tables cu", []),
    ],
)
def test_commands(names, before, expected):
    assert offered(names, before) == expected


@pytest.mark.parametrize(
    "before",
    [
        "SELECT * FROM customers WHERE name = 'cust",  # inside a string
        'SELECT "cust',  # inside a quoted name
        "SELECT 1;",  # nothing being typed
    ],
)
def test_nothing_inside_quotes_or_after_a_finished_statement(names, before):
    assert offered(names, before) == []


def test_unknown_tables_and_half_typed_sql_offer_what_can_be_known(names):
    assert offered(names, "SELECT nam", " FROM nosuchtable") == []
    assert offered(names, "SELECT ((( ema", " FROM customers WHERE (") == ["email"]
