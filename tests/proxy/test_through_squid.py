"""Queries and writes through a real squid (tests/proxy/conftest.py), for every
proxy_auth_scheme and proxy_ssltype; squid's access log shows they went through it."""

from __future__ import annotations

import contextlib

import pytest

import stripe_dbapi

KEY = "sk_test_proxy123"

# proxy_ssltype -> (the emulator: http or https, the proxy's port: http or https,
# squid's log: the request forwarded, or a CONNECT tunnel)
MODES = {
    "NEVER": ("http", "http", "forward"),
    "TUNNEL": ("http", "http", "tunnel"),  # CONNECT to an http server works too
    "AUTO-http": ("http", "http", "forward"),
    "AUTO-https": ("https", "http", "tunnel"),
    "ALWAYS-http": ("http", "https", "forward"),
    "ALWAYS-https": ("https", "https", "tunnel"),  # TLS to Stripe inside TLS to squid
}
AUTH = {"NONE": "squid_none", "BASIC": "squid_basic", "DIGEST": "squid_digest"}


@pytest.fixture
def emulators(emulator, tls_emulator):
    return {"http": emulator, "https": tls_emulator}


def one_query(**options) -> None:
    with stripe_dbapi.connect(KEY, **options) as conn:
        conn.cursor().execute("SELECT id FROM customers LIMIT 1")


def proxy_options(squid, scheme: str, auth: str, ssltype: str = "AUTO") -> dict:
    options = {
        "proxy_url": squid.https_url if scheme == "https" else squid.http_url,
        "proxy_ssltype": ssltype,
        "proxy_auth_scheme": auth.lower(),  # case-blind
    }
    if auth != "NONE":
        options.update(proxy_user=squid.user, proxy_password=squid.password)
    return options


@pytest.mark.parametrize("auth", list(AUTH))
@pytest.mark.parametrize("mode", list(MODES))
def test_queries_and_a_write_go_through_squid(request, emulators, ca_bundle, auth, mode):
    squid = request.getfixturevalue(AUTH[auth])
    stripe_scheme, proxy_scheme, kind = MODES[mode]
    emulator = emulators[stripe_scheme]
    mark = squid.mark()
    ssltype = mode.split("-")[0]
    with stripe_dbapi.connect(
        KEY, base_url=emulator.base_url, ca_bundle=ca_bundle, max_retries=0,
        **proxy_options(squid, proxy_scheme, auth, ssltype),
    ) as conn:
        cur = conn.cursor()
        cur.execute("SELECT count(*) FROM customers")
        assert cur.fetchone()[0] > 0
        cur.execute("INSERT INTO customers (email) VALUES (?) RETURNING id",
                    (f"proxy-{auth}-{mode}@example.com",))
        created = cur.fetchone()[0]
        cur.execute("SELECT email FROM customers WHERE id = ?", (created,))
        assert cur.fetchone()[0] == f"proxy-{auth}-{mode}@example.com"
    log = squid.log_served(mark, 3 if kind == "forward" else 1)
    passed = [line for line in log if line.status != 407]
    host_port = emulator.base_url.split("://")[1]
    if kind == "forward":
        assert {line.method for line in passed} == {"GET", "POST"}
        assert all(line.url.startswith(f"http://{host_port}/v1/customers") for line in passed)
        assert len(passed) == 3  # the count, the insert, the select by id
    else:
        assert passed and {(line.method, line.url) for line in passed} == {("CONNECT", host_port)}
        assert all(line.result == "TCP_TUNNEL/200" for line in passed)
    expected_user = "-" if auth == "NONE" else squid.user
    assert {line.user for line in passed} == {expected_user}
    # Challenged: Digest once per nonce; Basic and none never (Basic is sent unasked).
    denied = [line for line in log if line.status == 407]
    assert len(denied) == (1 if auth == "DIGEST" else 0)


