"""stripe_dbapi/redaction.py: what the verbose log hides, and what it leaves readable."""

from __future__ import annotations

import pytest

from stripe_dbapi.redaction import is_secret_field, scrub, scrub_headers, scrub_pairs

KEY = "sk_test_51Habcdefghijklmnopqrstuv"


@pytest.mark.parametrize(
    "text, shown",
    [
        (f"key {KEY}", "key sk_test_****stuv"),
        ("rk_live_abcdefghijklmnopqrstuvwx1234", "rk_live_****1234"),
        ("""'{"number": "4242424242424242", "cvc": "123"}'""",
         """'{"number": "[redacted]", "cvc": "[redacted]"}'"""),
        ("4242 4242 4242 4242 and 4000-0566-5566-5556", "[redacted] and [redacted]"),
        ("card[cvc]=314&card[exp_month]=12", "card[cvc]=[redacted]&card[exp_month]=12"),
        ("card%5Bcvc%5D=314&x=1", "card%5Bcvc%5D=[redacted]&x=1"),
        ("SET cvc = '999', password='hunter2'", "SET cvc = '[redacted]', password='[redacted]'"),
        ('"client_secret": "pi_1_secret_2"', '"client_secret": "[redacted]"'),
        ("http://svc:pa55@proxy.internal:3128", "http://svc:[redacted]@proxy.internal:3128"),
        # left readable: checks, expiry, invoice numbers, timestamps, amounts, ids
        ('"cvc_check": "pass", "exp_year": 2031', '"cvc_check": "pass", "exp_year": 2031'),
        ('"number": "INV-0042" created 1700000000 amount 2000 cus_NffrFeUfNV2Hib',
         '"number": "INV-0042" created 1700000000 amount 2000 cus_NffrFeUfNV2Hib'),
    ],
)
def test_scrub(text, shown):
    assert scrub(text) == shown


def test_scrub_hides_given_secrets_wherever_they_are():
    assert scrub("user svc pass Tr0ub4dor&3 end", ["Tr0ub4dor&3", None]) == (
        "user svc pass [redacted] end"
    )
    assert scrub("custom-key-without-prefix", ["custom-key-without-prefix"]) == "[redacted]"


def test_headers_are_redacted_by_name():
    assert scrub_headers([
        ("Authorization", f"Bearer {KEY}"),
        ("Proxy-Authorization", 'Digest username="svc", response="abc"'),
        ("proxy-authorization", "Basic c3ZjOnBhc3M="),
        ("Cookie", "session=1"),
        ("Set-Cookie", "a=b"),
        ("Stripe-Version", "2026-10-28.endive"),
    ]) == [
        ("Authorization", "Bearer sk_test_****stuv"),
        ("Proxy-Authorization", "Digest [redacted]"),
        ("proxy-authorization", "Basic [redacted]"),
        ("Cookie", "[redacted]"),
        ("Set-Cookie", "[redacted]"),
        ("Stripe-Version", "2026-10-28.endive"),
    ]


def test_form_fields_are_redacted_by_name():
    assert scrub_pairs([
        ("card[number]", "4242424242424242"), ("card[cvc]", "123"),
        ("payment_method_data[card][number]", "4242"), ("invoice[number]", "INV-1"),
        ("bank_account[account_number]", "000123456789"), ("card[exp_month]", "12"),
    ]) == [
        ("card[number]", "[redacted]"), ("card[cvc]", "[redacted]"),
        ("payment_method_data[card][number]", "[redacted]"), ("invoice[number]", "INV-1"),
        ("bank_account[account_number]", "[redacted]"), ("card[exp_month]", "12"),
    ]
    assert is_secret_field("individual[id_number]") and not is_secret_field("number")
