"""The interactive stripe-sql in a real pseudo-terminal (pexpect): what a person types,
Tab included, and what the terminal shows, on the emulator.

Every wait is an expect on the screen's text with a generous timeout (the machine is
shared), never a sleep. prompt_toolkit's cursor-position queries are turned off
(PROMPT_TOOLKIT_NO_CPR) because pexpect does not answer them, and rich's colours
(NO_COLOR) so that values read as plain text.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

import stripe_dbapi
from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.testing import Emulator

from .test_progress_and_interrupt import requests_to
from .test_stripe_sql import GOLD_UPDATE as GOLD
from .test_stripe_sql import descriptions

TEST_KEY = "sk_test_123"
SCRIPT = Path(sys.executable).parent / "stripe-sql"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "stripe_dbapi"]
# A new prompt: prompt_toolkit turns bracketed paste on, then draws "stripe>" (the space
# after it is a cursor move). Matching the prompt's text alone could match a redraw of
# the line being typed.
PROMPT = re.compile(r"\x1b\[\?2004h[^\n]*?stripe>")
TIMEOUT = 90  # seconds: the machine is shared with other test runs


class Terminal:
    """stripe-sql in a pseudo-terminal of 40 x 120."""

    def __init__(self, *args: str, data_home: Path, env: dict | None = None,
                 stdout_to: Path | None = None) -> None:
        """``stdout_to``: stdout redirected to this file (stripe-sql > FILE), stdin and
        stderr still the terminal."""
        environment = {k: v for k, v in os.environ.items() if k != "STRIPE_API_KEY"}
        environment.update(
            XDG_DATA_HOME=str(data_home), PROMPT_TOOLKIT_NO_CPR="1", NO_COLOR="1",
            TERM="xterm", **(env or {}),
        )
        command = [*COMMAND, *args]
        if stdout_to is not None:
            command = ["/bin/sh", "-c", 'exec "$@" > "$0"', str(stdout_to), *command]
        self.child = pexpect.spawn(
            command[0], command[1:], env=environment, encoding="utf-8",
            dimensions=(40, 120), timeout=TIMEOUT,
        )

    def expect(self, text: str) -> str:
        """Wait for ``text``; what came before it."""
        self.child.expect_exact(text)
        return self.child.before

    def prompt(self) -> str:
        """Wait for the next prompt; what came before it."""
        self.child.expect(PROMPT)
        return self.child.before

    def type(self, text: str) -> None:
        self.child.send(text)

    def complete(self, typed: str, expected: str) -> None:
        """Type ``typed`` and Tab, and wait until the line shows ``expected`` (the
        completion may be drawn whole or as the added characters only)."""
        self.child.send(typed + "\t")
        control = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"
        self.child.expect(control.join(re.escape(char) for char in expected))

    def enter(self, line: str = "") -> None:
        self.child.send(line + "\r")

    def quit(self) -> int:
        """Ctrl-D at an empty prompt; the exit status."""
        self.child.sendcontrol("d")
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


ADA = "cus_ada0000000001"


@pytest.fixture(scope="module")
def store():
    """An emulator holding what the tests read, made here (the demo data may change)."""
    with Emulator(seed=None, search_lag=0) as emulator:
        emulator.insert("customers", {
            "id": ADA, "name": "Ada Lovelace", "email": "ada@example.com",
            "phone": "+15550000001", "created": 1767225600,
            "metadata": {"tier": "gold", "note": "x" * 300},
        })
        emulator.insert("customers", {
            "id": "cus_grace00000002", "name": "Grace Hopper", "email": "grace@example.com",
            "created": 1767312000, "metadata": {"tier": "silver"},
        })
        for n, amount in enumerate([1200, 0]):
            emulator.insert("charges", {
                "id": f"ch_ada0000000000{n}", "customer": ADA, "amount": amount,
                "currency": "usd", "created": 1767225600 + n,
            })
        yield emulator


@pytest.fixture
def shell(store, tmp_path):
    """stripe-sql on the store, at its first prompt."""
    terminal = Terminal("--base-url", store.base_url, "--api-key", TEST_KEY, data_home=tmp_path)
    terminal.prompt()
    yield terminal
    terminal.close()


@pytest.fixture
def demo(tmp_path):
    terminal = Terminal("--demo", data_home=tmp_path)
    terminal.expect("read-write: writes and actions of more than one object ask first")
    terminal.prompt()
    yield terminal
    terminal.close()


def screen_lines(text: str) -> list[str]:
    """``text`` as the lines a person reads: terminal control sequences dropped."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]", "", text)
    return [line.strip() for line in plain.replace("\r", "\n").split("\n") if line.strip()]


