"""Quotes: line items, finalize, accept (creates an invoice), cancel."""

from __future__ import annotations

from ..errors import unexpected_state
from .common import MONTH, new, price_amount

# -- quotes --------------------------------------------------------------------------------


def create_quote(ctx, table, fields):
    customer = fields.get("customer")
    if customer:
        ctx.get("customers", customer, "customer", 400)
    quote = new(
        ctx,
        table,
        {k: v for k, v in fields.items() if k != "line_items"},
        status="draft",
        number=None,
        invoice=None,
        subscription=None,
        expires_at=fields.get("expires_at") or ctx.now + MONTH,
        status_transitions={"accepted_at": None, "canceled_at": None, "finalized_at": None},
    )
    total = 0
    for index, line in enumerate(fields.get("line_items") or []):
        price, amount = price_amount(
            ctx, line.get("price"), line.get("quantity") or 1, f"line_items[{index}][price]"
        )
        total += amount
        quote["currency"] = price["currency"]
        ctx.create(
            "quote_line_items",
            {
                "id": f"li_{ctx.token()}",
                "quote": quote["id"],
                "price": price,
                "quantity": line.get("quantity") or 1,
                "currency": price["currency"],
                "amount_subtotal": amount,
                "amount_total": amount,
                "amount_discount": 0,
                "amount_tax": 0,
                "description": None,
            },
        )
    quote.update(amount_subtotal=total, amount_total=total)
    return ctx.save(table.name, quote)


def finalize_quote(ctx, table, obj, typed):
    if obj["status"] != "draft":
        raise unexpected_state(
            f"This quote cannot be finalized because it has a status of {obj['status']}."
        )
    obj.update(status="open", number=f"QT-{ctx.token(8).upper()}-0001")
    if typed.get("expires_at"):
        obj["expires_at"] = typed["expires_at"]
    obj["status_transitions"]["finalized_at"] = ctx.now
    return ctx.save(table.name, obj)


def accept_quote(ctx, table, obj, typed):
    if obj["status"] != "open":
        raise unexpected_state(
            f"This quote cannot be accepted because it has a status of {obj['status']}. "
            "Only open quotes can be accepted."
        )
    if not obj.get("customer"):
        raise unexpected_state("This quote has no customer; set one before accepting it.")
    # Made as a request would make them, with their invoice.created / invoiceitem.created.
    invoice = ctx.app.create(
        ctx,
        ctx.app.catalog.tables["invoices"],
        {"customer": obj["customer"], "currency": obj.get("currency")},
    )
    invoice["quote"] = obj["id"]
    ctx.save("invoices", invoice)
    lines = ctx.where("quote_line_items", lambda line: line.get("quote") == obj["id"])
    for line in reversed(lines):
        ctx.app.create(
            ctx,
            ctx.app.catalog.tables["invoiceitems"],
            {
                "customer": obj["customer"],
                "invoice": invoice["id"],
                "quantity": line["quantity"],
                "pricing": {"price": line["price"]["id"]},
            },
        )
    obj.update(status="accepted", invoice=invoice["id"])
    obj["status_transitions"]["accepted_at"] = ctx.now
    return ctx.save(table.name, obj)


def cancel_quote(ctx, table, obj, typed):
    if obj["status"] not in ("draft", "open"):
        raise unexpected_state(
            f"This quote cannot be canceled because it has a status of {obj['status']}."
        )
    obj["status"] = "canceled"
    obj["status_transitions"]["canceled_at"] = ctx.now
    return ctx.save(table.name, obj)