@pytest.mark.parametrize("auth", ["BASIC", "DIGEST"])
@pytest.mark.parametrize("mode", ["NEVER", "AUTO-https"])
def test_a_wrong_password_names_the_proxy_never_the_password(request, emulators, ca_bundle,
                                                            auth, mode):
    squid = request.getfixturevalue(AUTH[auth])
    stripe_scheme, proxy_scheme, _ = MODES[mode]
    emulator = emulators[stripe_scheme]
    seen = len(emulator.requests)
    options = proxy_options(squid, proxy_scheme, auth, mode.split("-")[0])
    options["proxy_password"] = "wrong-Pw-51"
    with pytest.raises(stripe_dbapi.OperationalError) as raised:
        one_query(base_url=emulator.base_url, ca_bundle=ca_bundle, **options)
    error = raised.value
    assert isinstance(error, stripe_dbapi.ProxyAuthenticationError)
    assert squid.http_url in str(error) and error.proxy == squid.http_url
    assert f"proxy_user {squid.user!r}" in str(error) and error.http_status == 407
    assert "wrong-Pw-51" not in str(error) and "wrong-Pw-51" not in repr(error)
    assert squid.password not in str(error)
    assert len(emulator.requests) == seen  # nothing got through


def test_no_credentials_for_a_proxy_that_asks_says_what_it_offers(emulator, squid_digest):
    with pytest.raises(stripe_dbapi.ProxyAuthenticationError,
                       match=f"the proxy {squid_digest.http_url} requires authentication; "
                             "it offers Digest: set proxy_auth_scheme"):
        one_query(base_url=emulator.base_url, proxy_url=squid_digest.http_url)


def test_basic_credentials_for_a_digest_proxy_are_refused_by_name(emulator, squid_digest):
    with pytest.raises(stripe_dbapi.ProxyAuthenticationError,
                       match="does not take BASIC authentication; it offers Digest"):
        one_query(base_url=emulator.base_url, proxy_url=squid_digest.http_url,
                  proxy_auth_scheme="BASIC", proxy_user=squid_digest.user,
                  proxy_password=squid_digest.password)


@pytest.mark.parametrize("base", ["http", "https"])
def test_an_unreachable_proxy_is_an_api_connection_error_naming_it(emulators, base):
    port = _closed_port()
    emulator = emulators[base]
    with pytest.raises(stripe_dbapi.APIConnectionError,
                       match=f"cannot connect to the proxy http://127.0.0.1:{port}"):
        one_query(base_url=emulator.base_url, max_retries=0, proxy_url=f"http://127.0.0.1:{port}")


@pytest.mark.parametrize("base", ["http", "https"])  # forwarded, tunnelled
def test_an_untrusted_proxy_certificate_names_the_proxy_not_stripe(emulators, squid_none, base):
    """Without ca_bundle the test CA is unknown: the proxy's certificate fails first."""
    with pytest.raises(stripe_dbapi.APIConnectionError) as raised:
        one_query(base_url=emulators[base].base_url, max_retries=0,
                  proxy_url=squid_none.https_url, proxy_ssltype="ALWAYS")
    assert f"TLS with the proxy {squid_none.https_url} failed" in str(raised.value)
    assert "CERTIFICATE_VERIFY_FAILED" in str(raised.value)


@pytest.mark.parametrize("ssltype", ["NEVER", "TUNNEL"])
def test_plain_http_to_the_proxys_tls_port_names_the_proxy(emulator, squid_none, ssltype):
    proxy = squid_none.https_url.replace("https://", "http://")
    with pytest.raises(stripe_dbapi.APIConnectionError) as raised:
        one_query(base_url=emulator.base_url, max_retries=0, proxy_url=proxy,
                  proxy_ssltype=ssltype)
    assert f"the proxy {proxy}" in str(raised.value)