def test_banner_names_the_server_masks_the_key_and_says_read_write(tmp_path, emulator):
    terminal = Terminal("--base-url", emulator.base_url, "--api-key", TEST_KEY,
                        data_home=tmp_path)
    try:
        banner = terminal.prompt()
        assert f"stripe-sql {stripe_dbapi.__version__}: {emulator.base_url} (key sk_test_****)" in banner
        assert "read-write: writes and actions of more than one object ask first" in banner
        assert TEST_KEY not in banner
        assert terminal.quit() == 0
    finally:
        terminal.close()


def test_readonly_says_so_in_the_banner_refuses_writes_and_q_leaves(tmp_path):
    terminal = Terminal("--demo", "--readonly", data_home=tmp_path)
    try:
        assert "read-only: writes and actions are refused" in terminal.prompt()
        terminal.enter("UPDATE customers SET name = 'x' WHERE id = 'cus_1';")
        assert "OperationalError: UPDATE refused: the connection was opened with readonly=True" in (
            terminal.prompt()
        )
        terminal.enter("\\q")  # psql's quit
        terminal.child.expect(pexpect.EOF)
        terminal.child.close()
        assert terminal.child.exitstatus == 0
    finally:
        terminal.close()


def test_tab_completes_a_table_then_a_column(shell):
    # The statement runs only if Tab made "charg" charges and "amo" amount.
    shell.complete("SELECT id, amo", "amo")  # no table named yet: no column to offer
    shell.complete("unt FROM charg", "charges")
    shell.complete(f" WHERE customer = '{ADA}' AND amo", "amount")
    shell.enter(" > 0;")
    output = shell.prompt()
    assert "ch_ada00000000000" in output
    assert "(1 row)" in output


def test_tab_completes_an_aliased_column_and_a_procedure_parameter(shell):
    shell.complete("SELECT c.phone FROM customers c WHERE c.ema", "email")
    shell.enter(" = 'ada@example.com';")
    assert "+15550000001" in shell.prompt()
    shell.complete("EXPLAIN CALL CancelPaymentInt", "CancelPaymentIntent")
    shell.complete("(PaymentIn", "PaymentIntentId =>")  # then a space, drawn as a cursor move
    shell.enter("'pi_123');")
    assert "/v1/payment_intents/pi_123/cancel" in shell.prompt()


def test_a_statement_over_several_lines_runs_at_its_semicolon(shell):
    shell.enter("SELECT id, email")
    shell.expect("...>")
    shell.enter("FROM customers")
    shell.expect("...>")
    shell.enter("WHERE name = 'Ada Lovelace';")
    output = shell.prompt()
    assert "ada@example.com" in output
    assert "(1 row)" in output


def test_schema_and_psql_d(demo):
    columns = len(load_catalog().table("customers").columns)
    demo.enter(".schema customers")
    output = demo.prompt()
    assert "Unique identifier for the object." in output
    assert f"({columns} rows)" in output
    demo.enter("\\d")
    output = demo.prompt()
    assert "payment_intents" in output and "sys_columns" in output


def test_an_error_is_one_line_with_its_pep_249_class_and_the_prompt_returns(demo):
    demo.enter("SELECT nope FROM customers;")
    output = screen_lines(demo.prompt())
    # The echoed statement, then the error's one line.
    assert output[-2].endswith("SELECT nope FROM customers;")
    assert output[-1].startswith("ProgrammingError: ")
    assert "'nope'" in output[-1]
    demo.enter("SELECT 1 AS one;")
    assert "(1 row)" in demo.prompt()


