"""Products, prices, plans and coupons."""

from __future__ import annotations

from ..errors import invalid, missing_parameter
from .common import new


def create_product(ctx, table, fields):
    if fields.get("id") and ctx.find(fields["id"]) is not None:
        raise invalid("Product already exists.", param="id", code="resource_already_exists")
    obj = new(ctx, table, fields, updated=ctx.now)
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
    return new(
        ctx,
        table,
        {**fields, "product": product},
        recurring=recurring,
        type="recurring" if recurring else "one_time",
        unit_amount_decimal=None if amount is None else str(amount),
    )


def create_with_chosen_id(ctx, table, fields):
    """Coupons and plans: the caller may pick the id."""
    if fields.get("id") and ctx.find(fields["id"]) is not None:
        raise invalid(
            f"{table.object.capitalize()} already exists.",
            param="id",
            code="resource_already_exists",
        )
    obj = new(ctx, table, fields)
    if table.object == "plan":
        if isinstance(obj.get("product"), dict):
            obj["product"] = create_product(
                ctx, ctx.app.catalog.tables["products"], obj["product"]
            )["id"]
        # On Stripe a plan is also a price with the same id (prices API compatibility).
        new(
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
