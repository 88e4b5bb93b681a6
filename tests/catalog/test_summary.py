"""python -m stripe_dbapi.catalog prints the catalog."""

import subprocess
import sys

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.catalog.__main__ import main, totals


def test_totals():
    figures = totals(load_catalog())
    assert figures["tables"] == 120
    assert figures["nested tables"] == 23
    assert figures["searchable tables"] == 7
    assert figures["tables with required list filters"] == 21
    assert figures["columns"] > 3000
    assert figures["filterable columns"] > 200
    # 114 actions of the SDK's services + 37 test helpers (TestHelpers...)
    assert figures["procedures"] == 151


def test_summary_lists_tables_procedures_and_totals(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "Stripe API 2026-10-28.endive" in out
    assert "\ncustomers " in out and "\nConfirmPaymentIntent " in out
    assert "tables: 120" in out


def test_table_detail_uses_forgiving_names(capsys):
    assert main(["--table", "Price"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("prices (object price)")
    assert "lookup_keys" in out and "max 10" in out
    assert "visibility splits: {'active': (True, False)}" in out
    assert "  freshness events\n  events    price.created, price.deleted, price.updated\n" in out
    assert main(["--table", "SubscriptionItem"]) == 0
    assert "requires  subscription (column subscription; ids of subscriptions)" in capsys.readouterr().out


def test_unknown_table_is_an_error(capsys):
    assert main(["--table", "custmer"]) == 2
    assert "did you mean: customers" in capsys.readouterr().err


def test_runs_as_a_module():
    done = subprocess.run(
        [sys.executable, "-m", "stripe_dbapi.catalog", "--table", "cards"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "/v1/customers/{customer}/sources" in done.stdout


def test_a_reader_closing_the_pipe_early_is_no_traceback():
    # `python -m stripe_dbapi.catalog | head`: the reader is gone before the
    # summary is written (the catalog loads first), so the write hits EPIPE.
    proc = subprocess.Popen(
        [sys.executable, "-m", "stripe_dbapi.catalog"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert err == ""
