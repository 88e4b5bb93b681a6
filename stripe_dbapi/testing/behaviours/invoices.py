"""Invoice items, invoices (lines and totals) and their actions: finalize, pay, void..."""

from __future__ import annotations

from .. import events
from ..errors import invalid, missing_parameter, unexpected_state
from ..objects import list_envelope
from .common import new, price_amount, ref_id


def create_invoice_item(ctx, table, fields):
    quantity = fields.get("quantity") or 1
    price_id = (
        (fields.get("pricing") or {}).get("price")
        if isinstance(fields.get("pricing"), dict)
        else None
    )
    customer = fields.get("customer")
    if not customer:
        raise missing_parameter("customer")
    invoice = (
        ctx.get("invoices", fields["invoice"], "invoice", 400) if fields.get("invoice") else None
    )
    if invoice is not None and invoice["status"] != "draft":
        raise invalid(
            f"Invoice {invoice['id']} is no longer editable.",
            param="invoice",
            code="invoice_not_editable",
        )
    currency = fields.get("currency")
    pricing = {"type": "price_details", "price_details": None, "unit_amount_decimal": None}
    if price_id:
        price, amount = price_amount(ctx, price_id, quantity, "pricing[price]")
        currency = price["currency"]
        pricing.update(
            price_details={"price": price["id"], "product": price["product"]},
            unit_amount_decimal=str(price.get("unit_amount") or 0),
        )
    elif fields.get("amount") is not None:
        amount = fields["amount"]
        pricing["unit_amount_decimal"] = str(amount // max(quantity, 1))
    elif fields.get("unit_amount_decimal"):
        amount = int(float(fields["unit_amount_decimal"]) * quantity)
        pricing["unit_amount_decimal"] = fields["unit_amount_decimal"]
    else:
        raise invalid(
            "You must specify either `amount`, `pricing[price]` or `unit_amount_decimal`.",
            code="parameter_missing",
        )
    if not currency:
        raise missing_parameter("currency")
    item = new(
        ctx,
        table,
        fields,
        amount=amount,
        currency=currency,
        quantity=quantity,
        pricing=pricing,
        date=ctx.now,
        invoice=invoice["id"] if invoice else None,
        net_amount=amount,
        period=fields.get("period") or {"start": ctx.now, "end": ctx.now},
    )
    if invoice is not None:
        _refresh_invoice(ctx, invoice)
    return item


def delete_invoice_item(ctx, table, obj, params):
    invoice = ctx.find(obj.get("invoice"))
    if invoice is not None and invoice["status"] != "draft":
        raise invalid(
            "You can't delete an invoice item that is attached to a finalized invoice.",
            code="invoice_not_editable",
        )
    if invoice is not None:
        ctx.app.store.remove(ctx.account, ctx.app.storage_name("invoiceitems"), obj["id"])
        _refresh_invoice(ctx, invoice)


def create_invoice(ctx, table, fields):
    customer = fields.get("customer")
    if not customer:
        raise missing_parameter("customer")
    owner = ctx.get("customers", customer, "customer", 400)
    invoice = new(
        ctx,
        table,
        fields,
        status="draft",
        number=None,
        paid=False,
        currency=fields.get("currency") or "usd",
        customer_email=owner.get("email"),
        customer_name=owner.get("name"),
        status_transitions={
            "finalized_at": None,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        period_start=ctx.now,
        period_end=ctx.now,
        effective_at=None,
        due_date=fields.get("due_date"),
    )
    if fields.get("pending_invoice_items_behavior") == "include":
        for item in ctx.where(
            "invoiceitems", lambda i: i.get("customer") == customer and i.get("invoice") is None
        ):
            item["invoice"] = invoice["id"]
            ctx.save("invoiceitems", item)
    return _refresh_invoice(ctx, invoice)


def _refresh_invoice(ctx, invoice: dict) -> dict:
    """Rebuild lines and totals of a draft from its invoice items."""
    if invoice["status"] != "draft":
        return invoice
    for line in ctx.where("invoice_lines", lambda line: line.get("invoice") == invoice["id"]):
        ctx.app.store.remove(ctx.account, ctx.app.storage_name("invoice_lines"), line["id"])
    items = ctx.where("invoiceitems", lambda i: i.get("invoice") == invoice["id"])
    lines = []
    for item in reversed(items):  # oldest item first, as Stripe lists lines
        lines.append(
            ctx.create(
                "invoice_lines",
                {
                    "id": "il_" + item["id"].split("_", 1)[1],
                    "invoice": invoice["id"],
                    "amount": item["amount"],
                    "currency": item["currency"],
                    "description": item.get("description"),
                    "quantity": item.get("quantity"),
                    "metadata": dict(item.get("metadata") or {}),
                    "period": item.get("period"),
                    "pricing": item.get("pricing"),
                    "discountable": True,
                    "discount_amounts": [],
                    "discounts": [],
                    "subscription": None,
                    "parent": {
                        "type": "invoice_item_details",
                        "invoice_item_details": {
                            "invoice_item": item["id"],
                            "proration": False,
                            "proration_details": None,
                            "subscription": None,
                        },
                        "subscription_item_details": None,
                    },
                },
            )
        )
    total = sum(item["amount"] for item in items)
    if items:
        invoice["currency"] = items[0]["currency"]
    invoice.update(
        subtotal=total,
        subtotal_excluding_tax=total,
        total=total,
        total_excluding_tax=total,
        amount_due=total,
        amount_remaining=total,
        amount_paid=0,
        lines=list_envelope(lines[:10], len(lines) > 10, f"/v1/invoices/{invoice['id']}/lines"),
    )
    return ctx.save("invoices", invoice)


def delete_invoice(ctx, table, obj, params):
    if obj["status"] != "draft":
        raise invalid("You can only delete draft invoices.", code="invoice_not_editable")


def finalize_invoice(ctx, table, obj, typed):
    if obj["status"] != "draft":
        raise unexpected_state(
            "This invoice is already finalized, you can't re-finalize a non-draft invoice."
        )
    customer = ctx.find(obj.get("customer")) or {}
    sequence = customer.get("next_invoice_sequence") or 1
    if customer:
        customer["next_invoice_sequence"] = sequence + 1
        ctx.save("customers", customer)
    obj["number"] = f"{customer.get('invoice_prefix') or 'INV'}-{sequence:04d}"
    obj["status"] = "open"
    obj["effective_at"] = ctx.now
    obj["hosted_invoice_url"] = f"https://invoice.stripe.com/i/acct_emulator/test_{ctx.token(24)}"
    obj["invoice_pdf"] = obj["hosted_invoice_url"] + "/pdf"
    obj["status_transitions"] = {**(obj.get("status_transitions") or {}), "finalized_at": ctx.now}
    if "auto_advance" in typed and typed["auto_advance"] is not None:
        obj["auto_advance"] = typed["auto_advance"]
    if not obj.get("amount_due"):  # Stripe marks zero-amount invoices paid on finalization
        mark_paid(ctx, obj)
    return ctx.save(table.name, obj)


def mark_paid(ctx, obj: dict) -> None:
    obj.update(
        status="paid",
        paid=True,
        amount_paid=obj.get("amount_due") or 0,
        amount_remaining=0,
        attempted=True,
        attempt_count=(obj.get("attempt_count") or 0) + 1,
    )
    obj["status_transitions"] = {**(obj.get("status_transitions") or {}), "paid_at": ctx.now}


def pay_invoice(ctx, table, obj, typed):
    if obj["status"] == "draft":  # Stripe finalizes a draft before paying it
        finalize_invoice(ctx, table, obj, {})
        if obj["status"] == "paid":
            return obj
    if obj["status"] == "paid":
        raise unexpected_state("Invoice is already paid.")
    if obj["status"] not in ("open", "uncollectible"):
        raise unexpected_state(f"You cannot pay an invoice with status {obj['status']}.")
    mark_paid(ctx, obj)
    obj["paid_out_of_band"] = bool(typed.get("paid_out_of_band"))
    set_delinquent(ctx, obj, False)
    return ctx.save(table.name, obj)


def void_invoice(ctx, table, obj, typed):
    if obj["status"] not in ("open", "uncollectible"):
        raise unexpected_state(
            f"You can only void open or uncollectible invoices; this invoice is {obj['status']}."
        )
    obj["status"] = "void"
    obj["amount_remaining"] = 0
    obj["status_transitions"] = {**(obj.get("status_transitions") or {}), "voided_at": ctx.now}
    _cancel_open_payments(ctx, obj)
    return ctx.save(table.name, obj)


def _cancel_open_payments(ctx, invoice: dict) -> None:
    """A voided invoice's unpaid payment intent is canceled (``void_invoice``), as on Stripe."""
    for payment in ctx.where("invoice_payments", lambda p: p.get("invoice") == invoice["id"]):
        intent = ctx.find((payment.get("payment") or {}).get("payment_intent"))
        if payment["status"] != "open" or intent is None or intent["status"] == "succeeded":
            continue
        intent.update(status="canceled", canceled_at=ctx.now, cancellation_reason="void_invoice")
        ctx.save("payment_intents", intent)
        events.record(ctx, intent, "canceled")
        payment["status"] = "canceled"
        payment["status_transitions"] = {**payment["status_transitions"], "canceled_at": ctx.now}
        ctx.save("invoice_payments", payment)


def set_delinquent(ctx, invoice: dict, failed: bool) -> None:
    """Stripe's ``customer.delinquent``: set by a failed automatic payment, cleared by paying
    an invoice or marking it uncollectible."""
    customer = ctx.find(invoice.get("customer"))
    if customer is None or bool(customer.get("delinquent")) == failed:
        return
    customer["delinquent"] = failed
    ctx.save("customers", customer)
    events.record(ctx, customer, "updated", {"delinquent": not failed})


def mark_invoice_uncollectible(ctx, table, obj, typed):
    if obj["status"] != "open":
        raise unexpected_state(
            f"You can only mark open invoices uncollectible; this invoice is {obj['status']}."
        )
    obj["status"] = "uncollectible"
    obj["status_transitions"] = {
        **(obj.get("status_transitions") or {}),
        "marked_uncollectible_at": ctx.now,
    }
    set_delinquent(ctx, obj, False)
    return ctx.save(table.name, obj)


def send_invoice(ctx, table, obj, typed):
    if obj["status"] != "open":
        raise unexpected_state(f"You can only send open invoices; this invoice is {obj['status']}.")
    return obj


def invoice_subscription(ctx, subscription: dict, billing_reason: str = "subscription_create"):
    """The invoice Stripe makes for a subscription's period: one line per subscription item
    (``parent.subscription_item_details``), ``parent.subscription_details.subscription`` on
    the invoice, a $0 total during a trial; left a draft for the caller to finalize/pay.
    The subscription's ``latest_invoice`` points at it."""
    invoice = ctx.app.create(
        ctx,
        ctx.app.catalog.tables["invoices"],
        {
            "customer": ref_id(subscription["customer"]),
            "currency": subscription.get("currency") or "usd",
            "collection_method": subscription.get("collection_method") or "charge_automatically",
        },
    )
    trialing = subscription.get("status") == "trialing"
    lines = []
    for item in (subscription.get("items") or {}).get("data") or []:
        price = item["price"] if isinstance(item["price"], dict) else ctx.find(item["price"])
        quantity = item.get("quantity") or 1
        product = ctx.find(ref_id(price.get("product"))) or {}
        unit_amount = 0 if trialing else price.get("unit_amount") or 0
        lines.append(
            ctx.create(
                "invoice_lines",
                {
                    "id": "il_" + ctx.token(24),
                    "invoice": invoice["id"],
                    "amount": unit_amount * quantity,
                    "currency": price["currency"],
                    "description": f"{'Trial period for ' if trialing else ''}"
                    f"{quantity} × {product.get('name') or price['id']}",
                    "quantity": quantity,
                    "metadata": {},
                    "period": {
                        "start": item.get("current_period_start"),
                        "end": item.get("current_period_end"),
                    },
                    "pricing": {
                        "type": "price_details",
                        "price_details": {
                            "price": price["id"],
                            "product": ref_id(price["product"]),
                        },
                        "unit_amount_decimal": str(unit_amount),
                    },
                    "discountable": True,
                    "discount_amounts": [],
                    "discounts": [],
                    "subscription": subscription["id"],
                    "parent": {
                        "type": "subscription_item_details",
                        "invoice_item_details": None,
                        "subscription_item_details": {
                            "invoice_item": None,
                            "proration": False,
                            "proration_details": {"credited_items": None},
                            "subscription": subscription["id"],
                            "subscription_item": item["id"],
                        },
                    },
                },
            )
        )
    total = sum(line["amount"] for line in lines)
    invoice.update(
        billing_reason=billing_reason,
        parent={
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {
                "metadata": dict(subscription.get("metadata") or {}),
                "subscription": subscription["id"],
            },
        },
        subtotal=total,
        subtotal_excluding_tax=total,
        total=total,
        total_excluding_tax=total,
        amount_due=total,
        amount_remaining=total,
        lines=list_envelope(lines[:10], len(lines) > 10, f"/v1/invoices/{invoice['id']}/lines"),
    )
    ctx.save("invoices", invoice)
    subscription["latest_invoice"] = invoice["id"]
    ctx.save("subscriptions", subscription)
    return invoice
