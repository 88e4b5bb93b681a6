"""Customers, their tax ids, and connected accounts."""

from __future__ import annotations

from ..errors import missing_parameter, unknown_parameter
from .common import new, ref_id
from .payments import attach_payment_method
from .subscriptions import cancel_subscription


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


def delete_customer(ctx, table, obj, params):
    """DELETE /v1/customers/{id} also cancels the customer's subscriptions at once, as
    Stripe does (each announced as customer.subscription.deleted); then the customer goes."""
    for name in params:
        raise unknown_parameter(name)
    subscriptions = ctx.app.catalog.tables["subscriptions"]
    for sub in ctx.where(
        "subscriptions",
        lambda s: ref_id(s.get("customer")) == obj["id"] and s.get("status") != "canceled",
    ):
        cancel_subscription(ctx, subscriptions, sub, {})


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


def create_tax_id(ctx, table, fields):
    """POST /v1/customers/{customer}/tax_ids (or /v1/tax_ids with ``owner``): Stripe fills
    ``owner``, ``country`` (from the type, or the value's prefix for ``eu_vat``) and a
    pending ``verification``."""
    for name in ("type", "value"):
        if not fields.get(name):
            raise missing_parameter(name)
    owner = fields.get("owner") if isinstance(fields.get("owner"), dict) else None
    customer = fields.get("customer") or (owner or {}).get("customer")
    if customer:
        ctx.get("customers", customer, "owner[customer]" if owner else "customer", 400)
    kind, value = str(fields["type"]), str(fields["value"])
    return new(
        ctx,
        table,
        {k: v for k, v in fields.items() if k != "owner"},
        customer=customer,
        owner={
            "type": "customer" if customer else (owner or {}).get("type") or "self",
            "customer": customer,
            "account": (owner or {}).get("account"),
        },
        country=(value[:2] if kind == "eu_vat" else kind.split("_", 1)[0]).upper(),
        verification={"status": "pending", "verified_address": None, "verified_name": None},
    )
