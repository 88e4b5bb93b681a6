"""What Stripe does beyond generic CRUD, per resource: defaults computed from
params, related objects (a payment's charge, an invoice's lines), list
visibility, and the state machines of the actions.

Hooks:
- ``CREATE[object](ctx, table, fields) -> obj``
- ``UPDATE[object](ctx, table, obj, typed)`` (before the generic field update)
- ``DELETE[object](ctx, table, obj, params) -> obj | None`` (None: delete normally)
- ``ACTIONS[procedure name](ctx, table, obj, typed) -> obj``
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import StripeError, invalid, missing_parameter, unexpected_state
from .objects import list_envelope
from .params import merge


def _new(ctx, table, fields: dict, **computed) -> dict:
    """A new object: generic field params applied, then the computed fields."""
    chosen_id = computed.pop("id", None) or fields.get("id")
    obj = ctx.app.new_object(ctx, table, {"id": chosen_id} if chosen_id else {})
    merge(obj, {k: v for k, v in fields.items() if (k in obj or k == "metadata") and k != "id"})
    obj.update(computed)
    return ctx.save(table.name, obj)


# -- lists ------------------------------------------------------------------------------


@dataclass
class ListRules:
    extra_params: tuple = ()
    custom_filters: dict[str, Callable[[Any, Any], Callable[[dict], bool]]] = field(
        default_factory=dict
    )
    default_visibility: Callable[[dict], list] = lambda given: []


def _subscription_status(ctx, value):
    # Stripe: "all" shows every status; "ended" = canceled or incomplete_expired.
    if value == "all":
        return lambda o: True
    if value == "ended":
        return lambda o: o.get("status") in ("canceled", "incomplete_expired")
    return lambda o: o.get("status") == value


def _subscription_has_price(attribute: str):
    def make(ctx, value):
        def test(obj):
            items = (obj.get("items") or {}).get("data") or []
            return any(_id(item.get(attribute) or {}) == value for item in items)

        return test

    return make


def _id(value) -> str | None:
    return value.get("id") if isinstance(value, dict) else value


_LIST_RULES = {
    "subscription": ListRules(
        custom_filters={
            "status": _subscription_status,
            "price": _subscription_has_price("price"),
            "plan": _subscription_has_price("plan"),
        },
        # Stripe omits canceled subscriptions unless `status` is given.
        default_visibility=lambda given: (
            [] if "status" in given else [lambda o: o.get("status") != "canceled"]
        ),
    ),
    "invoice": ListRules(
        custom_filters={
            "subscription": lambda ctx, v: lambda o: _invoice_subscription(o) == v,
        }
    ),
    "invoiceitem": ListRules(
        custom_filters={
            "pending": lambda ctx, v: (
                lambda o: (o.get("invoice") is None) == (str(v).lower() == "true")
            ),
        }
    ),
}


def list_rules(object_type: str) -> ListRules:
    return _LIST_RULES.get(object_type, ListRules())


def _invoice_subscription(invoice: dict) -> str | None:
    parent = invoice.get("parent") or {}
    return (parent.get("subscription_details") or {}).get("subscription") or invoice.get(
        "subscription"
    )


# -- customers, products, prices --------------------------------------------------------


def create_customer(ctx, table, fields):
    obj = _new(ctx, table, fields, invoice_prefix=ctx.token(8).upper())
    if fields.get("payment_method"):
        attach_payment_method(
            ctx,
            None,
            ctx.get("payment_methods", fields["payment_method"], "payment_method", 400),
            {"customer": obj["id"]},
        )
    return obj


def create_product(ctx, table, fields):
    if fields.get("id") and ctx.find(fields["id"]) is not None:
        raise invalid("Product already exists.", param="id", code="resource_already_exists")
    obj = _new(ctx, table, fields, updated=ctx.now)
    data = fields.get("default_price_data")
    if data:
        price = create_price(ctx, ctx.app.catalog.tables["prices"], {**data, "product": obj["id"]})
        obj["default_price"] = price["id"]
    return ctx.save(table.name, obj)


def delete_product(ctx, table, obj, params):
    if ctx.where("prices", lambda p: p.get("product") == obj["id"]):
        raise invalid(
            "This product cannot be deleted because it has one or more user-created prices.",
            code="product_has_prices",
        )


def create_price(ctx, table, fields):
    product = fields.get("product")
    if not product and fields.get("product_data"):
        product = create_product(
            ctx, ctx.app.catalog.tables["products"], {**fields["product_data"], "active": True}
        )["id"]
    if not product:
        raise missing_parameter("product")
    ctx.get("products", product, "product", 400)
    recurring = fields.get("recurring")
    if recurring:
        recurring = {
            "interval": recurring.get("interval"),
            "interval_count": recurring.get("interval_count") or 1,
            "meter": recurring.get("meter"),
            "usage_type": recurring.get("usage_type") or "licensed",
            "trial_period_days": None,
        }
    amount = fields.get("unit_amount")
    return _new(
        ctx,
        table,
        {**fields, "product": product},
        recurring=recurring,
        type="recurring" if recurring else "one_time",
        unit_amount_decimal=None if amount is None else str(amount),
    )


# -- payment methods ---------------------------------------------------------------------------

_TEST_CARDS = {  # Stripe's test PaymentMethod ids -> card details
    "pm_card_visa": ("visa", "4242"),
    "pm_card_mastercard": ("mastercard", "4444"),
    "pm_card_amex": ("amex", "8431"),
    "pm_card_chargeDeclined": ("visa", "0002"),
    "pm_card_visa_chargeDeclined": ("visa", "0002"),
}
_DECLINED_LAST4 = {"0002"}
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
    obj = _new(
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
    card = _new(
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
            "The payment method you provided is not attached to a customer so detachment is impossible."
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
    obj = _new(
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
    obj["client_secret"] = f"{obj['id']}_secret_{ctx.token(25)}"
    if fields.get("confirm"):
        return confirm_payment_intent(ctx, table, obj, {})
    return ctx.save(table.name, obj)


def update_payment_intent(ctx, table, obj, typed):
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
    manual = obj.get("capture_method") == "manual"
    card = pm.get("card") or {}
    if card.get("last4") in _DECLINED_LAST4:
        error = {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "generic_decline",
            "message": "Your card was declined.",
            "payment_method": pm,
        }
        obj.update(status="requires_payment_method", last_payment_error=error)
        ctx.save(table.name, obj)
        raise StripeError(
            402,
            "Your card was declined.",
            type="card_error",
            code="card_declined",
            decline_code="generic_decline",
        )
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
    )
    obj.update(latest_charge=charge["id"], last_payment_error=None, next_action=None)
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
            "Only a PaymentIntent with one of the following statuses may be captured: requires_capture.",
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
            balance_transaction=ctx.new_id("balance_transaction"),
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
) -> dict:
    card = (payment_method or {}).get("card") or _card(ctx, "visa", "4242")
    return ctx.create(
        "charges",
        {
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
            "paid": True,
            "status": "succeeded",
            "refunded": False,
            "amount_refunded": 0,
            "description": description,
            "metadata": metadata or {},
            "balance_transaction": ctx.new_id("balance_transaction") if captured else None,
            "outcome": {
                "network_status": "approved_by_network",
                "reason": None,
                "risk_level": "normal",
                "seller_message": "Payment complete.",
                "type": "authorized",
            },
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
            "One of the following params should be provided for this request: payment_intent or charge.",
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
    charge["amount_refunded"] = (charge.get("amount_refunded") or 0) + amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount"]
    ctx.save("charges", charge)
    return _new(
        ctx,
        table,
        fields,
        amount=amount,
        charge=charge["id"],
        currency=charge["currency"],
        payment_intent=charge.get("payment_intent"),
        status="succeeded",
        balance_transaction=ctx.new_id("balance_transaction"),
    )


# -- invoices --------------------------------------------------------------------------------------


def _price_amount(ctx, price_id, quantity: int, param: str) -> tuple[dict, int]:
    price = ctx.get("prices", price_id, param, 400)
    return price, (price.get("unit_amount") or 0) * quantity


def create_invoice_item(ctx, table, fields):
    quantity = fields.get("quantity") or 1
    price_id = (
        (fields.get("pricing") or {}).get("price")
        if isinstance(fields.get("pricing"), dict)
        else None
    )
    customer = fields.get("customer")
    if not customer:
        raise missing_parameter("customer")
    invoice = (
        ctx.get("invoices", fields["invoice"], "invoice", 400) if fields.get("invoice") else None
    )
    if invoice is not None and invoice["status"] != "draft":
        raise invalid(
            f"Invoice {invoice['id']} is no longer editable.",
            param="invoice",
            code="invoice_not_editable",
        )
    currency = fields.get("currency")
    pricing = {"type": "price_details", "price_details": None, "unit_amount_decimal": None}
    if price_id:
        price, amount = _price_amount(ctx, price_id, quantity, "pricing[price]")
        currency = price["currency"]
        pricing.update(
            price_details={"price": price["id"], "product": price["product"]},
            unit_amount_decimal=str(price.get("unit_amount") or 0),
        )
    elif fields.get("amount") is not None:
        amount = fields["amount"]
        pricing["unit_amount_decimal"] = str(amount // max(quantity, 1))
    elif fields.get("unit_amount_decimal"):
        amount = int(float(fields["unit_amount_decimal"]) * quantity)
        pricing["unit_amount_decimal"] = fields["unit_amount_decimal"]
    else:
        raise invalid(
            "You must specify either `amount`, `pricing[price]` or `unit_amount_decimal`.",
            code="parameter_missing",
        )
    if not currency:
        raise missing_parameter("currency")
    item = _new(
        ctx,
        table,
        fields,
        amount=amount,
        currency=currency,
        quantity=quantity,
        pricing=pricing,
        date=ctx.now,
        invoice=invoice["id"] if invoice else None,
        net_amount=amount,
        period={"start": ctx.now, "end": ctx.now},
    )
    if invoice is not None:
        _refresh_invoice(ctx, invoice)
    return item


def delete_invoice_item(ctx, table, obj, params):
    invoice = ctx.find(obj.get("invoice"))
    if invoice is not None and invoice["status"] != "draft":
        raise invalid(
            "You can't delete an invoice item that is attached to a finalized invoice.",
            code="invoice_not_editable",
        )
    if invoice is not None:
        ctx.app.store.remove(ctx.account, ctx.app.storage_name("invoiceitems"), obj["id"])
        _refresh_invoice(ctx, invoice)


def create_invoice(ctx, table, fields):
    customer = fields.get("customer")
    if not customer:
        raise missing_parameter("customer")
    owner = ctx.get("customers", customer, "customer", 400)
    invoice = _new(
        ctx,
        table,
        fields,
        status="draft",
        number=None,
        paid=False,
        currency=fields.get("currency") or "usd",
        customer_email=owner.get("email"),
        customer_name=owner.get("name"),
        status_transitions={
            "finalized_at": None,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        period_start=ctx.now,
        period_end=ctx.now,
        effective_at=None,
        due_date=fields.get("due_date"),
    )
    if fields.get("pending_invoice_items_behavior") == "include":
        for item in ctx.where(
            "invoiceitems", lambda i: i.get("customer") == customer and i.get("invoice") is None
        ):
            item["invoice"] = invoice["id"]
            ctx.save("invoiceitems", item)
    return _refresh_invoice(ctx, invoice)


def _refresh_invoice(ctx, invoice: dict) -> dict:
    """Rebuild lines and totals of a draft from its invoice items."""
    if invoice["status"] != "draft":
        return invoice
    for line in ctx.where("invoice_lines", lambda line: line.get("invoice") == invoice["id"]):
        ctx.app.store.remove(ctx.account, ctx.app.storage_name("invoice_lines"), line["id"])
    items = ctx.where("invoiceitems", lambda i: i.get("invoice") == invoice["id"])
    lines = []
    for item in reversed(items):  # oldest item first, as Stripe lists lines
        lines.append(
            ctx.create(
                "invoice_lines",
                {
                    "id": "il_" + item["id"].split("_", 1)[1],
                    "invoice": invoice["id"],
                    "amount": item["amount"],
                    "currency": item["currency"],
                    "description": item.get("description"),
                    "quantity": item.get("quantity"),
                    "metadata": dict(item.get("metadata") or {}),
                    "period": item.get("period"),
                    "pricing": item.get("pricing"),
                    "discountable": True,
                    "discount_amounts": [],
                    "discounts": [],
                    "subscription": None,
                    "parent": {
                        "type": "invoice_item_details",
                        "invoice_item_details": {
                            "invoice_item": item["id"],
                            "proration": False,
                            "proration_details": None,
                            "subscription": None,
                        },
                        "subscription_item_details": None,
                    },
                },
            )
        )
    total = sum(item["amount"] for item in items)
    if items:
        invoice["currency"] = items[0]["currency"]
    invoice.update(
        subtotal=total,
        subtotal_excluding_tax=total,
        total=total,
        total_excluding_tax=total,
        amount_due=total,
        amount_remaining=total,
        amount_paid=0,
        lines=list_envelope(lines[:10], len(lines) > 10, f"/v1/invoices/{invoice['id']}/lines"),
    )
    return ctx.save("invoices", invoice)


def delete_invoice(ctx, table, obj, params):
    if obj["status"] != "draft":
        raise invalid("You can only delete draft invoices.", code="invoice_not_editable")


def finalize_invoice(ctx, table, obj, typed):
    if obj["status"] != "draft":
        raise unexpected_state(
            "This invoice is already finalized, you can't re-finalize a non-draft invoice."
        )
    customer = ctx.find(obj.get("customer")) or {}
    sequence = customer.get("next_invoice_sequence") or 1
    if customer:
        customer["next_invoice_sequence"] = sequence + 1
        ctx.save("customers", customer)
    obj["number"] = f"{customer.get('invoice_prefix') or 'INV'}-{sequence:04d}"
    obj["status"] = "open"
    obj["effective_at"] = ctx.now
    obj["hosted_invoice_url"] = f"https://invoice.stripe.com/i/acct_emulator/test_{ctx.token(24)}"
    obj["invoice_pdf"] = obj["hosted_invoice_url"] + "/pdf"
    obj["status_transitions"] = {**(obj.get("status_transitions") or {}), "finalized_at": ctx.now}
    if "auto_advance" in typed and typed["auto_advance"] is not None:
        obj["auto_advance"] = typed["auto_advance"]
    if not obj.get("amount_due"):  # Stripe marks zero-amount invoices paid on finalization
        _mark_paid(ctx, obj)
    return ctx.save(table.name, obj)


def _mark_paid(ctx, obj: dict) -> None:
    obj.update(
        status="paid",
        paid=True,
        amount_paid=obj.get("amount_due") or 0,
        amount_remaining=0,
        attempted=True,
        attempt_count=(obj.get("attempt_count") or 0) + 1,
    )
    obj["status_transitions"] = {**(obj.get("status_transitions") or {}), "paid_at": ctx.now}


def pay_invoice(ctx, table, obj, typed):
    if obj["status"] == "draft":  # Stripe finalizes a draft before paying it
        finalize_invoice(ctx, table, obj, {})
        if obj["status"] == "paid":
            return obj
    if obj["status"] == "paid":
        raise unexpected_state("Invoice is already paid.")
    if obj["status"] not in ("open", "uncollectible"):
        raise unexpected_state(f"You cannot pay an invoice with status {obj['status']}.")
    _mark_paid(ctx, obj)
    obj["paid_out_of_band"] = bool(typed.get("paid_out_of_band"))
    return ctx.save(table.name, obj)


def void_invoice(ctx, table, obj, typed):
    if obj["status"] not in ("open", "uncollectible"):
        raise unexpected_state(
            f"You can only void open or uncollectible invoices; this invoice is {obj['status']}."
        )
    obj["status"] = "void"
    obj["amount_remaining"] = 0
    obj["status_transitions"] = {**(obj.get("status_transitions") or {}), "voided_at": ctx.now}
    return ctx.save(table.name, obj)


def mark_invoice_uncollectible(ctx, table, obj, typed):
    if obj["status"] != "open":
        raise unexpected_state(
            f"You can only mark open invoices uncollectible; this invoice is {obj['status']}."
        )
    obj["status"] = "uncollectible"
    obj["status_transitions"] = {
        **(obj.get("status_transitions") or {}),
        "marked_uncollectible_at": ctx.now,
    }
    return ctx.save(table.name, obj)


def send_invoice(ctx, table, obj, typed):
    if obj["status"] != "open":
        raise unexpected_state(f"You can only send open invoices; this invoice is {obj['status']}.")
    return obj


# -- subscriptions --------------------------------------------------------------------------------------

_MONTH = 30 * 24 * 3600


def create_subscription(ctx, table, fields):
    if not fields.get("customer"):
        raise missing_parameter("customer")
    items = fields.get("items") or []
    if not items:
        raise missing_parameter("items")
    trial_days = fields.get("trial_period_days")
    trial_end = fields.get("trial_end") or (ctx.now + trial_days * 86400 if trial_days else None)
    sub = _new(
        ctx,
        table,
        {k: v for k, v in fields.items() if k != "items"},
        status="trialing" if trial_end else "active",
        start_date=ctx.now,
        billing_cycle_anchor=trial_end or ctx.now,
        trial_start=ctx.now if trial_end else None,
        trial_end=trial_end,
        canceled_at=None,
        ended_at=None,
        cancel_at=None,
        currency=None,
        latest_invoice=None,
    )
    data = []
    for index, item in enumerate(items):
        key = "price" if item.get("price") or not item.get("plan") else "plan"
        if not item.get(key):
            raise missing_parameter(f"items[{index}][price]")
        price = ctx.get("prices", item[key], f"items[{index}][{key}]", 400)  # a plan is a price too
        plan = ctx.find(item["plan"]) if key == "plan" else None
        sub["currency"] = price["currency"]
        data.append(
            ctx.create(
                "subscription_items",
                {
                    "subscription": sub["id"],
                    "price": price,
                    "plan": plan,
                    "quantity": item.get("quantity") or 1,
                    "metadata": dict(item.get("metadata") or {}),
                    "current_period_start": ctx.now,
                    "current_period_end": ctx.now + _MONTH,
                    "discounts": [],
                    "tax_rates": [],
                },
            )
        )
    sub["items"] = list_envelope(data, False, f"/v1/subscription_items?subscription={sub['id']}")
    return ctx.save(table.name, sub)


def cancel_subscription(ctx, table, obj, params):
    """DELETE /v1/subscriptions/{id} cancels (the subscription stays, status canceled)."""
    if obj["status"] == "canceled":
        raise unexpected_state(
            f"A canceled subscription can only update its cancellation_details and metadata. "
            f"This subscription ({obj['id']}) is canceled."
        )
    obj.update(status="canceled", canceled_at=ctx.now, ended_at=ctx.now)
    details = params.get("cancellation_details") if isinstance(params, dict) else None
    if isinstance(details, dict):
        obj["cancellation_details"] = {
            "comment": details.get("comment"),
            "feedback": details.get("feedback"),
            "reason": "cancellation_requested",
        }
    return ctx.save(table.name, obj)


# -- quotes -----------------------------------------------------------------------------------------------


def create_quote(ctx, table, fields):
    customer = fields.get("customer")
    if customer:
        ctx.get("customers", customer, "customer", 400)
    quote = _new(
        ctx,
        table,
        {k: v for k, v in fields.items() if k != "line_items"},
        status="draft",
        number=None,
        invoice=None,
        subscription=None,
        expires_at=fields.get("expires_at") or ctx.now + _MONTH,
        status_transitions={"accepted_at": None, "canceled_at": None, "finalized_at": None},
    )
    total = 0
    for index, line in enumerate(fields.get("line_items") or []):
        price, amount = _price_amount(
            ctx, line.get("price"), line.get("quantity") or 1, f"line_items[{index}][price]"
        )
        total += amount
        quote["currency"] = price["currency"]
        ctx.create(
            "quote_line_items",
            {
                "id": f"li_{ctx.token()}",
                "quote": quote["id"],
                "price": price,
                "quantity": line.get("quantity") or 1,
                "currency": price["currency"],
                "amount_subtotal": amount,
                "amount_total": amount,
                "amount_discount": 0,
                "amount_tax": 0,
                "description": None,
            },
        )
    quote.update(amount_subtotal=total, amount_total=total)
    return ctx.save(table.name, quote)


def finalize_quote(ctx, table, obj, typed):
    if obj["status"] != "draft":
        raise unexpected_state(
            f"This quote cannot be finalized because it has a status of {obj['status']}."
        )
    obj.update(status="open", number=f"QT-{ctx.token(8).upper()}-0001")
    if typed.get("expires_at"):
        obj["expires_at"] = typed["expires_at"]
    obj["status_transitions"]["finalized_at"] = ctx.now
    return ctx.save(table.name, obj)


def accept_quote(ctx, table, obj, typed):
    if obj["status"] != "open":
        raise unexpected_state(
            f"This quote cannot be accepted because it has a status of {obj['status']}. "
            "Only open quotes can be accepted."
        )
    if not obj.get("customer"):
        raise unexpected_state("This quote has no customer; set one before accepting it.")
    invoice = create_invoice(
        ctx,
        ctx.app.catalog.tables["invoices"],
        {"customer": obj["customer"], "currency": obj.get("currency")},
    )
    invoice["quote"] = obj["id"]
    lines = ctx.where("quote_line_items", lambda line: line.get("quote") == obj["id"])
    for line in reversed(lines):
        create_invoice_item(
            ctx,
            ctx.app.catalog.tables["invoiceitems"],
            {
                "customer": obj["customer"],
                "invoice": invoice["id"],
                "quantity": line["quantity"],
                "pricing": {"price": line["price"]["id"]},
            },
        )
    obj.update(status="accepted", invoice=invoice["id"])
    obj["status_transitions"]["accepted_at"] = ctx.now
    return ctx.save(table.name, obj)


def cancel_quote(ctx, table, obj, typed):
    if obj["status"] not in ("draft", "open"):
        raise unexpected_state(
            f"This quote cannot be canceled because it has a status of {obj['status']}."
        )
    obj["status"] = "canceled"
    obj["status_transitions"]["canceled_at"] = ctx.now
    return ctx.save(table.name, obj)


# -- accounts, coupons, plans -----------------------------------------------------------------------------------


def create_account(ctx, table, fields):
    kind = fields.get("type") or "custom"
    return _new(
        ctx,
        table,
        fields,
        type=kind,
        charges_enabled=kind == "standard",
        payouts_enabled=kind == "standard",
        details_submitted=kind == "standard",
        country=fields.get("country") or "US",
    )


def create_with_chosen_id(ctx, table, fields):
    """Coupons and plans: the caller may pick the id."""
    if fields.get("id") and ctx.find(fields["id"]) is not None:
        raise invalid(
            f"{table.object.capitalize()} already exists.",
            param="id",
            code="resource_already_exists",
        )
    obj = _new(ctx, table, fields)
    if table.object == "plan":
        if isinstance(obj.get("product"), dict):
            obj["product"] = create_product(
                ctx, ctx.app.catalog.tables["products"], obj["product"]
            )["id"]
        # On Stripe a plan is also a price with the same id (prices API compatibility).
        _new(
            ctx,
            ctx.app.catalog.tables["prices"],
            {},
            id=obj["id"],
            product=obj.get("product"),
            currency=obj.get("currency"),
            unit_amount=obj.get("amount"),
            type="recurring",
            unit_amount_decimal=None if obj.get("amount") is None else str(obj["amount"]),
            recurring={
                "interval": obj.get("interval"),
                "interval_count": obj.get("interval_count") or 1,
                "meter": None,
                "usage_type": obj.get("usage_type") or "licensed",
                "trial_period_days": obj.get("trial_period_days"),
            },
        )
    return ctx.save(table.name, obj)


# Stripe answers a retrieve of these after deletion with {id, object, deleted: true}.
RETRIEVABLE_WHEN_DELETED = frozenset({"customer"})

CREATE: dict[str, Callable] = {
    "customer": create_customer,
    "product": create_product,
    "price": create_price,
    "payment_method": create_payment_method,
    "payment_intent": create_payment_intent,
    "charge": create_charge,
    "card": create_card_source,
    "refund": create_refund,
    "invoiceitem": create_invoice_item,
    "invoice": create_invoice,
    "subscription": create_subscription,
    "quote": create_quote,
    "account": create_account,
    "coupon": create_with_chosen_id,
    "plan": create_with_chosen_id,
}

UPDATE: dict[str, Callable] = {"payment_intent": update_payment_intent}

DELETE: dict[str, Callable] = {
    "product": delete_product,
    "invoice": delete_invoice,
    "invoiceitem": delete_invoice_item,
    "subscription": cancel_subscription,
}

ACTIONS: dict[str, Callable] = {
    "ConfirmPaymentIntent": confirm_payment_intent,
    "CapturePaymentIntent": capture_payment_intent,
    "CancelPaymentIntent": cancel_payment_intent,
    "AttachPaymentMethodToCustomer": attach_payment_method,
    "DetachPaymentMethodFromCustomer": detach_payment_method,
    "FinalizeInvoice": finalize_invoice,
    "PayInvoice": pay_invoice,
    "VoidInvoice": void_invoice,
    "MarkInvoiceUncollectible": mark_invoice_uncollectible,
    "SendInvoice": send_invoice,
    "FinalizeQuote": finalize_quote,
    "AcceptQuote": accept_quote,
    "CancelQuote": cancel_quote,
}
