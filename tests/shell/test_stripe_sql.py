"""stripe-sql end to end: the real console script (or ``python -m stripe_dbapi``) in a
subprocess, on ``--demo`` and on the emulator fixture, with exact expected output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stripe_dbapi.named import tomllib  # tomli on Python 3.10

TEST_KEY = "sk_test_123"  # the key tests/conftest.py uses with the emulator fixture
SCRIPT = Path(sys.executable).parent / "stripe-sql"
# An environment installed before the script existed runs the same main as a module.
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "stripe_dbapi"]

QUERY = "SELECT id, created, metadata, balance, livemode FROM customers ORDER BY created LIMIT 2"
TABLE = """\
id                 | created              | metadata                                 | balance | livemode
-------------------+----------------------+------------------------------------------+---------+---------
cus_vXNccrkjLsxzJi | 2026-01-11T00:00:00Z | {"tier":"gold","segment":"enterprise"}   | 0       | false
cus_6FYLTRnBfxoqLX | 2026-01-13T00:00:00Z | {"tier":"silver","segment":"self-serve"} | 0       | false
(2 rows)
"""
CSV = """\
id,created,metadata,balance,livemode
cus_vXNccrkjLsxzJi,2026-01-11T00:00:00Z,"{""tier"":""gold"",""segment"":""enterprise""}",0,false
cus_6FYLTRnBfxoqLX,2026-01-13T00:00:00Z,"{""tier"":""silver"",""segment"":""self-serve""}",0,false
"""
RECORDS = [
    {
        "id": "cus_vXNccrkjLsxzJi",
        "created": "2026-01-11T00:00:00Z",
        "metadata": {"tier": "gold", "segment": "enterprise"},
        "balance": 0,
        "livemode": False,
    },
    {
        "id": "cus_6FYLTRnBfxoqLX",
        "created": "2026-01-13T00:00:00Z",
        "metadata": {"tier": "silver", "segment": "self-serve"},
        "balance": 0,
        "livemode": False,
    },
]
JSONL = "".join(json.dumps(record) + "\n" for record in RECORDS)
MARKDOWN = """\
| id | created | metadata | balance | livemode |
| --- | --- | --- | --- | --- |
| cus_vXNccrkjLsxzJi | 2026-01-11T00:00:00Z | {"tier":"gold","segment":"enterprise"} | 0 | false |
| cus_6FYLTRnBfxoqLX | 2026-01-13T00:00:00Z | {"tier":"silver","segment":"self-serve"} | 0 | false |
"""


def stripe_sql(*args: str, stdin: str = "", command=COMMAND, **env: str):
    environment = {k: v for k, v in os.environ.items() if k != "STRIPE_API_KEY"}
    return subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**environment, **env},
        timeout=120,
    )


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("table", TABLE), ("csv", CSV), ("jsonl", JSONL), ("markdown", MARKDOWN)],
)
def test_each_format_writes_exact_values(fmt, expected):
    done = stripe_sql("--demo", "--format", fmt, "-e", QUERY)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == expected


def test_json_is_one_array_with_json_columns_as_values():
    done = stripe_sql("--demo", "--format", "json", "-e", QUERY)
    assert done.returncode == 0
    assert json.loads(done.stdout) == RECORDS


def test_python_dash_m_runs_the_same_shell():
    done = stripe_sql("--demo", "-e", QUERY, command=[sys.executable, "-m", "stripe_dbapi"])
    assert (done.returncode, done.stdout) == (0, TABLE)


def test_the_console_script_is_declared_on_the_shell_main():
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["stripe-sql"] == "stripe_dbapi.shell:main"


def test_file_with_several_statements_and_output_file(tmp_path):
    script = tmp_path / "q.sql"
    script.write_text(
        f"-- two statements; the ';' in this comment splits nothing\n{QUERY};\n"
        "SELECT 'a;b' AS text;\n"
    )
    out = tmp_path / "out.csv"
    done = stripe_sql("--demo", "--format", "csv", "-f", str(script), "-o", str(out))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert out.read_text() == CSV + "text\na;b\n"


def test_sql_on_stdin():
    done = stripe_sql("--demo", "--format", "jsonl", stdin=QUERY + ";\n")
    assert (done.returncode, done.stdout) == (0, JSONL)


def test_dot_commands_with_e():
    done = stripe_sql("--demo", "--format", "csv", "-e", ".tables cust%\n.procedures Finalize%")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "TableName\ncustomer_balance_transactions\ncustomer_cash_balance_transactions\n"
        "customer_payment_methods\ncustomer_tax_ids\ncustomers\n"
        "ProcedureName,TableName,Description\n"
        'FinalizeInvoice,invoices,"Stripe automatically finalizes drafts before sending and '
        "attempting payment on invoices. However, if you'd like to finalize a draft invoice "
        'manually, you can do so using this method."\n'
        "FinalizeQuote,quotes,Finalizes the quote.\n"
    )


def test_schema_lists_columns_types_filters_and_descriptions():
    done = stripe_sql("--demo", "--format", "csv", "-e", ".schema customers")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "ColumnName,DataTypeName,Filterable,Description"
    assert lines[1] == "id,string,,Unique identifier for the object."
    assert any(line.startswith("email,string,eq,") for line in lines)
    assert any(line.startswith("created,datetime,range,") for line in lines)


def test_help_lists_the_commands():
    done = stripe_sql("--demo", "-e", ".help")
    assert done.returncode == 0
    for command in (".tables", ".schema", ".procedures", ".help"):
        assert command in done.stdout


@pytest.mark.parametrize(
    ("script", "line"),
    [
        (
            ".schema customerz",
            "ProgrammingError: unknown table 'customerz'; did you mean: customers",
        ),
        (".tabels", "ProgrammingError: unknown command '.tabels'; did you mean: .tables"),
    ],
)
def test_unknown_names_in_dot_commands(script, line):
    done = stripe_sql("--demo", "-e", script)
    assert done.returncode == 1
    assert done.stderr.startswith(line)
    assert len(done.stderr.splitlines()) == 1


def test_syntax_error_is_the_message_with_its_caret_and_exit_1():
    done = stripe_sql("--demo", "-e", "SELEC 1")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "ProgrammingError: Syntax error: 'SELEC' does not start a statement "
        "(did you mean SELECT?) at line 1, column 1\nSELEC 1\n^\n"
    )


def test_debug_adds_the_traceback():
    done = stripe_sql("--demo", "--debug", "-e", "SELEC 1")
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr
    assert "Traceback" not in stripe_sql("--demo", "-e", "SELEC 1").stderr


def test_an_error_stops_the_script_after_what_ran():
    done = stripe_sql(
        "--demo", "--format", "csv", "-e", "SELECT 1 AS one; SELEC 2; SELECT 3 AS three"
    )
    assert (done.returncode, done.stdout) == (1, "one\n1\n")


@pytest.mark.parametrize(
    "args",
    [
        ("--demo", "--format", "xml", "-e", "SELECT 1"),
        ("-e", "SELECT 1"),  # no key anywhere
        ("--demo", "--api-key", TEST_KEY, "-e", "SELECT 1"),
        ("--demo", "-f", "/nonexistent/q.sql"),
    ],
)
def test_usage_errors_exit_2(args):
    done = stripe_sql(*args)
    assert (done.returncode, done.stdout) == (2, "")
    assert "usage: stripe-sql" in done.stderr


def test_no_sql_and_a_terminal_on_stdin_is_a_usage_error():
    # The interactive prompt is not built yet: it says so rather than waiting for input.
    primary, secondary = os.openpty()
    try:
        done = subprocess.run(
            [*COMMAND, "--demo"], stdin=secondary, capture_output=True, text=True, timeout=120
        )
    finally:
        os.close(primary)
        os.close(secondary)
    assert done.returncode == 2
    assert "give SQL with -e or -f, or on stdin (no interactive shell yet)" in done.stderr


def test_key_from_the_environment_and_base_url(emulator):
    emulator.reset_requests()
    done = stripe_sql(
        "--base-url",
        emulator.base_url,
        "--format",
        "csv",
        "-e",
        "SELECT id FROM customers WHERE id = 'cus_vXNccrkjLsxzJi'",
        STRIPE_API_KEY=TEST_KEY,
    )
    assert (done.returncode, done.stdout) == (0, "id\ncus_vXNccrkjLsxzJi\n")
    assert [r.path for r in emulator.requests] == ["/v1/customers/cus_vXNccrkjLsxzJi"]


def test_stripe_error_line_names_the_request_id(emulator):
    done = stripe_sql(
        "--base-url",
        emulator.base_url,
        "--api-key",
        TEST_KEY,
        "--account",
        "acct_nobody",
        "-e",
        "SELECT id FROM customers LIMIT 1",
    )
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("PermissionError (OperationalError): ")
    assert "request_id=req_" in done.stderr
    assert TEST_KEY not in done.stderr


def test_readonly_refuses_writes_before_any_request(emulator):
    emulator.reset_requests()
    done = stripe_sql(
        "--base-url",
        emulator.base_url,
        "--api-key",
        TEST_KEY,
        "--readonly",
        "-e",
        "UPDATE customers SET name = 'x' WHERE id = 'cus_vXNccrkjLsxzJi'",
    )
    assert done.returncode == 1
    assert done.stderr == (
        "OperationalError: UPDATE refused: the connection was opened with readonly=True\n"
    )
    assert emulator.requests == []
