"""``stripe-sql``'s entry point: run a script's statements and commands (or hand a
terminal to the interactive shell), write each result, report errors in one line.

While a statement runs, its progress is one line on stderr when stderr is a terminal
(progress_display.py), and Ctrl-C cancels it (stripe_dbapi/interrupt.py): the script
stops with exit status 130 and a line saying what the statement did."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, TextIO

from stripe_dbapi import exceptions
from stripe_dbapi.interrupt import cancel_on_interrupt

from . import args as arguments
from .formats import FORMATS, Writer
from .messages import error_line, interrupted_line, print_traceback
from .perform import Done, Quit, Rows, Text, done_text, perform
from .progress_display import ProgressLine
from .script import Unit, units

USAGE = 2  # exit status of a usage error, as argparse's
INTERRUPTED = 130  # exit status after Ctrl-C, as a shell's (128 + SIGINT)
STANDARD_STREAM = "-"  # -f - reads stdin, -o - writes stdout, as most tools take them
BROKEN_PIPE = 141  # exit status when the output's reader went away (128 + SIGPIPE)


def read_script(args: Any) -> str | None:
    """The script to run, or None when stdin is a terminal (the interactive shell).
    Files and stdin are UTF-8, with or without the byte-order mark some editors write."""
    if args.execute is not None:
        return args.execute
    if args.file is not None and args.file != STANDARD_STREAM:
        with open(args.file, "rb") as f:
            return f.read().decode("utf-8-sig")
    if args.file == STANDARD_STREAM or not sys.stdin.isatty():
        return sys.stdin.buffer.read().decode("utf-8-sig")
    return None


def confirm_in_script(yes: bool):
    """A script cannot ask: writes of more than one object run only with --yes."""
    return lambda statement, count: yes or count <= 1


class ScriptRun:
    """A script's units run in order; ``where`` says which one failed."""

    def __init__(self, script: str, name: str | None) -> None:
        self.units = list(units(script))
        self.name = name  # the -f file, or None for -e and stdin
        self.unit: Unit | None = None  # the unit running or last run

    def run(self, cursor: Any, write: Writer, out: TextIO) -> None:
        for unit in self.units:
            self.unit = unit
            with cancel_on_interrupt(cursor):
                outcome = perform(unit, cursor)
            if isinstance(outcome, Quit):
                return
            if isinstance(outcome, Text):
                out.write(outcome.text + "\n")
            elif isinstance(outcome, Done):
                print(done_text(outcome), file=sys.stderr)
            elif isinstance(outcome, Rows):
                write(out, outcome.names, outcome.types, outcome.rows)

    def where(self) -> str:
        """``q.sql:12: `` (``line 12: `` for -e and stdin): where the failing unit starts,
        when the script has more than one; a syntax error's own line and column count
        from the start of its statement."""
        if self.unit is None or len(self.units) < 2:
            return ""
        return f"{self.name}:{self.unit.line}: " if self.name else f"line {self.unit.line}: "


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:  # reading the script, starting the shell: before a statement
        print(interrupted_line(), file=sys.stderr)
        return INTERRUPTED


def _main(argv: list[str]) -> int:
    if argv[:1] == ["connections"]:
        from .connections import main as connections_main

        return connections_main(argv[1:])
    args = arguments.parse(argv)
    source = "stdin" if args.file in (None, STANDARD_STREAM) else args.file
    try:
        script = read_script(args)
    except OSError as error:
        arguments.parser().error(f"cannot read {source}: {error.strerror}")
    except UnicodeDecodeError as error:
        arguments.parser().error(
            f"cannot read {source}: not UTF-8 text (byte 0x{error.object[error.start]:02x} "
            f"at offset {error.start})"
        )
    if script is None:
        return interactive(args)
    return run_script(args, script)


CLI_PACKAGES = ("prompt_toolkit", "pygments", "rich")


def interactive(args: Any) -> int:
    """The interactive shell, which needs the [cli] extra (a script needs none)."""
    try:
        from .interactive import main as interactive_main
    except ImportError as error:
        if (error.name or "").split(".")[0] not in CLI_PACKAGES:
            raise
        arguments.parser().error(
            f"the interactive shell needs {error.name}: pip install 'stripe-dbapi[cli]' "
            "(or give SQL with -e, -f or on stdin)"
        )
    return interactive_main(args)


def output_file(path: str) -> TextIO:
    """-o's file, open for writing; one that cannot be is a usage error, as -f's."""
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as error:
        arguments.parser().error(f"cannot write {path}: {error.strerror}")


def run_script(args: Any, script: str) -> int:
    script_run = ScriptRun(script, args.file)
    try:
        with contextlib.ExitStack() as stack:
            to_file = args.output not in (None, STANDARD_STREAM)
            out = stack.enter_context(output_file(args.output)) if to_file else sys.stdout
            conn = stack.enter_context(arguments.connection(args))
            conn.confirm_writes = confirm_in_script(args.yes)
            cursor = conn.cursor()
            if sys.stderr.isatty():
                cursor.progress = ProgressLine(sys.stderr)
            script_run.run(cursor, FORMATS[args.format], out)
            out.flush()  # here, where a closed pipe is caught, not at exit
    except BrokenPipeError:  # the reader stopped reading (| head): stop quietly, as cat does
        # Python flushes stdout again at exit: let that write go nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE
    except exceptions.QueryCanceledError as error:
        print(interrupted_line(error), file=sys.stderr)
        return INTERRUPTED
    except KeyboardInterrupt:  # Ctrl-C between statements (connecting, writing a result)
        print(interrupted_line(), file=sys.stderr)
        return INTERRUPTED
    except exceptions.WriteNotConfirmed as error:
        print(
            f"stripe-sql: {error.statement} would write {error.count} objects: nothing was "
            "written. Pass --yes to run writes and actions of more than one object from a "
            "script",
            file=sys.stderr,
        )
        return USAGE
    except exceptions.Error as error:
        if args.debug:
            print_traceback()
        print(script_run.where() + error_line(error), file=sys.stderr)
        return 1
    except OSError as error:  # writing the results failed (a full disk...)
        if args.debug:
            print_traceback()
        print(f"stripe-sql: {error}", file=sys.stderr)
        return 1
    return 0
