"""Fixtures for the local replica: a replica file per test, and writes made on the
emulator directly (with its events), not through the driver."""

from __future__ import annotations

import httpx
import pytest

import stripe_dbapi

KEY = "sk_test_replica"


@pytest.fixture
def replica_file(tmp_path) -> str:
    return str(tmp_path / "cache" / "acct.sqlite")


@pytest.fixture
def stripe_api(fresh_emulator):
    """An HTTP client on the fresh emulator: changes the replica learns from events."""
    with httpx.Client(base_url=fresh_emulator.base_url,
                      headers={"Authorization": f"Bearer {KEY}"}) as client:
        yield client


def create(api: httpx.Client, path: str, **params) -> dict:
    response = api.post(path, data=params)
    assert response.status_code == 200, response.text
    return response.json()


def connect(emulator, replica_file: str | None, **options):
    return stripe_dbapi.connect(api_key=KEY, base_url=emulator.base_url,
                                replica=replica_file, **options)


def events_requests(emulator) -> list:
    return [r for r in emulator.requests if r.path == "/v1/events"]
