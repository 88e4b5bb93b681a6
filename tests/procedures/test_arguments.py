import pytest

from stripe_dbapi.catalog.model import Procedure, ProcedureParam
from stripe_dbapi.exceptions import DataError, ProgrammingError
from stripe_dbapi.procedures.arguments import build_action_request

CONFIRM = Procedure(
    name="ConfirmPaymentIntent",
    method="post",
    path="/v1/payment_intents/{intent}/confirm",
    params=(
        ProcedureParam("PaymentIntentId", "string", required=True, path_param="intent"),
        ProcedureParam("ReturnUrl", "string", api_name="return_url"),
        ProcedureParam("Metadata", "json", api_name="metadata"),
    ),
)
CAPTURE = Procedure(
    name="CapturePaymentIntent",
    method="post",
    path="/v1/payment_intents/{intent}/capture",
    params=(
        ProcedureParam("PaymentIntentId", "string", required=True, path_param="intent"),
        ProcedureParam("AmountToCapture", "integer", api_name="amount_to_capture"),
    ),
)


def test_positional_in_documented_order():
    request = build_action_request(CONFIRM, ["pi_1", "https://x"], {})
    assert (request.method, request.path, request.body) == (
        "POST",
        "/v1/payment_intents/pi_1/confirm",
        {"return_url": "https://x"},
    )


@pytest.mark.parametrize("name", ["ReturnUrl", "return_url", "RETURNURL"])
def test_named_forgivingly(name):
    request = build_action_request(CONFIRM, [], {"payment_intent_id": "pi_1", name: "https://x"})
    assert request.body == {"return_url": "https://x"}
    assert request.path == "/v1/payment_intents/pi_1/confirm"


def test_stripe_names_work_too():
    request = build_action_request(CONFIRM, [], {"intent": "pi_1", "metadata": '{"a": "b"}'})
    assert request.body == {"metadata": {"a": "b"}}


def test_missing_required_named_before_any_request():
    with pytest.raises(ProgrammingError, match="ConfirmPaymentIntent needs PaymentIntentId"):
        build_action_request(CONFIRM, [], {"ReturnUrl": "https://x"})


def test_unknown_parameter_named_with_closest():
    with pytest.raises(
        ProgrammingError, match="unknown parameter 'ReturnUri'.*did you mean ReturnUrl"
    ):
        build_action_request(CONFIRM, ["pi_1"], {"ReturnUri": "x"})


def test_too_many_positional_and_twice_given():
    with pytest.raises(ProgrammingError, match="at most 3 arguments"):
        build_action_request(CONFIRM, ["a", "b", "c", "d"], {})
    with pytest.raises(ProgrammingError, match="PaymentIntentId given twice"):
        build_action_request(CONFIRM, ["pi_1"], {"PaymentIntentId": "pi_2"})


def test_amounts_are_checked():
    assert build_action_request(CAPTURE, ["pi_1", 500.0], {}).body == {"amount_to_capture": 500}
    with pytest.raises(DataError, match="AmountToCapture"):
        build_action_request(CAPTURE, ["pi_1", 500.5], {})
