"""Shared fixtures: the Stripe emulator, localstripe, and a driver connection.

- ``emulator`` (session): ``stripe_dbapi.testing.Emulator`` with the demo dataset.
  Shared by every test: do not depend on exact counts of tables other tests may
  write to; use ``fresh_emulator`` when a test needs a known state.
- ``emulator_url`` (session): its base URL.
- ``fresh_emulator`` (function): an empty emulator, Search lag 0, for known states.
- ``localstripe_url`` (session): ``LOCALSTRIPE_URL`` when set (CI starts it),
  else ``localstripe --port <free> --from-scratch`` started here and killed at the end.
- ``conn`` (function): ``stripe_dbapi.connect(api_key="sk_test_123", base_url=emulator_url)``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import httpx
import pytest

from stripe_dbapi.testing import Emulator

TEST_KEY = "sk_test_123"


@pytest.fixture(scope="session")
def emulator():
    with Emulator(seed="demo") as emu:
        yield emu


@pytest.fixture(scope="session")
def emulator_url(emulator) -> str:
    return emulator.base_url


@pytest.fixture
def fresh_emulator():
    with Emulator(seed=None, search_lag=0) as emu:
        yield emu


@pytest.fixture
def connections_file(tmp_path, monkeypatch):
    """A connections file of the test's own (not yet created), and no STRIPE_API_KEY."""
    path = tmp_path / "conf" / "connections.toml"
    monkeypatch.setenv("STRIPE_DBAPI_CONFIG", str(path))
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    return path


@pytest.fixture
def conn(emulator_url):
    import stripe_dbapi

    connection = stripe_dbapi.connect(api_key=TEST_KEY, base_url=emulator_url)
    yield connection
    connection.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        httpx.get(f"{url}/v1/customers", headers={"Authorization": f"Bearer {TEST_KEY}"}, timeout=1)
        return True
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="session")
def localstripe_url():
    """localstripe, the independent fake Stripe (CI command, also in tests/integration/conftest.py):
    ``localstripe --port <port> --from-scratch``."""
    url = os.environ.get("LOCALSTRIPE_URL")
    if url:
        yield url.rstrip("/")
        return
    executable = shutil.which("localstripe")
    command = [executable] if executable else [sys.executable, "-m", "localstripe"]
    port = _free_port()
    process = subprocess.Popen(
        command + ["--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"localstripe did not start on port {port} (exit code {process.poll()})"
                )
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
