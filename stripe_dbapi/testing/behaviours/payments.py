"""Payment methods, card sources, payment intents (confirm/capture/cancel), charges, refunds."""

from __future__ import annotations

from .. import events
from ..errors import StripeError, invalid, missing_parameter, unexpected_state
from ..params import merge
from . import balance
from .common import new
from .declines import BY_LAST4, TEST_CARDS, Decline, outcome

# -- payment methods ---------------------------------------------------------------------------

_TEST_CARDS = {  # Stripe's test PaymentMethod ids -> card details
    "pm_card_visa": ("visa", "4242"),
    "pm_card_mastercard": ("mastercard", "4444"),
    "pm_card_amex": ("amex", "8431"),
    **TEST_CARDS,
}
TEST_PAYMENT_METHODS = frozenset(_TEST_CARDS)


def _card(ctx, brand: str, last4: str, exp_month=12, exp_year=2034) -> dict:
    return {
        "brand": brand,
        "last4": last4,
        "exp_month": int(exp_month),
        "exp_year": int(exp_year),
        "country": "US",
        "funding": "credit",
        "fingerprint": ctx.token(16),
        "checks": {
            "address_line1_check": None,
            "address_postal_code_check": None,
            "cvc_check": "pass",
        },
        "display_brand": brand,
        "networks": {"available": [brand], "preferred": None},
        "three_d_secure_usage": {"supported": True},
        "wallet": None,
        "generated_from": None,
    }


def create_payment_method(ctx, table, fields):
    kind = fields.get("type") or "card"
    details = {}
    if kind == "card":
        card = fields.get("card") or {}
        number = (
            str(card.get("number") or "4242424242424242")
            if isinstance(card, dict)
            else "4242424242424242"
        )
        brand = {"4": "visa", "5": "mastercard", "3": "amex"}.get(number[:1], "visa")
        details["card"] = _card(
            ctx,
            brand,
            number[-4:],
            card.get("exp_month") or 12 if isinstance(card, dict) else 12,
            card.get("exp_year") or 2034 if isinstance(card, dict) else 2034,
        )
    obj = new(
        ctx,
        table,
        {k: v for k, v in fields.items() if k not in ("card", "customer")},
        type=kind,
        **details,
    )
    if fields.get("customer"):
        attach_payment_method(ctx, table, obj, {"customer": fields["customer"]})
    return obj


_TEST_TOKENS = {  # Stripe's test card tokens -> (brand, last4)
    "tok_visa": ("Visa", "4242"),
    "tok_mastercard": ("MasterCard", "4444"),
    "tok_amex": ("American Express", "8431"),
    "tok_chargeDeclined": ("Visa", "0002"),
}


def create_card_source(ctx, table, fields):
    """POST /v1/customers/{customer}/sources with ``source=tok_...``: a card on the customer."""
    brand, last4 = _TEST_TOKENS.get(str(fields.get("source")), ("Visa", "4242"))
    card = new(
        ctx,
        table,
        {k: v for k, v in fields.items() if k != "source"},
        brand=brand,
        last4=last4,
        exp_month=12,
        exp_year=2034,
        country="US",
        funding="credit",
        fingerprint=ctx.token(16),
        cvc_check="pass",
    )
    customer = ctx.find(card.get("customer"))
    if customer is not None and not customer.get("default_source"):
        customer["default_source"] = card["id"]
        ctx.save("customers", customer)
    return card


def _payment_method(ctx, pm_id: str, param: str = "payment_method") -> dict:
    """A payment method by id; Stripe's test ids (pm_card_visa...) make a new card."""
    if pm_id in _TEST_CARDS and ctx.find(pm_id) is None:
        brand, last4 = _TEST_CARDS[pm_id]
        return create_payment_method(
            ctx,
            ctx.app.catalog.tables["payment_methods"],
            {
                "type": "card",
                "card": {"number": ("4" if brand == "visa" else "5") + "0" * 11 + last4},
            },
        )
    return ctx.get("payment_methods", pm_id, param, 400)


def attach_payment_method(ctx, table, obj, typed):
    customer = typed.get("customer")
    if not customer:
        raise missing_parameter("customer")
    ctx.get("customers", customer, "customer", 400)
    if obj.get("customer") not in (None, customer):
        raise unexpected_state(
            "The payment method you provided has already been attached to a customer."
        )
    obj["customer"] = customer
    return ctx.save("payment_methods", obj)


def detach_payment_method(ctx, table, obj, typed):
    if obj.get("customer") is None:
        raise unexpected_state(
            "The payment method you provided is not attached to a customer so detachment is "
            "impossible."
        )
    obj["customer"] = None
    return ctx.save("payment_methods", obj)


# -- payment intents and charges -----------------------------------------------------------------

_CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)


