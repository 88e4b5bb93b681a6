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


def units(script: str) -> Iterator[Unit]:
    """Every unit of ``script``; a last statement without its ``;`` counts too."""
    finished, rest = split(script)
    yield from finished
    if rest.strip():
        yield Unit(rest.strip(), False)


def is_complete(text: str) -> bool:
    """Whether ``text`` (what was typed at the prompt) is ready to run: every statement
    ended by ``;`` (a command needs none). Comments and blank text alone are complete."""
    return not split(text)[1].strip()


def split(script: str) -> tuple[list[Unit], str]:
    """(the finished units of ``script``, the statement still open at its end, with the
    text of any comments in it: comments alone count as nothing to run)."""
    found: list[Unit] = []
    buffer: list[str] = []
    code = False  # whether the buffer holds more than whitespace and comments
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
            found.append(Unit(script[i:end].strip(), True))
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
                found.append(Unit("".join(buffer).strip(), False))
            buffer, code, i = [], False, i + 1
            continue
        code = code or not char.isspace()
        buffer.append(char)
        i += 1
    rest = "".join(buffer)
    return found, rest if code or quote or open_comment else ""


def _end_of(script: str, end: str, start: int) -> int:
    """Where the text ended by ``end`` (a newline: before it; */: after it) stops."""
    found = script.find(end, start)
    if found < 0:
        return len(script)
    return found if end == "\n" else found + len(end)

