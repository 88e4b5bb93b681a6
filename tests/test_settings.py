"""Connection settings (stripe_dbapi/settings.py): declared once, read by connect(),
Connection and the dialect's URL parser."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

import stripe_dbapi
from stripe_dbapi.settings import BY_NAME, SETTINGS

CONNECT_KW = {"api_key": "sk_test_settings0000", "base_url": "http://127.0.0.1:9"}


def test_connect_signature_is_the_declared_settings_with_their_defaults():
    parameters = inspect.signature(stripe_dbapi.connect).parameters
    assert list(parameters) == [s.name for s in SETTINGS]
    assert all(parameters[s.name].default == s.default for s in SETTINGS)
    assert all(f"{s.name}:" in stripe_dbapi.connect.__doc__ for s in SETTINGS)


def test_unknown_option_is_an_interface_error_naming_the_nearest():
    with pytest.raises(stripe_dbapi.InterfaceError) as raised:
        stripe_dbapi.connect(**CONNECT_KW, timout=5)
    assert "unknown connect() option 'timout'; did you mean: timeout?" in str(raised.value)
    # still the TypeError Python gives for an unexpected keyword argument
    assert isinstance(raised.value, TypeError)


def test_a_connection_reads_its_settings_which_are_fixed():
    with stripe_dbapi.connect(**CONNECT_KW, max_retries=0, readonly=True) as conn:
        assert conn.settings.max_retries == 0 and conn.settings.timeout == 30.0
        assert conn.readonly is True and conn.settings.readonly is True
        with pytest.raises(dataclasses.FrozenInstanceError):
            conn.settings.readonly = False
        assert conn.readonly is True


def test_the_key_stays_out_of_the_settings_repr():
    with stripe_dbapi.connect(**CONNECT_KW) as conn:
        assert "sk_test_settings0000" not in repr(conn.settings)
        assert conn.settings.api_key == "sk_test_settings0000"


@pytest.mark.parametrize(
    "name, value, problem",
    [
        ("timeout", 0, "timeout must be a number of seconds > 0, not 0"),
        ("timeout", "5", "timeout must be a number of seconds > 0, not '5'"),
        ("max_retries", True, "max_retries must be an integer >= 0, not True"),
        ("max_concurrency", 2.5, "max_concurrency must be an integer >= 1, not 2.5"),
        # NaN compares false with every bound: it would pass ">= 0" and mean nothing
        ("timeout", float("nan"), "timeout must be a number of seconds > 0, not nan"),
        ("max_requests_per_second", float("nan"),
         "max_requests_per_second must be a number of requests per second > 0, not nan"),
    ],
)
def test_unusable_values_are_described_by_the_declaration(name, value, problem):
    assert BY_NAME[name].problem(value) == problem


@pytest.mark.parametrize(
    "name, value, problem",
    [
        # bool("false") is True: the switch would be on, the proxy enabled, full-table
        # writes allowed, for a value that says the opposite.
        ("allow_full_table_writes", "false", "allow_full_table_writes must be True or False, "
                                             "not 'false'"),
        ("proxy_enabled", "no", "proxy_enabled must be True or False, not 'no'"),
        ("verify", 2, "verify must be True or False, not 2"),
        ("base_url", 5, "base_url must be a string, not 5"),
        ("account_id", 123, "account_id must be a string, not 123"),
        ("proxy_user", b"svc", "proxy_user must be a string, not b'svc'"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_before_any_request(name, value, problem):
    with pytest.raises(stripe_dbapi.InterfaceError) as raised:
        stripe_dbapi.connect(**{**CONNECT_KW, name: value})
    assert str(raised.value) == f"invalid connect() option: {problem}"


def test_a_secret_of_the_wrong_type_is_named_not_shown():
    with pytest.raises(stripe_dbapi.InterfaceError) as raised:
        stripe_dbapi.connect(api_key=4242424242424242, base_url="http://127.0.0.1:9")
    assert str(raised.value) == "invalid connect() option: api_key must be a string, not int"


@pytest.mark.parametrize(
    "base_url, problem",
    [
        # Each was an APIConnectionError at the first request, after the retries' backoff.
        ("127.0.0.1:12111", "base_url '127.0.0.1:12111' has no scheme: it must start with "
                            "http:// or https:// (e.g. 'http://127.0.0.1:12111')"),
        ("ftp://files.internal", "base_url 'ftp://files.internal' must start with http:// or "
                                 "https://, not ftp://"),
        ("http://", "base_url 'http://' has no host (e.g. 'http://127.0.0.1:12111')"),
        ("http://svc:pw-9Secret@127.0.0.1:9", "base_url 'http://<user>@127.0.0.1:9' holds "
                                              "credentials: the API key is the only credential"),
    ],
)
def test_a_base_url_that_is_no_http_server_is_refused_before_any_request(base_url, problem):
    with pytest.raises(stripe_dbapi.InterfaceError) as raised:
        stripe_dbapi.connect(**{**CONNECT_KW, "base_url": base_url})
    assert str(raised.value).startswith(f"invalid connect() option: {problem}")
    assert "pw-9Secret" not in str(raised.value)


def test_switches_take_0_and_1_as_false_and_true():
    with stripe_dbapi.connect(**CONNECT_KW, readonly=1, use_search=0) as conn:
        assert conn.settings.readonly is True and conn.settings.use_search is False


def test_usable_values_have_no_problem():
    assert BY_NAME["timeout"].problem(2) is None
    assert BY_NAME["max_concurrency"].problem(1) is None
    assert BY_NAME["base_url"].problem("http://x") is None


def test_text_values_convert_by_type():
    assert BY_NAME["readonly"].from_text("Yes") is True
    assert BY_NAME["use_search"].from_text("off") is False
    assert BY_NAME["timeout"].from_text("2.5") == 2.5
    with pytest.raises(ValueError, match="true or false"):
        BY_NAME["readonly"].from_text("maybe")
    assert not BY_NAME["transport"].is_text
