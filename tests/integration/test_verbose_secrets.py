"""No secret in anything the verbose log produces, at level 5, with failures, retries and
writes of card data: the log file, every log record of the process (the driver's, httpx's
and httpcore's, at DEBUG), stdout/stderr and the errors raised are searched for the API
key, the card number and the CVC."""

from __future__ import annotations

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


def test_level_5_writes_no_key_card_number_or_cvc_anywhere(fresh_emulator, tmp_path, caplog,
                                                           capfd):
    caplog.set_level(logging.DEBUG)  # every logger of the process, httpx and httpcore too
    logfile = tmp_path / "verbose.log"
    raised = []
    with stripe_dbapi.connect(KEY, base_url=fresh_emulator.base_url, verbosity=5,
                              logfile=str(logfile), max_retries=2) as to_file:
        raised += workload(to_file, fresh_emulator)
    with stripe_dbapi.connect(KEY, base_url=fresh_emulator.base_url, verbosity=5,
                              max_retries=2) as to_logger:
        raised += workload(to_logger, fresh_emulator)
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
    assert "tls: none" in produced["logfile"] and "retry 2 of POST" in produced["logfile"]
    assert "card[cvc]=[redacted]" in produced["log records"]
    assert "RemoteProtocolError" in produced["logfile"]
    for where, text in produced.items():
        assert KEY not in text, where
        assert KEY[: len("sk_test_") + 1] not in text, where  # not even one secret character
        assert NUMBER not in text, where
        assert not re.search(rf"cvc\W{{0,12}}{CVC}", text, re.IGNORECASE), where
