"""Customers and connected accounts."""

from __future__ import annotations

from .common import new
from .payments import attach_payment_method


def create_customer(ctx, table, fields):
    obj = new(ctx, table, fields, invoice_prefix=ctx.token(8).upper())
    if fields.get("payment_method"):
        attach_payment_method(
            ctx,
            None,
            ctx.get("payment_methods", fields["payment_method"], "payment_method", 400),
            {"customer": obj["id"]},
        )
    return obj


def create_account(ctx, table, fields):
    kind = fields.get("type") or "custom"
    return new(
        ctx,
        table,
        fields,
        type=kind,
        charges_enabled=kind == "standard",
        payouts_enabled=kind == "standard",
        details_submitted=kind == "standard",
        country=fields.get("country") or "US",
    )
