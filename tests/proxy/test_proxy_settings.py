"""The proxy and TLS settings: checked before any request, the same in connect(), a
stripe:// URL and a named connection; the proxy password kept out of sight."""

from __future__ import annotations

import pytest

import stripe_dbapi
from stripe_dbapi.proxy import proxy_from
from stripe_dbapi.settings import settings_from

KEY = "sk_test_proxy123"
PROXY = {"proxy_url": "http://proxy.internal:3128"}
CREDENTIALS = {"proxy_user": "svc-stripe", "proxy_password": "pw-Secret-77"}


@pytest.mark.parametrize(
    "options, message",
    [
        ({"proxy_url": "socks5://proxy.internal:1080"},
         "proxy_url 'socks5://proxy.internal:1080' must start with http:// or https://, "
         "not socks5://"),
        ({"proxy_url": "proxy.internal:3128"},
         "proxy_url 'proxy.internal:3128' has no scheme: it must start with http:// or "
         "https:// (e.g. 'http://proxy.internal:3128')"),
        ({"proxy_url": "http://:3128"}, "proxy_url 'http://:3128' has no host"),
        # A path would be dropped without a word: requests go to the host and port only.
        ({"proxy_url": "http://proxy.internal:3128/squid"},
         "proxy_url 'http://proxy.internal:3128/squid' has a path, query or fragment: give "
         "only the scheme, host and port (e.g. 'http://proxy.internal:3128')"),
        ({"proxy_url": "http://proxy.internal:3128?user=svc"},
         "has a path, query or fragment"),
        ({"proxy_url": "http://proxy.internal:99999"},
         "proxy_url 'http://proxy.internal:99999' has port 99999: a port is 1 to 65535"),
        ({"proxy_url": " http://proxy.internal:3128"},
         "proxy_url ' http://proxy.internal:3128' must start with http:// or https:// "
         "(nothing before it, not even a space)"),
        # Switched off, the address is still checked (and a password in it never kept).
        ({"proxy_url": "http://svc:pw-Secret-77@proxy.internal:3128", "proxy_enabled": False},
         "holds credentials: give them as proxy_user and proxy_password"),
        ({"proxy_url": "proxy.internal:3128", "proxy_enabled": False}, "has no scheme"),
        ({"proxy_enabled": True}, "proxy_enabled is true but no proxy_url is given"),
        ({**PROXY, "proxy_auth_scheme": "ntlm"},
         "proxy_auth_scheme must be one of 'BASIC', 'DIGEST', 'NONE', not 'NTLM'"),
        ({**PROXY, "proxy_ssltype": "sometimes"},
         "proxy_ssltype must be one of 'AUTO', 'ALWAYS', 'NEVER', 'TUNNEL', not 'SOMETIMES'"),
        ({**PROXY, "proxy_auth_scheme": "DIGEST"},
         "proxy_auth_scheme 'DIGEST' needs proxy_user and proxy_password"),
        ({**PROXY, "proxy_auth_scheme": "BASIC", "proxy_user": "u"},
         "proxy_auth_scheme 'BASIC' needs proxy_password"),
        ({**PROXY, **CREDENTIALS},
         "proxy_user is given but proxy_auth_scheme is 'NONE': choose 'BASIC' or 'DIGEST'"),
        ({**CREDENTIALS, "proxy_auth_scheme": "BASIC"}, "proxy_user is given but no proxy_url"),
        ({**PROXY, **CREDENTIALS, "proxy_user": "corp:svc", "proxy_auth_scheme": "BASIC"},
         "proxy_user 'corp:svc' holds a ':', which BASIC authentication cannot carry"),
        ({**PROXY, "proxy_ssltype": "ALWAYS"},
         "proxy_ssltype 'ALWAYS' speaks TLS to the proxy: proxy_url must be https://"),
        ({"proxy_url": "https://proxy.internal:3129", "proxy_ssltype": "tunnel"},
         "proxy_ssltype 'TUNNEL' speaks to the proxy in clear, but proxy_url is https://"),
        ({**PROXY, "proxy_ssltype": "NEVER", "base_url": "https://api.stripe.com"},
         "proxy_ssltype 'NEVER' forwards requests to the proxy in clear, but base_url is "
         "https"),
        ({"ca_bundle": "/nonexistent/ca.pem"}, "ca_bundle '/nonexistent/ca.pem' does not exist"),
    ],
)
def test_a_bad_value_names_the_setting_before_any_request(options, message):
    with pytest.raises(stripe_dbapi.InterfaceError) as raised:
        stripe_dbapi.connect(KEY, **options)
    assert message in str(raised.value)
    assert "pw-Secret-77" not in str(raised.value)