def test_ctrl_c_clears_the_line_and_ctrl_d_leaves(demo):
    demo.type("SELECT garbage that will never run")
    demo.child.sendcontrol("c")
    demo.prompt()
    demo.enter("SELECT 41 + 1 AS answer;")
    output = demo.prompt()
    assert "42" in output and "garbage" not in output.split("answer")[-1]
    assert demo.quit() == 0


def test_history_is_written_to_the_data_folder(tmp_path):
    terminal = Terminal("--demo", data_home=tmp_path)
    try:
        terminal.prompt()
        terminal.enter("SELECT 'remember me' AS words;")
        terminal.prompt()
        assert terminal.quit() == 0
    finally:
        terminal.close()
    history = tmp_path / "stripe_dbapi" / "history"
    assert "+SELECT 'remember me' AS words;" in history.read_text()
    assert history.stat().st_mode & 0o777 == 0o600


def test_with_stdout_in_a_file_the_prompt_stays_on_the_terminal_and_results_go_there(
        tmp_path):
    results = tmp_path / "results.txt"
    terminal = Terminal("--demo", data_home=tmp_path, stdout_to=results)
    try:
        assert "read-write: writes" in terminal.prompt()  # the banner, on the terminal
        terminal.enter("SELECT 'into the file' AS words;")
        assert "(1 row)" not in terminal.prompt()
        assert terminal.quit() == 0
    finally:
        terminal.close()
    written = results.read_text()
    assert "into the file" in written and "(1 row)" in written
    assert "stripe>" not in written and "read-write" not in written


GOLD_UPDATE = GOLD + ";"


def test_a_write_of_several_objects_asks_and_n_writes_nothing_y_writes(shop, tmp_path):
    terminal = Terminal("--base-url", shop.base_url, "--api-key", TEST_KEY, data_home=tmp_path)
    try:
        terminal.prompt()
        terminal.enter(GOLD_UPDATE)
        terminal.expect("UPDATE customers will write 3 objects. Go ahead? [y/N] ")
        terminal.enter("n")
        assert "UPDATE customers not confirmed: it would write 3 objects; nothing was written" in (
            terminal.prompt()
        )
        assert [r.method for r in shop.requests if r.method != "GET"] == []
        assert descriptions(shop) == ["None"] * 4

        # Ctrl-C at the question is no as well (not a cancel left pending on the statement).
        terminal.enter(GOLD_UPDATE)
        terminal.expect("Go ahead? [y/N] ")
        terminal.child.sendcontrol("c")
        assert "nothing was written" in terminal.prompt()
        assert descriptions(shop) == ["None"] * 4

        terminal.enter(GOLD_UPDATE)
        terminal.expect("Go ahead? [y/N] ")
        terminal.enter("y")
        assert "OK (3 rows)" in terminal.prompt()
        assert descriptions(shop) == ["None", "vip", "vip", "vip"]

        # One object: no question.
        terminal.enter("UPDATE customers SET description = 'one' WHERE name = 'c3';")
        output = terminal.prompt()
        assert "OK (1 row)" in output and "Go ahead" not in output
    finally:
        terminal.close()


def test_yes_does_not_ask(shop, tmp_path):
    terminal = Terminal("--base-url", shop.base_url, "--api-key", TEST_KEY, "--yes",
                        data_home=tmp_path)
    try:
        terminal.prompt()
        terminal.enter(GOLD_UPDATE)
        output = terminal.prompt()
        assert "OK (3 rows)" in output and "Go ahead" not in output
        assert descriptions(shop) == ["None", "vip", "vip", "vip"]
    finally:
        terminal.close()


