"""Helpers for the emulator's own tests: plain httpx clients, as Stripe's API reference shows requests."""

from __future__ import annotations

import httpx
import pytest

KEY = "sk_test_emulator"


@pytest.fixture
def api(fresh_emulator):
    """An httpx client on an empty emulator (Search lag 0)."""
    with httpx.Client(
        base_url=fresh_emulator.base_url, headers={"Authorization": f"Bearer {KEY}"}
    ) as client:
        yield client


@pytest.fixture
def demo_api(emulator):
    """An httpx client on the shared demo emulator: read only, please."""
    with httpx.Client(
        base_url=emulator.base_url, headers={"Authorization": f"Bearer {KEY}"}
    ) as client:
        yield client


def _error_of(response: httpx.Response) -> dict:
    assert "error" in response.json(), response.text
    return response.json()["error"]


@pytest.fixture
def error_of():
    """``error_of(response)``: the Stripe error dict of an answer (fails if there is none)."""
    return _error_of


def _monthly_price(api: httpx.Client) -> str:
    product = api.post("/v1/products", data={"name": "p"}).json()["id"]
    return api.post(
        "/v1/prices",
        data={"product": product, "currency": "usd", "unit_amount": 5, "recurring[interval]": "month"},
    ).json()["id"]


@pytest.fixture
def monthly_price():
    """``monthly_price(api)``: the id of a new $0.05/month price on a new product."""
    return _monthly_price
