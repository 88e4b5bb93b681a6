"""Stripe's events: each API write leaves an ``event`` object in ``/v1/events``.

Types follow Stripe's names (``customer.created``, ``payment_intent.succeeded``,
``invoice.finalized``, ``customer.subscription.deleted``...). ``data.object`` is a
snapshot of the object after the change; updates carry ``previous_attributes``.
Nested objects (invoice lines, quote items) make no events of their own, as on Stripe.
No webhooks are sent (``pending_webhooks`` is 0).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

# Stripe's prefix where it differs from the object type.
_PREFIX = {
    "subscription": "customer.subscription",
    "tax_id": "customer.tax_id",
    "dispute": "charge.dispute",
}
# Objects Stripe sends no events for (they change with their parent: a subscription's
# items in customer.subscription.updated, a charge's balance transaction...).
_SILENT = {"event", "line_item", "item", "subscription_item", "balance_transaction"}
# Objects with events, but none for their creation (payment_method.attached comes first).
_NOT_ANNOUNCED = {"payment_method", "invoice_payment"}


def _created_verb(obj: dict) -> str:
    """A new charge is "charge.succeeded" (authorized ones too) or "charge.failed"."""
    if obj.get("object") == "charge":
        return "failed" if obj.get("status") == "failed" else "succeeded"
    return "created"

# Action (procedure) -> event suffix; a callable picks it from the object's new state.
_ACTION_EVENTS: dict[str, str | Callable[[dict], str]] = {
    "ConfirmPaymentIntent": lambda obj: (
        "amount_capturable_updated" if obj.get("status") == "requires_capture" else "succeeded"
    ),
    "CapturePaymentIntent": "succeeded",
    "CancelPaymentIntent": "canceled",
    "AttachPaymentMethodToCustomer": "attached",
    "DetachPaymentMethodFromCustomer": "detached",
    "FinalizeInvoice": "finalized",
    "PayInvoice": "paid",
    "VoidInvoice": "voided",
    "MarkUncollectibleInvoice": "marked_uncollectible",
    "SendInvoice": "sent",
    "FinalizeQuote": "finalized",
    "AcceptQuote": "accepted",
    "CancelQuote": "canceled",
}


def record(ctx, obj: dict, verb: str, previous: dict | None = None) -> None:
    """Add the event ``<object>.<verb>`` for ``obj`` (nothing for silent object types)."""
    object_type = obj.get("object")
    events = ctx.app.catalog.tables.get("events")
    if events is None or object_type in _SILENT or not object_type:
        return
    if verb == "created" and object_type in _NOT_ANNOUNCED:
        return
    if verb == "created":
        verb = _created_verb(obj)
    data = {"object": copy.deepcopy(obj)}
    if previous is not None:
        data["previous_attributes"] = previous
    ctx.app.new_object(
        ctx,
        events,
        {
            "type": f"{_PREFIX.get(object_type, object_type)}.{verb}",
            "api_version": ctx.app.catalog.version,
            "data": data,
            "pending_webhooks": 0,
            "request": {"id": None, "idempotency_key": None},
            "account": None if ctx.account == "platform" else ctx.account,
        },
    )


def record_action(ctx, procedure: str, obj: dict) -> None:
    suffix = _ACTION_EVENTS.get(procedure)
    if suffix is not None:
        record(ctx, obj, suffix(obj) if callable(suffix) else suffix)


def changed(before: dict, after: dict) -> dict:
    """Stripe's ``previous_attributes``: the old values of the top-level fields that changed."""
    return {key: value for key, value in before.items() if after.get(key) != value}
