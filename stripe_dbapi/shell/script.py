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
    text of any comments in it: ``--`` comments alone count as nothing to run)."""
    found: list[Unit] = []
    buffer: list[str] = []
    quote = ""
    i = 0
    while i < len(script):
        char = script[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char in COMMAND_STARTS and not _code("".join(buffer)):
            end = script.find("\n", i)
            end = len(script) if end < 0 else end
            found.append(Unit(script[i:end].strip(), True))
            buffer, i = [], end
            continue
        elif script.startswith("--", i):
            end = script.find("\n", i)
            end = len(script) if end < 0 else end
            buffer.append(script[i:end])
            i = end
            continue
        elif char == ";":
            if _code("".join(buffer)):
                found.append(Unit("".join(buffer).strip(), False))
            buffer, i = [], i + 1
            continue
        buffer.append(char)
        i += 1
    rest = "".join(buffer)
    return found, rest if _code(rest) or quote else ""


def _code(text: str) -> bool:
    """Whether ``text`` holds more than whitespace and ``--`` comments."""
    return any(line.split("--", 1)[0].strip() for line in text.splitlines())
