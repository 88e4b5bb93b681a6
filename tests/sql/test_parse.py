import pytest

from stripe_dbapi.exceptions import NotSupportedError, ProgrammingError
from stripe_dbapi.sql.parse import parse_statement


def test_syntax_error_names_line_column_and_puts_a_caret_under_the_spot():
    with pytest.raises(ProgrammingError) as info:
        parse_statement("SELECT id\nFROM customers WHERE (email")
    message = str(info.value)
    assert "line 2, column" in message
    last_two = message.splitlines()[-2:]
    assert last_two[0] == "FROM customers WHERE (email"
    assert last_two[1].rstrip().endswith("^")


@pytest.mark.parametrize("sql", [
    "CREATE TABLE x (a int)", "DROP TABLE customers", "PRAGMA table_info(customers)",
    "ATTACH 'x.db' AS x", "VACUUM",
])
def test_ddl_and_sqlite_admin_statements_are_not_supported(sql):
    with pytest.raises(NotSupportedError):
        parse_statement(sql)


def test_more_than_one_statement_is_refused():
    with pytest.raises(ProgrammingError, match="one statement"):
        parse_statement("SELECT 1; SELECT 2")


def test_an_unknown_leading_word_gets_the_caret_and_the_nearest_keyword():
    with pytest.raises(ProgrammingError) as info:
        parse_statement("SELEC id FROM charges")
    assert str(info.value) == ("Syntax error: 'SELEC' does not start a statement (did you mean SELECT?) "
                               "at line 1, column 1\nSELEC id FROM charges\n^")
    with pytest.raises(ProgrammingError, match=r"'SELCT'.*SELECT\?\) at line 2, column 3\n  SELCT \* FROM t\n  \^$"):
        parse_statement("\n  SELCT * FROM t")


@pytest.mark.parametrize("sql, word", [
    ("SELECT id FROM customers WHERE", "'WHERE' is incomplete"),
    ("SELECT id FROM customers WHERE email =", "'=' is incomplete"),
    ("SELECT * FROM customers WHERE a BETWEEN 1", "'BETWEEN ... AND ...' is incomplete"),
    ("SELECT id FROM customers UNION", "'UNION' is incomplete"),
    ("INSERT INTO customers (name) VALUES", "'VALUES' is incomplete"),
])
def test_an_incomplete_statement_names_the_sql_word_not_the_parsers_class(sql, word):
    with pytest.raises(ProgrammingError) as info:
        parse_statement(sql)
    assert word in str(info.value)
    assert "<class" not in str(info.value) and "sqlglot" not in str(info.value)
