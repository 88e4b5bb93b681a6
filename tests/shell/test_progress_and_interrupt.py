"""stripe-sql's progress line (only when stderr is a terminal) and Ctrl-C (the statement is
canceled, no request follows, exit status 130); the display and the SIGINT handler alone."""

from __future__ import annotations

import io
import os
import pty
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from stripe_dbapi.interrupt import cancel_on_interrupt
from stripe_dbapi.progress import Progress
from stripe_dbapi.shell.progress_display import CLEAR_LINE, ProgressLine, progress_text

from .test_stripe_sql import COMMAND, TEST_KEY, stripe_sql


def report(**fields) -> Progress:
    values = dict(phase="read", table="customers", rows=0, requests=0, elapsed=0.0,
                  requests_per_second=0.0, estimated_rows=None, eta_seconds=None, done=False,
                  canceled=False, rows_read=0, rows_written=0)
    values.update(fields)
    return Progress(**values)


# --- the line ------------------------------------------------------------------------------


def test_a_read_shows_rows_requests_rate_and_elapsed():
    text = progress_text(report(rows=12_300, rows_read=12_300, requests=124,
                                requests_per_second=24.84, elapsed=5.0))
    assert text == "customers · 12,300 rows · 124 requests · 24.8 req/s · 0:05"


def test_an_estimated_read_shows_its_total_and_eta():
    text = progress_text(report(rows_read=500, requests=5, requests_per_second=1.0, elapsed=5,
                                estimated_rows=4_000, eta_seconds=3_725))
    assert text == "customers · 500 of ~4,000 rows · 5 requests · 1.0 req/s · 0:05 · ETA 1:02:05"


def test_a_write_shows_rows_written_of_the_total_and_rows_read():
    text = progress_text(report(phase="write", rows=37, rows_written=37, rows_read=120,
                                estimated_rows=120, requests=40, requests_per_second=5.0,
                                elapsed=8, eta_seconds=16.6, canceled=True))
    assert text == ("customers · 37 of 120 written · 120 rows read · 40 requests · 5.0 req/s · "
                    "0:08 · ETA 0:17 · canceling")


def test_the_line_is_redrawn_in_place_cut_to_the_width_and_cleared_at_the_end():
    stream = io.StringIO()
    line = ProgressLine(stream, width=20)
    line(report(rows_read=1, requests=1))
    line(report(rows_read=2, requests=2))
    line(report(done=True))
    first, second, end = stream.getvalue().split(CLEAR_LINE)[1:]
    assert first == "customers · 1 rows ·"[:19] and len(second) == 19 and end == ""


def test_a_statement_that_drew_nothing_clears_nothing():
    stream = io.StringIO()
    ProgressLine(stream)(report(done=True))
    assert stream.getvalue() == ""


# --- SIGINT as a cancel --------------------------------------------------------------------


class FakeCursor:
    def __init__(self) -> None:
        self.canceled = 0

    def cancel(self) -> None:
        self.canceled += 1


def test_ctrl_c_cancels_the_cursor_then_a_second_one_interrupts():
    cursor, before = FakeCursor(), signal.getsignal(signal.SIGINT)
    with cancel_on_interrupt(cursor) as interrupt:
        os.kill(os.getpid(), signal.SIGINT)
        assert cursor.canceled == 1 and interrupt.interrupted
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before
    assert cursor.canceled == 1


# --- stripe-sql in a subprocess -------------------------------------------------------------


def run_with_terminal_stderr(*args: str) -> tuple[int, str, str]:
    """stripe-sql with stderr on a pseudo-terminal; (exit status, stdout, the terminal's text)."""
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "STRIPE_API_KEY"}
    process = subprocess.Popen([*COMMAND, *args], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=follower, env=environment)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    stdout = process.stdout.read().decode() if process.stdout else ""
    return process.wait(timeout=60), stdout, seen.decode()


def test_progress_shows_on_a_terminal_and_is_cleared(emulator):
    status, stdout, terminal = run_with_terminal_stderr(
        "--base-url", emulator.base_url, "--api-key", TEST_KEY, "--format", "csv",
        "-e", "SELECT id FROM customers")
    assert status == 0 and stdout.startswith("id\n")
    assert re.search(r"customers · [\d,]+ rows · \d+ requests? · ", terminal)
    assert terminal.endswith(CLEAR_LINE)  # nothing of the line is left


def test_no_progress_when_stderr_is_not_a_terminal(emulator):
    done = stripe_sql("--base-url", emulator.base_url, "--api-key", TEST_KEY, "--format", "csv",
                      "-e", "SELECT id FROM customers")
    assert done.returncode == 0 and done.stderr == ""


def requests_to(emulator, method: str = "GET") -> int:
    return sum(1 for r in emulator.requests if r.method == method)


def interrupt_when(process, sent) -> tuple[int, str]:
    """SIGINT to ``process`` once ``sent()`` is true; (exit status, stderr)."""
    deadline = time.monotonic() + 60
    while not sent():
        assert process.poll() is None and time.monotonic() < deadline, "it never started"
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr


def start(emulator, sql: str, *args: str):
    environment = {k: v for k, v in os.environ.items() if k != "STRIPE_API_KEY"}
    return subprocess.Popen([*COMMAND, "--base-url", emulator.base_url, "--api-key", TEST_KEY,
                             *args, "-e", sql],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=environment)


def settled(emulator, method: str = "GET") -> int:
    before = requests_to(emulator, method)
    time.sleep(0.8)  # longer than a request's latency: one still being sent would show
    assert requests_to(emulator, method) == before, "requests were sent after the exit"
    return before


def test_ctrl_c_cancels_a_scan_and_exits_130(slow_customers):
    process = start(slow_customers, "SELECT id FROM customers ORDER BY email")
    status, stderr = interrupt_when(process, lambda: requests_to(slow_customers) >= 2)
    assert status == 130
    assert stderr == ("stripe-sql: interrupted: the statement was canceled "
                      "(no request after Ctrl-C)\n")
    assert settled(slow_customers) < 50  # the 50 pages were not all read


def test_ctrl_c_during_a_write_says_what_was_written(slow_customers):
    values = ", ".join(f"('i{n}@example.com')" for n in range(40))
    process = start(slow_customers, f"INSERT INTO customers (email) VALUES {values}", "--yes")
    status, stderr = interrupt_when(process, lambda: requests_to(slow_customers, "POST") >= 1)
    assert status == 130
    posts = settled(slow_customers, "POST")
    [line] = stderr.splitlines()
    assert line.startswith("stripe-sql: interrupted: INSERT INTO customers stopped after ")
    done = re.search(r"Done: ([^.]*)\.", line).group(1).split(", ")
    created = {c["id"] for c in slow_customers.objects("customers")} - {
        f"cus_{n:07d}" for n in range(5_000)}
    assert set(done) == created and len(created) == posts < 40
    # The rows not sent, 40 the last: a range once three or more follow each other.
    assert re.search(r"Not done: (rows \d+-40|row \d+, row 40|row 40) \(", line)


def test_ctrl_c_while_the_script_is_read_from_stdin_exits_130_without_a_traceback():
    environment = {k: v for k, v in os.environ.items() if k != "STRIPE_API_KEY"}
    process = subprocess.Popen([*COMMAND, "--demo"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=environment)
    wchan = Path(f"/proc/{process.pid}/wchan")
    # Blocked reading its stdin, which stays open (a slow producer: cat | stripe-sql).
    status, stderr = interrupt_when(process, lambda: wchan.read_text().endswith("pipe_read"))
    process.stdin.close()
    assert (status, stderr) == (130, "stripe-sql: interrupted\n")
