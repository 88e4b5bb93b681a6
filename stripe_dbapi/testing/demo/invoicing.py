"""Invoices sent to larger customers for workshops and migrations (``send_invoice``), in
every status Stripe has, and quotes."""

from __future__ import annotations

import random

from ..behaviours.collection import collect_invoice
from .builder import Builder, Story
from .business import DAY, END
from .people import Person

# (status at END, days before END it was made); paid ones say how.
INVOICES = (
    ("draft", 3),
    ("draft", 8),
    ("open", 6),
    ("open", 20),
    ("open", 44),  # the last one overdue
    ("paid_by_card", 150),
    ("paid_by_card", 70),
    ("paid_by_transfer", 110),
    ("uncollectible", 165),
    ("uncollectible", 140),
    ("void", 125),
    ("void", 35),
)
QUOTES = ("draft", "draft", "open", "accepted", "accepted", "canceled")
DUE_DAYS = 30


def buyer(people: list[Person], age: float, n: int) -> Person:
    """A larger customer (team or priority-support plan) already signed up ``age`` days ago."""
    big = [p for p in people if p.tier in ("team", "pro_support") and p.signup < END - age * DAY]
    return big[n % len(big)] if big else min(people, key=lambda p: p.signup)


def invoice_story(
    b: Builder, prices: dict, person: Person, status: str, age: float, n: int
) -> Story:
    yield max(person.signup + DAY, person.daytime(int(END - age * DAY), _rng(n)))
    invoice = b.create(
        "invoices",
        customer=person.customer["id"],
        currency=person.currency,
        collection_method="send_invoice",
        days_until_due=DUE_DAYS,
        due_date=b.now + DUE_DAYS * DAY,
        description="Onboarding services",
        metadata={"po_number": f"PO-{4100 + n}"},
    )
    for k, product in enumerate(_lines(person, n)):
        b.create(
            "invoiceitems",
            customer=person.customer["id"],
            invoice=invoice["id"],
            pricing={"price": prices[product, person.currency, None]["id"]},
            quantity=1 + (n + k) % 2,
            description=prices[product, "name"],
        )
    if status == "draft":
        return
    b.act("FinalizeInvoice", "invoices", invoice)
    yield from _settle(b, invoice, person, status)


def _lines(person: Person, n: int) -> list[str]:
    return ["workshop", "migration"] if person.currency != "gbp" and n % 2 else ["workshop"]


def _settle(b: Builder, invoice: dict, person: Person, status: str) -> Story:
    if status == "void":  # sent in error: voided the next day
        yield b.now + DAY
        b.act("VoidInvoice", "invoices", invoice)
    elif status == "paid_by_card":  # paid on the hosted invoice page
        yield b.now + 6 * DAY
        assert person.card is not None
        collect_invoice(b.ctx, invoice, person.card)
    elif status == "paid_by_transfer":
        yield b.now + 12 * DAY
        b.act("PayInvoice", "invoices", invoice, paid_out_of_band=True)
    elif status == "uncollectible":  # written off 45 days after the due date
        yield b.now + (DUE_DAYS + 45) * DAY
        b.act("MarkUncollectibleInvoice", "invoices", invoice)


def quote_story(b: Builder, prices: dict, person: Person, status: str, n: int) -> Story:
    yield max(person.signup + 2 * DAY, person.daytime(END - (60 - n * 9) * DAY, _rng(n)))
    quote = b.create(
        "quotes",
        customer=person.customer["id"],
        description=f"Workshops for {person.customer['name']}",
        line_items=[
            {"price": prices["workshop", person.currency, None]["id"], "quantity": 2 + n % 2}
        ],
    )
    if status == "draft":
        return
    b.act("FinalizeQuote", "quotes", quote)
    yield b.now + 4 * DAY
    if status == "accepted":
        b.act("AcceptQuote", "quotes", quote)
    elif status == "canceled":
        b.act("CancelQuote", "quotes", quote)


def _rng(n: int) -> random.Random:
    return random.Random(1000 + n)
