"""Statement compilation: SQLite's SQL, shaped for the driver's planner.

The driver parses SQLite SQL (sqlglot) and pushes what it can to Stripe, so the
compiler starts from SQLAlchemy's SQLite compiler and changes only what would
get in the planner's way or what SQLAlchemy 1.4's SQLite compiler lacks.
"""

from __future__ import annotations

from sqlalchemy import __version__ as _sqlalchemy_version
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler, SQLiteDDLCompiler
from sqlalchemy.exc import CompileError
from sqlalchemy.sql import compiler, expression

SQLALCHEMY_2 = int(_sqlalchemy_version.split(".")[0]) >= 2


class StripeCompiler(SQLiteCompiler):
    def limit_clause(self, select, **kw):
        # SQLite's compiler adds "OFFSET 0" to every LIMIT; a bare LIMIT is what
        # the planner can push to Stripe as the list request's row cap.
        text = ""
        if select._limit_clause is not None:
            text += "\n LIMIT " + self.process(select._limit_clause, **kw)
        if select._offset_clause is not None:
            if select._limit_clause is None:
                text += "\n LIMIT -1"  # SQLite: OFFSET needs a LIMIT; -1 = none
            text += " OFFSET " + self.process(select._offset_clause, **kw)
        return text

    # x IN () renders as "x IN (NULL) AND (1 != 1)", SQLAlchemy's generic form,
    # instead of SQLite's "IN (SELECT 1 FROM (SELECT 1) WHERE 1!=1)": the planner
    # sees a condition that is never true and sends no request at all.
    visit_empty_set_op_expr = compiler.SQLCompiler.visit_empty_set_op_expr

    def visit_true(self, expr, **kw):
        # SQLite (>= 3.23) reads TRUE/FALSE; they keep the planner's
        # `active = true` a boolean comparison it can push down.
        return "TRUE"

    def visit_false(self, expr, **kw):
        return "FALSE"

    if not SQLALCHEMY_2:
        # SQLAlchemy 1.4's SQLite compiler predates SQLite's RETURNING (3.35);
        # the driver has it on INSERT/UPDATE, and the ORM needs it for Stripe ids.
        def returning_clause(self, stmt, returning_cols):
            # Bare column names, as SQLite's RETURNING wants and 2.x renders them.
            columns = [
                self._label_returning_column(
                    stmt,
                    column,
                    column_clause_args={"include_table": False},
                    fallback_label_name=column._non_anon_label,
                )
                for column in expression._select_iterables(returning_cols)
            ]
            return "RETURNING " + ", ".join(columns)


class StripeDDLCompiler(SQLiteDDLCompiler):
    """Stripe's tables are defined by Stripe's API: DDL fails at compile time
    with a reason, before anything is sent."""

    def _refuse(self, what: str):
        raise CompileError(
            f"{what} is not supported: Stripe's tables are fixed by its API "
            "(reflect them with MetaData.reflect or declare models on the existing tables)"
        )

    def visit_create_table(self, create, **kw):
        self._refuse(f"CREATE TABLE {create.element.name}")

    def visit_drop_table(self, drop, **kw):
        self._refuse(f"DROP TABLE {drop.element.name}")

    def visit_create_index(self, create, **kw):
        self._refuse("CREATE INDEX")

    def visit_drop_index(self, drop, **kw):
        self._refuse("DROP INDEX")
