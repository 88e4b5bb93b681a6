"""Collecting an open invoice by card, as Stripe does for ``charge_automatically``.

Each attempt confirms the invoice's payment intent (made on the first attempt, for
``amount_due``) with the customer's card. Paid: the invoice is ``paid`` and its
``invoice_payment`` says by which payment intent. Declined: the failed charge stays,
the invoice stays ``open`` with one more ``attempt_count``.
"""

from __future__ import annotations

from .. import events
from ..errors import StripeError
from .declines import Decline
from .invoices import mark_paid, set_delinquent
from .payments import attempt_payment

_DESCRIPTIONS = {
    "subscription_create": "Subscription creation",
    "subscription_cycle": "Subscription update",
}


def collect_invoice(
    ctx, invoice: dict, payment_method: dict, decline: Decline | None = None
) -> bool:
    """One payment attempt on ``invoice``; whether it was paid."""
    payment = _invoice_payment(ctx, invoice)
    intents = ctx.app.catalog.tables["payment_intents"]
    intent = ctx.get("payment_intents", payment["payment"]["payment_intent"])
    invoice["attempted"] = True
    invoice["attempt_count"] = (invoice.get("attempt_count") or 0) + 1
    try:
        attempt_payment(ctx, intents, intent, payment_method, decline)
    except StripeError:
        ctx.save("invoices", invoice)
        events.record(ctx, invoice, "payment_failed")
        set_delinquent(ctx, invoice, True)
        return False
    set_delinquent(ctx, invoice, False)
    events.record(ctx, intent, "succeeded")
    payment.update(status="paid", amount_paid=invoice["amount_due"])
    payment["status_transitions"] = {"canceled_at": None, "paid_at": ctx.now}
    ctx.save("invoice_payments", payment)
    events.record(ctx, payment, "paid")
    invoice["attempt_count"] -= 1  # mark_paid counts the paying attempt
    mark_paid(ctx, invoice)
    invoice["next_payment_attempt"] = None
    ctx.save("invoices", invoice)
    events.record(ctx, invoice, "paid")
    return True


def _invoice_payment(ctx, invoice: dict) -> dict:
    """The invoice's (default) payment: its payment intent, made on the first attempt."""
    found = ctx.where("invoice_payments", lambda p: p["invoice"] == invoice["id"])
    if found:
        return found[0]
    intent = ctx.app.create(
        ctx,
        ctx.app.catalog.tables["payment_intents"],
        {
            "amount": invoice["amount_due"],
            "currency": invoice["currency"],
            "customer": invoice["customer"],
            "description": _DESCRIPTIONS.get(
                invoice.get("billing_reason") or "", "Invoice payment"
            ),
        },
    )
    return ctx.create(
        "invoice_payments",
        {
            "invoice": invoice["id"],
            "amount_requested": invoice["amount_due"],
            "amount_paid": None,
            "currency": invoice["currency"],
            "is_default": True,
            "payment": {
                "type": "payment_intent",
                "payment_intent": intent["id"],
                "charge": None,
                "payment_record": None,
            },
            "status": "open",
            "status_transitions": {"canceled_at": None, "paid_at": None},
        },
    )

