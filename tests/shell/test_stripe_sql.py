"""stripe-sql end to end: the real console script (or ``python -m stripe_dbapi``) in a
subprocess, on ``--demo`` and on the emulator fixture, with exact expected output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import stripe_dbapi
from stripe_dbapi.named import tomllib  # tomli on Python 3.10

TEST_KEY = "sk_test_123"  # the key tests/conftest.py uses with the emulator fixture
SCRIPT = Path(sys.executable).parent / "stripe-sql"
# An environment installed before the script existed runs the same main as a module.
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "stripe_dbapi"]

QUERY = "SELECT id, created, metadata, balance, livemode FROM customers ORDER BY created LIMIT 2"
TABLE = """\
id                 | created              | metadata                                                 | balance | livemode
-------------------+----------------------+----------------------------------------------------------+---------+---------
cus_nyLsaijrvvYxTf | 2026-06-04T15:19:22Z | {"tier":"free","region":"uk","channel":"partner"}        | 0       | false
cus_Ev1ZZvhEhSFBct | 2026-06-05T17:07:56Z | {"tier":"starter","region":"na","channel":"paid_search"} | 0       | false
(2 rows)
"""
CSV = """\
id,created,metadata,balance,livemode
cus_nyLsaijrvvYxTf,2026-06-04T15:19:22Z,"{""tier"":""free"",""region"":""uk"",""channel"":""partner""}",0,false
cus_Ev1ZZvhEhSFBct,2026-06-05T17:07:56Z,"{""tier"":""starter"",""region"":""na"",""channel"":""paid_search""}",0,false
"""
RECORDS = [
    {
        "id": "cus_nyLsaijrvvYxTf",
        "created": "2026-06-04T15:19:22Z",
        "metadata": {"tier": "free", "region": "uk", "channel": "partner"},
        "balance": 0,
        "livemode": False,
    },
    {
        "id": "cus_Ev1ZZvhEhSFBct",
        "created": "2026-06-05T17:07:56Z",
        "metadata": {"tier": "starter", "region": "na", "channel": "paid_search"},
        "balance": 0,
        "livemode": False,
    },
]
JSONL = "".join(json.dumps(record) + "\n" for record in RECORDS)
MARKDOWN = """\
| id | created | metadata | balance | livemode |
| --- | --- | --- | --- | --- |
| cus_nyLsaijrvvYxTf | 2026-06-04T15:19:22Z | {"tier":"free","region":"uk","channel":"partner"} | 0 | false |
| cus_Ev1ZZvhEhSFBct | 2026-06-05T17:07:56Z | {"tier":"starter","region":"na","channel":"paid_search"} | 0 | false |
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


def test_a_dash_is_stdin_for_f_and_stdout_for_o(tmp_path):
    done = subprocess.run([*COMMAND, "--demo", "--format", "csv", "-f", "-", "-o", "-"],
                          input="SELECT 'dash' AS d", capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "d\ndash\n", "")
    assert list(tmp_path.iterdir()) == []  # no file named '-'


def test_a_file_saved_with_a_byte_order_mark_and_crlf_runs(tmp_path):
    script = tmp_path / "windows.sql"
    script.write_bytes("SELECT 'ä' AS a;\r\n.tables cust%\r\n".encode("utf-8-sig"))
    done = stripe_sql("--demo", "--format", "csv", "-f", str(script))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("a\nä\nTableName\ncustomer_balance_transactions\n")


def test_a_script_that_is_not_utf8_is_a_usage_error(tmp_path):
    latin1 = "SELECT 'é' AS e".encode("latin-1")
    script = tmp_path / "latin1.sql"
    script.write_bytes(latin1)
    from_file = stripe_sql("--demo", "-f", str(script))
    from_stdin = subprocess.run([*COMMAND, "--demo"], input=latin1, capture_output=True,
                                timeout=120)
    assert (from_file.returncode, from_stdin.returncode) == (2, 2)
    assert from_file.stderr.endswith(
        f"error: cannot read {script}: not UTF-8 text (byte 0xe9 at offset 8)\n")
    assert from_stdin.stderr.decode().endswith(
        "error: cannot read stdin: not UTF-8 text (byte 0xe9 at offset 8)\n")


