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


def test_positional_fills_the_id_and_optional_ones_go_by_name():
    request = build_action_request(CONFIRM, ["pi_1"], {"ReturnUrl": "https://x"})
    assert (request.method, request.path, request.body) == (
        "POST",
        "/v1/payment_intents/pi_1/confirm",
        {"return_url": "https://x"},
    )
    # Optional parameters are alphabetical in the catalog: a position means nothing.
    with pytest.raises(
        ProgrammingError,
        match=r"give parameters after PaymentIntentId by name \(e.g. ReturnUrl => ",
    ):
        build_action_request(CONFIRM, ["pi_1", "https://x"], {})


ATTACH = Procedure(
    name="AttachPaymentMethodToCustomer",
    method="post",
    path="/v1/payment_methods/{payment_method}/attach",
    params=(
        ProcedureParam("PaymentMethodId", "string", required=True, path_param="payment_method"),
        ProcedureParam("CustomerId", "string", required=True, api_name="customer"),
        ProcedureParam("CustomerAccount", "string", api_name="customer_account"),
    ),
)


def test_documented_required_parameters_stay_positional():
    request = build_action_request(ATTACH, ["pm_1", "cus_1"], {})
    assert (request.path, request.body) == (
        "/v1/payment_methods/pm_1/attach",
        {"customer": "cus_1"},
    )
    with pytest.raises(ProgrammingError, match="after CustomerId by name"):
        build_action_request(ATTACH, ["pm_1", "cus_1", "acct_1"], {})


@pytest.mark.parametrize("bad", ["", " ", ".", ".."])
def test_an_id_no_object_can_have_is_refused_before_any_request(bad):
    with pytest.raises(ProgrammingError, match="not a valid Stripe id"):
        build_action_request(CONFIRM, [bad], {})


def test_object_name_alone_means_its_id():
    request = build_action_request(CONFIRM, [], {"PaymentIntent": "pi_1"})
    assert request.path == "/v1/payment_intents/pi_1/confirm"


def test_object_parameter_given_text_must_be_json():
    cancel = Procedure(
        name="CancelSubscription",
        method="delete",
        path="/v1/subscriptions/{subscription_exposed_id}",
        params=(
            ProcedureParam(
                "SubscriptionId", "string", required=True, path_param="subscription_exposed_id"
            ),
            ProcedureParam("CancellationDetails", "object", api_name="cancellation_details"),
        ),
    )
    with pytest.raises(DataError, match="CancellationDetails takes a JSON object"):
        build_action_request(cancel, ["sub_1"], {"CancellationDetails": "notjson"})
    ok = build_action_request(cancel, ["sub_1"], {"CancellationDetails": '{"comment": "x"}'})
    assert ok.body == {"cancellation_details": {"comment": "x"}}


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
        ProgrammingError, match="unknown parameter 'ReturnUri'.*did you mean: ReturnUrl"
    ):
        build_action_request(CONFIRM, ["pi_1"], {"ReturnUri": "x"})


def test_too_many_positional_and_twice_given():
    with pytest.raises(ProgrammingError, match="by name"):
        build_action_request(CONFIRM, ["a", "b", "c", "d"], {})
    with pytest.raises(ProgrammingError, match="PaymentIntentId given twice"):
        build_action_request(CONFIRM, ["pi_1"], {"PaymentIntentId": "pi_2"})


def test_amounts_are_checked():
    assert build_action_request(CAPTURE, ["pi_1"], {"AmountToCapture": 500.0}).body == {
        "amount_to_capture": 500
    }
    with pytest.raises(DataError, match="AmountToCapture"):
        build_action_request(CAPTURE, ["pi_1"], {"AmountToCapture": 500.5})
