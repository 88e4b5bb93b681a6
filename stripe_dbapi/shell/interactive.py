"""The interactive shell: ``stripe-sql`` with a terminal on stdin and no ``-e``/``-f``.

prompt_toolkit reads statements (history in the user's data folder, ``;`` ends a
statement, a command ends at its line, Tab completes from the catalog, pygments colours
the SQL); rich shows the results (render.py). Statements run exactly as in a script
(perform.py), with the same progress line on stderr and Ctrl-C cancelling the running
statement; an error or a cancel prints its one line and the prompt comes back. This module needs
the ``[cli]`` extra, and is imported only when the shell is interactive.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.lexers import PygmentsLexer
from prompt_toolkit.output import create_output
from pygments.lexers.sql import SqlLexer
from rich.console import Console
from rich.text import Text

import stripe_dbapi
from stripe_dbapi import exceptions
from stripe_dbapi.connection import Connection
from stripe_dbapi.error_mapping import mask_key
from stripe_dbapi.interrupt import cancel_on_interrupt
from stripe_dbapi.userdirs import user_dir

from . import args as arguments
from .completion import CatalogNames, suggestions
from .formats import FORMATS
from .messages import error_line, interrupted_line, print_traceback
from .perform import Done, Quit, Rows, done_text, perform
from .perform import Text as Message
from .progress_display import ProgressLine
from .render import render
from .script import is_complete, units

PROMPT = "stripe> "
CONTINUATION = "   ...> "


def history_path() -> Path:
    return user_dir("data") / "history"


class SqlCompleter(Completer):
    """prompt_toolkit's side of completion.py."""

    def __init__(self, names: CatalogNames) -> None:
        self.names = names

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        found = suggestions(document.text_before_cursor, document.text_after_cursor, self.names)
        for suggestion in found:
            yield Completion(
                suggestion.text, start_position=suggestion.start, display_meta=suggestion.meta
            )


