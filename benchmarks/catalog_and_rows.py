"""Catalog load time and row flattening cost (prints figures; not a test).

    python benchmarks/catalog_and_rows.py

Figures: cold import + load_catalog() in a fresh interpreter; flatten() per
1,000 rows for a few tables against plain json.loads of the same page bodies
(the floor any driver pays to read Stripe's responses).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "fixtures3.json"

COLD = (
    "import time; t=time.perf_counter(); "
    "from stripe_dbapi.catalog import load_catalog; load_catalog(); "
    "print((time.perf_counter()-t)*1e3)"
)


def cold_load_ms(runs: int = 5) -> list[float]:
    out = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", COLD], capture_output=True, text=True, check=True
        )
        out.append(float(done.stdout))
    return out


def best_of(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    from stripe_dbapi.catalog import load_catalog
    from stripe_dbapi.rows import flattener

    loads = sorted(cold_load_ms())
    print(
        f"cold import + load_catalog(): median {loads[len(loads) // 2]:.1f} ms "
        f"(min {loads[0]:.1f}, max {loads[-1]:.1f})"
    )
    catalog = load_catalog()
    resources = json.loads(FIXTURES.read_text())["resources"]
    for obj_type in ("customer", "charge", "invoice", "subscription", "payment_method"):
        table = catalog.table_for_object(obj_type)
        page = json.dumps({"object": "list", "data": [resources[obj_type]] * 100})
        pages = [page] * 10  # 1,000 rows
        decode = best_of(lambda pages=pages: [json.loads(p) for p in pages])
        decoded = [json.loads(p)["data"] for p in pages]
        row_of = flattener(table)
        rows = best_of(lambda fn=row_of, ds=decoded: [[fn(o) for o in d] for d in ds])
        print(
            f"{table.name:16} {len(table.columns):4} cols: json.loads {decode * 1e3:6.2f} ms, "
            f"flatten {rows * 1e3:6.2f} ms per 1,000 rows ({rows / decode:.2f}x decode)"
        )


if __name__ == "__main__":
    main()
