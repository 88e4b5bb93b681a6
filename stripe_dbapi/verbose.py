"""One connection's verbose log: ``verbosity`` 1-5 and ``logfile``.

Each level adds to the one below it:

1. statements: each statement's SQL (parameters counted, never shown: a bare CVC
   cannot be told from any other value), then its requests and time when done, and
   any error.
2. requests: each HTTP request line with its status and time, retries and their
   backoff, pacing waits, the plan of each statement (its EXPLAIN), open and close.
3. headers: request and response headers.
4. bodies: request form bodies and response bodies (the first ``BODY_LIMIT``
   characters of each).
5. TLS and proxy: the protocol, cipher and peer certificate (subject, issuer, expiry)
   of each new connection (the server's; the proxy's when forwarding through an https
   proxy), the proxy in use, and its handshake: each 407 challenge (never the answer)
   and each CONNECT tunnel opened (proxy.py tells them).

Nothing secret is written at any level: every line goes through
``redaction.scrub`` last (API keys, the proxy password, card numbers, CVCs,
credentials in URLs), after headers and form fields were redacted by name.

Where it goes: with ``logfile``, appended to that file (and nowhere else); without,
the records are emitted on the ``stripe_dbapi.connection`` logger (INFO for level 1,
WARNING for errors, DEBUG for the rest), which applications route like any other.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from .exceptions import InterfaceError
from .guard import as_pep249
from .redaction import mask_key, scrub, scrub_headers, scrub_pairs

STATEMENTS, REQUESTS, HEADERS, BODIES, TLS = 1, 2, 3, 4, 5
LOGGER_NAME = "stripe_dbapi.connection"
BODY_LIMIT = 4096  # characters of a response body written at level 4
LOGFILE_FORMAT = "%(asctime)s %(levelname)s %(message)s"

_numbers = itertools.count(1)


class ConnectionLog:
    """What one connection writes at its verbosity (0: nothing).

    Verbosity is the connection's, not the process's: every connection has its own
    ConnectionLog that decides what it writes before any record exists, so two
    connections at different levels log differently even through the one shared
    logger. (A logger per connection, ``stripe_dbapi.connection.<n>``, would do it
    with logging's levels, but logging keeps every logger it ever made: a pool that
    opens connections for days would grow without end.) Lines start with the
    connection's number (``#3``) to tell connections apart.
    """

    def __init__(
        self, level: int | None = None, logfile: str | None = None, secrets=()
    ) -> None:
        self.level = level or 0
        self.number = next(_numbers) if self.level else 0
        self._secrets = tuple(s for s in secrets if s)
        self._handler: logging.Handler | None = None
        self._logger = logging.getLogger(LOGGER_NAME)
        if logfile is not None:
            if not self.level:
                raise InterfaceError(
                    f"logfile={logfile!r} needs a verbosity: pass verbosity=1 to 5 as well"
                )
            self._handler = _file_handler(logfile)
        elif self.level and self._logger.level == logging.NOTSET:
            # Records must exist for the application's handlers to route them; a level
            # the application set on this logger is left alone.
            self._logger.setLevel(logging.DEBUG)
        self._seen_streams: weakref.WeakSet = weakref.WeakSet()

    def enabled(self, level: int) -> bool:
        return self.level >= level

    def write(self, level: int, text: str, severity: int | None = None) -> None:
        """Write ``text`` (scrubbed) if the connection's verbosity reaches ``level``."""
        if self.level < level:
            return
        if severity is None:
            severity = logging.INFO if level <= STATEMENTS else logging.DEBUG
        message = f"#{self.number} {scrub(text, self._secrets)}"
        if self._handler is not None:
            record = logging.LogRecord(LOGGER_NAME, severity, __file__, 0, message, None, None)
            self._handler.handle(record)
        elif self._logger.isEnabledFor(severity):
            self._logger.log(severity, "%s", message)

    def close(self) -> None:
        self.write(REQUESTS, "connection closed")
        self.level = 0  # a result closed later writes nothing (not to the logger instead)
        if self._handler is not None:
            self._handler.close()
            self._handler = None

    # --- the connection and its statements (levels 1-2) -------------------------------

    def opened(self, settings: Any) -> None:
        if not self.level:
            return
        self.write(
            REQUESTS,
            f"connection opened: {settings.base_url} key={mask_key(settings.api_key)} "
            f"account={settings.account_id or '-'} verbosity={self.level}",
        )
        if settings.proxy_url and settings.proxy_enabled is not False:
            self.write(
                TLS,
                f"proxy: {settings.proxy_url} ssltype {settings.proxy_ssltype} "
                f"auth {settings.proxy_auth_scheme} user {settings.proxy_user or '-'}",
            )

    @contextmanager
    def statement(
        self, sql: str, parameter_count: int, client: Any, plan: Callable[[], list[str]]
    ) -> Iterator[_StatementWatch]:
        """Around one execute(): the SQL and plan before, the error if it fails; the
        summary comes from the watch's ``follow`` (a streamed SELECT ends later)."""
        watch = _StatementWatch(self, client)
        if self.level:
            counted = _counted(parameter_count, "parameter")
            shown = f" ({counted}, not shown)" if parameter_count else ""
            self.write(STATEMENTS, f"statement: {' '.join(sql.split())}{shown}")
            if self.enabled(REQUESTS):
                for line in plan():
                    self.write(REQUESTS, f"plan: {line}")
        try:
            yield watch
        except BaseException as error:
            watch.failed(error)
            raise

    # --- HTTP (levels 2-5), called by the client --------------------------------------

    def paced(self, method: str, path: str, seconds: float) -> None:
        if seconds > 0:
            self.write(REQUESTS, f"paced: waited {seconds * 1000:.1f} ms before {method} {path}")

    def sending(self, request: Any, attempt: int) -> None:
        if self.level < HEADERS:
            return
        again = f" (retry {attempt})" if attempt else ""
        line = f"> {request.method} {request.url.path}{again}"
        self.write(HEADERS, f"{line} headers: {_headers(request.headers)}")
        if self.enabled(BODIES) and request.content:
            pairs = parse_qsl(request.content.decode("utf-8", "replace"), keep_blank_values=True)
            body = "&".join(f"{k}={v}" for k, v in scrub_pairs(pairs))
            self.write(BODIES, f"{line} body: {body}")

    def received(self, request: Any, response: Any, seconds: float) -> None:
        if self.level < REQUESTS:
            return
        severity = logging.WARNING if response.status_code >= 400 else None
        self.write(
            REQUESTS,
            f"{request.method} {_url(request.url)} -> {response.status_code} "
            f"in {seconds * 1000:.1f} ms",
            severity,
        )
        if self.level < HEADERS:
            return
        if self.enabled(TLS):
            self._tls(response)
        line = f"< {response.status_code} {request.method} {request.url.path}"
        self.write(HEADERS, f"{line} headers: {_headers(response.headers)}")
        if self.enabled(BODIES):
            text = response.text
            more = (
                f" ... ({len(text) - BODY_LIMIT} more characters)" if len(text) > BODY_LIMIT else ""
            )
            self.write(BODIES, f"{line} body: {text[:BODY_LIMIT]}{more}")

    def unreachable(self, request: Any, error: BaseException, seconds: float) -> None:
        self.write(
            REQUESTS,
            f"{request.method} {_url(request.url)} -> {type(error).__name__}: {error} "
            f"after {seconds * 1000:.1f} ms",
            logging.WARNING,
        )

    def retrying(self, method: str, path: str, reason: str, delay: float, attempt: int) -> None:
        self.write(
            REQUESTS,
            f"retry {attempt + 1} of {method} {path} after {reason}: backing off {delay:.2f} s",
        )

    def proxy_event(self, text: str) -> None:
        """A step of the proxy handshake (a 407 challenge, a CONNECT tunnel opened):
        proxy.py tells it (``transport_for(settings, events=...)``)."""
        self.write(TLS, f"proxy: {text}")

    def _tls(self, response: Any) -> None:
        stream = response.extensions.get("network_stream")
        if stream is None or stream in self._seen_streams:
            return
        self._seen_streams.add(stream)
        ssl_object = stream.get_extra_info("ssl_object")
        if ssl_object is None:
            self.write(TLS, f"tls: none (plain {response.http_version} to {response.url.host})")
            return
        cipher = ssl_object.cipher()
        self.write(
            TLS,
            f"tls: {ssl_object.version()} cipher {cipher[0] if cipher else '?'} "
            f"for {response.url.host}; " + describe_certificate(ssl_object.getpeercert()),
        )