@pytest.mark.parametrize("output", ["/nonexistent/out.csv", "."])
def test_an_output_file_that_cannot_be_written_is_a_usage_error(output):
    done = stripe_sql("--demo", "-e", "SELECT 1", "-o", output)
    assert (done.returncode, done.stdout) == (2, "")
    assert f"error: cannot write {output}: " in done.stderr
    assert "Traceback" not in done.stderr


def test_a_reader_that_stops_reading_ends_the_script_quietly_with_141():
    # More than a pipe holds (~470 kB), so the shell is still writing when head-like
    # readers close their end.
    process = subprocess.Popen(
        [*COMMAND, "--demo", "--format", "jsonl", "-e", "SELECT * FROM charges; SELECT 1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout.readline().startswith('{"id": "ch_')
    process.stdout.close()
    assert process.wait(timeout=120) == 141
    assert process.stderr.read() == ""  # no "Broken pipe", no "Exception ignored"
    process.stderr.close()


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


@pytest.mark.parametrize(
    ("command", "first_column"),
    [(".schema Customer", "id"), ('\\d "charges"', "id"), (".schema SysTables", "TableName")],
)
def test_schema_takes_a_table_as_sql_names_it(command, first_column):
    done = stripe_sql("--demo", "--format", "csv", "-e", command)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith(first_column + ",")


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
        ("\\x", "ProgrammingError: unknown command '\\x'; did you mean: \\?"),  # as typed
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


def test_the_error_of_a_script_of_several_statements_says_where_the_statement_starts(
        tmp_path):
    script = tmp_path / "report.sql"
    script.write_text("-- totals\nSELECT 1 AS one;\n\n/* then */\nSELECT nope\nFROM customers;\n")
    from_file = stripe_sql("--demo", "-f", str(script))
    from_e = stripe_sql("--demo", "-e", "SELECT 1 AS one;\nSELEC 2")
    assert from_file.returncode == from_e.returncode == 1
    assert from_file.stderr.startswith(f"{script}:5: ProgrammingError: unknown column 'nope'")
    assert from_e.stderr.startswith("line 2: ProgrammingError: Syntax error: 'SELEC'")


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


LIVE_KEY = "sk_live_51Habcdefghijklmnopqrstuvwx"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "jsn"), "invalid choice: 'jsn' (choose from 'csv', 'json', 'jsonl', "
                              "'markdown', 'table'); did you mean: json"),
        (("--formt", "json"), "unrecognized arguments: --formt json; did you mean: --format"),
        (("--apikey", LIVE_KEY), "unrecognized arguments: --apikey sk_live_****uvwx; did you "
                                 "mean: --api-key"),
        (("conections", "list"), "unrecognized arguments: conections list; did you mean: "
                                 "connections?"),
        (("SELECT 1",), "unrecognized arguments: SELECT 1 (SQL goes after -e: stripe-sql -e"),
        (("connections", "lst"), "invalid choice: 'lst' (choose from 'add', 'list'); did "
                                 "you mean: list?"),
    ],
)
def test_a_usage_error_names_the_nearest_valid_value_and_masks_a_key(args, message):
    done = stripe_sql("--demo", *args) if args[0] != "connections" else stripe_sql(*args)
    assert (done.returncode, done.stdout) == (2, "")
    last = done.stderr.splitlines()[-1]
    assert message.replace("'", "") in last.replace("'", "")  # choices quoted per Python
    assert LIVE_KEY not in done.stderr


def test_version():
    done = stripe_sql("--version")
    assert (done.returncode, done.stdout) == (0, f"stripe-sql {stripe_dbapi.__version__}\n")


