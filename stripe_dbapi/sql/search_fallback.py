"""Search that is not there: fall back to lists, and remember it for the connection.

Stripe's Search API is missing for some accounts (regions such as India answer
``400 The search feature is temporarily unavailable in your region``), a restricted
key may lack permission for it (403), and Stripe-compatible servers may not have it
at all (localstripe answers 404). A query that lists can answer must not fail for
that: every plan that uses Search carries the list plan for the same table
(``Fetch.fallback``, planned with ``use_search=False``, so its LIMIT and exactness
are the list's own), and when a Search call answers "not available":

- that table is read with the list plan instead, for this statement (fetch.py;
  a streaming read switches before its first row);
- the connection remembers it (``SearchAvailability``): later statements plan lists
  directly, without a wasted Search request, and EXPLAIN says Search is not
  available on this connection and why;
- a line is logged at INFO on the ``stripe_dbapi.search`` logger (DEBUG for each
  later statement that plans a list because of it).

A real error of the query itself (400 ``Invalid query: ...``) is not "not
available" and is raised as before.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable

from stripe_dbapi import exceptions as exc
from stripe_dbapi.context import StatementContext
from stripe_dbapi.sql.plan import Fetch
from stripe_dbapi.sql.slicing import plan_slicing

log = logging.getLogger("stripe_dbapi.search")

# Stripe's wording for accounts without Search ("The search feature is temporarily
# unavailable in your region.", "search feature unavailable for merchant") and the
# like: a message about Search that says it is not there.
_UNAVAILABLE_MESSAGE = re.compile(
    r"\bsearch\b.*\b(unavailable|not available|not supported|not enabled)\b",
    re.IGNORECASE | re.DOTALL,
)


def unavailable_reason(error: BaseException, path: str = "a Search endpoint") -> str | None:
    """Why ``error``, raised by a Search request, means "Search is not available here"
    (None when it is an error of the request itself, to be raised).

    - 404: the server has no such endpoint (a Search path names no object);
    - 403: the key may not use it (a restricted key without the permission);
    - 400 whose message says Search is unavailable (Stripe, for some regions).
    """
    if not isinstance(error, exc.Error) or error.http_status is None:
        return None
    status, message = error.http_status, (error.message or "").strip()
    if status in (403, 404) or (status == 400 and _UNAVAILABLE_MESSAGE.search(message)):
        return f"GET {path} answered HTTP {status}: {message or 'no message'}"
    return None


class SearchAvailability:
    """Per connection: None while Search works, else why it is not available."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reason: str | None = None

    def replacement(self, fetch: Fetch, error: BaseException) -> Fetch | None:
        """The list plan to run instead of ``fetch`` when ``error`` (from one of its Search
        calls) means Search is not available; None when ``error`` must be raised."""
        if fetch.fallback is None:
            return None
        reason = unavailable_reason(error, next(c.path for c in fetch.calls if c.kind == "search"))
        if reason is None:
            return None
        with self._lock:
            first = self.reason is None
            if first:
                self.reason = reason
        log.info(
            "Search is not available on this connection (%s): reading %s with lists and "
            "filtering locally%s", reason, fetch.table_name,
            "; later statements on this connection plan lists directly" if first else "",
        )
        return without_search(fetch, self.reason or reason)

    def planned(self, fetch: Fetch) -> Fetch:
        """``fetch`` as planned, or its list plan if this connection knows Search is not there."""
        reason = self.reason
        if reason is None or fetch.fallback is None:
            return fetch
        log.debug("planning a list for %s: Search is not available on this connection (%s)",
                  fetch.table_name, reason)
        return without_search(fetch, reason)


def without_search(fetch: Fetch, reason: str) -> Fetch:
    replacement = fetch.fallback
    assert replacement is not None
    replacement.search_unavailable = reason
    return replacement


def plan_table(conn: StatementContext, table, conjuncts: list, **options) -> Fetch:
    """``plan_fetch`` for a connection: Search only where the connection allows it, each
    Search plan with its list fallback, and lists at once where Search is known missing."""
    # Imported here: the connection holds a SearchAvailability, and connect() does not
    # load sqlglot until SQL is planned.
    from stripe_dbapi.sql.pushdown import plan_fetch, search_allowed

    fetch = plan_fetch(table, conjuncts, use_search=search_allowed(conn), **options)
    if fetch.uses_search:
        fetch.fallback = plan_fetch(table, conjuncts, use_search=False, **options)
        plan_slicing(table, fetch.fallback, scan_workers(conn))
    plan_slicing(table, fetch, scan_workers(conn))
    return conn.search_availability.planned(fetch)


def scan_workers(conn: StatementContext) -> int:
    """How many slices of one list read run at once: the connection's max_concurrency."""
    return conn.client.max_concurrency


def replace_for(conn: StatementContext) -> Callable[[Fetch, BaseException], Fetch | None]:
    """What fetch.py calls when a Search call fails: this connection's fallback to lists."""
    return conn.search_availability.replacement
