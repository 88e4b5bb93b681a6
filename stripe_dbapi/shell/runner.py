"""Run a script's statements and dot commands, write each result, report errors in one line."""

from __future__ import annotations

import contextlib
import sys
import traceback
from typing import Any, TextIO

from stripe_dbapi import exceptions

from . import args as arguments
from .commands import Text, resolve
from .formats import FORMATS, Writer
from .script import units

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
    return f"{label}: {error}"


def read_script(args: Any) -> str | None:
    if args.execute is not None:
        return args.execute
    if args.file is not None:
        with open(args.file, encoding="utf-8") as f:
            return f.read()
    if not sys.stdin.isatty():
        return sys.stdin.read()
    return None


def run(script: str, cursor: Any, write: Writer, out: TextIO) -> None:
    for unit in units(script):
        sql, parameters = unit.text, None
        if unit.is_command:
            action = resolve(unit.text, cursor)
            if isinstance(action, Text):
                out.write(action.text + "\n")
                continue
            sql, parameters = action
        cursor.execute(sql, parameters)
        if cursor.description is None:
            print(f"OK ({cursor.rowcount} rows)", file=sys.stderr)
            continue
        names = [column[0] for column in cursor.description]
        types = [column[1] for column in cursor.description]
        write(out, names, types, cursor.fetchall())


def main(argv: list[str] | None = None) -> int:
    args = arguments.parse(argv)
    try:
        script = read_script(args)
    except OSError as error:
        arguments.parser().error(f"cannot read {args.file}: {error.strerror}")
    if script is None:
        arguments.parser().error("give SQL with -e or -f, or on stdin (no interactive shell yet)")
    try:
        with contextlib.ExitStack() as stack:
            out = (
                stack.enter_context(open(args.output, "w", encoding="utf-8", newline=""))
                if args.output
                else sys.stdout
            )
            conn = stack.enter_context(arguments.connection(args))
            run(script, conn.cursor(), FORMATS[args.format], out)
    except exceptions.Error as error:
        if args.debug:
            traceback.print_exc()
        print(error_line(error), file=sys.stderr)
        return 1
    except OSError as error:  # -o naming a file that cannot be written
        if args.debug:
            traceback.print_exc()
        print(f"stripe-sql: {error}", file=sys.stderr)
        return 1
    return 0
