"""SQL text -> one sqlglot expression, with PEP 249 errors.

The language is SQLite's (docs/architecture.md, "Parse"). A syntax error becomes a
ProgrammingError that shows line, column and a caret under the spot; statements
the driver does not run (DDL, PRAGMA, ATTACH, VACUUM, ...) become
NotSupportedError. Which statement kind a text is (EXPLAIN, CALL, query,
write) is decided by stripe_dbapi/statement.py, which calls this for the text
sqlglot parses.
"""

from __future__ import annotations

import difflib
import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

from stripe_dbapi.exceptions import NotSupportedError, ProgrammingError
from stripe_dbapi.sql.depth import balance_long_chains
from stripe_dbapi.sql.dialect import DIALECT

QUERY_TYPES = (exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Subquery)
WRITE_TYPES = (exp.Insert, exp.Update, exp.Delete)

def parse_statement(sql: str, *, start: int = 0) -> exp.Expression:
    """Parse exactly one query or INSERT/UPDATE/DELETE: ``sql[start:]`` (errors point
    into the whole ``sql``, so a caret lands right after an EXPLAIN prefix)."""
    text = sql[start:]
    expression = balance_long_chains(_parse_one(text, offset=start, full_text=sql))
    if isinstance(expression, QUERY_TYPES):
        keep_projection_text(expression, text)
    if isinstance(expression, WRITE_TYPES):
        _check_write_shape(expression)
    if isinstance(expression, QUERY_TYPES + WRITE_TYPES):
        return expression
    raise NotSupportedError(
        f"{_statement_name(expression)} is not supported: Stripe's schema is fixed; "
        "use SELECT, INSERT, UPDATE, DELETE, CALL or EXPLAIN"
    )


# Other drivers' placeholder styles, outside string literals and quoted names.
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|\[[^\]]*\]")
_FOREIGN_PLACEHOLDER = re.compile(r"%\(\w+\)s|%s\b|\?\d+|\$\d+|@\w+|\{\w*\}")


def foreign_placeholders(sql: str) -> str | None:
    """A message when ``sql`` uses a placeholder style this driver does not take
    (``%s``, ``%(name)s``, ``$1``, ``?1``, ``@name``, ``{name}``), else None."""
    match = _FOREIGN_PLACEHOLDER.search(_QUOTED.sub("''", sql))
    if match is None:
        return None
    return (f"{match.group()} is not a placeholder here: use ? (with a sequence of parameters) "
            "or :name (with a mapping)")


def _check_write_shape(expression: exp.Expression) -> None:
    """sqlglot accepts writes SQLite does not (``DELETE customers``, ``UPDATE t`` without
    SET, ``INSERT INTO t`` without rows): refuse them here, saying what is missing."""
    if isinstance(expression, exp.Delete) and not isinstance(expression.this, exp.Table):
        raise ProgrammingError(
            "DELETE needs FROM and one table: DELETE FROM customers WHERE id = ?"
        )
    if isinstance(expression, exp.Update) and not expression.expressions:
        raise ProgrammingError("UPDATE needs SET: UPDATE customers SET name = ? WHERE id = ?")
    if (
        isinstance(expression, exp.Insert)
        and expression.expression is None
        and not expression.args.get("default")
    ):
        raise ProgrammingError(
            "INSERT needs VALUES or a SELECT: INSERT INTO customers (name) VALUES (?)"
        )


def _parse_one(sql: str, *, offset: int, full_text: str) -> exp.Expression:
    try:
        # Every statement node is an Expression (sqlglot 30 types them as its base, Expr).
        statements = [s for s in sqlglot.parse(sql, read=DIALECT) if isinstance(s, exp.Expression)]
    except ParseError as error:
        unknown = _unknown_leading_word(sql, offset, full_text) or foreign_placeholders(sql)
        if unknown is not None:
            raise ProgrammingError(unknown) from None
        detail = error.errors[0] if error.errors else {}
        line, col = detail.get("line"), detail.get("col")
        description = detail.get("description") or str(error)
        if offset and line is not None and col is not None:
            # sqlglot counts from the start of the parsed text; the caret goes under the full text.
            if line == 1:
                col += offset - (full_text.rfind("\n", 0, offset) + 1)
            line += full_text.count("\n", 0, offset)
        raise ProgrammingError(
            _with_caret(f"Syntax error: {_tidy(description)}", full_text, line, col)
        ) from None
    except TokenError as error:
        raise ProgrammingError(f"Syntax error: {error}") from None
    if not statements:
        raise ProgrammingError("Empty statement: nothing to execute")
    if len(statements) > 1:
        raise ProgrammingError("Only one statement per execute(); split the text on ';'")
    return statements[0]


# Tokens that end a SELECT list at parenthesis depth 0.
_LIST_END = {
    TokenType.FROM,
    TokenType.WHERE,
    TokenType.GROUP_BY,
    TokenType.HAVING,
    TokenType.ORDER_BY,
    TokenType.LIMIT,
    TokenType.UNION,
    TokenType.INTERSECT,
    TokenType.EXCEPT,
    TokenType.WINDOW,
    TokenType.SEMICOLON,
}


