"""Parsing procedure calls, which sqlglot keeps as opaque commands.

Accepted forms (names case-insensitive, a trailing ``;`` allowed)::

    CALL ConfirmPaymentIntent('pi_1')                            -- positional
    CALL ConfirmPaymentIntent(PaymentIntentId => 'pi_1', ReturnUrl => ?)
    EXECUTE ConfirmPaymentIntent PaymentIntentId = 'pi_1', ReturnUrl = :url   -- CData
    EXEC ConfirmPaymentIntent @PaymentIntentId = 'pi_1'          -- T-SQL style names

Values are literals ('text' with '' escapes, numbers, NULL, TRUE, FALSE) or
placeholders: ``?`` (next positional), ``?3`` (numbered), ``:name`` (mapping).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Union

from ..exceptions import ProgrammingError

_TOKEN = re.compile(
    r"""
    (?P<space>\s+|--[^\n]*|/\*.*?\*/)
  | (?P<string>'(?:[^']|'')*')
  | (?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<arrow>=>)
  | (?P<punct>[(),;=])
  | (?P<qmark>\?\d*)
  | (?P<named>:[A-Za-z_]\w*)
  | (?P<ident>@?[A-Za-z_][\w.]*|"(?:[^"]|"")+"|\[[^\]]+\]|`[^`]+`)
    """,
    re.VERBOSE | re.DOTALL,
)

KEYWORDS = {"call", "exec", "execute"}  # the words that start a procedure call


@dataclass(frozen=True)
class Placeholder:
    index: int | None = None  # 0-based for ?/?N
    name: str | None = None  # for :name

    @property
    def key(self) -> int | str:
        """What binds it: the name of a ``:name``, else the position of a ``?``."""
        if self.name is not None:
            return self.name
        assert self.index is not None  # the parser sets one of the two
        return self.index


Value = Union[Placeholder, Any]  # noqa: UP007 - py3.10 evaluates aliases


@dataclass(frozen=True)
class Argument:
    name: str | None  # None for positional
    value: Value


@dataclass(frozen=True)
class ParsedCall:
    name: str
    arguments: tuple[Argument, ...]


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def parse_call(sql: str) -> ParsedCall:
    tokens = _tokenize(sql)
    parser = _Parser(sql, tokens)
    return parser.call()


def _tokenize(sql: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(sql):
        match = _TOKEN.match(sql, position)
        if match is None:
            raise _syntax_error(sql, position, f"unexpected character {sql[position]!r}")
        kind = match.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        if kind != "space":
            tokens.append(_Token(kind, match.group(), position))
        position = match.end()
    return tokens


def _syntax_error(sql: str, position: int, message: str) -> ProgrammingError:
    line = sql.count("\n", 0, position) + 1
    line_start = sql.rfind("\n", 0, position) + 1
    line_end = sql.find("\n", position)
    text = sql[line_start : line_end if line_end != -1 else len(sql)]
    column = position - line_start + 1
    return ProgrammingError(
        f"{message} at line {line}, column {column}:\n{text}\n{' ' * (column - 1)}^"
    )


class _Parser:
    def __init__(self, sql: str, tokens: list[_Token]) -> None:
        self.sql = sql
        self.tokens = tokens
        self.index = 0
        self.qmarks = 0

    # -- helpers
    def peek(self, offset: int = 0) -> _Token | None:
        i = self.index + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def next(self, expected: str) -> _Token:
        token = self.peek()
        if token is None:
            raise _syntax_error(
                self.sql, len(self.sql), f"expected {expected}, got the end of the statement"
            )
        self.index += 1
        return token

    def error(self, token: _Token | None, expected: str) -> ProgrammingError:
        if token is None:
            return _syntax_error(
                self.sql, len(self.sql), f"expected {expected}, got the end of the statement"
            )
        return _syntax_error(self.sql, token.position, f"expected {expected}, got {token.text!r}")

    def accept(self, kind: str, text: str | None = None) -> bool:
        token = self.peek()
        if token is not None and token.kind == kind and (text is None or token.text == text):
            self.index += 1
            return True
        return False

    # -- grammar
    def call(self) -> ParsedCall:
        keyword = self.next("CALL or EXECUTE")
        if keyword.kind != "ident" or keyword.text.lower() not in KEYWORDS:
            raise self.error(keyword, "CALL or EXECUTE")
        name_token = self.next("a procedure name")
        if name_token.kind != "ident":
            raise self.error(name_token, "a procedure name")
        name = _identifier(name_token.text)
        if keyword.text.lower() == "call":
            # "CALL Name" without parentheses is a call without arguments.
            following = self.peek()
            ends = following is None or following.text == ";"
            arguments = [] if ends else self.parenthesized()
        else:
            arguments = self.parenthesized() if self.accept_lookahead("(") else self.arguments(";")
        self.accept("punct", ";")
        trailing = self.peek()
        if trailing is not None:
            raise self.error(trailing, "the end of the statement")
        return ParsedCall(name, tuple(arguments))

    def accept_lookahead(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "punct" and token.text == text

    def parenthesized(self) -> list[Argument]:
        opening = self.next("(")
        if opening.text != "(":
            raise self.error(opening, "(")
        if self.accept("punct", ")"):
            return []
        arguments = self.arguments(")")
        closing = self.next(")")
        if closing.text != ")":
            raise self.error(closing, ", or )")
        return arguments

    def arguments(self, terminator: str) -> list[Argument]:
        arguments: list[Argument] = []
        token = self.peek()
        if token is None or token.text == terminator:
            return arguments
        while True:
            arguments.append(self.argument())
            if not self.accept("punct", ","):
                return arguments

    def argument(self) -> Argument:
        token, following = self.peek(), self.peek(1)
        if (
            token is not None
            and token.kind == "ident"
            and following is not None
            and following.kind in ("arrow", "punct")
            and following.text in ("=>", "=")
        ):
            self.index += 2
            return Argument(_identifier(token.text).lstrip("@"), self.value())
        return Argument(None, self.value())

    def value(self) -> Value:
        token = self.next("a value")
        if token.kind == "string":
            return token.text[1:-1].replace("''", "'")
        if token.kind == "number":
            text = token.text
            return float(text) if any(c in text for c in ".eE") else int(text)
        if token.kind == "qmark":
            if len(token.text) > 1:
                return Placeholder(index=int(token.text[1:]) - 1)
            self.qmarks += 1
            return Placeholder(index=self.qmarks - 1)
        if token.kind == "named":
            return Placeholder(name=token.text[1:])
        if token.kind == "ident":
            word = token.text.lower()
            if word == "null":
                return None
            if word in ("true", "false"):
                return word == "true"
        raise self.error(token, "a value (a literal, ?, or :name)")


def _identifier(text: str) -> str:
    if text[:1] in ('"', "[", "`"):
        inner = text[1:-1]
        return inner.replace('""', '"') if text[0] == '"' else inner
    return text
