"""The project's sqlglot dialect: SQLite, with the round-trip differences fixed.

The SQL that SQLite finally runs is regenerated from sqlglot's tree, so any
construct sqlglot writes back differently from how it read it changes meaning.
Known differences (checked by tests/sql/test_dialect.py on sqlglot 28.10 and 30.x):

- sqlglot 28.10 writes ``json_extract(metadata, '$.tier')`` back as
  ``metadata -> '$.tier'``. In SQLite ``->`` returns JSON text (``"gold"`` with
  quotes), so ``= 'gold'`` would match nothing. We always write ``json_extract``.
- Identifiers are written in backticks, not double quotes: SQLite reads an unknown
  double-quoted name as a string literal (``SELECT "nope"`` gives 'nope' instead
  of "no such column"), but never a backticked one. Input accepts all three forms.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.dialects.sqlite import SQLite


def _json_extract_sql(self, expression: exp.JSONExtract) -> str:
    # json_extract() returns SQL values (text, integer, ...), like ->> does for
    # scalars; `->` would return JSON text instead.
    # Both sqlglot lines mark the `->` operator form with an only_json_types arg;
    # 28.10 also reads the json_extract() function as JSONExtract, without it.
    if expression.args.get("only_json_types") is not None:
        return self.binary(expression, "->")
    return self.func("json_extract", expression.this, expression.expression)


class StripeSQLite(SQLite):
    """SQLite as read and written by stripe_dbapi."""

    class Tokenizer(SQLite.Tokenizer):
        IDENTIFIERS = ["`", '"', ("[", "]")]  # noqa: RUF012 - sqlglot's convention; first = output

    # sqlglot 30 makes SQLite.Generator an alias of SQLiteGenerator (a class attribute),
    # which mypy takes for a variable; it is a class on every sqlglot.
    class Generator(SQLite.Generator):  # type: ignore[misc,valid-type]
        TRANSFORMS = {  # noqa: RUF012 - sqlglot's convention
            **SQLite.Generator.TRANSFORMS,
            exp.JSONExtract: _json_extract_sql,
        }


DIALECT = StripeSQLite


def to_sql(expression: exp.Expression) -> str:
    """SQL text for SQLite; identifiers quoted so Stripe names never clash with keywords."""
    return expression.sql(dialect=DIALECT, identify=True)