def test_credentials_written_into_the_proxy_url_are_refused_unshown():
    with pytest.raises(stripe_dbapi.InterfaceError) as raised:
        stripe_dbapi.connect(KEY, proxy_url="http://svc:pw-Secret-77@proxy.internal:3128")
    assert "holds credentials: give them as proxy_user and proxy_password" in str(raised.value)
    assert "pw-Secret-77" not in str(raised.value)


@pytest.mark.parametrize(
    "ssltype, base_url, proxy_url, tunnel",
    [
        ("AUTO", "https://api.stripe.com", "http://p:3128", True),
        ("AUTO", "http://127.0.0.1:12111", "http://p:3128", False),
        ("TUNNEL", "http://127.0.0.1:12111", "http://p:3128", True),
        ("NEVER", "http://127.0.0.1:12111", "http://p:3128", False),
        ("ALWAYS", "https://api.stripe.com", "https://p:3129", True),
        ("ALWAYS", "http://127.0.0.1:12111", "https://p:3129", False),
        ("AUTO", "https://api.stripe.com", "https://p:3129", True),
    ],
)
def test_ssltype_chooses_tunnel_or_forward_as_the_spec(ssltype, base_url, proxy_url, tunnel):
    settings = settings_from({"api_key": KEY, "base_url": base_url, "proxy_url": proxy_url,
                              "proxy_ssltype": ssltype.lower()})
    proxy = proxy_from(settings)
    assert proxy.tunnel is tunnel
    assert proxy.shown == proxy_url


def test_the_proxy_password_stays_out_of_reprs():
    with stripe_dbapi.connect(KEY, **PROXY, **CREDENTIALS, proxy_auth_scheme="Digest") as conn:
        assert conn.settings.proxy_password == "pw-Secret-77"
        assert conn.settings.proxy_auth_scheme == "DIGEST"
        shown = repr(conn.settings) + repr(conn) + repr(conn.client._http._transport)
        assert "pw-Secret-77" not in shown
        assert "http://proxy.internal:3128" in repr(conn.client._http._transport)


def test_proxy_enabled_false_keeps_the_settings_but_uses_no_proxy():
    with stripe_dbapi.connect(KEY, **PROXY, proxy_enabled=False, proxy_auth_scheme="BASIC",
                              **CREDENTIALS) as conn:
        assert proxy_from(conn.settings) is None


def test_proxy_settings_as_stripe_url_options():
    import sqlalchemy

    from sqlalchemy_dialect.url import connect_kwargs

    url = sqlalchemy.engine.make_url(
        "stripe://sk_test_x@?proxy_url=http://proxy.internal:3128&proxy_auth_scheme=digest"
        "&proxy_user=svc&proxy_ssltype=TUNNEL&proxy_enabled=true&verify=false"
    )
    assert connect_kwargs(url) == {
        "api_key": "sk_test_x", "proxy_url": "http://proxy.internal:3128",
        "proxy_auth_scheme": "digest", "proxy_user": "svc", "proxy_ssltype": "TUNNEL",
        "proxy_enabled": True, "verify": False,
    }
    secret = sqlalchemy.engine.make_url("stripe://sk_test_x@?proxy_password=pw-Secret-77")
    with pytest.raises(sqlalchemy.exc.ArgumentError) as raised:
        connect_kwargs(secret)
    assert "proxy_password_env" in str(raised.value)
    assert "pw-Secret-77" not in str(raised.value)
