"""Running one Stripe call per row: bounded concurrency, all-or-report.

Stripe has no transactions, so a multi-row write that fails part-way cannot be
rolled back. What the driver can do is stop starting new calls at the first
failure and say exactly which rows were written and which were not
(``PartialWriteError.done`` / ``.not_done``), so nothing is lost silently.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from ..exceptions import DatabaseError, OperationalError, PartialWriteError

T = TypeVar("T")


def check_writable(conn, what: str) -> None:
    """Refuse a write or action on a read-only connection, before any request.

    OperationalError, as sqlite3 does for "attempt to write a readonly database":
    the statement is valid, the connection may not run it.
    """
    if getattr(conn, "readonly", False):
        raise OperationalError(f"{what} refused: the connection was opened with readonly=True")


def run_per_row(
    conn,
    items: Sequence[T],
    call: Callable[[T], dict | None],
    label: Callable[[T], str],
    verb: str,
) -> list[dict | None]:
    """``call`` each item concurrently (bounded by the client); results in order.

    ``label(item)`` names a row in error reports (its id, or "row 2" for inserts).
    """
    items = list(items)
    # item index -> id written (None: the object was not there, no row affected)
    finished: dict[int, str | None] = {}
    failed: list[str] = []
    lock = threading.Lock()

    def tracked(indexed: tuple[int, T]) -> dict | None:
        index, item = indexed
        try:
            result = call(item)
        except Exception:
            with lock:
                failed.append(label(item))
            raise
        with lock:
            finished[index] = (
                (result.get("id") or label(item)) if isinstance(result, dict) else None
            )
        return result

    try:
        return conn.client.map_concurrently(tracked, list(enumerate(items)))
    except DatabaseError as error:
        done = [finished[i] for i in sorted(finished) if finished[i] is not None]
        not_done = [label(item) for i, item in enumerate(items) if i not in finished]
        if not done:
            # Nothing was written: Stripe's own error (CardError, RateLimitError...),
            # so one row and many are caught alike; the lists are added to it.
            annotate_progress(error, [], not_done, failed)
            raise
        progress = f"{len(done)} of {len(items)} rows"
        raise partial_write_error(error, verb, progress, done, not_done, failed) from error


def annotate_progress(error: Exception, done: list, not_done: list, failed: list) -> None:
    error.done, error.not_done, error.failed = list(done), list(not_done), list(failed)


def partial_write_error(
    error: Exception, verb: str, progress: str, done: list, not_done: list, failed: list
) -> PartialWriteError:
    """The error of a multi-row write that wrote ``done`` and stopped at ``error``
    (``progress``: "2 of 5 rows")."""
    # After a network error or a 5xx, Stripe may have applied the failed call anyway.
    message = (
        f"{verb} stopped after {progress}: {error}. "
        f"Done: {', '.join(done) or 'none'}. Not done: {', '.join(not_done)} "
        f"(failed: {', '.join(failed)}; the rest were not attempted)"
    )
    return PartialWriteError(
        message,
        done=done,
        not_done=not_done,
        failed=list(failed),
        http_status=getattr(error, "http_status", None),
        code=getattr(error, "code", None),
        request_id=getattr(error, "request_id", None),
    )
