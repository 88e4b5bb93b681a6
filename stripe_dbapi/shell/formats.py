"""Output formats: one result set (column names, type codes, rows) written to a stream.

Values are written exactly: ids and integers as they are, datetimes as ISO 8601 UTC
(``2026-01-11T00:00:00Z``), and in json/jsonl a ``json`` column's text as a JSON value.
"""

from __future__ import annotations

import csv
import datetime
import json
import math
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, TextIO

Writer = Callable[[TextIO, Sequence[str], Sequence[str], Sequence[Sequence[Any]]], None]


def iso_utc(value: datetime.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.isoformat() + "Z"


def as_text(value: Any) -> str:
    """A value as text for table, markdown and csv: NULL is empty, booleans lower case."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return iso_utc(value)
    if isinstance(value, bytes):  # a BLOB (x'00ff', randomblob()), as psql shows bytea
        return "\\x" + value.hex()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value).replace("inf", "Infinity").replace("nan", "NaN")  # as PostgreSQL
    return str(value)


def _beyond_json(value: Any) -> bool:
    """Values JSON cannot hold as they are: bytes, infinities and NaN (written as text)."""
    return isinstance(value, bytes) or isinstance(value, float) and not math.isfinite(value)


def rows_text(count: int) -> str:
    """``1 row``, ``3 rows``: how every count of rows reads (tables, OK lines)."""
    return f"{count} row{'' if count == 1 else 's'}"


def as_json(value: Any, type_code: str) -> Any:
    """A value as a JSON value: a ``json`` column's text is parsed, not quoted (text that
    is not JSON, as COALESCE(refunds, 'none') can give, stays a string)."""
    if isinstance(value, str) and type_code == "json":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    if isinstance(value, datetime.datetime):
        return iso_utc(value)
    if _beyond_json(value):
        return as_text(value)
    return value


def unique_names(names: Sequence[str]) -> list[str]:
    """Column names as JSON keys, which must differ: a repeated name (``SELECT c.id,
    ch.id``) gets ``_2``, ``_3``... so that no column's values are lost."""
    taken = set(names)
    keys: list[str] = []
    for name in names:
        key, n = name, 1
        # Never a name another column has: SELECT id, id, id_2 gives id, id_3, id_2.
        while key in keys or (key != name and key in taken):
            n += 1
            key = f"{name}_{n}"
        keys.append(key)
    return keys


def _records(names: Sequence[str], types: Sequence[str], rows: Sequence[Sequence[Any]]):
    keys = unique_names(names)
    for row in rows:
        yield {key: as_json(v, t) for key, t, v in zip(keys, types, row, strict=True)}


def write_json(out: TextIO, names, types, rows) -> None:
    out.write(json.dumps(list(_records(names, types, rows)), indent=2, ensure_ascii=False))
    out.write("\n")


def write_jsonl(out: TextIO, names, types, rows) -> None:
    for record in _records(names, types, rows):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_csv(out: TextIO, names, types, rows) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows([as_text(v) for v in row] for row in rows)


# Characters that would break a row over lines or jump to a tab stop.
_ONE_LINE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def display_width(text: str) -> int:
    """The columns ``text`` takes on a terminal: East Asian wide characters (日本, most
    emoji) take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _cells(names, rows) -> tuple[list[str], list[list[str]], list[int]]:
    header = list(names)
    body = [[as_text(v).translate(_ONE_LINE) for v in row] for row in rows]
    widths = [
        max([display_width(h)] + [display_width(r[i]) for r in body])
        for i, h in enumerate(header)
    ]
    return header, body, widths


def write_table(out: TextIO, names, types, rows) -> None:
    header, body, widths = _cells(names, rows)

    def line(cells: Sequence[str]) -> str:
        return " | ".join(
            c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    out.write(line(header) + "\n")
    out.write("-+-".join("-" * w for w in widths) + "\n")
    for cells in body:
        out.write(line(cells) + "\n")
    out.write(f"({rows_text(len(body))})\n")


def write_markdown(out: TextIO, names, types, rows) -> None:
    header, body, _ = _cells(names, rows)

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    out.write(line(header) + "\n")
    out.write("|" + "|".join(" --- " for _ in header) + "|\n")
    for cells in body:
        out.write(line(cells) + "\n")


FORMATS: dict[str, Writer] = {
    "table": write_table,
    "csv": write_csv,
    "json": write_json,
    "jsonl": write_jsonl,
    "markdown": write_markdown,
}