def create_payment_intent(ctx, table, fields):
    pm = _payment_method(ctx, fields["payment_method"]) if fields.get("payment_method") else None
    obj = new(
        ctx,
        table,
        {k: v for k, v in fields.items() if k not in ("payment_method", "confirm")},
        payment_method=pm["id"] if pm else None,
        status="requires_confirmation" if pm else "requires_payment_method",
        capture_method=fields.get("capture_method") or "automatic_async",
        canceled_at=None,
        cancellation_reason=None,
        latest_charge=None,
        last_payment_error=None,
        next_action=None,
    )
    _allowed_types(obj, fields)
    obj["client_secret"] = f"{obj['id']}_secret_{ctx.token(25)}"
    if fields.get("confirm"):
        return confirm_payment_intent(ctx, table, obj, {})
    return ctx.save(table.name, obj)


def _allowed_types(obj: dict, fields: dict) -> None:
    """``allowed_payment_method_types`` narrows ``payment_method_types`` to the compatible
    ones (the emulator deems every type compatible)."""
    if fields.get("allowed_payment_method_types"):
        obj["payment_method_types"] = list(fields["allowed_payment_method_types"])


def update_payment_intent(ctx, table, obj, typed):
    _allowed_types(obj, typed)
    # A payment method moves a new intent on to requires_confirmation, as on Stripe.
    if typed.get("payment_method"):
        typed["payment_method"] = _payment_method(ctx, typed["payment_method"])["id"]
        if obj["status"] == "requires_payment_method":
            obj["status"] = "requires_confirmation"


def confirm_payment_intent(ctx, table, obj, typed):
    if typed.get("payment_method"):
        obj["payment_method"] = _payment_method(ctx, typed["payment_method"])["id"]
    if typed.get("capture_method"):
        obj["capture_method"] = typed["capture_method"]
    if obj["status"] not in ("requires_payment_method", "requires_confirmation", "requires_action"):
        raise StripeError(
            400,
            f"This PaymentIntent's status is {obj['status']}, so it cannot be confirmed.",
            code="payment_intent_unexpected_state",
            param="intent",
        )
    if not obj.get("payment_method"):
        raise StripeError(
            400,
            "You cannot confirm this PaymentIntent because it's missing a payment method. "
            "Update the PaymentIntent with a payment method and then confirm it again.",
            code="payment_intent_unexpected_state",
        )
    pm = ctx.get("payment_methods", obj["payment_method"], "payment_method", 400)
    return attempt_payment(ctx, table, obj, pm, BY_LAST4.get((pm.get("card") or {}).get("last4")))


def attempt_payment(ctx, table, obj: dict, pm: dict, decline: Decline | None = None) -> dict:
    """One attempt to pay the intent with ``pm``: a charge, succeeded or (``decline``) failed.
    A decline leaves the intent waiting for another payment method and is Stripe's 402."""
    manual = obj.get("capture_method") == "manual"
    obj["payment_method"] = pm["id"]
    charge = create_charge_record(
        ctx,
        obj["amount"],
        obj["currency"],
        customer=obj.get("customer"),
        payment_intent=obj["id"],
        payment_method=pm,
        captured=not manual,
        description=obj.get("description"),
        metadata=dict(obj.get("metadata") or {}),
        decline=decline,
    )
    obj["latest_charge"] = charge["id"]
    if decline is not None:
        obj.update(
            status="requires_payment_method", last_payment_error=decline.error(charge["id"], pm)
        )
        ctx.save(table.name, obj)
        events.record(ctx, obj, "payment_failed")
        raise StripeError(
            402,
            decline.message,
            type="card_error",
            code=decline.code,
            decline_code=decline.decline_code,
        )
    obj.update(last_payment_error=None, next_action=None)
    if manual:
        obj.update(status="requires_capture", amount_capturable=obj["amount"])
    else:
        obj.update(status="succeeded", amount_received=obj["amount"])
    return ctx.save(table.name, obj)


def capture_payment_intent(ctx, table, obj, typed):
    if obj["status"] != "requires_capture":
        raise StripeError(
            400,
            f"This PaymentIntent could not be captured because it has a status of {obj['status']}. "
            "Only a PaymentIntent with one of the following statuses may be captured: "
            "requires_capture.",
            code="payment_intent_unexpected_state",
        )
    amount = typed.get("amount_to_capture")
    amount = obj["amount_capturable"] if amount is None else amount
    if amount > obj["amount_capturable"]:
        raise invalid(
            f"The amount to capture ({amount}) is greater than the amount capturable "
            f"({obj['amount_capturable']}).",
            param="amount_to_capture",
            code="amount_too_large",
        )
    merge(obj, {"metadata": typed["metadata"]} if typed.get("metadata") else {})
    obj.update(status="succeeded", amount_received=amount, amount_capturable=0)
    charge = ctx.find(obj.get("latest_charge"))
    if charge is not None:
        uncaptured = charge["amount"] - amount
        charge.update(
            captured=True,
            amount_captured=amount,
            amount_refunded=uncaptured,
            refunded=uncaptured == charge["amount"],
            balance_transaction=balance.for_charge(
                ctx, charge["id"], amount, charge["currency"], charge.get("description")
            ),
        )
        ctx.save("charges", charge)
    return ctx.save(table.name, obj)


