"""Ctrl-C as a cancel: ``cancel_on_interrupt(cursor)`` turns SIGINT into ``cursor.cancel()``
for the duration of one statement.

Python's own Ctrl-C raises KeyboardInterrupt wherever the main thread is, which can be
between a write's request and the driver noting its answer. A cancel instead lets the
statement stop at its next request and say what it did (QueryCanceledError, or
WriteCanceledError listing what was written). ``stripe-sql`` runs every statement under
it; a notebook or a script can too:

    with cancel_on_interrupt(cursor) as interrupt:
        cursor.execute("UPDATE customers SET ... WHERE ...")
    # Ctrl-C -> QueryCanceledError / WriteCanceledError; interrupt.interrupted is True

A second Ctrl-C while the first is being honoured raises KeyboardInterrupt as usual (a
way out if a request hangs). Signals are the main thread's: elsewhere this does nothing.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["Interrupt", "cancel_on_interrupt"]


class Interrupt:
    """What happened under ``cancel_on_interrupt``: ``interrupted`` once Ctrl-C was pressed."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.interrupted = False

    def handle(self, signum: int, frame: Any) -> None:
        if self.interrupted:
            raise KeyboardInterrupt
        self.interrupted = True
        self.cursor.cancel()  # one assignment: safe in a signal handler


@contextlib.contextmanager
def cancel_on_interrupt(cursor: Any) -> Iterator[Interrupt]:
    """Inside the block, SIGINT cancels ``cursor``'s statement instead of raising."""
    interrupt = Interrupt(cursor)
    if threading.current_thread() is not threading.main_thread():
        yield interrupt
        return
    previous = signal.signal(signal.SIGINT, interrupt.handle)
    try:
        yield interrupt
    finally:
        signal.signal(signal.SIGINT, previous)