def keep_projection_text(query: exp.Expression, sql: str) -> None:
    """Name unaliased computed result columns by their text as written, as SQLite does
    (``max(created)``, not sqlglot's regenerated ``MAX(created)``): each is aliased with
    its span of the top-level SELECT list. Best effort: if the list cannot be matched
    to the tree, names are left to resolve.py (sqlglot's text)."""
    select = query
    while isinstance(select, (exp.Union, exp.Intersect, exp.Except)):
        select = select.this
    if not isinstance(select, exp.Select):
        return
    spans = _select_list_spans(sql)
    if spans is None or len(spans) != len(select.expressions):
        return
    for projection, (start, end) in zip(list(select.expressions), spans, strict=True):
        if not isinstance(projection, (exp.Alias, exp.Column, exp.Star)):
            projection.replace(exp.alias_(projection.copy(), sql[start:end], quoted=True))


def _select_list_spans(sql: str) -> list[tuple[int, int]] | None:
    """(start, end) of each item of the first SELECT list at depth 0."""
    try:
        tokens = DIALECT().tokenize(sql)
    except TokenError:
        return None
    depth, position = 0, None
    for i, token in enumerate(tokens):
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and token.token_type == TokenType.SELECT:
            position = i + 1
            break
    if position is None:
        return None
    while position < len(tokens) and tokens[position].token_type in (
        TokenType.DISTINCT,
        TokenType.ALL,
    ):
        position += 1
    spans: list[tuple[int, int]] = []
    item: list = []  # the tokens of the current item
    depth = 0
    for token in tokens[position:]:
        if depth == 0 and (token.token_type in _LIST_END or token.token_type == TokenType.COMMA):
            if not item:
                return None
            spans.append((item[0].start, item[-1].end + 1))
            item = []
            if token.token_type != TokenType.COMMA:
                break
            continue
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        item.append(token)
    else:
        if item:
            spans.append((item[0].start, item[-1].end + 1))
    return spans


STATEMENT_KEYWORDS = (
    "SELECT",
    "WITH",
    "INSERT",
    "UPDATE",
    "DELETE",
    "EXPLAIN",
    "CALL",
    "EXECUTE",
    "VALUES",
)


def _unknown_leading_word(sql: str, offset: int, full_text: str) -> str | None:
    """A statement starting with a word that is no keyword (``SELEC id FROM t``): sqlglot
    reports a later token; point at the word itself and name the nearest keyword."""
    try:
        tokens = DIALECT().tokenize(sql)
    except TokenError:
        return None
    if not tokens or tokens[0].token_type != TokenType.VAR:
        return None
    word = tokens[0].text
    start = offset + tokens[0].start
    line = full_text.count("\n", 0, start) + 1
    col = start - (full_text.rfind("\n", 0, start) + 1) + 1
    near = difflib.get_close_matches(word.upper(), STATEMENT_KEYWORDS, n=1, cutoff=0.6)
    hint = f" (did you mean {near[0]}?)" if near else ""
    return _with_caret(
        f"Syntax error: {word!r} does not start a statement{hint}", full_text, line, col
    )


def _tidy(description: str) -> str:
    # sqlglot names its end-of-input token SENTINEL; say what a user sees.
    description = re.sub(
        r"<Token token_type: TokenType\.SENTINEL[^>]*>", "end of input", description
    )
    return _MISSING_PART.sub(_missing_part, description)


# sqlglot's "Required keyword: 'this' missing for <class 'sqlglot.expressions.query.Where'>":
# the SQL word of the node that is incomplete, in the user's terms.
_MISSING_PART = re.compile(
    r"Required keyword: '(\w+)' missing for <class 'sqlglot\.(?:\w+\.)*(\w+)'>"
)
_SQL_WORDS = {
    "Where": "WHERE",
    "Having": "HAVING",
    "Order": "ORDER BY",
    "Group": "GROUP BY",
    "Limit": "LIMIT",
    "Offset": "OFFSET",
    "Values": "VALUES",
    "Union": "UNION",
    "Intersect": "INTERSECT",
    "Except": "EXCEPT",
    "If": "CASE WHEN ... THEN",
    "Case": "CASE",
    "Between": "BETWEEN ... AND ...",
    "Like": "LIKE",
    "Glob": "GLOB",
    "In": "IN",
    "Is": "IS",
    "And": "AND",
    "Or": "OR",
    "Not": "NOT",
    "EQ": "=",
    "NEQ": "<>",
    "GT": ">",
    "GTE": ">=",
    "LT": "<",
    "LTE": "<=",
    "Mod": "%",
    "Add": "+",
    "Sub": "-",
    "Mul": "*",
    "Div": "/",
    "DPipe": "||",
    "Join": "JOIN",
    "Alias": "AS",
    "Cast": "CAST",
    "Set": "SET",
}


def _missing_part(match: re.Match) -> str:
    node = match.group(2)
    word = _SQL_WORDS.get(node, node.upper())
    return f"'{word}' is incomplete: something is missing after it"


def _with_caret(message: str, sql: str, line, col) -> str:
    if line is None or col is None:
        return message
    lines = sql.splitlines() or [""]
    text = lines[min(line, len(lines)) - 1]
    # sqlglot's col is the 1-based column of the offending token's last character.
    caret_at = max(min(col, len(text)) - 1, 0)
    return f"{message} at line {line}, column {col}\n{text}\n{' ' * caret_at}^"


def _statement_name(expression: exp.Expression) -> str:
    if isinstance(expression, exp.Command):
        return str(expression.this).upper()
    if isinstance(expression, exp.Create):
        return f"CREATE {expression.args.get('kind') or ''}".strip()
    if isinstance(expression, exp.Drop):
        return f"DROP {expression.args.get('kind') or ''}".strip()
    return type(expression).__name__.upper()
