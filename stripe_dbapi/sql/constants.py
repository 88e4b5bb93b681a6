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

_local = threading.local()


def evaluate_constant(expression: exp.Expression) -> Any:
    """The value of a column-free expression; raises ``sqlite3.Error`` if SQLite cannot."""
    db = getattr(_local, "db", None)
    if db is None:
        # One small in-memory database per thread: sqlite3 connections are not
        # shared across threads, and opening one per value is wasted work.
        db = _local.db = sqlite3.connect(":memory:")
    return db.execute("SELECT " + expression.sql(dialect=DIALECT)).fetchone()[0]
