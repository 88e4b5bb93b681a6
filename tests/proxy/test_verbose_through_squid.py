"""Verbosity 5 through a real squid: the proxy handshakes (407 challenges, CONNECT
tunnels) are in the log, and no secret is anywhere — not the API key, the proxy
password (nor Basic's base64 of it), a card number — in the log file, the process's log
records (httpx's and httpcore's at DEBUG too), stdout/stderr or the errors raised."""

from __future__ import annotations

import base64
import json
import logging

import pytest

import stripe_dbapi

KEY = "sk_test_Zq8proxyverbosesecretAbCdEf91"
NUMBER = "4242424242424242"
CARD = json.dumps({"number": NUMBER, "exp_month": 12, "exp_year": 2031, "cvc": "7319"})


def workload(options: dict, wrong_password: str) -> list[BaseException]:
    """Reads, writes of a card, a failed write, then the same with a wrong password."""
    raised: list[BaseException] = []
    with stripe_dbapi.connect(KEY, **options) as conn:
        cur = conn.cursor()
        cur.execute("SELECT id, email FROM customers LIMIT 3").fetchall()
        cur.execute("INSERT INTO payment_methods (type, card) VALUES ('card', ?)", [CARD])
        with pytest.raises(stripe_dbapi.Error) as bad:
            cur.execute("INSERT INTO payment_methods (type, card) VALUES ('nope', ?)", [CARD])
        raised.append(bad.value)
    with pytest.raises(stripe_dbapi.ProxyAuthenticationError) as refused, \
            stripe_dbapi.connect(KEY, **{**options, "proxy_password": wrong_password}) as conn:
        conn.cursor().execute("SELECT id FROM customers LIMIT 1")
    raised.append(refused.value)
    return raised


@pytest.mark.parametrize("auth, base", [("DIGEST", "http"), ("BASIC", "https")])
def test_level_5_through_squid_shows_the_handshakes_and_no_secret(
    request, auth, base, emulator, tls_emulator, ca_bundle, tmp_path, caplog, capfd
):
    squid = request.getfixturevalue(f"squid_{auth.lower()}")
    caplog.set_level(logging.DEBUG)
    logfile = tmp_path / "verbose.log"
    target = emulator if base == "http" else tls_emulator
    options = dict(base_url=target.base_url, ca_bundle=ca_bundle, verbosity=5,
                   logfile=str(logfile), proxy_url=squid.http_url, proxy_auth_scheme=auth,
                   proxy_user=squid.user, proxy_password=squid.password, max_retries=0)
    wrong = "wrong-proxy-Pw-93"
    raised = workload(options, wrong)
    raised += workload({**options, "logfile": None}, wrong)  # to the logger
    out, err = capfd.readouterr()
    produced = {
        "logfile": logfile.read_text(),
        "log records": "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}"
                                 for r in caplog.records),
        "stdout": out, "stderr": err,
        "errors": "\n".join(f"{e} {e!r}" for e in raised),
    }
    log = produced["logfile"]
    # The run did what the test claims: the proxy's handshakes at level 5, and a refusal.
    if auth == "DIGEST":
        assert f"proxy: {squid.http_url} answered GET (without credentials) with 407: Digest" in log
    else:
        assert f"through {squid.http_url}: HTTP 200, tunnel open" in log
        assert "tls: TLSv1.3" in log
        assert "answered CONNECT (with credentials) with 407: Basic" in log
    assert f"the proxy {squid.http_url} refused the credentials" in produced["errors"]
    secrets = {
        "API key": KEY,
        "proxy password": squid.password,
        "wrong proxy password": wrong,
        "Basic credentials": base64.b64encode(f"{squid.user}:{squid.password}".encode()).decode(),
        "card number": NUMBER,
    }
    for where, text in produced.items():
        for what, secret in secrets.items():
            assert secret not in text, f"{what} in {where}"
