"""Splitting what was typed or read into statements and commands (shell/script.py),
and when the prompt's text is complete enough to run."""

from __future__ import annotations

import pytest

from stripe_dbapi.shell.script import Unit, is_complete, units


def test_units_statements_commands_and_a_last_statement_without_semicolon():
    script = "SELECT 1; -- a ';' here splits nothing\n.tables cu%\n\\d customers\nSELECT 'a;b'"
    assert list(units(script)) == [
        Unit("SELECT 1", False, 1),
        Unit(".tables cu%", True, 2),
        Unit("\\d customers", True, 3),
        Unit("SELECT 'a;b'", False, 4),
    ]


def test_a_command_may_follow_a_comment_and_a_comment_alone_is_no_statement():
    assert list(units("-- the tables\n.tables\n-- the end\n")) == [Unit(".tables", True, 2)]


def test_a_dot_inside_a_statement_is_sql():
    assert list(units("SELECT c.id\n.5 FROM customers c;")) == [
        Unit("SELECT c.id\n.5 FROM customers c", False)
    ]


def test_a_block_comment_may_hold_semicolons_and_quotes():
    script = "/* totals; by currency's */ SELECT 1;\n/* alone; */\nSELECT /* a;\n b */ 2"
    assert list(units(script)) == [
        Unit("/* totals; by currency's */ SELECT 1", False),
        Unit("/* alone; */\nSELECT /* a;\n b */ 2", False, 3),
    ]


def test_a_unit_starts_on_the_line_of_its_first_word_not_of_its_comments():
    script = "SELECT 1;\n\n-- two\n/* lines */\n  SELECT\n2; .tables\n-- c\n  SELECT 3"
    assert [unit.line for unit in units(script)] == [1, 5, 6, 8]


@pytest.mark.parametrize(
    ("text", "complete"),
    [
        ("SELECT 1;", True),
        ("SELECT 1", False),
        ("SELECT 1\nFROM customers", False),
        ("SELECT ';'", False),  # the ';' is in a string
        ("SELECT 'it''s';", True),
        ("SELECT 'open;", False),
        (".tables", True),  # a command needs no ';'
        ("\\d customers", True),
        ("SELECT 1; -- done", True),
        ("", True),
        ("-- just a comment", True),
        ("SELECT 1; SELECT 2", False),
        ("/* a; b */", True),  # a comment alone
        ("SELECT 1; /* not closed;", False),
        ("SELECT 1; /* closed */", True),
    ],
)
def test_is_complete(text, complete):
    assert is_complete(text) is complete
