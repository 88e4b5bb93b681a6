#!/usr/bin/env bash
# Execute examples/stripe_analytics.ipynb headless (nbclient) on the emulator's demo
# data and check its charts and tables (.ci/notebook.py). Its own venv: the notebook's
# packages (pandas, matplotlib, jupysql, a kernel) are not the project's dependencies.
#
#   .ci/notebook.sh [--update]   --update also rewrites the notebook's outputs and the
#                                README's chart (docs/images/revenue_by_month.png)
#   VENV=/path to choose the venv (default /tmp/venv-notebook-ci); it is reused.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-/tmp/venv-notebook-ci}"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --disable-pip-version-check -e "$ROOT[sqlalchemy]" \
    pandas matplotlib 'jupysql>=0.11,<0.12' nbclient nbformat ipykernel
exec "$VENV/bin/python" "$ROOT/.ci/notebook.py" "$@"
