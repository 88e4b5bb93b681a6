#!/usr/bin/env bash
# The linters CI runs (called from .ci/run after the install, before the tests):
# ruff with the rule set in pyproject.toml, mypy on both packages ([tool.mypy]), and radon's cyclomatic complexity on the
# shipped code (emulator included), where no function may be graded E or F (above 30).
# Import cycles are a test: tests/sql/test_module_graph.py.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python

echo "lint: ruff check"
"$py" -m ruff check stripe_dbapi sqlalchemy_dialect tests tools benchmarks examples

echo "lint: mypy"
"$py" -m mypy

echo "lint: radon cc (no function graded E or F)"
# radon exits 0 whatever the grades: its listing of E and F functions must be empty.
too_complex=$("$py" -m radon cc --show-complexity --min E stripe_dbapi sqlalchemy_dialect)
if [ -n "$too_complex" ]; then
  echo "$too_complex"
  echo "lint: functions above are graded E or F by radon (complexity > 30): split them" >&2
  exit 1
fi
