"""The shell's one-line messages for errors and interruptions, shared by the script
runner and the interactive shell."""

from __future__ import annotations

import sys
import traceback

from stripe_dbapi import exceptions
from stripe_dbapi.redaction import redact

PEP_249_ERRORS = (
    exceptions.InterfaceError,
    exceptions.DataError,
    exceptions.OperationalError,
    exceptions.IntegrityError,
    exceptions.InternalError,
    exceptions.ProgrammingError,
    exceptions.NotSupportedError,
    exceptions.DatabaseError,
    exceptions.Error,
)


def error_line(error: exceptions.Error) -> str:
    """``CardError (DatabaseError): message (code=..., request_id=req_...)``: the driver's
    class, its PEP 249 class when they differ, and the message with Stripe's details."""
    name = type(error).__name__
    pep = next(c for c in PEP_249_ERRORS if isinstance(error, c)).__name__
    label = name if name == pep else f"{name} ({pep})"
    # The driver masks the connection's key; a key quoted in the SQL is masked here.
    return redact(f"{label}: {error}")


def print_traceback() -> None:
    """--debug's traceback of the error being handled, on stderr, API keys masked as in
    the error line (a key quoted in the SQL is in the exception's message)."""
    sys.stderr.write(redact(traceback.format_exc()))


def interrupted_line(error: exceptions.QueryCanceledError | None = None) -> str:
    """What a statement stopped by Ctrl-C did: for a write, what was written and what not."""
    if isinstance(error, exceptions.PartialWriteError):
        return f"stripe-sql: interrupted: {error}"
    not_done = getattr(error, "not_done", None)
    if not_done:
        return (
            f"stripe-sql: interrupted before the first write: nothing was written "
            f"(not done: {len(not_done)} rows)"
        )
    if error is not None:
        return "stripe-sql: interrupted: the statement was canceled (no request after Ctrl-C)"
    return "stripe-sql: interrupted"
