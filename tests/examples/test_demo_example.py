"""examples/demo.py, the README's first command: it runs on the demo data, every query
answers, and every sum of money is grouped by currency (amounts of different currencies
never add up)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlglot
from sqlglot import exp

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo.py"


def _demo_module():
    spec = importlib.util.spec_from_file_location("examples_demo", DEMO)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def adds_money_without_currency(sql: str) -> list[str]:
    """The SUM()s over amounts in a SELECT whose GROUP BY has no currency column."""
    wrong = []
    for select in sqlglot.parse_one(sql, read="sqlite").find_all(exp.Select):
        sums = [
            s for s in select.find_all(exp.Sum)
            if s.parent_select is select
            and any("amount" in c.name or c.name == "net" for c in s.find_all(exp.Column))
        ]
        group = select.args.get("group")
        keys = [c.name for c in group.find_all(exp.Column)] if group else []
        if sums and "currency" not in keys:
            wrong.extend(s.sql() for s in sums)
    return wrong


def test_the_checker_sees_money_added_across_currencies():
    assert adds_money_without_currency(
        "SELECT c.name, SUM(ch.amount) FROM charges ch JOIN customers c "
        "ON c.id = ch.customer GROUP BY c.name"
    ) == ["SUM(ch.amount)"]
    assert adds_money_without_currency(
        "SELECT currency, SUM(amount - amount_refunded) FROM charges GROUP BY currency"
    ) == []


def test_every_sum_of_money_in_the_demo_is_grouped_by_currency():
    for title, sql in _demo_module().QUERIES:
        assert adds_money_without_currency(sql) == [], title


def test_the_demo_runs_every_query_and_the_action(capsys):
    demo = _demo_module()
    demo.main()
    out = capsys.readouterr().out
    for title, _ in demo.QUERIES:
        section = out.split(f"== {title}\n", 1)[1].split("\n== ", 1)[0]
        assert len(section.strip().splitlines()) >= 3, title  # the SQL, the header, rows
    assert "CALL FinalizeInvoice(" in out and "| open" in out
