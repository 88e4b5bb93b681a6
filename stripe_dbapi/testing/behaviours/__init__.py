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

from .customers import create_account, create_customer, create_tax_id, delete_customer
from .invoices import (
    create_invoice,
    create_invoice_item,
    delete_invoice,
    delete_invoice_item,
    finalize_invoice,
    invoice_subscription,
    mark_invoice_uncollectible,
    pay_invoice,
    send_invoice,
    void_invoice,
)
from .lists import ListRules, list_rules
from .payments import (
    TEST_PAYMENT_METHODS,
    attach_payment_method,
    cancel_payment_intent,
    capture_payment_intent,
    confirm_payment_intent,
    create_card_source,
    create_charge,
    create_payment_intent,
    create_payment_method,
    create_refund,
    detach_payment_method,
    update_payment_intent,
)
from .products import create_price, create_product, create_with_chosen_id, delete_product
from .quotes import accept_quote, cancel_quote, create_quote, finalize_quote
from .subscriptions import (
    cancel_subscription,
    create_subscription,
    create_subscription_item,
    delete_subscription_item,
    update_subscription_item,
)

__all__ = [
    "ACTIONS",
    "CREATE",
    "DELETE",
    "RETRIEVABLE_WHEN_DELETED",
    "TEST_PAYMENT_METHODS",
    "UPDATE",
    "ListRules",
    "cancel_subscription",
    "invoice_subscription",
    "list_rules",
]

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
    "subscription_item": create_subscription_item,
    "quote": create_quote,
    "account": create_account,
    "tax_id": create_tax_id,
    "coupon": create_with_chosen_id,
    "plan": create_with_chosen_id,
}

UPDATE: dict[str, Callable] = {
    "payment_intent": update_payment_intent,
    "subscription_item": update_subscription_item,
}

DELETE: dict[str, Callable] = {
    "customer": delete_customer,
    "product": delete_product,
    "invoice": delete_invoice,
    "invoiceitem": delete_invoice_item,
    "subscription": cancel_subscription,
    "subscription_item": delete_subscription_item,
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
    "MarkUncollectibleInvoice": mark_invoice_uncollectible,
    "SendInvoice": send_invoice,
    "FinalizeQuote": finalize_quote,
    "AcceptQuote": accept_quote,
    "CancelQuote": cancel_quote,
}
