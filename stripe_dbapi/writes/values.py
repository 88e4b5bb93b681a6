"""Constant SQL expressions (VALUES items, SET right-hand sides) -> Python values.

Literals are read directly; anything else constant (``10 * 100``,
``json_object('tier', 'gold')``, ``datetime('now')``) is evaluated by SQLite,
the project's one evaluator of SQL semantics, so it means what SQLite says.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlglot import exp

from ..exceptions import ProgrammingError
from ..sql.constants import evaluate_constant


def constant_value(expression: exp.Expression, what: str) -> Any:
    if isinstance(expression, exp.Paren):
        return constant_value(expression.this, what)
    if isinstance(expression, exp.Null):
        return None
    if isinstance(expression, exp.Boolean):
        return bool(expression.this)
    if isinstance(expression, exp.Literal):
        return _literal(expression)
    if (
        isinstance(expression, exp.Neg)
        and isinstance(expression.this, exp.Literal)
        and not expression.this.is_string
    ):
        return -_literal(expression.this)
    if expression.find(exp.Column, exp.Select, exp.Placeholder, exp.Parameter):
        raise ProgrammingError(
            f"{what} must be a constant (a literal or a bound parameter), got "
            f"{expression.sql('sqlite')!r}"
        )
    return _evaluate(expression, what)


def _literal(literal: exp.Literal) -> Any:
    if literal.is_string:
        return literal.this
    text = str(literal.this)
    try:
        return int(text)
    except ValueError:
        return float(text)


def _evaluate(expression: exp.Expression, what: str) -> Any:
    try:
        return evaluate_constant(expression)
    except sqlite3.Error as error:
        raise ProgrammingError(
            f"cannot evaluate {what} {expression.sql('sqlite')!r}: {error}"
        ) from None
