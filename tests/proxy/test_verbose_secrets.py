"""No secret in anything the verbose log produces, at level 5, with failures, retries and
writes of card data, straight and through a real squid (tests/proxy/conftest.py) with a
proxy password: the log file, every log record of the process (the driver's, httpx's
and httpcore's, at DEBUG), stdout/stderr and the errors raised are searched for the API
key, the proxy password (and its Basic encoding), the card number and the CVC."""

from __future__ import annotations

import base64
import json
import logging
import re

import pytest

import stripe_dbapi

KEY = "sk_test_Zq8verbosesecretkeyAbCdEf91"  # long enough that mask_key keeps the last 4
NUMBER = "4242424242424242"
CVC = "7319"  # searched for next to its name: a bare 4-digit run turns up in any uuid
CARD = json.dumps({"number": NUMBER, "exp_month": 12, "exp_year": 2031, "cvc": CVC})


def workload(conn, emu) -> list[BaseException]:
    """Reads, a retried read, writes of cards (literal, parameter, executemany, a raw
    token request), a write that fails for good, a dropped connection, a bad statement."""
    raised: list[BaseException] = []
    cursor = conn.cursor()
    emu.faults.fail_next("/v1/customers*", 500, method="GET")
    cursor.execute("SELECT id, email FROM customers LIMIT 5").fetchall()
    cursor.execute("INSERT INTO customers (email) VALUES (?)", ["secret-test@example.com"])
    customer = cursor.lastrowid
    cursor.execute(f"INSERT INTO payment_methods (type, card) VALUES ('card', '{CARD}')")
    cursor.execute("INSERT INTO payment_methods (type, card) VALUES ('card', ?)", [CARD])
    cursor.executemany("INSERT INTO payment_methods (type, card) VALUES ('card', ?)",
                       [[CARD], [CARD]])
    method = cursor.lastrowid
    cursor.callproc("AttachPaymentMethodToCustomer", [method, customer])
    try:  # Stripe's tokens: not a table; the raw request goes through the same client
        conn.client.post("/v1/tokens", {"card": json.loads(CARD)})
    except stripe_dbapi.Error as error:
        raised.append(error)
    emu.faults.fail_next("/v1/payment_methods", 500, count=3, method="POST")
    with pytest.raises(stripe_dbapi.Error) as failed_write:
        cursor.execute(f"INSERT INTO payment_methods (type, card) VALUES ('card', '{CARD}')")
    raised.append(failed_write.value)
    emu.faults.fail_next("/v1/payment_methods", drop_after_processing=True, method="POST")
    cursor.execute("INSERT INTO payment_methods (type, card) VALUES ('card', ?)", [CARD])
    with pytest.raises(stripe_dbapi.Error) as bad:
        cursor.execute(f"INSERT INTO payment_methods (type, card, cvc) VALUES ('card', "
                       f"'{CARD}', '{CVC}')")
    raised.append(bad.value)
    return raised


# name -> (emulator: http or https, squid fixture or None, proxy port, proxy_ssltype)
ROUTES = {
    "direct": ("http", None, None, None),
    "digest-tunnel-https": ("https", "squid_digest", "http", "AUTO"),
    "basic-forward-http": ("http", "squid_basic", "http", "NEVER"),
    "basic-to-https-proxy": ("http", "squid_basic", "https", "ALWAYS"),
}


@pytest.mark.parametrize("route", list(ROUTES))
def test_level_5_writes_no_key_proxy_password_card_number_or_cvc_anywhere(
    route, request, ca_bundle, tmp_path, caplog, capfd
):
    scheme, squid_fixture, proxy_port, ssltype = ROUTES[route]
    emu = request.getfixturevalue("tls_emulator" if scheme == "https" else "fresh_emulator")
    options = {"base_url": emu.base_url, "ca_bundle": ca_bundle, "max_retries": 2,
               "verbosity": 5}
    secrets = [KEY, NUMBER]
    if squid_fixture:
        squid = request.getfixturevalue(squid_fixture)
        options.update(proxy_url=squid.https_url if proxy_port == "https" else squid.http_url,
                       proxy_ssltype=ssltype, proxy_auth_scheme=squid.auth,
                       proxy_user=squid.user, proxy_password=squid.password)
        basic = base64.b64encode(f"{squid.user}:{squid.password}".encode()).decode()
        secrets += [squid.password, basic]
    caplog.set_level(logging.DEBUG)  # every logger of the process, httpx and httpcore too
    logfile = tmp_path / "verbose.log"
    raised = []
    with stripe_dbapi.connect(KEY, logfile=str(logfile), **options) as to_file:
        raised += workload(to_file, emu)
    with stripe_dbapi.connect(KEY, **options) as to_logger:
        raised += workload(to_logger, emu)
    out, err = capfd.readouterr()
    produced = {
        "logfile": logfile.read_text(),
        "log records": "\n".join(
            f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
        ),
        "stdout": out,
        "stderr": err,
        "errors": "\n".join(f"{e} {e!r}" for e in raised),
    }
    # The run did what the test claims: level-5 content, bodies, retries, failures.
    assert "tls: " in produced["logfile"] and "retry 2 of POST" in produced["logfile"]
    assert "card[cvc]=[redacted]" in produced["log records"]
    # the dropped connection: seen by the driver, or by a forwarding squid (its 502)
    assert re.search(r"RemoteProtocolError|POST \S+ -> 502 in", produced["logfile"])
    if squid_fixture:
        assert f"proxy: {options['proxy_url']} ssltype {ssltype}" in produced["logfile"]
        if route == "digest-tunnel-https":
            assert "answered CONNECT (without credentials) with 407: Digest" in produced["logfile"]
            assert "tunnel open" in produced["logfile"]
    for where, text in produced.items():
        for secret in secrets:
            assert secret not in text, (where, secrets.index(secret))
        assert KEY[: len("sk_test_") + 1] not in text, where  # not even one secret character
        assert not re.search(rf"cvc\W{{0,12}}{CVC}", text, re.IGNORECASE), where
