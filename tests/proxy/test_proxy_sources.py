"""Where the proxy comes from: a named connection (the password by reference), the
environment's HTTP_PROXY (honoured only without proxy settings), and TLS verification."""

from __future__ import annotations

import warnings

import pytest

import stripe_dbapi
from stripe_dbapi.named import tomllib

KEY = "sk_test_proxy123"


def count_customers(conn) -> int:
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM customers")
    return cur.fetchone()[0]


def test_a_named_connection_with_the_proxy_password_from_the_environment(
    connections_file, emulator, squid_digest, monkeypatch
):
    monkeypatch.setenv("STRIPE_FINANCE_KEY", KEY)
    monkeypatch.setenv("PROXY_PASSWORD", squid_digest.password)
    stripe_dbapi.save_connection(
        "stripe-connection", description="Finance reporting", labels={"team": "finance"},
        api_key_env="STRIPE_FINANCE_KEY", base_url=emulator.base_url,
        proxy_enabled=True, proxy_url=squid_digest.http_url, proxy_auth_scheme="DIGEST",
        proxy_user=squid_digest.user, proxy_password_env="PROXY_PASSWORD",
    )
    text = connections_file.read_text()
    assert squid_digest.password not in text
    assert tomllib.loads(text)["connections"]["stripe-connection"]["proxy_password_env"] == (
        "PROXY_PASSWORD")
    mark = squid_digest.mark()
    with stripe_dbapi.connect(connection="stripe-connection") as conn:
        assert count_customers(conn) > 0
    assert [line.user for line in squid_digest.log_served(mark, 1) if line.status == 200] == [
        squid_digest.user]


def test_the_proxy_password_from_a_file_and_in_clear_with_a_warning(
    connections_file, emulator, squid_basic, tmp_path
):
    secret = tmp_path / "proxy-password"
    secret.write_text(squid_basic.password + "\n")
    common = dict(api_key_env="UNUSED", base_url=emulator.base_url,
                  proxy_url=squid_basic.http_url, proxy_auth_scheme="BASIC",
                  proxy_user=squid_basic.user)
    stripe_dbapi.save_connection("from-file", proxy_password_file=str(secret), **common)
    with stripe_dbapi.connect(KEY, connection="from-file") as conn:
        assert count_customers(conn) > 0
    with pytest.raises(stripe_dbapi.InterfaceError,
                       match="does not write a proxy password in clear: refer to it with "
                             "proxy_password_env=...") as raised:
        stripe_dbapi.save_connection("clear", proxy_password=squid_basic.password, **common)
    assert squid_basic.password not in str(raised.value)
    stripe_dbapi.save_connection("clear", proxy_password=squid_basic.password,
                                 store_key_in_clear=True, **common)
    with pytest.warns(UserWarning, match="holds its proxy password in clear") as caught, \
            stripe_dbapi.connect(KEY, connection="clear") as conn:
        assert count_customers(conn) > 0
    assert all(squid_basic.password not in str(w.message) for w in caught)


def test_a_connection_file_may_not_give_the_password_twice(connections_file):
    connections_file.parent.mkdir(parents=True)
    connections_file.write_text(
        '[connections.twice]\nproxy_password_env = "A"\nproxy_password_file = "/p"\n')
    with pytest.raises(stripe_dbapi.InterfaceError,
                       match="gives its proxy password more than once"):
        stripe_dbapi.connect(KEY, connection="twice")


def test_a_misspelt_proxy_setting_in_the_file_is_named_with_the_nearest(connections_file):
    connections_file.parent.mkdir(parents=True)
    connections_file.write_text(
        '[connections.typo]\nproxy_url = "http://proxy.internal:3128"\n'
        'proxy_pasword_env = "PROXY_PASSWORD"\n')
    with pytest.raises(stripe_dbapi.InterfaceError,
                       match="unknown setting 'proxy_pasword_env' in connection 'typo'.*"
                             "did you mean: proxy_password_env"):
        stripe_dbapi.connect(KEY, connection="typo")


def test_an_unset_password_variable_is_named(connections_file):
    stripe_dbapi.save_connection("unset", proxy_url="http://proxy.internal:3128",
                                 proxy_auth_scheme="BASIC", proxy_user="svc",
                                 proxy_password_env="NO_SUCH_PROXY_PASSWORD")
    with pytest.raises(stripe_dbapi.InterfaceError,
                       match="takes its proxy password from the environment variable "
                             "NO_SUCH_PROXY_PASSWORD, which is not set"):
        stripe_dbapi.connect(KEY, connection="unset")


