import pytest

from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.procedures.syntax import Argument, Placeholder, parse_call


def test_positional_literals():
    call = parse_call("CALL ConfirmPaymentIntent('pi_''1', 10, -2.5, NULL, TRUE, false);")
    assert call.name == "ConfirmPaymentIntent"
    assert [a.value for a in call.arguments] == ["pi_'1", 10, -2.5, None, True, False]
    assert all(a.name is None for a in call.arguments)


def test_named_arrow_arguments_and_placeholders():
    call = parse_call("CALL ConfirmPaymentIntent(PaymentIntentId => ?, ReturnUrl => ?)")
    assert call.arguments == (
        Argument("PaymentIntentId", Placeholder(index=0)),
        Argument("ReturnUrl", Placeholder(index=1)),
    )


def test_cdata_execute_form_with_named_placeholder():
    call = parse_call("EXECUTE ConfirmPaymentIntent PaymentIntentId = 'pi_1', ReturnUrl = :url")
    assert call.arguments == (
        Argument("PaymentIntentId", "pi_1"),
        Argument("ReturnUrl", Placeholder(name="url")),
    )


def test_tsql_style_names_and_quoted_procedure_name():
    call = parse_call('EXEC "AcceptQuote" @QuoteId = ?2')
    assert call.name == "AcceptQuote"
    assert call.arguments == (Argument("QuoteId", Placeholder(index=1)),)


@pytest.mark.parametrize(
    "sql", ["CALL FinalizeInvoice", "CALL FinalizeInvoice()", "EXECUTE FinalizeInvoice;"]
)
def test_no_arguments(sql):
    assert parse_call(sql).arguments == ()


@pytest.mark.parametrize(
    "sql, message",
    [
        ("CALL x(1", "expected \\)"),
        ("CALL x(1,)", "expected a value"),
        ("CALL x(1) junk", "expected the end of the statement, got 'junk'"),
        ("CALL x(#)", "unexpected character '#'"),
        ("CALL 'x'()", "expected a procedure name"),
    ],
)
def test_syntax_errors_point_at_the_problem(sql, message):
    with pytest.raises(ProgrammingError, match=message) as info:
        parse_call(sql)
    assert "line 1, column" in str(info.value)
    assert "^" in str(info.value)
