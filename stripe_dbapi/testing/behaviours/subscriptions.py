"""Subscriptions: items, trials, cancel (DELETE)."""

from __future__ import annotations

from ..errors import missing_parameter, unexpected_state
from ..objects import list_envelope
from .common import new, period_end


def create_subscription(ctx, table, fields):
    if not fields.get("customer"):
        raise missing_parameter("customer")
    items = fields.get("items") or []
    if not items:
        raise missing_parameter("items")
    trial_days = fields.get("trial_period_days")
    trial_end = fields.get("trial_end") or (ctx.now + trial_days * 86400 if trial_days else None)
    sub = new(
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
                    # A trial is the first period; then the price's interval.
                    "current_period_end": trial_end or period_end(ctx.now, price["recurring"]),
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


# -- subscription items: the subscription embeds them, so their changes are its updates ------


def _parent(ctx, item_or_fields: dict, param: str = "subscription") -> dict:
    """The item's subscription, read before the item changes (its embedded copy changes
    with it: Stripe announces that as customer.subscription.updated)."""
    return ctx.get("subscriptions", item_or_fields.get("subscription"), param, 400)


def create_subscription_item(ctx, table, fields):
    """POST /v1/subscription_items: a new item, also listed in its subscription's items."""
    if not fields.get("subscription"):
        raise missing_parameter("subscription")
    if not fields.get("price"):
        raise missing_parameter("price")
    sub = _parent(ctx, fields)
    price = ctx.get("prices", fields["price"], "price", 400)
    item = new(
        ctx,
        table,
        {k: v for k, v in fields.items() if k != "price"},
        price=price,
        quantity=fields.get("quantity") or 1,
        current_period_start=ctx.now,
        current_period_end=period_end(ctx.now, price.get("recurring")),
        discounts=[],
        tax_rates=[],
    )
    sub["items"]["data"].append(item)
    ctx.save("subscriptions", sub)
    return item


def update_subscription_item(ctx, table, obj, typed):
    _parent(ctx, obj)
    if typed.get("price"):  # the item embeds its price: replaced, not merged into the old one
        obj["price"] = ctx.get("prices", typed.pop("price"), "price", 400)


def delete_subscription_item(ctx, table, obj, params):
    sub = _parent(ctx, obj)
    sub["items"]["data"] = [i for i in sub["items"]["data"] if i["id"] != obj["id"]]
    ctx.save("subscriptions", sub)
