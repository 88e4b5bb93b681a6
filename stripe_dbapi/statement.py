"""The one statement classifier: what a piece of SQL text is, before anything runs.

``execute``, ``executemany`` and EXPLAIN all start here, so a statement is
classified once and the same way everywhere:

- an optional ``EXPLAIN`` (or SQLite's ``EXPLAIN QUERY PLAN``) prefix, which
  works in front of every kind below;
- ``CALL`` / ``EXEC`` / ``EXECUTE``: a Stripe action (stripe_dbapi/procedures),
  kept as text because sqlglot has no node for it;
- otherwise the text is parsed by stripe_dbapi/sql/parse.py: a query
  (``select``) or an INSERT/UPDATE/DELETE (``write``); anything else is refused
  there (DDL, PRAGMA, ... are NotSupportedError).

Leading comments and whitespace are skipped when looking for the first word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

from .exceptions import InterfaceError, ProgrammingError
from .procedures.syntax import KEYWORDS as PROCEDURE_KEYWORDS

SELECT, WRITE, CALL = "select", "write", "call"

_SPACE_OR_COMMENTS = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.DOTALL)
_WORD = re.compile(r"[A-Za-z]+\b")
_QUERY_PLAN = re.compile(r"\s+QUERY\s+PLAN\b", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    """One classified statement. ``text`` is the SQL after any EXPLAIN prefix;
    ``start`` is where it begins in the original text (for error carets);
    ``tree`` is the parsed query or write, None for a CALL."""

    kind: str  # SELECT, WRITE or CALL
    explain: bool
    text: str
    start: int
    tree: exp.Expression | None = None


def classify(sql: str) -> Statement:
    """Classify and parse ``sql``; ProgrammingError / NotSupportedError if it is no
    statement the driver runs. No request is made."""
    from .sql.parse import WRITE_TYPES, parse_statement

    if not isinstance(sql, str):
        raise InterfaceError(f"the SQL statement must be a string, not {type(sql).__name__}")
    start, explain = 0, False
    word, end = _first_word(sql, 0)
    if word == "explain":
        explain = True
        start = end
        plan = _QUERY_PLAN.match(sql, start)
        if plan:
            start = plan.end()
        word, _ = _first_word(sql, start)
        if word is None and not sql[start:].strip(" \t\r\n;"):
            raise ProgrammingError("EXPLAIN needs a statement after it: EXPLAIN SELECT ...")
    text = sql[start:]
    if word in PROCEDURE_KEYWORDS:
        return Statement(CALL, explain, text, start)
    tree = parse_statement(sql, start=start)
    kind = WRITE if isinstance(tree, WRITE_TYPES) else SELECT
    return Statement(kind, explain, text, start, tree)


def _first_word(sql: str, position: int) -> tuple[str | None, int]:
    """The first word at or after ``position`` (lower case, skipping whitespace
    and comments) and where it ends; (None, position) if the text starts otherwise."""
    skipped = _SPACE_OR_COMMENTS.match(sql, position)
    assert skipped is not None  # the pattern matches the empty string too
    position = skipped.end()
    match = _WORD.match(sql, position)
    if match is None:
        return None, position
    return match.group().lower(), match.end()
