"""Evaluating column-free SQL expressions (``date('now', '-7 days')``,
``json_object('tier', 'gold')``) with SQLite, the one evaluator of SQL semantics.

The planner folds such expressions before pushdown and the writers compute
INSERT/UPDATE values with it; both go through the project's dialect so the
expression means the same as it would inside a query.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from sqlglot import exp

from .dialect import DIALECT
from .tree import Node

_local = threading.local()
# Functions whose value changes from call to call: never folded to one value.
_VOLATILE = ("random", "randomblob", "changes", "last_insert_rowid", "total_changes")


def evaluate_constant(expression: exp.Expression) -> Any:
    """The value of a column-free expression; raises ``sqlite3.Error`` if SQLite cannot."""
    db = getattr(_local, "db", None)
    if db is None:
        # One small in-memory database per thread: sqlite3 connections are not
        # shared across threads, and opening one per value is wasted work.
        db = _local.db = sqlite3.connect(":memory:")
    return db.execute("SELECT " + expression.sql(dialect=DIALECT)).fetchone()[0]


def truth_of(condition: Node) -> bool | None:
    """What SQLite makes of a column-free condition in a WHERE: True, False, or
    None (NULL, which a WHERE treats as false). 'a' is false, '1x' true, as in SQLite."""
    test = exp.Case(
        ifs=[
            exp.If(this=exp.paren(condition.copy()), true=exp.Literal.number(1)),
            exp.If(this=exp.not_(exp.paren(condition.copy())), true=exp.Literal.number(0)),
        ]
    )
    value = evaluate_constant(test)
    return None if value is None else bool(value)


def is_volatile(expression: Node) -> bool:
    """Whether the expression calls a function whose value changes per call (random())."""
    for func in expression.find_all(exp.Func):
        name = func.name if isinstance(func, exp.Anonymous) else func.sql_name()
        if isinstance(func, exp.Rand) or name.lower() in _VOLATILE:
            return True
    return False
