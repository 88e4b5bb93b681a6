"""Stripe as SQL, offline: the driver on the built-in Stripe emulator (no Stripe key needed).

    python examples/demo.py

Starts ``stripe_dbapi.testing.Emulator`` with its demo dataset (six months of a small
business selling subscriptions and one-off orders in usd, eur and gbp, up to 2026-12-01),
connects the driver to it, and runs a few queries.
Point ``base_url`` at nothing (the default, api.stripe.com) and use a real
``sk_test_...`` key to run the same queries on your Stripe test account.
"""

from __future__ import annotations

import stripe_dbapi
from stripe_dbapi.testing import Emulator

# Money is in each currency's minor unit: every sum of amounts is grouped by currency.
QUERIES = [
    (
        "Customers by region and signup channel (metadata segments)",
        "SELECT metadata ->> 'region' AS region, metadata ->> 'channel' AS channel, "
        "COUNT(*) AS customers FROM customers GROUP BY region, channel "
        "ORDER BY customers DESC LIMIT 5",
    ),
    (
        "Net revenue by month and currency (succeeded charges less refunds)",
        "SELECT strftime('%Y-%m', created) AS month, currency, "
        "SUM(amount - amount_refunded) / 100.0 AS net FROM charges "
        "WHERE status = 'succeeded' AND created >= '2026-09-01' "
        "GROUP BY month, currency ORDER BY month, currency",
    ),
    (
        "Top two customers in each currency",
        "SELECT currency, name, total FROM ("
        " SELECT ch.currency, c.name, SUM(ch.amount - ch.amount_refunded) / 100.0 AS total,"
        " ROW_NUMBER() OVER (PARTITION BY ch.currency"
        " ORDER BY SUM(ch.amount - ch.amount_refunded) DESC) AS rank"
        " FROM charges ch JOIN customers c ON c.id = ch.customer"
        " WHERE ch.status = 'succeeded' GROUP BY ch.currency, c.id"
        ") WHERE rank <= 2 ORDER BY currency, total DESC",
    ),
    (
        "Failed payments by decline code",
        "SELECT failure_code, outcome_reason AS reason, COUNT(*) AS attempts, "
        "COUNT(DISTINCT customer) AS customers FROM charges WHERE status = 'failed' "
        "GROUP BY failure_code, reason ORDER BY attempts DESC",
    ),
    (
        "MRR by currency (active and past_due subscriptions; a yearly price counts 1/12)",
        "SELECT p.currency, COUNT(DISTINCT s.id) AS subscriptions, "
        "ROUND(SUM(p.unit_amount * si.quantity"
        " / CASE p.recurring_interval WHEN 'year' THEN 12.0 ELSE 1.0 END) / 100.0, 2) AS mrr "
        "FROM subscriptions s JOIN subscription_items si ON si.subscription = s.id "
        "JOIN prices p ON p.id = si.price WHERE s.status IN ('active', 'past_due') "
        "GROUP BY p.currency ORDER BY p.currency",
    ),
    (
        "Subscriptions by status",
        "SELECT status, COUNT(*) AS subscriptions FROM subscriptions "
        "GROUP BY status ORDER BY subscriptions DESC",
    ),
    (
        "Refunds with the charges they refund",
        "SELECT r.created, r.reason, r.currency, r.amount / 100.0 AS refunded, "
        "ch.amount / 100.0 AS charged FROM refunds r JOIN charges ch ON ch.id = r.charge "
        "ORDER BY r.created DESC LIMIT 4",
    ),
    (
        "Disputes",
        "SELECT d.reason, d.status, d.currency, d.amount / 100.0 AS amount, c.email "
        "FROM disputes d JOIN charges ch ON ch.id = d.charge "
        "JOIN customers c ON c.id = ch.customer ORDER BY d.created",
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
