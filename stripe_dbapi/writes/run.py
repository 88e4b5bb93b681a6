"""Running one Stripe call per row: bounded concurrency, all-or-report.

Stripe has no transactions, so a multi-row write that fails part-way cannot be
rolled back. What the driver can do is stop starting new calls at the first
failure and say exactly which rows were written, which were not, and which
may have been: a call whose answer was lost (``PartialWriteError.done`` /
``.not_done`` / ``.unknown``), so nothing is lost or written twice silently.
A canceled write (``cursor.cancel()``) stops the same way and says the same, as
WriteCanceledError; the calls on their way when it was canceled finish first.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn, TypeVar

from .. import progress
from ..context import StatementContext
from ..exceptions import (
    DatabaseError,
    Error,
    OperationalError,
    PartialWriteError,
    QueryCanceledError,
    UnknownOutcome,
    WriteCanceledError,
    WriteNotConfirmed,
)

T = TypeVar("T")
R = TypeVar("R", bound="dict | None")  # what one call returns: an object, or None (not there)


def check_writable(conn: StatementContext, what: str) -> None:
    """Refuse a write or action on a read-only connection, before any request.

    OperationalError, as sqlite3 does for "attempt to write a readonly database":
    the statement is valid, the connection may not run it.
    """
    if conn.readonly:
        raise OperationalError(f"{what} refused: the connection was opened with readonly=True")


def confirm_write(conn: StatementContext, statement: str, count: int) -> None:
    """Ask the connection's ``confirm_writes`` callback, if it has one, whether
    ``statement`` may write ``count`` objects; WriteNotConfirmed if not. Called once
    the objects are known and before the first write request, so the count is exact
    and a refusal writes nothing (the reads that found the objects are done)."""
    confirm = conn.confirm_writes
    if count == 0 or confirm is None or confirm(statement, count):
        return
    noun = "object" if count == 1 else "objects"
    raise WriteNotConfirmed(
        f"{statement} not confirmed: it would write {count} {noun}; nothing was written",
        statement=statement,
        count=count,
    )


def run_per_row(
    conn: StatementContext,
    items: Sequence[T],
    call: Callable[[T], R],
    label: Callable[[T], str],
    verb: str,
    *,
    table: str | None,
    written: list[str],
    deleting: bool = False,
) -> list[R]:
    """``call`` each item concurrently (bounded by the client); results in order.

    ``label(item)`` names a row in error reports (its id, or "row 2" for inserts).
    Each object a call writes goes into the write log (``log_write``: ``table`` is
    the statement's, None for an action; ``deleting`` for DELETE) and its id into ``written``
    as it is written (PreparedWrite.written, which executemany reports on a failure).
    """
    items = list(items)
    confirm_write(conn, verb, len(items))
    # item index -> id written (None: the object was not there, no row affected)
    finished: dict[int, str | None] = {}
    failed: list[str] = []
    unknown: dict[int, UnknownOutcome] = {}
    lock = threading.Lock()
    monitor = progress.current()
    monitor.describe(table=table)
    monitor.expect_writes(len(items))

    def tracked(indexed: tuple[int, T]) -> R:
        index, item = indexed
        try:
            result = call(item)
        except Exception as error:
            outcome = unknown_outcome(error, label(item))
            with lock:
                if outcome is not None:
                    unknown[index] = outcome
                elif not isinstance(error, QueryCanceledError):  # canceled: not attempted
                    failed.append(label(item))
            raise
        log_write(conn, table, result, deleting=deleting)
        if result is not None:
            monitor.wrote()
        with lock:
            written_id = (result.get("id") or label(item)) if isinstance(result, dict) else None
            finished[index] = written_id
            if written_id is not None:
                written.append(written_id)
        return result

    try:
        return conn.client.map_concurrently(tracked, list(enumerate(items)))
    except DatabaseError as error:
        done = [id_ for i in sorted(finished) if (id_ := finished[i]) is not None]
        not_done = [
            label(item) for i, item in enumerate(items) if i not in finished and i not in unknown
        ]
        if unknown:
            # What may have been written can be missing from Search like any write.
            conn.write_log.note_write()
        how_far = f"{len(done)} of {len(items)} rows"
        report = WriteReport(done, not_done, failed, [unknown[i] for i in sorted(unknown)])
        raise_write_failure(error, verb, how_far, report)


def log_write(
    conn: StatementContext,
    table: str | None,
    obj: dict | None,
    *,
    deleting: bool = False,
) -> None:
    """The one place the write log (and the replica) is written: ``obj`` as Stripe answered a write
    (None: the object was not there, nothing written). It is logged under ``table``
    (the statement's) or, for an action (None), the table of its object type; as
    deleted when Stripe says so or the statement is a DELETE (``DELETE FROM
    subscriptions`` cancels: for this connection the row is gone). Every write also
    stamps the log, since it may change objects it does not return (a capture
    changes the charge)."""
    if obj is None:
        return
    conn.write_log.note_write()
    if table is None and obj.get("object"):
        object_table = conn.catalog.table_for_object(obj["object"])
        table = object_table.name if object_table is not None else None
    if table is None or not obj.get("id"):
        return
    deleted = bool(deleting or obj.get("deleted"))
    if deleted:
        conn.write_log.record_deleted(table, obj["id"])
    else:
        conn.write_log.record(table, obj)
    if conn.replica is not None:
        # Read-your-writes on the replica, without waiting for events: the object as Stripe
        # answered (a DELETE that cancels, as on subscriptions, answers the canceled object).
        conn.replica.record_write(table, obj, deleted=obj.get("deleted") is True)


def unknown_outcome(error: Exception, row: str) -> UnknownOutcome | None:
    """The call ``row`` as an UnknownOutcome when ``error`` leaves it unknown whether
    Stripe applied it (the client marks such errors), else None."""
    outcome = getattr(error, "unknown_outcome", None)
    return None if outcome is None else dataclasses.replace(outcome, row=row)


@dataclass
class WriteReport:
    """Where each row of a stopped write stands."""

    done: list[str]  # ids written
    not_done: list[str]  # not attempted, or failed: safe to run again
    failed: list[str]  # the calls that failed (part of not_done)
    unknown: list[UnknownOutcome]  # may have been applied: re-send with their key


_ROW_LABEL = re.compile(r"row (\d+)")


def listed_rows(labels: list[str]) -> str:
    """``labels`` for a message, three or more consecutive rows as one range (``row 2,
    rows 4-9999``): a write of thousands of rows stopped early names them all otherwise.
    The exception's ``not_done`` keeps every label."""
    parts: list[str] = []
    run: list[int] = []  # consecutive row numbers not yet written out

    def flush() -> None:
        if len(run) >= 3:
            parts.append(f"rows {run[0]}-{run[-1]}")
        else:
            parts.extend(f"row {n}" for n in run)
        run.clear()

    for label in labels:
        row = _ROW_LABEL.fullmatch(label)
        if row and run and int(row[1]) == run[-1] + 1:
            run.append(int(row[1]))
            continue
        flush()
        if row:
            run.append(int(row[1]))
        else:
            parts.append(label)
    flush()
    return ", ".join(parts)


def raise_write_failure(error: Error, verb: str, progress: str, report: WriteReport) -> NoReturn:
    """Raise what a write that stopped at ``error`` reports (``progress``: "2 of 5 rows").

    When nothing was written and nothing may have been, Stripe's own error
    (CardError, RateLimitError, QueryCanceledError...) with the lists added, so one
    row and many are caught alike; otherwise PartialWriteError (WriteCanceledError when
    canceled), whose ``__cause__`` is Stripe's error (or the QueryCanceledError).
    """
    if not report.done and not report.unknown:
        error.done, error.not_done = [], list(report.not_done)
        error.failed, error.unknown = list(report.failed), []
        raise error
    attempted = (
        f"failed: {', '.join(report.failed)}; the rest were not attempted"
        if report.failed
        else "not attempted"
    )
    message = (
        f"{verb} stopped after {progress}: {str(error).rstrip('.')}. "
        f"Done: {', '.join(report.done) or 'none'}. "
        f"Not done: {listed_rows(report.not_done) or 'none'} ({attempted})"
    )
    if report.unknown:
        message += (
            f". Outcome unknown, may have been applied: {', '.join(map(str, report.unknown))}; "
            "re-send them with the same Idempotency-Key (Connection.resend) instead of "
            "running them again"
        )
    partial = WriteCanceledError if isinstance(error, QueryCanceledError) else PartialWriteError
    raise partial(
        message,
        done=list(report.done),
        not_done=list(report.not_done),
        failed=list(report.failed),
        unknown=list(report.unknown),
        http_status=getattr(error, "http_status", None),
        code=getattr(error, "code", None),
        request_id=getattr(error, "request_id", None),
    ) from error