@pytest.mark.parametrize("debug", [(), ("--debug",)])
def test_an_error_line_masks_a_key_quoted_in_the_sql(debug):
    done = stripe_sql("--demo", *debug, "-e", f"SELECT nope, '{LIVE_KEY}' AS k")
    assert done.returncode == 1
    assert ("Traceback" in done.stderr) is bool(debug)
    assert "no such column: nope" in done.stderr
    assert LIVE_KEY not in done.stderr and "sk_live_****uvwx" in done.stderr


def test_key_from_the_environment_and_base_url(emulator):
    emulator.reset_requests()
    done = stripe_sql(
        "--base-url",
        emulator.base_url,
        "--format",
        "csv",
        "-e",
        "SELECT id FROM customers WHERE id = 'cus_nyLsaijrvvYxTf'",
        STRIPE_API_KEY=TEST_KEY,
    )
    assert (done.returncode, done.stdout) == (0, "id\ncus_nyLsaijrvvYxTf\n")
    assert [r.path for r in emulator.requests] == ["/v1/customers/cus_nyLsaijrvvYxTf"]


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


def test_replica_keeps_the_tables_read_in_the_file_named(tmp_path, fresh_emulator):
    replica = tmp_path / "stripe.sqlite"
    server = ("--base-url", fresh_emulator.base_url, "--api-key", TEST_KEY, "--format", "csv")
    count = len(fresh_emulator.objects("customers"))
    done = stripe_sql(*server, "--replica", str(replica), "-e",
                      "SELECT COUNT(*) AS n FROM customers; "
                      "SELECT TableName, Rows FROM sys_replica")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"n\n{count}\nTableName,Rows\ncustomers,{count}\n"
    assert replica.exists()


def test_readonly_refuses_writes_before_any_request(emulator):
    emulator.reset_requests()
    done = stripe_sql(
        "--base-url",
        emulator.base_url,
        "--api-key",
        TEST_KEY,
        "--readonly",
        "-e",
        "UPDATE customers SET name = 'x' WHERE id = 'cus_nyLsaijrvvYxTf'",
    )
    assert done.returncode == 1
    assert done.stderr == (
        "OperationalError: UPDATE refused: the connection was opened with readonly=True\n"
    )
    assert emulator.requests == []


# --- psql aliases, .explain, .quit ------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "command"),
    [
        ("\\d", ".tables"),
        ("\\dt cust%", ".tables cust%"),
        ("\\d customers", ".schema customers"),
        ("\\df Finalize%", ".procedures Finalize%"),
        ("\\?", ".help"),
    ],
)
def test_psql_aliases_do_what_their_dot_commands_do(alias, command):
    by_alias = stripe_sql("--demo", "--format", "csv", "-e", alias)
    by_command = stripe_sql("--demo", "--format", "csv", "-e", command)
    assert (by_alias.returncode, by_alias.stderr) == (0, "")
    assert by_alias.stdout == by_command.stdout != ""


@pytest.mark.parametrize("quit_command", [".quit", ".exit", "\\q"])
def test_quit_ends_the_script_with_status_0(quit_command):
    done = stripe_sql(
        "--demo", "--format", "csv", "-e", f"SELECT 1 AS one;\n{quit_command}\nSELEC 2;"
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "one\n1\n", "")


def test_dot_explain_is_explain_sql():
    sql = "SELECT id FROM customers WHERE email = 'ada@example.com'"
    by_command = stripe_sql("--demo", "--format", "jsonl", "-e", f".explain {sql};")
    by_sql = stripe_sql("--demo", "--format", "jsonl", "-e", f"EXPLAIN {sql}")
    assert by_command.returncode == 0, by_command.stderr
    assert by_command.stdout == by_sql.stdout
    first = json.loads(by_command.stdout.splitlines()[0])
    assert (first["method"], first["path"]) == ("GET", "/v1/customers")
    assert first["params"]["email"] == "ada@example.com"


def test_dot_explain_without_a_statement():
    done = stripe_sql("--demo", "-e", ".explain")
    assert (done.returncode, done.stderr) == (
        1, "ProgrammingError: .explain needs a statement: .explain SELECT ...\n"
    )


# --- writes of several objects: --yes ---------------------------------------------------