def key_bindings() -> KeyBindings:
    """Enter runs what was typed once it is complete (every statement ended by ';', or a
    command line), else starts a new line; with a completion chosen, it takes it."""
    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event: Any) -> None:
        buffer = event.current_buffer
        state = buffer.complete_state
        if state is not None and state.current_completion is not None:
            buffer.apply_completion(state.current_completion)
        elif is_complete(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    return bindings


def open_history() -> tuple[History, str | None]:
    """The history file (created user-only), or one in memory and why."""
    path = history_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        # touch's mode applies to a new file only: one made readable by others (copied,
        # restored from a backup) is made the user's alone, as a new one is.
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError as error:
        return InMemoryHistory(), f"history not saved: {path}: {error.strerror}"
    return FileHistory(str(path)), None


def banner(conn: Connection, args: argparse.Namespace) -> str:
    """What the shell is connected to (the key masked) and whether it may write."""
    settings = conn.settings
    where = "the built-in emulator (demo data)" if args.demo else settings.base_url
    who = f"key {mask_key(settings.api_key)}"
    if args.connection:
        who = f"connection {args.connection!r}, {who}"
    if settings.account_id:
        who += f", account {settings.account_id}"
    mode = (
        "read-only: writes and actions are refused"
        if conn.readonly
        else "read-write: writes and actions of more than one object ask first"
        + (" (--yes: they do not)" if args.yes else "")
    )
    return (
        f"stripe-sql {stripe_dbapi.__version__}: {where} ({who})\n{mode}\n"
        "End statements with ';'. .help for commands, Tab completes, Ctrl-D quits."
    )


@contextlib.contextmanager
def ctrl_c_raises() -> Iterator[None]:
    """Python's own Ctrl-C (KeyboardInterrupt) inside the block: while a statement runs,
    Ctrl-C cancels it (cancel_on_interrupt), but at a question it must end the question."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def ask(statement: str, count: int) -> bool:
    """The y/N question before a write of several objects; anything but yes is no
    (Ctrl-C and Ctrl-D too)."""
    try:
        with ctrl_c_raises():
            # On stderr, where the prompt is too when results go to a file.
            print(f"{statement} will write {count} objects. Go ahead? [y/N] ", end="",
                  file=sys.stderr, flush=True)
            answer = input()
    except (EOFError, KeyboardInterrupt):
        print()
        return False
    return answer.strip().lower() in ("y", "yes")


def confirm_interactively(yes: bool, before_asking: Callable[[], None] = lambda: None):
    """The connection's confirm_writes: ask about writes of more than one object."""

    def confirm(statement: str, count: int) -> bool:
        if yes or count <= 1:
            return True
        before_asking()
        return ask(statement, count)

    return confirm


class Shell:
    """One interactive session on an open connection."""

    def __init__(self, conn: Connection, args: argparse.Namespace) -> None:
        self.conn = conn
        self.args = args
        self.cursor = conn.cursor()
        self.out = Console(highlight=False)
        self.err = Console(stderr=True, highlight=False)
        # Progress of a running statement on stderr, when it is a terminal (cleared
        # before a confirmation question).
        self.progress = ProgressLine(sys.stderr) if sys.stderr.isatty() else None
        self.cursor.progress = self.progress
        conn.confirm_writes = confirm_interactively(args.yes, self.clear_progress)

    def clear_progress(self) -> None:
        if self.progress is not None:
            self.progress.clear()

    def run_text(self, text: str) -> bool:
        """Run what was typed; False once a command says to leave. An error stops the
        rest of what was typed, as in a script, and the prompt comes back."""
        for unit in units(text):
            try:
                with cancel_on_interrupt(self.cursor):  # Ctrl-C cancels the statement
                    outcome = perform(unit, self.cursor)
            except exceptions.QueryCanceledError as error:
                self.err.print(Text(interrupted_line(error), style="yellow"))
                return True
            except exceptions.WriteNotConfirmed as error:
                self.err.print(Text(str(error), style="yellow"))
                return True
            except exceptions.Error as error:
                if self.args.debug:
                    print_traceback()
                self.err.print(Text(error_line(error), style="red"))
                return True
            if isinstance(outcome, Quit):
                return False
            self.show(outcome)
        return True

    def show(self, outcome: Any) -> None:
        if isinstance(outcome, Message):
            self.out.print(Text(outcome.text))
        elif isinstance(outcome, Done):
            self.err.print(Text(done_text(outcome), style="dim"))
        elif isinstance(outcome, Rows):
            if self.args.format == "table":
                render(self.out, outcome)
            else:
                FORMATS[self.args.format](sys.stdout, *outcome)
                sys.stdout.flush()


def main(args: argparse.Namespace) -> int:
    if args.output:
        arguments.parser().error("-o needs SQL from -e, -f or stdin")
    history, problem = open_history()
    with arguments.connection(args) as conn:
        shell = Shell(conn, args)
        # With results going to a file (stripe-sql > out.txt) the banner, the prompt and
        # what is typed stay on the terminal, through stderr.
        results_to_terminal = sys.stdout.isatty()
        (shell.out if results_to_terminal else shell.err).print(Text(banner(conn, args)))
        if problem:
            shell.err.print(Text(problem, style="yellow"))
        session: PromptSession = PromptSession(
            message=PROMPT,
            multiline=True,
            prompt_continuation=CONTINUATION,
            key_bindings=key_bindings(),
            lexer=PygmentsLexer(SqlLexer),
            completer=SqlCompleter(CatalogNames(conn.catalog)),
            complete_while_typing=False,
            history=history,
            output=create_output(always_prefer_tty=True),
        )
        while True:
            try:
                text = session.prompt()
            except KeyboardInterrupt:  # Ctrl-C at the prompt: a fresh line
                continue
            except EOFError:  # Ctrl-D
                break
            try:
                if not shell.run_text(text):
                    break
            except KeyboardInterrupt:  # a second Ctrl-C, or one while a result is shown
                shell.clear_progress()
                shell.err.print(Text(interrupted_line(), style="yellow"))
    return 0
