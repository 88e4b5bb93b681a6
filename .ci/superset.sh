#!/usr/bin/env bash
# A real Apache Superset 6.1.0 against the emulator's demo data, through its REST API
# (.ci/superset_check.py does the checking): the stripe:// database, its connection
# test, its tables, SQL Lab, a dataset on charges and chart data for every time grain
# and a time range, each compared with the driver's own answer; plus Superset's own
# parse step and error extraction on the engine spec.
#
#   .ci/superset.sh          VENV=/path to reuse a venv (default /tmp/venv-superset-ci)
#
# Without the package registry (no apache-superset to install) it says so and fails:
# a check that cannot run is not a check that passed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-/tmp/venv-superset-ci}"
PY="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/superset-ci.XXXXXX")"
started=$(date +%s)

say() { echo "superset.sh [$(( $(date +%s) - started ))s]: $*"; }

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
# apache-superset 6.1.0's metadata forgets packages it imports, and lets pip pick a
# Flask-Caching it does not work with (each checked on a venv without it):
# - rich: superset/cli/test_db.py imports it, so every `superset` command fails;
# - cachetools: db_engine_specs/aws_iam.py imports it and load_engine_specs() imports
#   every built-in spec, so no database (stripe:// included) gets an engine spec;
# - flask-caching<2.5: 2.5 passes ignore_delete_many_errors to cache backends, which
#   Superset's SupersetMetastoreCache.__init__ does not take: the app fails to start.
# pandas, numpy, sqlalchemy and sqlglot are left to Superset's own pins (pandas 2.1,
# sqlalchemy 1.4, sqlglot 28.x): those are the versions users of Superset 6.1 run.
if ! "$VENV/bin/pip" install -q --disable-pip-version-check \
        'apache-superset==6.1.0' rich cachetools 'flask-caching<2.5' \
        -e "$ROOT[sqlalchemy]" > "$WORK/pip.log" 2>&1; then
    tail -20 "$WORK/pip.log"
    echo "superset.sh: FAILED: could not install apache-superset==6.1.0 (no package registry?)." >&2
    echo "superset.sh: the Superset check did not run; this is a failure, not a skip." >&2
    exit 1
fi
"$VENV/bin/pip" check
say "installed: $("$VENV/bin/python" -c 'import importlib.metadata as m; print(*(f"{p} {m.version(p)}" for p in ("apache-superset", "sqlalchemy", "sqlglot", "pandas")), sep=", ")')"

free_port() {
    "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A throwaway Superset: its metadata in SQLite under $WORK, a CI-only secret key.
cat > "$WORK/superset_config.py" <<EOF
SECRET_KEY = "ci-only-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
SQLALCHEMY_DATABASE_URI = "sqlite:///$WORK/superset.db"
TALISMAN_ENABLED = False
CONTENT_SECURITY_POLICY_WARNING = False
EOF
export SUPERSET_CONFIG_PATH="$WORK/superset_config.py"
export FLASK_APP=superset
export SUPERSET_CHECK_PASSWORD="ci-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

"$VENV/bin/superset" db upgrade > "$WORK/upgrade.log" 2>&1 || { tail -30 "$WORK/upgrade.log"; exit 1; }
"$VENV/bin/superset" fab create-admin --username ci --firstname CI --lastname CI \
    --email ci@example.com --password "$SUPERSET_CHECK_PASSWORD" > "$WORK/admin.log" 2>&1 \
    || { tail -30 "$WORK/admin.log"; exit 1; }
"$VENV/bin/superset" init > "$WORK/init.log" 2>&1 || { tail -30 "$WORK/init.log"; exit 1; }
say "metadata database ready"

emulator_port=$(free_port)
"$VENV/bin/python" -m stripe_dbapi.testing --port "$emulator_port" --seed demo \
    > "$WORK/emulator.log" 2>&1 &
pids+=($!)
superset_port=$(free_port)
"$VENV/bin/superset" run -h 127.0.0.1 -p "$superset_port" --with-threads \
    > "$WORK/superset.log" 2>&1 &
pids+=($!)

export STRIPE_EMULATOR_URL="http://127.0.0.1:$emulator_port"
export SUPERSET_URL="http://127.0.0.1:$superset_port"
if ! "$VENV/bin/python" "$ROOT/.ci/superset_check.py"; then
    echo "--- superset log (last 60 lines)" >&2
    tail -60 "$WORK/superset.log" >&2
    exit 1
fi
say "passed"
