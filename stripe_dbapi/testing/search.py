"""Stripe's Search query language: parse a query, then test objects against it.

Grammar (https://docs.stripe.com/search#search-query-language):
``clause (("AND" | " ") clause)*`` or ``clause ("OR" clause)*`` — not both;
``clause := ["-"] field op value``; ``field := name("." name)* | metadata["key"]``;
``op := ":" | "~" | ">" | "<" | ">=" | "<=" | "="``; ``value := "string" | number | null``.

Field kinds (from the catalog's ``SearchSpec.fields``):
- token: exact, case-insensitive;
- string: ``:`` matches when the field contains the query's words in order
  (case-insensitive); ``~`` is a substring match of at least 3 characters;
- numeric: exact or compared with ``> < >= <=``.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from .behaviours.lists import invoice_subscription_id
from .errors import invalid

MAX_QUERY_LENGTH = 5000
MAX_CLAUSES = 10

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<metadata>metadata\["(?P<mkey>(?:[^"\\]|\\.)*)"\])
  | (?P<field>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<op>>=|<=|:|~|>|<|=)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<minus>-)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Clause:
    field: str  # "email", "metadata.order_id" style for metadata is kept in metadata_key
    op: str
    value: str | float | None  # None = null
    negated: bool = False
    metadata_key: str | None = None


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...]
    any_of: bool  # True: OR; False: AND


def _error(message: str) -> Exception:
    return invalid(message, param="query")


def _tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise _error(
                f"Invalid query: unexpected character at position {position}: {text[position]!r}"
            )
        position = match.end()
        kind = match.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        if kind == "space":
            continue
        if kind == "mkey":
            kind = "metadata"
        if kind == "metadata":
            out.append(("metadata", _unescape(match.group("mkey"))))
        elif kind == "string":
            out.append(("string", _unescape(match.group()[1:-1])))
        elif kind == "field" and match.group() in ("AND", "OR"):
            out.append(("join", match.group()))
        elif kind == "field" and match.group() == "null":
            out.append(("null", None))
        else:
            out.append((kind, match.group()))
    return out


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse_query(text: str, fields: dict[str, str]) -> Query:
    """Parse ``text``; ``fields`` maps each searchable field to token/string/numeric."""
    if not text or not text.strip():
        raise _error("A search query is required: query must not be empty.")
    if len(text) > MAX_QUERY_LENGTH:
        raise _error(f"The query is too long: at most {MAX_QUERY_LENGTH} characters.")
    tokens = _tokens(text)
    clauses: list[Clause] = []
    joins: set[str] = set()
    i = 0
    while i < len(tokens):
        if clauses:
            if tokens[i][0] == "join":
                joins.add(tokens[i][1])
                i += 1
            else:
                joins.add("AND")  # whitespace means AND
        clause, i = _clause(tokens, i, fields)
        clauses.append(clause)
    if len(joins) > 1:
        raise _error("Invalid query: AND and OR cannot be combined in one query.")
    if len(clauses) > MAX_CLAUSES:
        raise _error(f"Invalid query: at most {MAX_CLAUSES} clauses are allowed.")
    return Query(tuple(clauses), joins == {"OR"})


def _clause(tokens: list, i: int, fields: dict[str, str]) -> tuple[Clause, int]:
    def take(kind: str, what: str):
        nonlocal i
        if i >= len(tokens) or tokens[i][0] not in kind.split("|"):
            found = "end of query" if i >= len(tokens) else repr(tokens[i][1])
            raise _error(f"Invalid query: expected {what}, found {found}.")
        token = tokens[i]
        i += 1
        return token

    negated = False
    if i < len(tokens) and tokens[i][0] == "minus":
        negated = True
        i += 1
    kind, name = take("field|metadata", "a field name")
    metadata_key = name if kind == "metadata" else None
    field = "metadata" if metadata_key is not None else name
    if field not in fields:
        known = ", ".join(sorted(fields))
        raise _error(
            f"Field `{field}` is an unsupported search field for this resource. Supported fields: "
            f"{known}."
        )
    _, op = take("op", "an operator (: ~ > < >= <= =)")
    value_kind, value = take("string|number|null", "a value (quoted string, number or null)")
    field_kind = fields[field]
    if value_kind == "number":
        value = float(value)
    if op in (">", "<", ">=", "<=", "=") and (field_kind != "numeric" or value_kind != "number"):
        raise _error(f"Invalid query: `{op}` needs a numeric field and a number (field `{field}`).")
    if op == "~":
        if field_kind != "string" or value_kind != "string":
            raise _error(
                f"Invalid query: `~` is only supported on string fields (field `{field}`)."
            )
        if len(value) < 3:
            raise _error("Invalid query: substring (~) values must be at least 3 characters long.")
    if value_kind == "string" and field_kind == "numeric":
        raise _error(f"Invalid query: field `{field}` is numeric; use an unquoted number.")
    if value_kind == "number" and field_kind != "numeric":
        raise _error(f"Invalid query: field `{field}` needs a quoted string value.")
    return Clause(field, op, value, negated, metadata_key), i


# -- evaluation ---------------------------------------------------------------


def matches(query: Query, obj: dict, fields: dict[str, str]) -> bool:
    results = (_clause_matches(c, obj, fields[c.field]) != c.negated for c in query.clauses)
    return any(results) if query.any_of else all(results)


def _value_at(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict) and "id" in value:  # an expanded reference
        return str(value["id"])
    return str(value)


_WORD = re.compile(r"\w+", re.UNICODE)


def _contains_words_in_order(haystack: str, needle: str) -> bool:
    words = _WORD.findall(haystack.lower())
    wanted = _WORD.findall(needle.lower())
    position = 0
    for word in wanted:
        try:
            position = words.index(word, position) + 1
        except ValueError:
            return False
    return True


def _clause_matches(clause: Clause, obj: dict, kind: str) -> bool:
    if clause.metadata_key is not None:
        raw = (obj.get("metadata") or {}).get(clause.metadata_key)
    else:
        raw = _value_at(obj, clause.field)
        if clause.field == "refunded" and obj.get("object") == "charge":
            # Stripe: "true" = fully refunded, "false" = partially, null = none.
            refunded_amount = obj.get("amount_refunded") or 0
            raw = True if obj.get("refunded") else (False if refunded_amount else None)
        elif clause.field == "subscription" and obj.get("object") == "invoice":
            raw = invoice_subscription_id(obj)  # parent.subscription_details since 2025-03
    if clause.value is None:
        return raw is None or raw == ""
    if kind == "numeric":
        if raw is None or isinstance(raw, bool):
            return False
        number, wanted = float(raw), float(clause.value)
        return {
            ":": number == wanted,
            "=": number == wanted,
            ">": number > wanted,
            "<": number < wanted,
            ">=": number >= wanted,
            "<=": number <= wanted,
        }[clause.op]
    text = _text(raw)
    if text is None:
        return False
    if kind == "token":
        return text.lower() == str(clause.value).lower()
    if clause.op == "~":
        return str(clause.value).lower() in text.lower()
    return _contains_words_in_order(text, str(clause.value))


# -- pages -------------------------------------------------------------------------


def encode_page(offset: int) -> str:
    return "page_" + base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_page(token: str) -> int:
    try:
        raw = token.removeprefix("page_")
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        return int(text.split(":", 1)[1])
    except (ValueError, IndexError):  # binascii.Error and UnicodeDecodeError are ValueErrors
        raise invalid(
            f"Invalid page: {token!r} is not a next_page value from a previous search.",
            param="page",
        ) from None
