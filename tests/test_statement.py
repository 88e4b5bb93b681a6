import pytest

from stripe_dbapi.exceptions import InterfaceError, NotSupportedError, ProgrammingError
from stripe_dbapi.statement import CALL, SELECT, WRITE, classify


@pytest.mark.parametrize(
    "sql, kind, explain",
    [
        ("SELECT * FROM calls", SELECT, False),
        ("WITH x AS (SELECT 1) SELECT * FROM x", SELECT, False),
        ("UPDATE x SET call = 1 WHERE id = 'a'", WRITE, False),
        ("INSERT INTO customers (name) VALUES ('a')", WRITE, False),
        ("CALL ConfirmPaymentIntent('pi_1')", CALL, False),
        ("  -- comment\n call x()", CALL, False),
        ("/* c */ EXECUTE x a = 1", CALL, False),
        ("exec x", CALL, False),
        ("EXPLAIN SELECT 1", SELECT, True),
        ("-- why\nexplain query plan SELECT 1", SELECT, True),
        ("EXPLAIN DELETE FROM customers WHERE id = 'a'", WRITE, True),
        ("EXPLAIN /* c */ CALL CancelQuote('qt_1')", CALL, True),
        ("EXPLAIN\nEXECUTE CancelQuote QuoteId = 'qt_1'", CALL, True),
    ],
)
def test_every_statement_is_classified_in_one_place(sql, kind, explain):
    statement = classify(sql)
    assert (statement.kind, statement.explain) == (kind, explain)
    assert (statement.tree is None) == (kind == CALL)


def test_the_text_after_explain_is_what_runs():
    statement = classify("EXPLAIN QUERY PLAN CALL CancelQuote('qt_1')")
    assert statement.text.strip() == "CALL CancelQuote('qt_1')"


def test_explain_without_a_statement_says_so():
    for sql in ("EXPLAIN", "explain ;", "EXPLAIN QUERY PLAN "):
        with pytest.raises(ProgrammingError, match="EXPLAIN needs a statement"):
            classify(sql)


def test_a_syntax_error_after_explain_points_into_the_whole_text():
    with pytest.raises(ProgrammingError) as info:
        classify("EXPLAIN\n  SELECT id FROM customers WHERE (email")
    message = str(info.value)
    assert "line 2, column" in message
    assert message.splitlines()[-2] == "  SELECT id FROM customers WHERE (email"


def test_ddl_is_not_supported_with_or_without_explain():
    for sql in ("DROP TABLE customers", "EXPLAIN DROP TABLE customers"):
        with pytest.raises(NotSupportedError):
            classify(sql)


def test_sql_that_is_not_text_is_an_interface_error():
    for value in (None, 5, b"SELECT 1"):
        with pytest.raises(InterfaceError, match="must be a string"):
            classify(value)
