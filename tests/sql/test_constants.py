"""sql.constants: column-free expressions evaluated by SQLite through the project's dialect."""

import sqlite3
import threading

import pytest
import sqlglot

from stripe_dbapi.sql.constants import evaluate_constant
from stripe_dbapi.sql.dialect import DIALECT


def parse(sql: str):
    return sqlglot.parse_one(sql, read=DIALECT)


def test_evaluates_sqlite_functions():
    assert evaluate_constant(parse("date('2024-03-01', '-1 day')")) == "2024-02-29"
    assert evaluate_constant(parse("10 * 100 + 5")) == 1005


def test_json_extract_keeps_its_meaning_through_the_dialect():
    # sqlglot 28.10's stock SQLite output turns this into `->`, which yields JSON
    # text ('"gold"', quoted); the project's dialect keeps the plain value.
    assert evaluate_constant(parse("""json_extract('{"tier": "gold"}', '$.tier')""")) == "gold"


def test_errors_are_sqlite_errors():
    with pytest.raises(sqlite3.Error):
        evaluate_constant(parse("no_such_function(1)"))


def test_usable_from_several_threads():
    results = []
    threads = [
        threading.Thread(target=lambda n=n: results.append(evaluate_constant(parse(f"{n} + 1"))))
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [1, 2, 3, 4]
