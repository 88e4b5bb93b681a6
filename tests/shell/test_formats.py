"""The output formats (shell/formats.py) on result sets the end-to-end tests do not
reach: repeated column names."""

from __future__ import annotations

import io
import json

import pytest

from stripe_dbapi.shell.formats import FORMATS

# SELECT c.id, ch.id, ch.id_2 ... FROM customers c JOIN charges ch: two columns named id.
NAMES = ["id", "id", "id_2", "metadata"]
TYPES = ["string", "string", "string", "json"]
ROWS = [("cus_1", "ch_1", "x", '{"a": 1}')]
RECORD = {"id": "cus_1", "id_3": "ch_1", "id_2": "x", "metadata": {"a": 1}}


def written(fmt: str) -> str:
    out = io.StringIO()
    FORMATS[fmt](out, NAMES, TYPES, ROWS)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_a_repeated_column_name_keeps_its_values_under_a_new_key(fmt):
    text = written(fmt)
    records = json.loads(text) if fmt == "json" else [json.loads(line) for line in
                                                       text.splitlines()]
    assert records == [RECORD]
    assert list(records[0]) == ["id", "id_3", "id_2", "metadata"]  # in column order


def test_csv_keeps_the_names_as_they_are():
    assert written("csv").splitlines()[0] == "id,id,id_2,metadata"


def test_the_table_aligns_wide_characters_and_keeps_each_row_on_one_line():
    out = io.StringIO()
    FORMATS["table"](out, ["name", "note"], ["string", "string"],
                     [("Zoë 日本", "a\tb"), ("Bob", "x\r\ny"), ("e\u0301👍", None)])
    # 日, 本 and 👍 take two columns of a terminal, the accent of e + U+0301 none.
    assert out.getvalue() == (
        "name     | note\n"
        "---------+-----\n"
        "Zoë 日本 | a b\n"
        "Bob      | x  y\n"
        "e\u0301👍      |\n"
        "(3 rows)\n"
    )


def test_values_json_cannot_hold_are_written_as_text_in_every_format():
    names, types = ["blob", "big", "small"], ["string", "number", "number"]
    rows = [(b"\x00\xff", float("inf"), float("-inf"))]
    out = io.StringIO()
    FORMATS["jsonl"](out, names, types, rows)  # json.dumps wrote Infinity, or failed
    assert json.loads(out.getvalue(), parse_constant=pytest.fail) == {
        "blob": "\\x00ff", "big": "Infinity", "small": "-Infinity"}
    out = io.StringIO()
    FORMATS["csv"](out, names, types, rows)
    assert out.getvalue() == "blob,big,small\n\\x00ff,Infinity,-Infinity\n"


def test_a_json_column_holding_text_that_is_not_json_writes_the_text():
    # SELECT COALESCE(refunds, 'none') ...: the column keeps the json type of refunds.
    out = io.StringIO()
    FORMATS["jsonl"](out, ["refunds"], ["json"], [("none",), ('{"a": 1}',)])
    assert out.getvalue() == '{"refunds": "none"}\n{"refunds": {"a": 1}}\n'
