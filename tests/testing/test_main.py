"""``python -m stripe_dbapi.testing --port N --seed demo`` serves the emulator from a shell."""

from __future__ import annotations

import socket
import subprocess
import sys

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_module_runs_a_server_with_the_demo_seed():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "stripe_dbapi.testing", "--port", str(port), "--seed", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = process.stdout.readline()
        assert f"http://127.0.0.1:{port}" in banner
        response = httpx.get(
            f"http://127.0.0.1:{port}/v1/customers",
            params={"limit": 100},
            headers={"Authorization": "Bearer sk_test_cli"},
        )
        assert response.status_code == 200
        assert len(response.json()["data"]) == 49  # the demo's customers
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode is not None
