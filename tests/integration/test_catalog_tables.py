"""Every table the catalog generates can be scanned end to end (emulator):
its columns are valid SQLite columns, its rows flatten, the description
matches the catalog."""

import pytest

from stripe_dbapi.catalog import load_catalog

CATALOG = load_catalog()
# Tables a plain scan lists: no parent id, and any required list filter supplied
# by listing its table (subscription_items over subscriptions).
SCANNABLE = sorted(
    name
    for name, table in CATALOG.tables.items()
    if table.parent is None and all(r.table for r in table.required_filters)
)


def test_most_tables_are_scannable_alone():
    assert len(SCANNABLE) >= 75


@pytest.mark.parametrize("name", SCANNABLE)
def test_select_star(conn, name):
    table = CATALOG.tables[name]
    cur = conn.cursor()
    cur.execute(f"SELECT * FROM {name} LIMIT 2")
    rows = cur.fetchall()
    assert [d[0] for d in cur.description] == [c.name for c in table.columns]
    assert [d[1] for d in cur.description] == [c.type for c in table.columns]
    assert all(len(row) == len(table.columns) for row in rows)


def test_nested_table_through_its_parent(conn):
    cur = conn.cursor()
    cur.execute("SELECT invoice, id FROM invoice_lines LIMIT 1")  # fans out over invoices
    invoice, line = cur.fetchone()
    cur.execute("SELECT id, invoice FROM InvoiceLineItem WHERE InvoiceId = ?", (invoice,))
    rows = cur.fetchall()
    assert (line, invoice) in rows
    assert all(row[1] == invoice for row in rows)
