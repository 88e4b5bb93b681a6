"""Every procedure of the catalog builds its Stripe request and result set.

The emulator implements the common actions' state changes (tests/integration);
here each of the catalog's procedures is called once against a mock Stripe with
placeholder values for its required parameters, checking the method, the path,
the Idempotency-Key and the result's shape.
"""

import re

import httpx
import pytest

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.procedures import call_procedure
from stripe_dbapi.testing.offline import OfflineConnection, offline_client

CATALOG = load_catalog()
PLACEHOLDER_VALUES = {
    "string": "x_1",
    "integer": 1,
    "number": 1,
    "boolean": True,
    "datetime": 1700000000,
    "object": "{}",
    "array": "[]",
    "json": "{}",
}


def test_the_catalog_has_every_spec_action_and_many_more():
    spec = {
        "ConfirmPaymentIntent",
        "CapturePaymentIntent",
        "CancelPaymentIntent",
        "AttachPaymentMethodToCustomer",
        "DetachPaymentMethodFromCustomer",
        "FinalizeInvoice",
        "FinalizeQuote",
        "AcceptQuote",
        "CancelQuote",
    }
    assert spec <= set(CATALOG.procedures)
    assert len(CATALOG.procedures) > 80


@pytest.mark.parametrize("name", sorted(CATALOG.procedures))
def test_procedure_request_and_result(name):
    procedure = CATALOG.procedures[name]
    sent = []
    table = CATALOG.tables.get(procedure.table) if procedure.table else None

    def handler(request):
        sent.append(request)
        body = (
            {"id": "obj_1", "object": table.object}
            if table is not None
            else {"url": "https://x", "ok": True}
        )
        return httpx.Response(200, json=body)

    conn = OfflineConnection(CATALOG, client=offline_client(httpx.MockTransport(handler)))
    arguments = {p.name: PLACEHOLDER_VALUES[p.type] for p in procedure.params if p.required}
    try:
        result = call_procedure(conn, name, arguments)
    finally:
        conn.close()

    [request] = sent
    assert request.method == procedure.method.upper()
    assert request.url.path == re.sub(r"{\w+}", "x_1", procedure.path)
    if request.method == "POST":
        assert request.headers.get("Idempotency-Key")
    names = [d[0] for d in result.description]
    assert names[0] == "Success"
    row = next(result.rows)
    assert row[0] is True and len(row) == len(names)
    if table is not None:
        assert row[names.index("id")] == "obj_1"
    else:
        assert names[-1] == "response" and '"url":"https://x"' in row[-1]
    # Every action counts as a write, so Search plans do not miss its side effects.
    assert conn.write_log.wrote_recently()