def test_a_wide_result_shows_one_block_per_row_and_long_json_is_cut(shell):
    shell.enter(f"SELECT * FROM customers WHERE id = '{ADA}';")
    lines = screen_lines(shell.prompt())
    assert any(line.startswith("row 1 ─") for line in lines)
    email = next(line for line in lines if line.startswith("email "))
    assert email.split() == ["email", "ada@example.com"]
    shell.enter(f"SELECT id, metadata FROM customers WHERE id = '{ADA}';")
    lines = screen_lines(shell.prompt())
    row = next(line for line in lines if line.startswith(ADA))
    metadata = '{"tier":"gold","note":"' + "x" * 300 + '"}'
    assert row == f"{ADA}   {metadata[:59]}…"  # 60 characters of the JSON, the last "…"


def test_ctrl_c_cancels_a_slow_scan_shows_its_progress_and_keeps_the_prompt(
    slow_customers, tmp_path
):
    terminal = Terminal("--base-url", slow_customers.base_url, "--api-key", TEST_KEY,
                        data_home=tmp_path)
    try:
        terminal.prompt()
        terminal.enter("SELECT id FROM customers ORDER BY email;")
        # The progress line on stderr (the terminal) while it reads.
        terminal.child.expect(r"customers · [\d,]+ rows · \d+ requests? · ")
        deadline = time.monotonic() + TIMEOUT
        while requests_to(slow_customers) < 2:  # a condition, not a guess at a duration
            assert time.monotonic() < deadline, "the scan never started"
            time.sleep(0.01)
        terminal.child.sendcontrol("c")
        output = terminal.prompt()
        assert "stripe-sql: interrupted: the statement was canceled (no request after Ctrl-C)" in (
            output
        )
        before = requests_to(slow_customers)
        time.sleep(0.8)  # longer than a request's latency: one still being sent would show
        assert requests_to(slow_customers) == before < 50  # stopped: the 50 pages were not all read
        # The shell is still there and works.
        terminal.enter("SELECT 41 + 1 AS answer;")
        assert "42" in terminal.prompt()
        assert terminal.quit() == 0
    finally:
        terminal.close()


def test_without_the_cli_extra_the_terminal_gets_a_usage_error(tmp_path):
    # A prompt_toolkit that cannot be imported stands for the extra not installed.
    (tmp_path / "prompt_toolkit").mkdir()
    (tmp_path / "prompt_toolkit" / "__init__.py").write_text(
        "raise ImportError('not installed', name='prompt_toolkit')\n"
    )
    primary, secondary = os.openpty()
    try:
        done = subprocess.run(
            [*COMMAND, "--demo"], stdin=secondary, capture_output=True, text=True, timeout=120,
            env={**os.environ, "PYTHONPATH": str(tmp_path)},
        )
    finally:
        os.close(primary)
        os.close(secondary)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines()[-1] == (
        "stripe-sql: error: the interactive shell needs prompt_toolkit: pip install "
        "'stripe-dbapi[cli]' (or give SQL with -e, -f or on stdin)"
    )


def test_a_saved_connection_is_named_in_the_banner_with_its_readonly(store, tmp_path):
    config = tmp_path / "connections.toml"
    env = {"STRIPE_DBAPI_CONFIG": str(config), "EMU_KEY": TEST_KEY}
    subprocess.run(
        [*COMMAND, "connections", "add", "emu", "--api-key-env", "EMU_KEY", "--base-url",
         store.base_url, "--readonly"],
        env={**os.environ, **env}, check=True, capture_output=True, timeout=120,
    )
    terminal = Terminal("--connection", "emu", data_home=tmp_path, env=env)
    try:
        banner = terminal.prompt()
        assert f"{store.base_url} (connection 'emu', key sk_test_****)" in banner
        assert "read-only: writes and actions are refused" in banner
        assert TEST_KEY not in banner
    finally:
        terminal.close()


def test_a_history_file_readable_by_others_is_made_the_users_alone(tmp_path, monkeypatch):
    from stripe_dbapi.shell.interactive import history_path, open_history

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    path = history_path()
    path.parent.mkdir(parents=True)
    path.write_text("\n# 2026-01-01 00:00:00\n+SELECT 1;\n")
    path.chmod(0o644)
    history, problem = open_history()
    assert problem is None
    assert path.stat().st_mode & 0o777 == 0o600
    assert "SELECT 1;" in list(history.load_history_strings())
