"""The proxy and TLS layer under the client: settings -> the httpx transport client.py sends on.

The connector spec's proxy settings (``proxy_enabled``, ``proxy_url``,
``proxy_auth_scheme`` BASIC / DIGEST / NONE, ``proxy_user``, ``proxy_password``,
``proxy_ssltype`` AUTO / ALWAYS / NEVER / TUNNEL) and the TLS ones (``verify``,
``ca_bundle``) are checked here, before any request, and turned into a transport:

- NEVER (AUTO with an http ``base_url``): requests are *forwarded* to the proxy in
  absolute form (``GET http://host/v1/...``), each with its ``Proxy-Authorization``.
- TUNNEL (AUTO with an https ``base_url``): each connection is a ``CONNECT host:port``
  through the proxy, authenticated once; TLS to Stripe (if https) runs inside it.
- ALWAYS: TLS to the proxy itself (``proxy_url`` is ``https://``), then forwarded
  (http ``base_url``) or tunnelled (https ``base_url``, TLS inside TLS).

httpx sends Basic proxy credentials but cannot answer a Digest challenge (RFC 7616) —
on a forwarded request it hands the 407 back, on a CONNECT httpcore raises before the
challenge can be read — so both are answered here, by one ``ProxyAuth``: forwarded
requests are retried by ``ProxyTransport.handle_request``, and CONNECTs are made by
``_ProxyNetwork`` (httpcore's network backend: the pool asks it for a connection to
Stripe's host and gets the tunnel, see ``_ProxyNetwork.connect_tcp``). A challenge's
nonce is reused for later requests (``nc`` counting up) until the proxy says stale.

The environment: without ``proxy_url`` (and ``proxy_enabled`` not given) httpx's own
rules apply, so ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``NO_PROXY`` are honoured as by any
Python program; with ``proxy_url`` the settings win and those variables are ignored;
``proxy_enabled=False`` means no proxy at all, the variables ignored too.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import ssl
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpcore
import httpx

from . import exceptions as exc
from .settings import server_url_problem

R = TypeVar("R")

# Set on a forwarded request's response that is the proxy's own answer, not Stripe's:
# the proxy (as ``Proxy.shown``) could not reach Stripe (502, 503, 504 without Stripe's
# JSON error: squid's error page). client.py then names the proxy, as for a failed CONNECT.
PROXY_ANSWER = "stripe_dbapi.proxy_answer"
_UPSTREAM_FAILED = frozenset({502, 503, 504})
# A request may meet this many 407s before giving up: the first challenge, and stale
# nonces (the proxy retired the one in use, or requests in flight overtook each other).
MAX_CHALLENGES = 5


# --- settings ------------------------------------------------------------------------------


def _problem(message: str) -> exc.InterfaceError:
    return exc.InterfaceError(f"invalid connect() option: {message}")


def tls_context(settings: Any) -> ssl.SSLContext | bool:
    """What verifies TLS peers (Stripe, an https proxy): True for httpx's default
    (certifi's CAs), else a context for ``ca_bundle`` or without verification."""
    if not settings.verify:
        return httpx.create_ssl_context(verify=False)
    if settings.ca_bundle is None:
        return True
    path = os.path.expanduser(settings.ca_bundle)
    if not os.path.exists(path):
        raise _problem(
            f"ca_bundle {settings.ca_bundle!r} does not exist (a PEM file or a directory of "
            "CA certificates)"
        )
    try:
        if os.path.isdir(path):
            return ssl.create_default_context(capath=path)
        return ssl.create_default_context(cafile=path)
    except (ssl.SSLError, OSError) as error:
        raise _problem(f"ca_bundle {settings.ca_bundle!r} holds no usable PEM certificates "
                       f"({error})") from None


def _ssl_context(settings: Any) -> ssl.SSLContext:
    context = tls_context(settings)
    return httpx.create_ssl_context() if context is True else context  # type: ignore[return-value]


@dataclass(frozen=True)
class Proxy:
    """One proxy, checked: where it is, how to reach it and how to authenticate."""

    scheme: str  # http, or https for TLS to the proxy (ALWAYS)
    host: str
    port: int
    tunnel: bool  # CONNECT (TUNNEL), or forward requests in absolute form (NEVER)
    auth: ProxyAuth

    @property
    def shown(self) -> str:
        """The proxy as messages name it: never a user or a password."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    def __repr__(self) -> str:
        mode = "tunnel" if self.tunnel else "forward"
        return f"<Proxy {self.shown} {mode} {self.auth.scheme}>"

    def authenticated(
        self, method: str, uri: str, send: Callable[[str | None], R | Challenged],
        events: Callable[[str], None] = lambda text: None,
    ) -> R:
        """``send(authorization)``'s answer, sending again as the proxy's 407s ask
        (``send`` returns ``Challenged`` for a 407); ``ProxyAuthenticationError`` once
        the credentials are refused. ``events`` hears of each challenge (the verbose
        log's level 5; challenges hold no secret, the answers are never told)."""
        challenges: list[str] = []
        for _ in range(MAX_CHALLENGES):
            authorization = self.auth.authorization(method, uri)
            answer = send(authorization)
            if not isinstance(answer, Challenged):
                return answer
            challenges = answer.challenges
            sent = "with" if authorization else "without"
            events(f"{self.shown} answered {method} ({sent} credentials) with 407: "
                   + " | ".join(challenges))
            if not self.auth.challenged(challenges, authorization):
                raise self.auth.refusal(self.shown, challenges)
        raise exc.ProxyAuthenticationError(
            f"the proxy {self.shown} answered {MAX_CHALLENGES} fresh challenges in a row to "
            f"one {method} request", http_status=407, proxy=self.shown,
        )


def proxy_from(settings: Any) -> Proxy | None:
    """The proxy the settings ask for (None: no proxy of ours); InterfaceError naming
    the setting and the allowed values for anything unusable."""
    named = [s for s in ("proxy_user", "proxy_password") if getattr(settings, s) is not None]
    if settings.proxy_enabled is False:
        if settings.proxy_url is not None:
            # Switched off, but still the proxy's address: a password written into it
            # would show in conn.settings, and a typo would surface only when switched on.
            _endpoint(settings.proxy_url)
        return None
    if settings.proxy_url is None:
        if settings.proxy_enabled:
            raise _problem("proxy_enabled is true but no proxy_url is given "
                           "(e.g. proxy_url='http://proxy.internal:3128')")
        if named or settings.proxy_auth_scheme != "NONE":
            given = named[0] if named else "proxy_auth_scheme"
            raise _problem(f"{given} is given but no proxy_url")
        return None
    scheme, host, port = _endpoint(settings.proxy_url)
    tunnel = _tunnels(settings.proxy_ssltype, scheme, settings.base_url)
    return Proxy(scheme, host, port, tunnel, _auth_from(settings, named))


def _endpoint(url: str) -> tuple[str, str, int]:
    problem = server_url_problem(
        "proxy_url", url, "http://proxy.internal:3128", "give them as proxy_user and "
        "proxy_password (in a named connection, proxy_password_env or _file)",
    )
    if problem is not None:
        raise _problem(problem)
    parsed = httpx.URL(url)
    shown = url  # no credentials in it (checked above)
    if parsed.path not in ("", "/") or parsed.query or parsed.fragment:
        # A proxy is an address, not a resource: a path would be dropped without a word
        # (requests are sent to the host and port), so whatever it meant is refused.
        raise _problem(
            f"proxy_url {shown!r} has a path, query or fragment: give only the scheme, host "
            f"and port (e.g. '{parsed.scheme}://{parsed.netloc.decode('ascii')}')"
        )
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    if not 0 < port < 65536:
        raise _problem(f"proxy_url {shown!r} has port {port}: a port is 1 to 65535")
    return parsed.scheme, parsed.host, port


def _tunnels(ssltype: str, scheme: str, base_url: str) -> bool:
    """Whether connections CONNECT through the proxy (else requests are forwarded)."""
    stripe_tls = httpx.URL(base_url).scheme == "https"
    if ssltype == "ALWAYS" and scheme != "https":
        raise _problem(
            "proxy_ssltype 'ALWAYS' speaks TLS to the proxy: proxy_url must be https://..."
        )
    if ssltype in ("NEVER", "TUNNEL") and scheme == "https":
        raise _problem(
            f"proxy_ssltype {ssltype!r} speaks to the proxy in clear, but proxy_url is "
            "https://: use proxy_ssltype 'ALWAYS' (or 'AUTO'), or an http:// proxy_url"
        )
    if ssltype == "NEVER" and stripe_tls:
        raise _problem(
            "proxy_ssltype 'NEVER' forwards requests to the proxy in clear, but base_url is "
            "https (the API key would cross to the proxy unencrypted): use 'AUTO' or 'TUNNEL'"
        )
    return ssltype == "TUNNEL" or (ssltype in ("AUTO", "ALWAYS") and stripe_tls)


def _auth_from(settings: Any, named: list[str]) -> ProxyAuth:
    scheme = settings.proxy_auth_scheme
    if scheme == "NONE":
        if named:
            raise _problem(f"{named[0]} is given but proxy_auth_scheme is 'NONE': "
                           "choose 'BASIC' or 'DIGEST'")
        return ProxyAuth()
    missing = [s for s in ("proxy_user", "proxy_password") if s not in named]
    if missing:
        raise _problem(f"proxy_auth_scheme {scheme!r} needs {' and '.join(missing)}")
    user, password = settings.proxy_user, settings.proxy_password
    if any(not (c.isascii() and c.isprintable()) for c in user):
        raise _problem("proxy_user must be printable ASCII")
    if scheme == "BASIC" and ":" in user:
        # RFC 7617: user:password, split at the first colon; the proxy would read another
        # user and refuse, with a 407 that says nothing of why.
        raise _problem(f"proxy_user {user!r} holds a ':', which BASIC authentication cannot "
                       "carry (the proxy reads the user up to the first colon)")
    return BasicAuth(user, password) if scheme == "BASIC" else DigestAuth(user, password)


# --- authentication ------------------------------------------------------------------------


@dataclass(frozen=True)
class Challenged:
    """A 407 answer: the proxy's ``Proxy-Authenticate`` challenges."""

    challenges: list[str]


class ProxyAuth:
    """No credentials (proxy_auth_scheme NONE): a 407 is refused at once."""

    scheme = "NONE"
    user: str | None = None

    def authorization(self, method: str, uri: str) -> str | None:
        """The ``Proxy-Authorization`` value for this request, if one is known yet."""
        return None

    def challenged(self, challenges: list[str], sent: str | None) -> bool:
        """Learn from a 407; whether sending again may succeed."""
        return False

    def refusal(self, shown: str, challenges: list[str]) -> exc.Error:
        offered = sorted({_scheme_of(c) for c in challenges if _scheme_of(c)})
        offers = f"; it offers {', '.join(offered)}" if offered else ""
        if self.user is None:
            message = (f"the proxy {shown} requires authentication{offers}: set "
                       "proxy_auth_scheme, proxy_user and proxy_password")
        elif offered and self.scheme.title() not in offered:
            message = (f"the proxy {shown} does not take {self.scheme} authentication"
                       f"{offers}: set proxy_auth_scheme accordingly")
        else:
            message = (f"the proxy {shown} refused the credentials of proxy_user "
                       f"{self.user!r} ({self.scheme}): check proxy_user and proxy_password")
        return exc.ProxyAuthenticationError(message, http_status=407, proxy=shown)


class BasicAuth(ProxyAuth):
    """RFC 7617: the credentials on every request (and CONNECT), unasked."""

    scheme = "BASIC"

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._header = f"Basic {token}"

    def __repr__(self) -> str:
        return f"<BasicAuth user={self.user!r}>"

    def authorization(self, method: str, uri: str) -> str | None:
        return self._header


_HASHES: dict[str, Callable[[bytes], Any]] = {
    "MD5": hashlib.md5,
    "SHA-256": hashlib.sha256,
    "SHA-512-256": lambda data: hashlib.new("sha512_256", data),
}


@dataclass(frozen=True)
class DigestChallenge:
    """The parameters of one ``Proxy-Authenticate: Digest ...`` challenge."""

    realm: str
    nonce: str
    algorithm: str | None = None  # as the proxy wrote it; None: MD5 (RFC 2069/2617)
    qop: str | None = None  # "auth" when offered; None: the proxy gave no qop
    opaque: str | None = None
    stale: bool = False
    userhash: bool = False

    @classmethod
    def parse(cls, challenge: str) -> DigestChallenge | None:
        """The challenge if it is Digest with what this client can answer, else None."""
        if _scheme_of(challenge) != "Digest":
            return None
        params = _params(challenge.split(None, 1)[1] if " " in challenge.strip() else "")
        algorithm = params.get("algorithm")
        offered_qops = [q.strip() for q in params.get("qop", "").split(",") if q.strip()]
        if "realm" not in params or "nonce" not in params:
            return None
        if (algorithm or "MD5").upper().removesuffix("-SESS") not in _HASHES:
            return None
        if offered_qops and "auth" not in offered_qops:
            return None  # auth-int only: it would hash every body
        return cls(
            realm=params["realm"], nonce=params["nonce"], algorithm=algorithm,
            qop="auth" if offered_qops else None, opaque=params.get("opaque"),
            stale=params.get("stale", "").lower() == "true",
            userhash=params.get("userhash", "").lower() == "true",
        )

    def answer(self, user: str, password: str, method: str, uri: str, nc: int,
               cnonce: str) -> str:
        """The ``Proxy-Authorization`` value answering this challenge (RFC 7616 3.4)."""
        algorithm = (self.algorithm or "MD5").upper()

        def h(text: str) -> str:
            return _HASHES[algorithm.removesuffix("-SESS")](text.encode()).hexdigest()

        ha1 = h(f"{user}:{self.realm}:{password}")
        if algorithm.endswith("-SESS"):
            ha1 = h(f"{ha1}:{self.nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        if self.qop:
            response = h(f"{ha1}:{self.nonce}:{nc:08x}:{cnonce}:{self.qop}:{ha2}")
        else:
            response = h(f"{ha1}:{self.nonce}:{ha2}")
        fields = [
            ("username", _quoted(h(f"{user}:{self.realm}") if self.userhash else user)),
            ("realm", _quoted(self.realm)),
            ("nonce", _quoted(self.nonce)),
            ("uri", _quoted(uri)),
            ("response", _quoted(response)),
        ]
        if self.algorithm:
            fields.append(("algorithm", self.algorithm))
        if self.opaque is not None:
            fields.append(("opaque", _quoted(self.opaque)))
        if self.qop:
            fields += [("qop", self.qop), ("nc", f"{nc:08x}"), ("cnonce", _quoted(cnonce))]
        if self.userhash:
            fields.append(("userhash", "true"))
        return "Digest " + ", ".join(f"{name}={value}" for name, value in fields)


class DigestAuth(ProxyAuth):
    """RFC 7616 Digest: MD5, SHA-256 (and -sess), qop=auth. Nothing is sent before the
    first challenge; its nonce then serves every later request (``nc`` counting up,
    a fresh ``cnonce`` each) until the proxy answers ``stale=true``."""

    scheme = "DIGEST"

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self._credentials = (user, password)
        self._lock = threading.Lock()
        self._challenge: DigestChallenge | None = None
        self._count = 0  # nc: requests sent with the current nonce
        self.challenges_taken = 0  # how many challenges were adopted (first + stale)

    def __repr__(self) -> str:
        return f"<DigestAuth user={self.user!r}>"

    def authorization(self, method: str, uri: str) -> str | None:
        with self._lock:
            challenge = self._challenge
            if challenge is None:
                return None
            self._count += 1
            count = self._count
        return challenge.answer(*self._credentials, method, uri, count, secrets.token_hex(16))

    def challenged(self, challenges: list[str], sent: str | None) -> bool:
        offered = [c for c in map(DigestChallenge.parse, challenges) if c is not None]
        if not offered:
            return False
        # Several: the strongest hash (RFC 7616 3.7: the client picks one it supports).
        challenge = max(offered, key=lambda c: (c.algorithm or "MD5").upper() != "MD5")
        with self._lock:
            current = self._challenge
            if sent is not None and current is not None and _nonce_in(sent) != current.nonce:
                return True  # another request adopted a newer nonce meanwhile: use that
            if sent is not None and not challenge.stale:
                return False  # the current nonce with these credentials: refused
            self._challenge, self._count = challenge, 0
            self.challenges_taken += 1
            return True


def _scheme_of(challenge: str) -> str:
    word = challenge.strip().split(None, 1)[0] if challenge.strip() else ""
    return word.title() if word.isalpha() else ""


_PARAM = re.compile(r'([A-Za-z][\w-]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)')


def _params(text: str) -> dict[str, str]:
    params = {}
    for name, value in _PARAM.findall(text):
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params[name.lower()] = value
    return params


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _nonce_in(authorization: str) -> str | None:
    return _params(authorization).get("nonce")


def _challenges(headers: Iterable[tuple[bytes, bytes]]) -> list[str]:
    """Each challenge of the ``Proxy-Authenticate`` headers (one header may hold several:
    ``Basic realm="x", Digest realm="x", nonce="..."``)."""
    values = [v.decode("latin-1") for k, v in headers if k.lower() == b"proxy-authenticate"]
    split = re.compile(r",\s*(?=[A-Za-z][\w-]*\s+[A-Za-z][\w-]*\s*=)")
    return [part.strip() for value in values for part in split.split(value) if part.strip()]


# --- the transport -------------------------------------------------------------------------


def transport_for(
    settings: Any, events: Callable[[str], None] = lambda text: None
) -> httpx.BaseTransport | None:
    """The transport client.py sends on: through the proxy, or straight with
    ``proxy_enabled=False`` (the environment's proxy variables ignored); None when
    httpx's own default (which honours them) serves. ``events`` hears of the proxy
    handshakes (407 challenges, CONNECTs)."""
    proxy = proxy_from(settings)
    if proxy is not None:
        return ProxyTransport(proxy, _ssl_context(settings), events)
    if settings.proxy_enabled is False:
        return httpx.HTTPTransport(verify=tls_context(settings))
    return None


class ProxyTransport(httpx.BaseTransport):
    """httpx's transport on a pool whose connections go through ``proxy``: httpcore's
    HTTPProxy pool when forwarding, a plain pool that gets tunnels from
    ``_ProxyNetwork`` when tunnelling. 407s to forwarded requests are answered here."""

    def __init__(self, proxy: Proxy, ssl_context: ssl.SSLContext,
                 events: Callable[[str], None] = lambda text: None) -> None:
        self.proxy = proxy
        self._events = events
        network = _ProxyNetwork(proxy, ssl_context, events)
        limits = httpx.Limits()
        pool_options = dict(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=network,
        )
        pool: httpcore.ConnectionPool
        if proxy.tunnel:
            pool = httpcore.ConnectionPool(**pool_options)  # type: ignore[arg-type]
        else:
            pool = httpcore.HTTPProxy(
                proxy_url=httpcore.URL(scheme=proxy.scheme.encode(), host=proxy.host.encode(),
                                       port=proxy.port, target=b"/"),
                proxy_ssl_context=ssl_context if proxy.scheme == "https" else None,
                **pool_options,  # type: ignore[arg-type]
            )
        # httpx.HTTPTransport does the httpx <-> httpcore translation and the mapping of
        # httpcore's errors; it takes no network backend, so its pool is replaced (the
        # attribute every httpx 0.2x release uses; tests/proxy runs every mode on it).
        self._http = httpx.HTTPTransport()
        self._http._pool.close()
        self._http._pool = pool

    def __repr__(self) -> str:
        return f"<ProxyTransport {self.proxy!r}>"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.proxy.tunnel:
            return self._http.handle_request(request)  # the CONNECT was authenticated

        def send(authorization: str | None) -> httpx.Response | Challenged:
            attempt = request
            if authorization is not None:
                headers = httpx.Headers(request.headers)
                headers["Proxy-Authorization"] = authorization
                attempt = httpx.Request(request.method, request.url, headers=headers,
                                        content=request.content, extensions=request.extensions)
            try:
                response = self._http.handle_request(attempt)
            except httpx.TransportError as error:
                # Forwarding, the proxy is the only peer: say so, or the error reads as
                # Stripe's (an http:// proxy_url on the proxy's TLS port: "illegal request
                # line"). Errors that name it already (cannot connect, TLS) are kept.
                if self.proxy.shown in str(error):
                    raise
                raise type(error)(f"through the proxy {self.proxy.shown}: {error}",
                                  request=request) from None
            if response.status_code != 407:
                if (response.status_code in _UPSTREAM_FAILED
                        and "json" not in response.headers.get("content-type", "")):
                    response.extensions[PROXY_ANSWER] = self.proxy.shown
                return response
            response.read()
            response.close()
            return Challenged(_challenges(response.headers.raw))

        # The request-target a forwarding proxy sees, which Digest's uri must repeat.
        return self.proxy.authenticated(request.method, str(request.url), send, self._events)

    def close(self) -> None:
        self._http.close()


class _ProxyNetwork(httpcore.NetworkBackend):
    """The network as httpcore's pool sees it. Forwarding, the pool connects to the
    proxy itself; tunnelling, it asks for Stripe's host and port and gets a CONNECT
    tunnel through the proxy (TLS to the proxy first for ALWAYS). Making the tunnel
    here, not in httpcore's TunnelHTTPConnection, lets a 407 be answered (httpcore
    raises on any non-2xx CONNECT) and works for an http base_url too (TUNNEL), with
    the pool's keep-alive and TLS to Stripe unchanged. A connection the proxy cannot
    be reached for is an httpcore.ConnectError naming the proxy."""

    def __init__(self, proxy: Proxy, ssl_context: ssl.SSLContext,
                 events: Callable[[str], None]) -> None:
        self._proxy = proxy
        self._ssl_context = ssl_context
        self._events = events
        self._network = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        options = dict(timeout=timeout, local_address=local_address,
                       socket_options=socket_options)
        if not self._proxy.tunnel:  # httpcore starts TLS on it for an https proxy
            return _ToProxy(self._reach_proxy(**options), self._proxy.shown)
        target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

        def send(authorization: str | None) -> httpcore.NetworkStream | Challenged:
            return self._connect(target, authorization, options)

        return self._proxy.authenticated("CONNECT", target, send, self._events)

    def _reach_proxy(self, **options: Any) -> httpcore.NetworkStream:
        try:
            return self._network.connect_tcp(self._proxy.host, self._proxy.port, **options)
        except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
            shown = self._proxy.shown
            raise type(error)(f"cannot connect to the proxy {shown} ({error})") from None

    def _connect(self, target: str, authorization: str | None,
                 options: dict[str, Any]) -> httpcore.NetworkStream | Challenged:
        """One CONNECT on a new connection to the proxy: the tunnel, or the 407's
        challenges (that connection closed: a fresh one carries the answer)."""
        stream = self._reach_proxy(**options)
        proxy = self._proxy
        if proxy.scheme == "https":
            stream = _tls_to_proxy(stream, proxy.shown, self._ssl_context, proxy.host,
                                   options["timeout"])
        origin = httpcore.Origin(proxy.scheme.encode(), proxy.host.encode(), proxy.port)
        connection = httpcore.HTTP11Connection(origin=origin, stream=stream)
        headers = [(b"Host", target.encode())]
        if authorization is not None:
            headers.append((b"Proxy-Authorization", authorization.encode()))
        timeout = options["timeout"]
        try:
            response = connection.handle_request(httpcore.Request(
                b"CONNECT",
                httpcore.URL(scheme=origin.scheme, host=origin.host, port=origin.port,
                             target=target.encode()),
                headers=headers,
                extensions={"timeout": {"connect": timeout, "read": timeout, "write": timeout}},
            ))
        except (httpcore.NetworkError, httpcore.TimeoutException,
                httpcore.ProtocolError) as error:
            # Still connecting: the request to Stripe was not sent, so a write's outcome
            # is known (not applied). Raised as errors of connecting (client.py's _NOT_SENT),
            # not as the read timeout they were, which says "may have been applied".
            failed = (httpcore.ConnectTimeout if isinstance(error, httpcore.TimeoutException)
                      else httpcore.ProxyError)
            raise failed(f"the proxy {proxy.shown} failed to answer CONNECT {target} "
                         f"({error})") from None
        if 200 <= response.status < 300:
            self._events(f"CONNECT {target} through {proxy.shown}: HTTP {response.status}, "
                         f"tunnel open")
            return response.extensions["network_stream"]
        response.read()
        connection.close()
        if response.status == 407:
            return Challenged(_challenges(response.headers))
        reason = response.extensions.get("reason_phrase", b"").decode("ascii", "replace")
        raise httpcore.ProxyError(
            f"the proxy {proxy.shown} answered CONNECT {target} with HTTP "
            f"{response.status} {reason}".rstrip()
        )

    def sleep(self, seconds: float) -> None:
        self._network.sleep(seconds)


def _tls_to_proxy(stream: httpcore.NetworkStream, shown: str, context: ssl.SSLContext,
                  host: str, timeout: float | None) -> httpcore.NetworkStream:
    """TLS with an https proxy; a failure names the proxy (its certificate, not Stripe's,
    is the one that did not verify)."""
    try:
        return stream.start_tls(context, server_hostname=host, timeout=timeout)
    except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
        raise type(error)(f"TLS with the proxy {shown} failed ({error})") from None


class _ToProxy(httpcore.NetworkStream):
    """A forwarding connection to the proxy, as httpcore's HTTPProxy uses it: the same
    stream, with TLS to an https proxy failing by its name (``_tls_to_proxy``)."""

    def __init__(self, stream: httpcore.NetworkStream, shown: str) -> None:
        self._stream = stream
        self._shown = shown

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _tls_to_proxy(self._stream, self._shown, ssl_context,
                             server_hostname or "", timeout)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)
