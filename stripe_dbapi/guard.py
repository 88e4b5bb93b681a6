"""Only PEP 249 errors leave the driver.

Every public entry point of a cursor (execute, executemany, callproc, the
fetches) runs under :func:`pep249_errors`. The driver raises the right PEP 249
class itself wherever it knows what went wrong (ProgrammingError for SQL,
DataError for values, InterfaceError for misuse of the API); this is the net
under that: what still escapes as a plain Python exception is translated here,
so a caller catching ``stripe_dbapi.Error`` (or SQLAlchemy, which wraps only
DB-API errors) sees every failure.
"""

from __future__ import annotations

import functools
import re

from sqlglot.errors import SqlglotError

from . import exceptions as exc
from .error_mapping import redact

TOO_DEEP = (
    "statement too deeply nested: simplify nested parentheses or sub-selects "
    "(long AND / OR chains are fine)"
)


def as_pep249(error: BaseException) -> exc.Error:
    """The PEP 249 exception that stands for ``error`` (itself if it is one already)."""
    if isinstance(error, exc.Error):
        return error
    if isinstance(error, RecursionError):
        return exc.ProgrammingError(TOO_DEEP)
    if isinstance(error, SqlglotError):
        return exc.ProgrammingError(
            f"cannot run this statement: {tidy_sqlglot_message(str(error))}"
        )
    if isinstance(error, UnicodeError):
        return exc.DataError(f"a value is not valid text: {redact(str(error))}")
    # A driver bug: keep the original as __cause__ for the report.
    return exc.InternalError(
        f"stripe_dbapi failed unexpectedly ({type(error).__name__}: {redact(str(error))}); "
        "please report this with the statement"
    )


def pep249_errors(method):
    """Decorator: any non-PEP 249 exception raised by ``method`` is translated."""

    @functools.wraps(method)
    def guarded(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (exc.Error, MemoryError):
            raise
        except Exception as error:
            translated = as_pep249(error)
            if isinstance(translated, exc.InternalError):
                raise translated from error
            raise translated from None

    return guarded


_SQLGLOT_CLASS = re.compile(r"\s*(?:for\s+)?<class 'sqlglot\.[\w.]+'>\.?")


def tidy_sqlglot_message(message: str) -> str:
    """sqlglot's messages without its class names (``<class 'sqlglot.expressions...'>``)."""
    return _SQLGLOT_CLASS.sub("", message).strip() or "the statement is not valid SQL"
