"""Level 5 of the verbose log (stripe_dbapi/verbose.py): the TLS of the connection to an
HTTPS emulator (a trustme certificate) and a Digest CONNECT handshake through a real squid
(tests/proxy/conftest.py; test_verbose_through_squid.py has forwarded Digest and Basic
CONNECT); level 4 writes neither."""

from __future__ import annotations

import re

import pytest

import stripe_dbapi

KEY = "sk_test_verbose_tls"


def log_of(tmp_path, level: int, **options) -> str:
    logfile = tmp_path / f"level{level}.log"
    with stripe_dbapi.connect(KEY, verbosity=level, logfile=str(logfile), max_retries=0,
                              **options) as conn:
        conn.execute("SELECT id FROM customers LIMIT 1").fetchall()
        conn.execute("SELECT id FROM products LIMIT 1").fetchall()
    return logfile.read_text()


@pytest.mark.parametrize("level", [4, 5])
def test_level_5_shows_the_servers_tls_and_certificate(tls_emulator, ca_bundle, tmp_path, level):
    text = log_of(tmp_path, level, base_url=tls_emulator.base_url, ca_bundle=ca_bundle)
    tls = [line for line in text.splitlines() if " tls: " in line]
    if level == 4:
        assert tls == [] and " body: " in text
        return
    # one line per new connection (keep-alive: the second statement reuses it)
    assert len(tls) == 1, tls
    assert re.search(r"tls: TLSv1\.[23] cipher \S+ for 127\.0\.0\.1; peer certificate subject "
                     r"organizationName=trustme[^;]*Testing cert[^;]*; issuer "
                     r"organizationName=trustme[^;]*Testing CA[^;]*; expires \w+ +\d+ ", tls[0])


@pytest.mark.parametrize("level", [4, 5])
def test_level_5_shows_the_digest_handshake_of_a_connect(squid_digest, tls_emulator, ca_bundle,
                                                        tmp_path, level):
    squid = squid_digest
    text = log_of(tmp_path, level, base_url=tls_emulator.base_url, ca_bundle=ca_bundle,
                  proxy_url=squid.http_url, proxy_auth_scheme="DIGEST",
                  proxy_user=squid.user, proxy_password=squid.password)
    proxy_lines = [line.split(" proxy: ", 1)[1] for line in text.splitlines()
                   if " proxy: " in line]
    if level == 4:
        assert proxy_lines == []
        return
    target = tls_emulator.base_url.split("://")[1]
    assert proxy_lines[0] == f"{squid.http_url} ssltype AUTO auth DIGEST user {squid.user}"
    assert proxy_lines[1].startswith(
        f"{squid.http_url} answered CONNECT (without credentials) with 407: Digest realm="
    )
    assert 'nonce="' in proxy_lines[1]
    assert proxy_lines[2] == f"CONNECT {target} through {squid.http_url}: HTTP 200, tunnel open"
    assert squid.password not in text
