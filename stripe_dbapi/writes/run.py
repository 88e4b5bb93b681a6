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
    finished: dict[int, str] = {}  # item index -> what was written (id when known)
    lock = threading.Lock()

    def tracked(indexed: tuple[int, T]) -> dict | None:
        index, item = indexed
        result = call(item)
        with lock:
            finished[index] = (
                result["id"] if isinstance(result, dict) and "id" in result else label(item)
            )
        return result

    try:
        return conn.client.map_concurrently(tracked, list(enumerate(items)))
    except DatabaseError as error:
        if len(items) <= 1:
            raise
        done = [finished[i] for i in sorted(finished)]
        not_done = [label(item) for i, item in enumerate(items) if i not in finished]
        message = (
            f"{verb} stopped after {len(done)} of {len(items)} rows: {error}. "
            f"Done: {', '.join(done) or 'none'}. Not done: {', '.join(not_done)}"
        )
        raise PartialWriteError(
            message,
            done=done,
            not_done=not_done,
            http_status=getattr(error, "http_status", None),
            code=getattr(error, "code", None),
            request_id=getattr(error, "request_id", None),
        ) from error