def cancel_payment_intent(ctx, table, obj, typed):
    if obj["status"] not in _CANCELABLE:
        raise StripeError(
            400,
            f"You cannot cancel this PaymentIntent because it has a status of {obj['status']}. "
            "Only a PaymentIntent with one of the following statuses may be canceled: "
            + ", ".join(_CANCELABLE)
            + ".",
            code="payment_intent_unexpected_state",
        )
    if obj["status"] == "requires_capture":
        charge = ctx.find(obj.get("latest_charge"))
        if charge is not None:  # the authorization is released: the charge is refunded in full
            charge.update(refunded=True, amount_refunded=charge["amount"])
            ctx.save("charges", charge)
    obj.update(
        status="canceled",
        canceled_at=ctx.now,
        amount_capturable=0,
        cancellation_reason=typed.get("cancellation_reason"),
    )
    return ctx.save(table.name, obj)


def create_charge_record(
    ctx,
    amount,
    currency,
    *,
    customer=None,
    payment_intent=None,
    payment_method=None,
    captured=True,
    description=None,
    metadata=None,
    decline: Decline | None = None,
) -> dict:
    """A charge: succeeded (with its balance transaction when captured), or failed with
    ``decline``'s failure_code, failure_message and outcome."""
    card = (payment_method or {}).get("card") or _card(ctx, "visa", "4242")
    charge_id = ctx.new_id("charge")
    failed = decline is not None
    captured = captured and not failed
    return ctx.create(
        "charges",
        {
            "id": charge_id,
            "amount": amount,
            "currency": currency,
            "customer": customer,
            "payment_intent": payment_intent,
            "payment_method": payment_method["id"] if payment_method else None,
            "payment_method_details": {
                "type": "card",
                "card": {
                    k: card.get(k)
                    for k in (
                        "brand",
                        "last4",
                        "exp_month",
                        "exp_year",
                        "fingerprint",
                        "country",
                        "funding",
                    )
                },
            },
            "billing_details": (payment_method or {}).get("billing_details")
            or {"address": None, "email": None, "name": None, "phone": None},
            "captured": captured,
            "amount_captured": amount if captured else 0,
            "paid": not failed,
            "status": "failed" if failed else "succeeded",
            "failure_code": decline.code if decline else None,
            "failure_message": decline.message if decline else None,
            "refunded": False,
            "amount_refunded": 0,
            "description": description,
            "metadata": metadata or {},
            "balance_transaction": (
                balance.for_charge(ctx, charge_id, amount, currency, description)
                if captured
                else None
            ),
            "outcome": decline.outcome() if decline else outcome(),
        },
    )


def create_charge(ctx, table, fields):
    if fields.get("amount") is None:
        raise missing_parameter("amount")
    if not fields.get("currency"):
        raise missing_parameter("currency")
    pm = None
    source = fields.get("source")
    if source and str(source).startswith("pm_"):
        pm = _payment_method(ctx, source, "source")
    charge = create_charge_record(
        ctx,
        fields["amount"],
        fields["currency"],
        customer=fields.get("customer"),
        payment_method=pm,
        captured=fields.get("capture", True) is not False,
        description=fields.get("description"),
        metadata={},
    )
    merge(
        charge, {k: v for k, v in fields.items() if k in charge and k not in ("amount", "currency")}
    )
    return ctx.save(table.name, charge)


def create_refund(ctx, table, fields):
    charge_id = fields.get("charge")
    if not charge_id and fields.get("payment_intent"):
        intent = ctx.get("payment_intents", fields["payment_intent"], "payment_intent", 400)
        charge_id = intent.get("latest_charge")
        if not charge_id:
            raise invalid(
                f"This PaymentIntent ({intent['id']}) does not have a successful charge to refund.",
                param="payment_intent",
                code="charge_not_refundable",
            )
    if not charge_id:
        raise invalid(
            "One of the following params should be provided for this request: payment_intent or "
            "charge.",
            code="parameter_missing",
        )
    charge = ctx.get("charges", charge_id, "charge", 400)
    remaining = charge["amount"] - (charge.get("amount_refunded") or 0)
    amount = fields.get("amount")
    amount = remaining if amount is None else amount
    if amount <= 0 or amount > remaining:
        raise invalid(
            f"Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining})",
            param="amount",
            code="amount_too_large" if amount > 0 else "parameter_invalid_integer",
        )
    before = dict(charge)
    charge["amount_refunded"] = (charge.get("amount_refunded") or 0) + amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount"]
    ctx.save("charges", charge)
    refund_id = ctx.new_id("refund")
    refund = new(
        ctx,
        table,
        fields,
        id=refund_id,
        amount=amount,
        charge=charge["id"],
        currency=charge["currency"],
        payment_intent=charge.get("payment_intent"),
        status="succeeded",
        balance_transaction=balance.for_refund(ctx, refund_id, amount, charge["currency"]),
    )
    events.record(ctx, charge, "refunded", events.changed(before, charge))
    return refund
