"""Helpers the resource behaviours share."""

from __future__ import annotations

import calendar
import datetime as dt

from ..params import merge

MONTH = 30 * 24 * 3600  # a quote's default lifetime (Stripe: 30 days)
_DAYS = {"day": 1, "week": 7}


def period_end(start: int, recurring: dict | None) -> int:
    """The end of a billing period starting at ``start`` for a price's ``recurring``: calendar
    months and years on the same day of the month (the 31st becomes the month's last day)."""
    interval = (recurring or {}).get("interval") or "month"
    count = (recurring or {}).get("interval_count") or 1
    if interval in _DAYS:
        return start + _DAYS[interval] * count * 86400
    months = count * (12 if interval == "year" else 1)
    moment = dt.datetime.fromtimestamp(start, dt.timezone.utc)
    year, month = divmod(moment.month - 1 + months, 12)
    year += moment.year
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return int(moment.replace(year=year, month=month + 1, day=day).timestamp())


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
