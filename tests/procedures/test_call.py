"""CALL / EXECUTE / callproc end to end against a mock Stripe and a stub catalog."""

import urllib.parse

import httpx
import pytest

from stripe_dbapi.catalog.model import Column, Procedure, ProcedureParam, Table
from stripe_dbapi.exceptions import OperationalError, ProgrammingError
from stripe_dbapi.procedures import call_procedure, execute_call
from stripe_dbapi.testing.offline import OfflineConnection, offline_client

QUOTES = Table(
    name="quotes",
    object="quote",
    list_path="/v1/quotes",
    columns=(
        Column("id", "string", ("id",)),
        Column("status", "string", ("status",)),
        Column("invoice", "string", ("invoice",)),
    ),
)
PROCEDURES = {
    "AcceptQuote": Procedure(
        name="AcceptQuote",
        method="post",
        path="/v1/quotes/{quote}/accept",
        params=(ProcedureParam("QuoteId", "string", required=True, path_param="quote"),),
        table="quotes",
        outputs={"InvoiceId": "invoice"},
    ),
    "FinalizeQuote": Procedure(
        name="FinalizeQuote",
        method="post",
        path="/v1/quotes/{quote}/finalize",
        params=(
            ProcedureParam("QuoteId", "string", required=True, path_param="quote"),
            ProcedureParam("ExpiresAt", "datetime", api_name="expires_at"),
        ),
        table="quotes",
    ),
}


class StubCatalog:
    def __init__(self):
        self.tables = {"quotes": QUOTES}
        self.procedures = PROCEDURES

    def procedure(self, name):
        for procedure in PROCEDURES.values():
            if procedure.name.lower() == name.lower():
                return procedure
        raise ProgrammingError(f"unknown procedure {name}")

    def table_for_object(self, object_type):
        return QUOTES if object_type == "quote" else None


@pytest.fixture
def sent():
    return []


@pytest.fixture
def conn(sent, monkeypatch):
    def handler(request):
        body = dict(urllib.parse.parse_qsl(request.content.decode()))
        sent.append(
            (request.method, request.url.path, body, request.headers.get("Idempotency-Key"))
        )
        quote = request.url.path.split("/")[3]
        return httpx.Response(
            200, json={"id": quote, "object": "quote", "status": "accepted", "invoice": "in_9"}
        )

    conn = OfflineConnection(StubCatalog(), client=offline_client(httpx.MockTransport(handler)))
    yield conn
    conn.close()


def test_call_positional_returns_success_invoice_and_row(conn, sent):
    result = execute_call(conn, "CALL AcceptQuote('qt_1')")
    names = [d[0] for d in result.description]
    assert names[:2] == ["Success", "InvoiceId"]
    assert result.description[0][1] == "boolean"
    row = next(result.rows)
    assert row[:2] == (True, "in_9")
    assert dict(zip(names, row, strict=True))["status"] == "accepted"
    method, path, body, key = sent[0]
    assert (method, path, body) == ("POST", "/v1/quotes/qt_1/accept", {})
    assert key  # every action POST carries an Idempotency-Key
    assert [o["id"] for o in conn.write_log.recent("quotes")[0]] == ["qt_1"]


@pytest.mark.parametrize(
    "sql, params",
    [
        ("CALL AcceptQuote(QuoteId => ?)", ["qt_2"]),
        ("EXECUTE AcceptQuote QuoteId = :q", {"q": "qt_2"}),
        ("EXEC acceptquote @QuoteId = ?1", ("qt_2",)),
    ],
)
def test_bound_parameters_in_every_form(conn, sent, sql, params):
    execute_call(conn, sql, params)
    assert sent[0][1] == "/v1/quotes/qt_2/accept"


def test_callproc_sequence_and_mapping(conn, sent):
    call_procedure(conn, "FinalizeQuote", ["qt_3"])
    call_procedure(conn, "FinalizeQuote", {"QuoteId": "qt_4", "expires_at": "2023-11-14T22:13:20Z"})
    assert [(p, b) for _, p, b, _ in sent] == [
        ("/v1/quotes/qt_3/finalize", {}),
        ("/v1/quotes/qt_4/finalize", {"expires_at": "1700000000"}),
    ]
    assert sent[0][3] != sent[1][3]


@pytest.mark.parametrize(
    "sql, params, message",
    [
        ("CALL AcceptQuote(?)", [], "1 '\\?' placeholder\\(s\\) but 0 parameter"),
        ("CALL AcceptQuote(?)", ["a", "b"], "1 '\\?' placeholder\\(s\\) but 2 parameter"),
        ("CALL AcceptQuote(:q)", {"x": 1}, "No value given for parameter :q"),
        ("CALL AcceptQuote(:q)", ["a"], "need a mapping"),
        (
            "CALL AcceptQuote(QuoteId => 'a', 'b')",
            None,
            "positional arguments must come before named",
        ),
        ("CALL AcceptQuote()", None, "AcceptQuote needs QuoteId"),
    ],
)
def test_binding_and_argument_errors_send_nothing(conn, sent, sql, params, message):
    with pytest.raises(ProgrammingError, match=message):
        execute_call(conn, sql, params)
    assert sent == []


def test_readonly_refuses_actions_before_any_request(conn, sent):
    conn.readonly = True
    with pytest.raises(OperationalError, match="readonly=True"):
        call_procedure(conn, "AcceptQuote", ["qt_1"])
    assert sent == []


def test_schema_qualified_name(conn, sent):
    execute_call(conn, "CALL stripe.AcceptQuote('qt_5')")
    assert sent[0][1] == "/v1/quotes/qt_5/accept"


@pytest.mark.parametrize(
    "arguments, params",
    [("?", []), ("?", ["a", "b"]), (":q", {"x": 1}), (":q", ["a"]), ("?", {"q": 1}),
     ("?, :q", ["a"]), ("'qt_1'", ["a"]), ("?", "qt_1")],
)
def test_a_call_and_a_select_bind_by_the_same_rules(conn, sent, arguments, params):
    # One binder (sql/bind.py): the same mistake reads the same in SQL and in CALL.
    from stripe_dbapi.exceptions import Error
    from stripe_dbapi.sql.bind import bind_parameters
    from stripe_dbapi.sql.parse import parse_statement

    with pytest.raises(Error) as in_sql:
        bind_parameters(parse_statement(f"SELECT * FROM quotes WHERE id IN ({arguments})"), params)
    with pytest.raises(Error) as in_call:
        execute_call(conn, f"CALL AcceptQuote({arguments})", params)
    assert (type(in_call.value), str(in_call.value)) == (type(in_sql.value), str(in_sql.value))
    assert sent == []