@pytest.mark.parametrize("ssltype", ["NEVER", "TUNNEL"])
def test_stripe_unreachable_behind_the_proxy_names_the_proxy_in_either_mode(squid_none, ssltype):
    """squid cannot reach the server: a forwarded request gets squid's 503 error page, a
    CONNECT its 503; neither is Stripe's answer (forwarded, it read 'Stripe answered')."""
    port = _closed_port()
    with pytest.raises(stripe_dbapi.APIConnectionError) as raised:
        one_query(base_url=f"http://127.0.0.1:{port}", max_retries=0,
                  proxy_url=squid_none.http_url, proxy_ssltype=ssltype)
    message = str(raised.value)
    assert message.startswith(f"could not reach Stripe at http://127.0.0.1:{port} for GET")
    assert f"the proxy {squid_none.http_url} answered" in message and "503" in message


def test_a_proxy_that_never_answers_connect_leaves_no_write_in_doubt(emulator):
    """A CONNECT that times out sent nothing to Stripe: the write was not applied (it was
    reported 'outcome unknown, may have been applied', as a timed-out request is)."""
    seen = len(emulator.requests)
    with _silent_server() as port, stripe_dbapi.connect(
        KEY, base_url=emulator.base_url, timeout=0.5, max_retries=0,
        proxy_url=f"http://127.0.0.1:{port}", proxy_ssltype="TUNNEL",
    ) as conn, pytest.raises(stripe_dbapi.APIConnectionError) as raised:
        conn.cursor().execute("INSERT INTO customers (email) VALUES ('never@example.com')")
    assert f"the proxy http://127.0.0.1:{port} failed to answer CONNECT" in str(raised.value)
    assert raised.value.unknown_outcome is None
    assert not getattr(raised.value, "unknown", None)
    assert len(emulator.requests) == seen


@contextlib.contextmanager
def _silent_server():
    """A local port that accepts connections and never answers (a hung proxy)."""
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def test_digest_reuses_its_nonce_and_takes_a_fresh_one_when_stale(emulator, squid_digest):
    """N requests: one challenge for the first, then one per NONCE_MAX_COUNT uses (squid
    answers stale=true), never one per request."""
    requests = 3 * squid_digest.nonce_max_count
    mark = squid_digest.mark()
    with stripe_dbapi.connect(KEY, base_url=emulator.base_url, proxy_url=squid_digest.http_url,
                              proxy_auth_scheme="DIGEST", proxy_user=squid_digest.user,
                              proxy_password=squid_digest.password, max_concurrency=1) as conn:
        cur = conn.cursor()
        for _ in range(requests):
            cur.execute("SELECT id FROM customers LIMIT 1")
            assert cur.fetchone()
        taken = conn.client._http._transport.proxy.auth.challenges_taken
    log = squid_digest.log_served(mark, requests)
    passed = [line for line in log if line.status == 200]
    denied = [line for line in log if line.status == 407]
    assert len(passed) == requests
    assert len(denied) == taken
    # The first challenge, then a stale nonce every NONCE_MAX_COUNT requests.
    assert taken == 1 + (requests - 1) // squid_digest.nonce_max_count


def test_digest_under_concurrent_requests(emulator, squid_digest):
    """Eight requests in flight share the nonce; overtaking ones make squid call it
    stale, which is taken in stride."""
    mark = squid_digest.mark()
    with stripe_dbapi.connect(KEY, base_url=emulator.base_url, proxy_url=squid_digest.http_url,
                              proxy_auth_scheme="DIGEST", proxy_user=squid_digest.user,
                              proxy_password=squid_digest.password, max_concurrency=8) as conn:
        cur = conn.cursor()
        cur.execute("SELECT id FROM customers LIMIT 40")
        ids = [row[0] for row in cur.fetchall()]
        marks = ", ".join("?" * len(ids))
        cur.execute(f"SELECT id, email FROM customers WHERE id IN ({marks})", ids)
        assert sorted(row[0] for row in cur.fetchall()) == sorted(ids)
    assert sum(line.status == 200 for line in squid_digest.log_served(mark, 2)) >= 2


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
