"""Stripe as SQL, offline: the driver on the built-in Stripe emulator (no Stripe key needed).

    python examples/demo.py

Starts ``stripe_dbapi.testing.Emulator`` with its demo dataset (customers, payments,
invoices, subscriptions...), connects the driver to it, and runs a few queries.
Point ``base_url`` at nothing (the default, api.stripe.com) and use a real
``sk_test_...`` key to run the same queries on your Stripe test account.
"""

from __future__ import annotations

import stripe_dbapi
from stripe_dbapi.testing import Emulator

QUERIES = [
    (
        "Five newest customers",
        "SELECT id, name, email, created FROM customers ORDER BY created DESC LIMIT 5",
    ),
    (
        "Gold-tier customers in France",
        "SELECT name, address_city FROM customers "
        "WHERE metadata ->> '$.tier' = 'gold' AND address_country = 'FR'",
    ),
    (
        "Revenue by currency (succeeded payments)",
        (
            "SELECT currency, COUNT(*) AS payments, SUM(amount_received) / 100.0 AS revenue "
            "FROM payment_intents WHERE status = 'succeeded' "
            "GROUP BY currency ORDER BY revenue DESC"
        ),
    ),
    (
        "Top customers by charged amount",
        (
            "SELECT c.name, SUM(ch.amount) / 100.0 AS total "
            "FROM charges ch JOIN customers c ON c.id = ch.customer "
            "GROUP BY c.name ORDER BY total DESC LIMIT 3"
        ),
    ),
    (
        "Open invoices",
        "SELECT number, customer, amount_due FROM invoices "
        "WHERE status = 'open' ORDER BY amount_due DESC LIMIT 5",
    ),
]


def show(cursor, title: str, sql: str, only: tuple = ()) -> None:
    cursor.execute(sql)
    names = [column[0] for column in cursor.description]
    keep = [i for i, name in enumerate(names) if not only or name in only]
    rows = cursor.fetchall()
    print(f"\n== {title}\n   {sql}")
    print("   " + " | ".join(names[i] for i in keep))
    for row in rows:
        print("   " + " | ".join("" if row[i] is None else str(row[i]) for i in keep))


def main() -> None:
    with Emulator(seed="demo") as emu:
        conn = stripe_dbapi.connect(api_key="sk_test_demo", base_url=emu.base_url)
        cursor = conn.cursor()
        for title, sql in QUERIES:
            show(cursor, title, sql)
        cursor.execute("SELECT id FROM invoices WHERE status = 'draft' LIMIT 1")
        (draft,) = cursor.fetchone()
        show(
            cursor,
            "An action as a stored procedure",
            f"CALL FinalizeInvoice('{draft}')",
            only=("id", "status", "number", "amount_due"),
        )
        print(f"\n{len(emu.requests)} requests to the emulator at {emu.base_url}")
        conn.close()


if __name__ == "__main__":
    main()
