#!/usr/bin/env bash
# Run the SQLAlchemy dialect's tests, and the SQL layer's tests (parse, bind,
# the sqlglot round trips the dialect's SQL goes through), on the oldest stack we
# support: SQLAlchemy 1.4 + sqlglot 28.10 (what Apache Superset 6.1 pins), and a
# pandas that still accepts SQLAlchemy 1.4 (pandas >= 2.2 requires SQLAlchemy 2).
#
#   .ci/sqlalchemy14.sh [extra pytest args]
#
# The venv is reused between runs (VENV=/path to choose where); it holds the
# project installed in editable mode, so it always tests the working tree.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-/tmp/venv-sqlalchemy14}"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q \
    'sqlalchemy>=1.4,<2' 'sqlglot==28.10.*' 'httpx>=0.27' \
    pytest hypothesis vcrpy 'pandas<2.2' 'numpy<2'
"$VENV/bin/pip" install -q --no-deps -e "$ROOT"

"$VENV/bin/python" -c 'import sqlalchemy, sqlglot; print("sqlalchemy", sqlalchemy.__version__, "sqlglot", sqlglot.__version__)'

cd "$ROOT"
# localstripe is not installed in the venv: the localstripe fixture uses
# LOCALSTRIPE_URL, or the `localstripe` command found on PATH.
exec "$VENV/bin/python" -m pytest -q --import-mode=importlib -p no:cacheprovider \
    tests/sqlalchemy_dialect \
    tests/sql \
    $(ls tests/integration/test_sqlalchemy_*.py 2>/dev/null) \
    "$@"
