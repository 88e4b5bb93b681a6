"""The engine spec's errors as Superset shows them: a Superset error type and one
line, for real driver failures on the emulator, however Superset holds them.

``superset_view`` applies ``custom_errors`` the way Superset 6.1's
``BaseEngineSpec.extract_errors`` does (first matching pattern; ``message % groups``,
or the extracted text when the message is empty). .ci/superset_check.py runs the same
failures through Superset's own extract_errors."""

from __future__ import annotations

import pytest
import sqlalchemy
from sqlalchemy.exc import DBAPIError

import stripe_dbapi
from sqlalchemy_dialect.superset import StripeEngineSpec
from sqlalchemy_dialect.superset_errors import error_text

KEY = "sk_test_123"


def superset_view(error: BaseException | str) -> tuple[str, str]:
    raw = StripeEngineSpec._extract_error_message(error)
    for pattern, (message, error_type, _extra) in StripeEngineSpec.custom_errors.items():
        if match := pattern.search(raw):
            return str(error_type), (message % match.groupdict()) if message else raw
    return "GENERIC_DB_ENGINE_ERROR", raw


def driver_error(sql: str = "SELECT id FROM charges LIMIT 1", **connect) -> stripe_dbapi.Error:
    connect.setdefault("api_key", KEY)
    connect.setdefault("max_retries", 0)
    with pytest.raises(stripe_dbapi.Error) as caught:
        connection = stripe_dbapi.connect(**connect)
        connection.cursor().execute(sql)
    return caught.value


def as_superset_holds_it(error: stripe_dbapi.Error) -> list[BaseException | str]:
    """The driver's exception, SQLAlchemy's wrapping of it, the text-only DBAPIError
    Superset's connection test raises, and the text SQL Lab passes on."""
    wrapped = DBAPIError.instance("SELECT 1", None, error, stripe_dbapi.Error)
    return [error, wrapped, DBAPIError(str(error), None, None), f"stripe error: {error}"]


def test_bad_key_is_an_invalid_password(fresh_emulator):
    error = driver_error(api_key="sk_live_wrong_key_1234567890", base_url=fresh_emulator.base_url)
    for held in as_superset_holds_it(error):
        error_type, message = superset_view(held)
        assert error_type == "CONNECTION_INVALID_PASSWORD_ERROR"
        assert message.startswith("Stripe rejected the API key")
        assert (
            "sk_live_wrong_key_1234567890"
            not in message + StripeEngineSpec._extract_error_message(held)
        )


def test_missing_key_is_a_missing_parameter(monkeypatch):
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    error = driver_error(api_key=None)
    assert superset_view(error)[0] == "CONNECTION_MISSING_PARAMETERS_ERROR"


def test_unreachable_stripe_is_host_down():
    error = driver_error(base_url="http://127.0.0.1:1")
    for held in as_superset_holds_it(error):
        assert superset_view(held) == (
            "CONNECTION_HOST_DOWN_ERROR",
            (
                "Stripe could not be reached at http://127.0.0.1:1: check the network, "
                "or base_url in the connection URL."
            ),
        )


def test_rate_limit_says_so(fresh_emulator):
    fresh_emulator.faults.fail_next("/v1/charges*", 429)
    error_type, message = superset_view(driver_error(base_url=fresh_emulator.base_url))
    assert error_type == "GENERIC_DB_ENGINE_ERROR"
    assert message.startswith("Stripe's rate limit was reached")


def test_permission_error_keeps_stripes_reason(fresh_emulator):
    fresh_emulator.faults.fail_next("/v1/charges*", 403)
    error = driver_error(base_url=fresh_emulator.base_url)
    for held in as_superset_holds_it(error):
        assert superset_view(held) == (
            "CONNECTION_DATABASE_PERMISSIONS_ERROR",
            f"This Stripe key lacks a permission: {error.message}",
        )


def test_unknown_table_and_column_keep_the_drivers_line(fresh_emulator):
    table = driver_error("SELECT id FROM chargez", base_url=fresh_emulator.base_url)
    for held in as_superset_holds_it(table):
        assert superset_view(held) == ("TABLE_DOES_NOT_EXIST_ERROR", str(table))
    assert "did you mean: charges" in str(table)
    column = driver_error("SELECT nope FROM charges", base_url=fresh_emulator.base_url)
    assert superset_view(column) == ("COLUMN_DOES_NOT_EXIST_ERROR", str(column))


def test_through_the_sqlalchemy_engine_superset_uses(fresh_emulator):
    engine = sqlalchemy.create_engine(
        f"stripe://:sk_live_nope_1234567890@?base_url={fresh_emulator.base_url}&max_retries=0"
    )
    with pytest.raises(DBAPIError) as caught, engine.connect() as connection:
        connection.exec_driver_sql("SELECT id FROM customers LIMIT 1").fetchall()
    assert superset_view(caught.value)[0] == "CONNECTION_INVALID_PASSWORD_ERROR"
    assert "\n" not in StripeEngineSpec._extract_error_message(caught.value)


def test_other_errors_are_one_line():
    assert error_text(ValueError("first line\nsecond line")) == "first line"
    assert error_text(ValueError()) == "ValueError"
