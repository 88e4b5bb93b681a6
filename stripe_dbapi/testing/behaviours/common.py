"""Helpers the resource behaviours share."""

from __future__ import annotations

from ..params import merge

MONTH = 30 * 24 * 3600  # a billing period, near enough for the emulator


def new(ctx, table, fields: dict, **computed) -> dict:
    """A new object: generic field params applied, then the computed fields."""
    chosen_id = computed.pop("id", None) or fields.get("id")
    obj = ctx.app.new_object(ctx, table, {"id": chosen_id} if chosen_id else {})
    merge(obj, {k: v for k, v in fields.items() if (k in obj or k == "metadata") and k != "id"})
    obj.update(computed)
    return ctx.save(table.name, obj)


def ref_id(value) -> str | None:
    """The id of a reference, expanded or not."""
    return value.get("id") if isinstance(value, dict) else value


def price_amount(ctx, price_id, quantity: int, param: str) -> tuple[dict, int]:
    price = ctx.get("prices", price_id, param, 400)
    return price, (price.get("unit_amount") or 0) * quantity
