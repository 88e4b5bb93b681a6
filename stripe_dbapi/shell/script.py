"""A script split into its units: SQL statements (separated by ``;`` outside quotes
and ``--`` comments) and commands (a line starting with ``.`` or ``\\`` between
statements, ended by its newline)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

COMMAND_STARTS = ".\\"


class Unit(NamedTuple):
    text: str
    is_command: bool
    line: int = 1  # the script's line where the unit starts (its comments aside)


def units(script: str) -> Iterator[Unit]:
    """Every unit of ``script``; a last statement without its ``;`` counts too."""
    finished, rest = _split(script)
    yield from finished
    if rest.text.strip():
        yield rest._replace(text=rest.text.strip())


def is_complete(text: str) -> bool:
    """Whether ``text`` (what was typed at the prompt) is ready to run: every statement
    ended by ``;`` (a command needs none). Comments and blank text alone are complete."""
    return not split(text)[1].strip()


def split(script: str) -> tuple[list[Unit], str]:
    """(the finished units of ``script``, the statement still open at its end, with the
    text of any comments in it: comments alone count as nothing to run)."""
    finished, rest = _split(script)
    return finished, rest.text


def _split(script: str) -> tuple[list[Unit], Unit]:
    """split's work; the open statement as a unit (its text "" when there is none)."""
    found: list[Unit] = []
    buffer: list[str] = []
    lines = _Lines(script)
    code = False  # whether the buffer holds more than whitespace and comments
    start = 0  # where the buffer's code starts
    quote = ""
    open_comment = False  # a /* comment not closed by the end of the script
    i = 0
    while i < len(script):
        char = script[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char in COMMAND_STARTS and not code:
            end = _end_of(script, "\n", i)
            found.append(Unit(script[i:end].strip(), True, lines.at(i)))
            buffer, i = [], end
            continue
        elif script.startswith(("--", "/*"), i):
            # A comment may hold quotes and ';' (/* a; b */): it is copied, not scanned.
            if char == "-":
                end = _end_of(script, "\n", i)
            else:
                end = _end_of(script, "*/", i + 2)
                open_comment = not script.endswith("*/", i + 2, end)
            buffer.append(script[i:end])
            i = end
            continue
        elif char == ";":
            if code:
                found.append(Unit("".join(buffer).strip(), False, lines.at(start)))
            buffer, code, i = [], False, i + 1
            continue
        if not code and not char.isspace():
            code, start = True, i
        buffer.append(char)
        i += 1
    rest = "".join(buffer) if code or quote or open_comment else ""
    return found, Unit(rest, False, lines.at(start) if code else lines.at(len(script)))


class _Lines:
    """Line numbers of positions in a text, asked in increasing order (one pass)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position, self.line = 0, 1

    def at(self, position: int) -> int:
        if position < self.position:
            self.position, self.line = 0, 1
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


def _end_of(script: str, end: str, start: int) -> int:
    """Where the text ended by ``end`` (a newline: before it; */: after it) stops."""
    found = script.find(end, start)
    if found < 0:
        return len(script)
    return found if end == "\n" else found + len(end)