GOLD_UPDATE = "UPDATE customers SET description = 'vip' WHERE metadata ->> 'tier' = 'gold'"


def descriptions(emulator) -> list:
    return sorted(str(c["description"]) for c in emulator.objects("customers"))


def test_a_script_refuses_a_write_of_several_objects_without_yes(shop):
    done = stripe_sql(
        "--base-url", shop.base_url, "--api-key", TEST_KEY, "-e", f"SELECT 1 AS one; {GOLD_UPDATE}"
    )
    assert (done.returncode, done.stdout) == (2, "one\n---\n1\n(1 row)\n")  # what ran before
    assert done.stderr == (
        "stripe-sql: UPDATE customers would write 3 objects: nothing was written. Pass --yes "
        "to run writes and actions of more than one object from a script\n"
    )
    assert [r.method for r in shop.requests if r.method != "GET"] == []
    assert descriptions(shop) == ["None"] * 4


def test_yes_runs_it(shop):
    done = stripe_sql("--base-url", shop.base_url, "--api-key", TEST_KEY, "--yes", "-e", GOLD_UPDATE)
    assert (done.returncode, done.stderr) == (0, "OK (3 rows)\n")
    assert descriptions(shop) == ["None", "vip", "vip", "vip"]


def test_a_write_of_one_object_needs_no_yes(shop):
    done = stripe_sql(
        "--base-url", shop.base_url, "--api-key", TEST_KEY,
        "-e", "UPDATE customers SET description = 'one' WHERE name = 'c3'",
    )
    assert (done.returncode, done.stderr) == (0, "OK (1 row)\n")
    assert descriptions(shop) == ["None", "None", "None", "one"]


# --- saved connections: connections add / list, --connection ------------------------------


def test_connections_add_then_list_shows_no_secret(tmp_path):
    config = str(tmp_path / "connections.toml")
    added = stripe_sql(
        "connections", "add", "finance", "--api-key-env", "FINANCE_KEY", "--account", "acct_1",
        "--description", "Finance reporting", "--label", "team=finance", "--label", "env=test",
        "--readonly", STRIPE_DBAPI_CONFIG=config,
    )
    assert (added.returncode, added.stderr) == (0, f"saved connection 'finance' in {config}\n")
    stripe_sql(
        "connections", "add", "ops", "--api-key-file", "/run/secrets/stripe",
        STRIPE_DBAPI_CONFIG=config,
    )
    assert tomllib.loads(Path(config).read_text())["connections"]["finance"] == {
        "description": "Finance reporting",
        "labels": {"team": "finance", "env": "test"},
        "api_key_env": "FINANCE_KEY",
        "account_id": "acct_1",
        "readonly": True,
    }
    listed = stripe_sql("connections", "list", "--format", "csv", STRIPE_DBAPI_CONFIG=config,
                        FINANCE_KEY=TEST_KEY)
    assert (listed.returncode, listed.stderr) == (0, "")
    assert listed.stdout == (
        "name,description,api_key,account_id,base_url,readonly,labels\n"
        'finance,Finance reporting,env FINANCE_KEY,acct_1,,true,"team=finance, env=test"\n'
        "ops,,file /run/secrets/stripe,,,false,\n"
    )


def test_connections_list_hides_a_key_in_clear(tmp_path):
    config = tmp_path / "connections.toml"
    config.write_text(f'[connections.clear]\napi_key = "{TEST_KEY}"\n')
    listed = stripe_sql("connections", "list", STRIPE_DBAPI_CONFIG=str(config))
    assert listed.returncode == 0
    assert "in the file, in clear (not shown)" in listed.stdout
    assert TEST_KEY not in listed.stdout + listed.stderr


