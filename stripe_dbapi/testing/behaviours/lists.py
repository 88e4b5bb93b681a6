"""List visibility and filters Stripe applies beyond plain field equality."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .common import ref_id

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
            return any(ref_id(item.get(attribute) or {}) == value for item in items)

        return test

    return make


def _event_type(ctx, value):
    """``type``: one event type, or a group with ``*`` as a wildcard (``customer.*``)."""
    pattern = re.compile(".*".join(re.escape(part) for part in str(value).split("*")))
    return lambda o: pattern.fullmatch(o.get("type") or "") is not None


def _delivery_success(ctx, value):
    # No webhooks are sent: every event counts as delivered, none as pending or failed.
    delivered = str(value).lower() == "true"
    return lambda o: delivered


_LIST_RULES = {
    "event": ListRules(
        custom_filters={"type": _event_type, "delivery_success": _delivery_success}
    ),
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
            "subscription": lambda ctx, v: lambda o: invoice_subscription_id(o) == v,
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


def invoice_subscription_id(invoice: dict) -> str | None:
    """The subscription an invoice was made for (``parent.subscription_details``)."""
    parent = invoice.get("parent") or {}
    return (parent.get("subscription_details") or {}).get("subscription") or invoice.get(
        "subscription"
    )
