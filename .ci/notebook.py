"""Run examples/stripe_analytics.ipynb headless (nbclient) and check what it shows.

    python .ci/notebook.py            # CI: execute a copy, check it, keep nothing
    python .ci/notebook.py --update   # also write the executed notebook back and the
                                      # README's chart (docs/images/revenue_by_month.png)

It runs on the emulator's demo data: STRIPE_API_KEY is removed from the kernel's
environment so a key on the machine is never used.
"""

from __future__ import annotations

import base64
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "stripe_analytics.ipynb"
README_CHART = ROOT / "docs" / "images" / "revenue_by_month.png"


def outputs_of(notebook, marker: str) -> list[dict]:
    """The outputs of the one code cell whose source contains ``marker``."""
    [cell] = [c for c in notebook.cells if c.cell_type == "code" and marker in c.source]
    return cell.outputs


def text_of(outputs: list[dict]) -> str:
    parts = []
    for output in outputs:
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def png_of(outputs: list[dict]) -> bytes | None:
    for output in outputs:
        if "image/png" in output.get("data", {}):
            return base64.b64decode(output["data"]["image/png"])
    return None


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"notebook: FAILED: {what}")
    print(f"notebook: ok: {what}")


def main() -> None:
    os.environ.pop("STRIPE_API_KEY", None)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # Run in an empty directory: jupysql looks for its settings in a pyproject.toml
    # above the working directory and would print about the project's.
    with tempfile.TemporaryDirectory() as workdir:
        NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": workdir}}
        ).execute()  # raises CellExecutionError, naming the cell, if any cell fails

    revenue_chart = png_of(outputs_of(notebook, "Net revenue by month"))
    check(revenue_chart is not None, "revenue by month is drawn")
    mrr = outputs_of(notebook, "MRR by plan")
    check(png_of(mrr) is not None, "MRR by plan is drawn")
    check(all(plan in text_of(mrr) for plan in ("Pro plan", "Starter plan")), "MRR has each plan")
    failed = text_of(outputs_of(notebook, "WHERE status = 'failed'"))
    check("generic_decline" in failed, "failed payments are counted by decline code")
    refunds = text_of(outputs_of(notebook, "FROM refunds r"))
    check("requested_by_customer" in refunds, "refunds are listed with their charges")
    jupysql = text_of(outputs_of(notebook, "%%sql"))
    check("active" in jupysql and "trialing" in jupysql, "jupysql's %%sql answers on stripe://")

    if "--update" in sys.argv[1:]:
        nbformat.write(notebook, NOTEBOOK)
        README_CHART.parent.mkdir(parents=True, exist_ok=True)
        README_CHART.write_bytes(revenue_chart)
        print(f"notebook: wrote {NOTEBOOK.relative_to(ROOT)} and {README_CHART.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
