"""The argument parser of stripe-sql and its subcommands: argparse, with usage errors
that name the nearest valid value and never echo an API key.

argparse's own messages quote what was typed (``unrecognized arguments: --apikey
sk_live_...``), so every message is redacted before it is printed.
"""

from __future__ import annotations

import argparse
import re
from typing import NoReturn

from stripe_dbapi.names import did_you_mean
from stripe_dbapi.redaction import redact

# argparse's "invalid choice: 'jsn' (choose from 'csv', 'json', ...)" (the quotes around
# the choices vary with the Python version).
_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<value>[^']*)' \(choose from (?P<choices>.*)\)")
_UNRECOGNIZED = "unrecognized arguments: "


class Parser(argparse.ArgumentParser):
    """``subcommands``: words that may come first instead of options (``connections``),
    suggested for a misspelt first word."""

    def __init__(self, *args, subcommands: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.subcommands = subcommands

    def error(self, message: str) -> NoReturn:
        super().error(redact(message + self._hint(message)))

    def _hint(self, message: str) -> str:
        choice = _INVALID_CHOICE.search(message)
        if choice:
            choices = [c.strip(" '\"") for c in choice["choices"].split(",")]
            return did_you_mean(choice["value"], choices)
        if message.startswith(_UNRECOGNIZED):
            return self._unrecognized_hint(message[len(_UNRECOGNIZED):].split())
        return ""

    def _unrecognized_hint(self, words: list[str]) -> str:
        first = words[0].partition("=")[0]
        if first.startswith("--"):
            # argparse keeps no public list of its options; this mapping is stable.
            return did_you_mean(first, [o for o in self._option_string_actions
                                        if o.startswith("--")])
        if first.startswith("-"):
            return ""
        return did_you_mean(first, self.subcommands) or (
            ' (SQL goes after -e: stripe-sql -e "SELECT ...")'
        )