def test_connections_list_with_none_saved(tmp_path):
    config = tmp_path / "connections.toml"
    listed = stripe_sql("connections", "list", STRIPE_DBAPI_CONFIG=str(config))
    assert listed.returncode == 0
    assert listed.stderr == (
        f"no connections saved in {config}; add one with "
        "stripe-sql connections add NAME --api-key-env VAR\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "Finance", "--api-key-env", "K"), "connection name 'Finance' must have lower-case letters only"),
        (("add", "finance", "--api-key-env", "K", "--label", "team"), "--label takes KEY=VALUE, not 'team'"),
        (("add", "finance"), "one of the arguments --api-key-env --api-key-file --api-key-keyring is required"),
        (("remove", "finance"), "invalid choice: 'remove'"),
    ],
)
def test_connections_usage_errors_exit_2(tmp_path, args, message):
    done = stripe_sql("connections", *args, STRIPE_DBAPI_CONFIG=str(tmp_path / "c.toml"))
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "c.toml").exists()


def test_connection_opens_a_saved_connection(tmp_path, emulator):
    config = str(tmp_path / "connections.toml")
    stripe_sql(
        "connections", "add", "emu", "--api-key-env", "EMU_KEY", "--base-url", emulator.base_url,
        "--readonly", STRIPE_DBAPI_CONFIG=config,
    )
    env = {"STRIPE_DBAPI_CONFIG": config, "EMU_KEY": TEST_KEY}
    done = stripe_sql(
        "--connection", "emu", "--format", "csv",
        "-e", "SELECT id FROM customers WHERE id = 'cus_nyLsaijrvvYxTf'", **env,
    )
    assert (done.returncode, done.stdout) == (0, "id\ncus_nyLsaijrvvYxTf\n")
    # The saved readonly = true holds: the shell does not pass readonly=False over it.
    refused = stripe_sql(
        "--connection", "emu", "-e", "UPDATE customers SET name = 'x' WHERE id = 'cus_nyLsaijrvvYxTf'",
        **env,
    )
    assert (refused.returncode, refused.stderr) == (
        1, "OperationalError: UPDATE refused: the connection was opened with readonly=True\n"
    )


@pytest.mark.parametrize(
    ("saved", "message"),
    [
        (None, "save one with stripe_dbapi.save_connection() or stripe-sql connections add"),
        ("nosuch", "takes its API key from the environment variable UNSET_KEY, which is not set"),
    ],
)
def test_connection_problems_are_usage_errors(tmp_path, saved, message):
    config = str(tmp_path / "connections.toml")
    if saved:
        stripe_sql("connections", "add", saved, "--api-key-env", "UNSET_KEY", STRIPE_DBAPI_CONFIG=config)
    done = stripe_sql("--connection", "nosuch", "-e", "SELECT 1", STRIPE_DBAPI_CONFIG=config)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("usage: stripe-sql")
    last = done.stderr.splitlines()[-1]
    assert last.startswith("stripe-sql: error: ") and message in last


def test_verbosity_logs_to_stderr_and_leaves_the_results_alone():
    done = stripe_sql("--demo", "--verbosity", "2", "--format", "csv", "-e", QUERY)
    assert (done.returncode, done.stdout) == (0, CSV)
    lines = done.stderr.splitlines()
    assert lines[0].startswith("#") and " connection opened: http://127.0.0.1:" in lines[0]
    assert f" statement: {QUERY}" in done.stderr and " plan: customers: " in done.stderr
    assert " -> 200 in " in done.stderr and " done: 2 rows, " in done.stderr
    assert " headers: " not in done.stderr and "sk_test_demo" not in done.stderr


def test_verbosity_with_a_logfile_writes_the_file_only(tmp_path):
    logfile = tmp_path / "shell.log"
    done = stripe_sql("--demo", "--verbosity", "3", "--logfile", str(logfile), "-e", QUERY)
    assert (done.returncode, done.stdout, done.stderr) == (0, TABLE, "")
    assert " headers: " in logfile.read_text()


@pytest.mark.parametrize("value", ["0", "6", "loud"])
def test_a_bad_verbosity_is_a_usage_error(value):
    done = stripe_sql("--demo", "--verbosity", value, "-e", QUERY)
    assert done.returncode == 2 and done.stdout == ""
    assert "argument --verbosity: invalid" in done.stderr
