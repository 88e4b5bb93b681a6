"""A script split into its units: SQL statements (separated by ``;`` outside quotes
and ``--`` comments) and dot commands (a line starting with ``.`` between statements)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple


class Unit(NamedTuple):
    text: str
    is_command: bool


def units(script: str) -> Iterator[Unit]:
    buffer: list[str] = []
    quote = ""
    i = 0
    while i < len(script):
        char = script[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char == "." and not "".join(buffer).strip():
            end = script.find("\n", i)
            end = len(script) if end < 0 else end
            yield Unit(script[i:end].strip(), True)
            buffer, i = [], end
            continue
        elif script.startswith("--", i):
            end = script.find("\n", i)
            end = len(script) if end < 0 else end
            buffer.append(script[i:end])
            i = end
            continue
        elif char == ";":
            if "".join(buffer).strip():
                yield Unit("".join(buffer).strip(), False)
            buffer, i = [], i + 1
            continue
        buffer.append(char)
        i += 1
    if "".join(buffer).strip():
        yield Unit("".join(buffer).strip(), False)
