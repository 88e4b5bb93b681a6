"""New Stripe objects: ids with Stripe's prefixes, a skeleton from the catalog, defaults.

The skeleton has every top-level field of the table set to ``None`` (Stripe
always sends every field), then Stripe's documented defaults for the type.
"""

from __future__ import annotations

import random
import string

from ..catalog.model import Table

# Stripe's id prefixes (object type -> prefix); others are derived in ``prefix_for``.
ID_PREFIXES = {
    "account": "acct",
    "application_fee": "fee",
    "balance_transaction": "txn",
    "bank_account": "ba",
    "card": "card",
    "charge": "ch",
    "checkout.session": "cs_test",
    "coupon": "co",
    "credit_note": "cn",
    "customer": "cus",
    "customer_balance_transaction": "cbtxn",
    "dispute": "dp",
    "event": "evt",
    "file": "file",
    "file_link": "link",
    "invoice": "in",
    "invoice_payment": "inpay",
    "invoiceitem": "ii",
    "line_item": "il",
    "payment_intent": "pi",
    "payment_link": "plink",
    "payment_method": "pm",
    "payout": "po",
    "plan": "plan",
    "price": "price",
    "product": "prod",
    "promotion_code": "promo",
    "quote": "qt",
    "refund": "re",
    "setup_intent": "seti",
    "shipping_rate": "shr",
    "source": "src",
    "subscription": "sub",
    "subscription_item": "si",
    "subscription_schedule": "sub_sched",
    "tax_id": "txi",
    "tax_rate": "txr",
    "test_helpers.test_clock": "clock",
    "topup": "tu",
    "transfer": "tr",
    "webhook_endpoint": "we",
}

# Field values Stripe sets on a new object of the type (before the request's params).
DEFAULTS: dict[str, dict] = {
    "customer": {
        "balance": 0,
        "delinquent": False,
        "tax_exempt": "none",
        "preferred_locales": [],
        "next_invoice_sequence": 1,
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
    },
    "product": {
        "active": True,
        "images": [],
        "marketing_features": [],
        "type": "service",
        "package_dimensions": None,
        "shippable": None,
    },
    "price": {
        "active": True,
        "billing_scheme": "per_unit",
        "tax_behavior": "unspecified",
        "type": "one_time",
        "recurring": None,
    },
    "payment_method": {
        "type": "card",
        "customer": None,
        "allow_redisplay": "unspecified",
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
    },
    "payment_intent": {
        "amount_capturable": 0,
        "amount_received": 0,
        "capture_method": "automatic_async",
        "confirmation_method": "automatic",
        "payment_method_types": ["card"],
        "status": "requires_payment_method",
    },
    "charge": {
        "status": "succeeded",
        "paid": True,
        "captured": True,
        "refunded": False,
        "amount_refunded": 0,
        "disputed": False,
    },
    "refund": {"status": "succeeded"},
    "invoice": {
        "status": "draft",
        "collection_method": "charge_automatically",
        "amount_paid": 0,
        "attempt_count": 0,
        "attempted": False,
        "auto_advance": False,
    },
    "invoiceitem": {"quantity": 1, "discountable": True, "proration": False},
    "subscription": {
        "status": "active",
        "cancel_at_period_end": False,
        "collection_method": "charge_automatically",
    },
    "subscription_item": {"quantity": 1},
    "quote": {"status": "draft", "collection_method": "charge_automatically"},
    "account": {
        "type": "custom",
        "charges_enabled": False,
        "payouts_enabled": False,
        "details_submitted": False,
        "country": "US",
        "default_currency": "usd",
    },
    "coupon": {"valid": True, "times_redeemed": 0, "duration": "once"},
    "tax_rate": {"active": True, "inclusive": False},
    "plan": {
        "active": True,
        "interval_count": 1,
        "usage_type": "licensed",
        "billing_scheme": "per_unit",
    },
}

_ALPHABET = string.ascii_letters + string.digits


def prefix_for(object_type: str) -> str:
    known = ID_PREFIXES.get(object_type)
    if known:
        return known
    # "issuing.cardholder" -> "ich"; "tax_code" -> "tc": short, stable, Stripe-like.
    words = object_type.replace(".", "_").split("_")
    return "".join(w[0] for w in words if w) + (words[-1][1:3] if len(words) == 1 else "")


class IdMaker:
    """Random but reproducible ids: ``cus_`` + 14 letters and digits."""

    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)

    def token(self, length: int = 14) -> str:
        return "".join(self._rng.choice(_ALPHABET) for _ in range(length))

    def new_id(self, object_type: str) -> str:
        return f"{prefix_for(object_type)}_{self.token()}"


def skeleton(table: Table, object_id: str, created: int, *, livemode: bool = False) -> dict:
    obj: dict = {}
    for column in table.columns:
        obj.setdefault(column.path[0], None)
    obj.update({"id": object_id, "object": table.object, "livemode": livemode})
    obj["created"] = created  # also kept where Stripe omits it: it orders lists
    if "metadata" in obj:
        obj["metadata"] = {}
    for key, value in DEFAULTS.get(table.object, {}).items():
        obj[key] = _fresh(value)
    return obj


def clone(value):
    """A deep copy of a Stripe object (dicts, lists and scalars: the JSON shapes), several
    times faster than ``copy.deepcopy``, which events and Search snapshots pay on every write."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


def _fresh(value):
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return list(value)
    return value


def deleted_stub(obj: dict) -> dict:
    return {"id": obj["id"], "object": obj.get("object"), "deleted": True}


def list_envelope(data: list, has_more: bool, url: str) -> dict:
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def ref(value):
    """A reference's id whether it is expanded (a dict) or not."""
    return value.get("id") if isinstance(value, dict) and "id" in value else value


def value_at(obj: dict | None, path) -> object:
    for part in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj
