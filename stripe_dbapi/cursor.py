"""PEP 249 Cursor.

Each statement runs under a progress monitor of its own (stripe_dbapi/progress.py):
it reports to ``cursor.progress`` (or the connection's) and ``cancel()`` stops it.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Mapping, Optional, Sequence

from . import exceptions as exc
from .execute import execute_many, execute_statement, explain_lines
from .guard import as_pep249, pep249_errors
from .progress import CALL, READ, Monitor, ProgressCallback, check_callback
from .result import Result


class Cursor:
    def __init__(self, connection) -> None:
        self.connection = connection
        self.arraysize = 1
        self._result: Optional[Result] = None
        self._rows: Optional[Iterator[tuple]] = None
        # The error that ended a streamed result part-way: raised again by every later
        # fetch, so a failed read never looks like a result that simply ended.
        self._failure: Optional[BaseException] = None
        self._closed = False
        self.rowcount = -1
        self.lastrowid: Optional[str] = None
        self._progress: Optional[ProgressCallback] = None
        # The monitor of the last statement: cancel() marks it; a streamed result
        # reports to it while it is read.
        self._monitor: Optional[Monitor] = None

    @property
    def progress(self) -> Optional[ProgressCallback]:
        """This cursor's progress callback; None (the default) uses the connection's."""
        return self._progress

    @progress.setter
    def progress(self, callback: Optional[ProgressCallback]) -> None:
        self._progress = check_callback(callback, "cursor.progress")

    def cancel(self) -> None:
        """Cancel the running statement (or the streamed result being read): it sends no
        request after this and raises QueryCanceledError (a write: WriteCanceledError
        saying what was written). Callable from any thread and from a signal handler;
        does nothing when no statement runs."""
        monitor = self._monitor
        if monitor is not None:
            monitor.cancel()

    # --- PEP 249 attributes ----------------------------------------------------------

    @property
    def description(self):
        return self._result.description if self._result is not None else None

    def _check_open(self) -> None:
        if self._closed:
            raise exc.InterfaceError("the cursor is closed")
        if self.connection.closed:
            raise exc.InterfaceError("the connection is closed")

    # --- execution -------------------------------------------------------------------

    @pep249_errors
    def execute(self, operation: str, parameters: Sequence | Mapping | None = None) -> "Cursor":
        self._run(lambda: self._logged(operation, parameters),
                  execute_statement, operation, parameters)
        return self

    @pep249_errors
    def executemany(self, operation: str, seq_of_parameters) -> "Cursor":
        first = next(iter(seq_of_parameters), None) if isinstance(seq_of_parameters, list) else None
        self._run(lambda: self._logged(operation, first, sets=seq_of_parameters),
                  execute_many, operation, seq_of_parameters)
        return self

    @pep249_errors
    def callproc(self, procname: str, parameters: Sequence | Mapping | None = None):
        """Run a Stripe action; the result set is then fetchable (PEP 249)."""
        from .procedures import call_procedure

        self._run(lambda: self._logged(f"CALL {procname}", parameters, plan=False),
                  call_procedure, procname, parameters, phase=CALL)
        return parameters

    def _run(self, logged: Callable[[], Any], run: Callable[..., Result], *args: Any,
             phase: str = READ) -> None:
        """``run(connection, *args)`` as this cursor's statement: in the verbose log
        (``logged()``), under a progress monitor of its own."""
        self._check_open()
        self._discard_result()
        callback = self._progress
        if callback is None:
            callback = getattr(self.connection, "progress", None)
        monitor = self._monitor = Monitor(callback, phase=phase)
        try:
            with logged() as watch:
                result = monitor.run(run, self.connection, *args)
        except BaseException:
            monitor.finish()
            raise
        result = watch.follow(result)
        if not result.streaming:  # else its pages finish the monitor (Monitor.stream)
            monitor.finish()
        self._set_result(result)

    def _logged(self, sql: str, parameters, *, sets=None, plan: bool = True):
        """The connection's verbose log around one statement (stripe_dbapi/verbose.py)."""
        conn = self.connection
        counted = sets if isinstance(sets, list) else [parameters] if parameters else []
        count = sum(len(p) for p in counted if isinstance(p, (Sequence, Mapping)))
        return conn.verbose_log.statement(
            sql, count, conn.client, lambda: explain_lines(conn, sql, parameters) if plan else []
        )

    def _set_result(self, result: Result) -> None:
        self._result = result
        self._rows = iter(result.rows)
        self.rowcount = result.rowcount
        self.lastrowid = result.lastrowid

    def _discard_result(self) -> None:
        if self._result is not None:
            self._result.close()
        if self._monitor is not None:
            self._monitor.finish()  # a streamed result never read: its pages never started
        self._result = None
        self._rows = None
        self._failure = None
        self.rowcount = -1
        self.lastrowid = None

    # --- fetching --------------------------------------------------------------------

    def _row_source(self) -> Iterator[tuple]:
        self._check_open()
        if self._result is None or self._result.description is None or self._rows is None:
            raise exc.ProgrammingError("no result set: execute a query first")
        if self._failure is not None:
            raise self._failure
        return self._rows

    def _next_row(self, rows: Iterator[tuple]) -> Optional[tuple]:
        try:
            return next(rows, None)
        except Exception as error:
            self._failure = as_pep249(error)
            if self._failure is error:
                raise
            raise self._failure from error

    @pep249_errors
    def fetchone(self) -> Optional[tuple]:
        return self._next_row(self._row_source())

    @pep249_errors
    def fetchmany(self, size: Optional[int] = None) -> list[tuple]:
        rows = self._row_source()
        size = self.arraysize if size is None else size
        batch = []
        for _ in range(max(0, size)):
            row = self._next_row(rows)
            if row is None:
                break
            batch.append(row)
        return batch

    @pep249_errors
    def fetchall(self) -> list[tuple]:
        rows = self._row_source()
        batch = []
        while (row := self._next_row(rows)) is not None:
            batch.append(row)
        return batch

    def __iter__(self) -> "Cursor":
        return self

    def __next__(self) -> tuple:
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    # --- the rest of PEP 249 ---------------------------------------------------------

    def setinputsizes(self, sizes: Any) -> None:
        """Accepted and ignored (PEP 249 allows it)."""

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        """Accepted and ignored (PEP 249 allows it)."""

    def close(self) -> None:
        if self._closed:
            return
        self._discard_result()
        self._closed = True

    def __enter__(self) -> "Cursor":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()
