"""Digest (RFC 7616) as stripe_dbapi.proxy computes it: the RFC's own examples, and the
challenges proxies write."""

from __future__ import annotations

import pytest

import stripe_dbapi
from stripe_dbapi.proxy import (
    MAX_CHALLENGES,
    Challenged,
    DigestAuth,
    DigestChallenge,
    Proxy,
    _challenges,
    _params,
)

# RFC 7616 section 3.9.1: user Mufasa, password "Circle of Life", GET /dir/index.html.
RFC_CHALLENGE = (
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={algorithm}, '
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
    'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
)
RFC_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"


def rfc_answer(algorithm: str) -> dict[str, str]:
    challenge = DigestChallenge.parse(RFC_CHALLENGE.format(algorithm=algorithm))
    header = challenge.answer("Mufasa", "Circle of Life", "GET", "/dir/index.html", 1,
                              RFC_CNONCE)
    assert header.startswith("Digest ")
    return _params(header[len("Digest "):])


def test_rfc_7616_sha_256_example():
    answer = rfc_answer("SHA-256")
    assert answer["response"] == (
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
    )
    assert answer["qop"] == "auth" and answer["nc"] == "00000001"
    assert answer["opaque"] == "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
    assert answer["algorithm"] == "SHA-256" and answer["uri"] == "/dir/index.html"


def test_rfc_7616_md5_example():
    assert rfc_answer("MD5")["response"] == "8ca523f5e9506fed4657c9700eebdbec"


def test_squids_challenge_parses_and_auth_int_only_is_declined():
    squid = ('Digest realm="stripe-dbapi-tests", nonce="5378692f7b4ace08c93a441ab7a71677", '
             'qop="auth", stale=false')
    challenge = DigestChallenge.parse(squid)
    assert (challenge.realm, challenge.qop, challenge.stale, challenge.algorithm) == (
        "stripe-dbapi-tests", "auth", False, None)
    assert DigestChallenge.parse('Digest realm="r", nonce="n", qop="auth-int"') is None
    assert DigestChallenge.parse('Digest realm="r", nonce="n", algorithm=SHA-1') is None
    assert DigestChallenge.parse('Basic realm="r"') is None


def test_one_header_may_hold_several_challenges():
    headers = [(b"Proxy-Authenticate",
                b'Basic realm="a, b", Digest realm="r", nonce="n1", qop="auth"'),
               (b"proxy-authenticate", b'Digest realm="r", nonce="n2", stale=true')]
    assert _challenges(headers) == [
        'Basic realm="a, b"', 'Digest realm="r", nonce="n1", qop="auth"',
        'Digest realm="r", nonce="n2", stale=true',
    ]


def test_digest_counts_up_on_one_nonce_and_a_refusal_is_final_unless_stale():
    auth = DigestAuth("svc", "pw")
    assert auth.authorization("GET", "http://h/x") is None  # nothing before a challenge
    assert auth.challenged(['Digest realm="r", nonce="n1", qop="auth"'], None)
    first = _params(auth.authorization("GET", "http://h/x"))
    second = _params(auth.authorization("GET", "http://h/y"))
    assert (first["nonce"], first["nc"], second["nc"]) == ("n1", "00000001", "00000002")
    assert first["cnonce"] != second["cnonce"]
    sent = auth.authorization("GET", "http://h/z")
    # The same nonce refused again, not stale: the credentials are wrong.
    assert not auth.challenged(['Digest realm="r", nonce="n2", qop="auth"'], sent)
    # Stale: a fresh nonce, counting from 1 again.
    assert auth.challenged(['Digest realm="r", nonce="n3", qop="auth", stale=true'], sent)
    again = _params(auth.authorization("GET", "http://h/x"))
    assert (again["nonce"], again["nc"]) == ("n3", "00000001")
    # Sent with an older nonce than the one now held: try again with the newer one.
    assert auth.challenged(['Digest realm="r", nonce="n4", qop="auth"'], sent)
    assert _params(auth.authorization("GET", "http://h/x"))["nonce"] == "n3"
    assert auth.challenges_taken == 2


def test_a_proxy_that_only_ever_says_stale_is_given_up_on():
    proxy = Proxy("http", "proxy.internal", 3128, False, DigestAuth("svc", "pw-Secret-77"))
    sent = []

    def send(authorization):
        sent.append(authorization)
        return Challenged([f'Digest realm="r", nonce="n{len(sent)}", qop="auth", stale=true'])

    with pytest.raises(stripe_dbapi.ProxyAuthenticationError,
                       match="http://proxy.internal:3128 answered 5 fresh challenges in a row "
                             "to one GET request") as raised:
        proxy.authenticated("GET", "http://h/v1/customers", send)
    assert len(sent) == MAX_CHALLENGES and sent[0] is None
    assert "pw-Secret-77" not in str(raised.value)