QUIET = ConnectionLog()  # verbosity unset: writes nothing


def for_settings(settings: Any) -> ConnectionLog:
    """The log a connection with these settings writes (QUIET without verbosity)."""
    if settings.verbosity is None and settings.logfile is None:
        return QUIET
    secrets = (settings.api_key, settings.proxy_password)
    log = ConnectionLog(settings.verbosity, settings.logfile, secrets)
    log.opened(settings)
    return log


def describe_certificate(certificate: dict | None) -> str:
    """``subject CN=..., issuer CN=..., expires ...`` from ``SSLSocket.getpeercert()``."""
    if not certificate:
        return "peer certificate: not verified (none shown)"

    def name(field: str) -> str:
        parts = [f"{k}={v}" for rdn in certificate.get(field, ()) for k, v in rdn]
        return ", ".join(parts) or "?"

    return (
        f"peer certificate subject {name('subject')}; issuer {name('issuer')}; "
        f"expires {certificate.get('notAfter', '?')}"
    )


class _StatementWatch:
    """The summary of one statement: requests the connection sent and time taken,
    written when the statement is done (a streamed result: when its rows end)."""

    def __init__(self, log: ConnectionLog, client: Any) -> None:
        self._log = log
        self._client = client
        self._started = time.perf_counter()
        self._requests_before = client.request_count if log.level else 0
        self._failed_logged = False

    def follow(self, result: Any) -> Any:
        """``result``, its rows followed if they stream (to log their end)."""
        if not self._log.level:
            return result
        if result.streaming:
            result.rows = self._streamed(result.rows)
        elif result.description is not None:
            self._done(_counted(result.rowcount, "row"))
        else:
            self._done(f"rowcount {result.rowcount}")
        return result

    def failed(self, error: BaseException) -> None:
        self._failed_logged = True
        if self._log.level:
            shown = as_pep249(error) if isinstance(error, Exception) else error
            self._log.write(
                STATEMENTS,
                f"failed after {self._summary()}: {type(shown).__name__}: {shown}",
                logging.WARNING,
            )

    def _streamed(self, rows: Iterator[tuple]) -> Iterator[tuple]:
        count, finished = 0, False
        try:
            for row in rows:
                count += 1
                yield row
            finished = True
        except Exception as error:
            self.failed(error)
            raise
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()
            if not self._failed_logged:
                read = _counted(count, "row")
                self._done(read if finished else f"closed after {read}")

    def _done(self, what: str) -> None:
        self._log.write(STATEMENTS, f"done: {what}, {self._summary()}")

    def _summary(self) -> str:
        requests = self._client.request_count - self._requests_before
        seconds = time.perf_counter() - self._started
        return f"{_counted(requests, 'request')} in {seconds:.3f} s"


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _url(url: Any) -> str:
    """The URL as the log shows it: its query decoded, as the SQL that made it reads, so
    that scrubbing sees a value whole (in ``query=amount%3A4242424242424242`` the card
    number hides behind the colon's ``%3A``; ``4242+4242+...`` behind the spaces')."""
    return unquote_plus(str(url))


def _headers(headers: Any) -> str:
    return "; ".join(f"{k}: {v}" for k, v in scrub_headers(headers.multi_items()))


def _file_handler(path: str) -> logging.Handler:
    try:
        handler = logging.FileHandler(os.path.expanduser(path), encoding="utf-8")
    except OSError as error:
        raise InterfaceError(
            f"logfile {path!r} cannot be opened for writing: {error.strerror or error}"
        ) from None
    handler.setFormatter(logging.Formatter(LOGFILE_FORMAT))
    return handler