def test_with_the_proxy_switched_off_its_password_is_not_looked_up(connections_file, emulator):
    """A machine off the corporate network: connect(connection=..., proxy_enabled=False)
    (or proxy_enabled = false in the file) needs no proxy password variable."""
    for name, enabled in (("corp", None), ("corp-off", False)):
        stripe_dbapi.save_connection(name, base_url=emulator.base_url,
                                     proxy_url="http://proxy.internal:3128",
                                     proxy_enabled=enabled, proxy_auth_scheme="DIGEST",
                                     proxy_user="svc",
                                     proxy_password_env="NO_SUCH_PROXY_PASSWORD")
    for options in ({"connection": "corp", "proxy_enabled": False}, {"connection": "corp-off"}):
        with stripe_dbapi.connect(KEY, **options) as conn:
            assert conn.settings.proxy_enabled is False and conn.settings.proxy_password is None
            assert count_customers(conn) > 0  # straight to the server, not to the proxy
    with pytest.raises(stripe_dbapi.InterfaceError, match="NO_SUCH_PROXY_PASSWORD"):
        stripe_dbapi.connect(KEY, connection="corp")  # switched on, it is needed


def test_http_proxy_from_the_environment_unless_the_settings_say_otherwise(
    emulator, squid_none, squid_basic, monkeypatch
):
    monkeypatch.setenv("HTTP_PROXY", squid_none.http_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    mark = squid_none.mark()
    with stripe_dbapi.connect(KEY, base_url=emulator.base_url) as conn:  # httpx's rules
        assert count_customers(conn) > 0
    assert len(squid_none.log_served(mark, 1)) == 1
    with stripe_dbapi.connect(KEY, base_url=emulator.base_url, proxy_enabled=False) as conn:
        assert count_customers(conn) > 0
    assert len(squid_none.log_since(mark)) == 1  # not through the environment's proxy
    basic_mark = squid_basic.mark()
    with stripe_dbapi.connect(KEY, base_url=emulator.base_url, proxy_url=squid_basic.http_url,
                              proxy_auth_scheme="BASIC", proxy_user=squid_basic.user,
                              proxy_password=squid_basic.password) as conn:
        assert count_customers(conn) > 0
    assert len(squid_none.log_since(mark)) == 1  # the settings' proxy, not the environment's
    assert len(squid_basic.log_served(basic_mark, 1)) == 1


def test_tls_is_verified_against_ca_bundle_or_not_at_all(tls_emulator, ca_bundle):
    with pytest.raises(stripe_dbapi.APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"), \
            stripe_dbapi.connect(KEY, base_url=tls_emulator.base_url, max_retries=0) as conn:
        count_customers(conn)
    with stripe_dbapi.connect(KEY, base_url=tls_emulator.base_url, ca_bundle=ca_bundle) as conn:
        assert count_customers(conn) > 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with stripe_dbapi.connect(KEY, base_url=tls_emulator.base_url, verify=False) as conn:
            assert count_customers(conn) > 0


def test_stripe_sql_connections_add_saves_the_proxy_and_it_is_used(
    connections_file, emulator, squid_digest, monkeypatch, capsys
):
    from stripe_dbapi.shell.connections import main as connections

    monkeypatch.setenv("STRIPE_FINANCE_KEY", KEY)
    monkeypatch.setenv("PROXY_PASSWORD", squid_digest.password)
    assert connections([
        "add", "stripe-connection", "--api-key-env", "STRIPE_FINANCE_KEY",
        "--base-url", emulator.base_url, "--proxy-url", squid_digest.http_url,
        "--proxy-auth-scheme", "digest", "--proxy-user", squid_digest.user,
        "--proxy-password-env", "PROXY_PASSWORD", "--proxy-ssltype", "never",
    ]) == 0
    saved = tomllib.loads(connections_file.read_text())["connections"]["stripe-connection"]
    assert saved == {
        "api_key_env": "STRIPE_FINANCE_KEY", "base_url": emulator.base_url,
        "proxy_enabled": True, "proxy_url": squid_digest.http_url,
        "proxy_auth_scheme": "DIGEST", "proxy_user": squid_digest.user,
        "proxy_ssltype": "NEVER", "proxy_password_env": "PROXY_PASSWORD",
    }
    mark = squid_digest.mark()
    with stripe_dbapi.connect(connection="stripe-connection") as conn:
        assert count_customers(conn) > 0
    assert [line.user for line in squid_digest.log_served(mark, 1) if line.status == 200] == [
        squid_digest.user]
