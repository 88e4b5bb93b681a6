"""One-off orders paid at checkout (printed planners, workshops), and what follows some of
them: a declined card (Stripe's decline codes), a refund, a dispute."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .. import events
from ..behaviours import disputes
from ..behaviours.declines import DECLINES
from ..behaviours.payments import attempt_payment
from ..errors import StripeError
from .builder import Builder, Story
from .business import DAY, END, HOUR
from .people import Person

# What happens at checkout, one order each (38 orders).
OUTCOMES = (
    ("paid",) * 22
    + ("declined_then_paid",) * 4
    + ("declined",) * 6
    + ("authorized",) * 2
    + ("canceled",) * 2
    + ("abandoned",) * 2
)
# Declines at checkout, in turn; the card numbers are Stripe's test cards for each
# (do_not_honor has none: the issuer's answer to an ordinary card).
CHECKOUT_DECLINES = (
    "incorrect_cvc",
    "insufficient_funds",
    "generic_decline",
    "fraudulent",
    "expired_card",
    "do_not_honor",
    "stolen_card",
    "lost_card",
    "processing_error",
    "insufficient_funds",
)
TEST_NUMBERS = {
    "generic_decline": "4000000000000002",
    "insufficient_funds": "4000000000009995",
    "lost_card": "4000000000009987",
    "stolen_card": "4000000000009979",
    "expired_card": "4000000000000069",
    "incorrect_cvc": "4000000000000127",
    "processing_error": "4000000000000119",
    "fraudulent": "4100000000000019",
}
# After-sale fates of some paid orders, by the order's place among them (oldest first).
# (reason, share of the charge) for every other undisputed paid order.
REFUNDS = (
    ("requested_by_customer", 1.0),
    ("requested_by_customer", 0.5),
    ("duplicate", 1.0),
    ("requested_by_customer", 0.5),
    ("fraudulent", 1.0),
    ("requested_by_customer", 1.0),
)
DISPUTES = {  # place among the paid orders older than ten days -> (reason, what happens)
    1: ("fraudulent", "lost"),
    3: ("product_not_received", "won"),
    7: ("general", "under_review"),
    -2: ("product_unacceptable", "needs_response"),
}


@dataclass
class Order:
    number: int
    person: Person
    moment: int
    product: str
    quantity: int
    outcome: str
    decline: str = ""
    refund: tuple[str, float] | None = None
    dispute: tuple[str, str] | None = None


def plan_orders(people: list[Person], rng: random.Random) -> list[Order]:
    outcomes = list(OUTCOMES)
    rng.shuffle(outcomes)
    orders = []
    for n, outcome in enumerate(outcomes):
        recent = outcome == "authorized"  # an authorization is captured within 7 days
        buyers = [p for p in people if p.signup < END - (8 if recent else 2) * DAY]
        person = rng.choice(buyers)
        moment = person.between(END - 6 * DAY if recent else person.signup, END, rng)
        product = "workshop" if person.tier in ("team", "pro_support") and n % 3 == 0 else "planner"
        orders.append(
            Order(
                1000 + n,
                person,
                moment,
                product,
                1 if product == "workshop" else 1 + n % 3,
                outcome,
                CHECKOUT_DECLINES[n % len(CHECKOUT_DECLINES)],
            )
        )
    _after_sale(orders)
    return sorted(orders, key=lambda o: o.moment)


def _after_sale(orders: list[Order]) -> None:
    paid = sorted(
        (o for o in orders if o.outcome == "paid" and o.moment < END - 10 * DAY),
        key=lambda o: o.moment,
    )
    for place, fate in DISPUTES.items():
        paid[place].dispute = fate
    undisputed = [o for o in paid if o.dispute is None]
    for order, refund in zip(undisputed[::2], REFUNDS, strict=False):
        order.refund = refund


def order_story(b: Builder, prices: dict, order: Order) -> Story:
    yield order.moment
    person = order.person
    price = prices[order.product, person.currency, None]
    intent = b.create(
        "payment_intents",
        amount=price["unit_amount"] * order.quantity,
        currency=person.currency,
        customer=person.customer["id"],
        description=f"Order #{order.number}",
        metadata={
            "order_id": str(order.number),
            "product": order.product,
            "quantity": str(order.quantity),
        },
        capture_method="manual" if order.outcome == "authorized" else "automatic_async",
        receipt_email=person.customer["email"],
    )
    if order.outcome == "abandoned":
        return
    if order.outcome == "canceled":
        yield b.now + 2 * HOUR
        b.act("CancelPaymentIntent", "payment_intents", intent, cancellation_reason="abandoned")
        return
    if order.outcome.startswith("declined"):
        _pay(
            b,
            intent,
            _checkout_card(b, person, TEST_NUMBERS.get(order.decline, "4000056655665556")),
            order.decline,
        )
        if order.outcome == "declined":
            return
        yield b.now + 7 * 60  # a few minutes later, with another card
    _pay(b, intent, person.card or _checkout_card(b, person, "4242424242424242"))
    charge = b.ctx.get("charges", intent["latest_charge"])
    if order.refund is not None:
        yield from _refund(b, charge, *order.refund)
    if order.dispute is not None:
        yield from _dispute(b, charge, *order.dispute)


def _checkout_card(b: Builder, person: Person, number: str) -> dict:
    """A card typed in at checkout (not saved on the customer)."""
    return b.create(
        "payment_methods",
        type="card",
        card={"number": number, "exp_month": 8, "exp_year": 2029},
        billing_details={
            "address": None,
            "email": person.customer["email"],
            "name": person.customer["name"],
            "phone": None,
        },
    )


def _pay(b: Builder, intent: dict, card: dict, decline: str = "") -> None:
    table = b.tables["payment_intents"]
    try:
        attempt_payment(b.ctx, table, intent, card, DECLINES[decline] if decline else None)
    except StripeError:
        return  # the failed charge and payment_intent.payment_failed are made
    events.record_action(b.ctx, "ConfirmPaymentIntent", intent)


def _refund(b: Builder, charge: dict, reason: str, share: float) -> Story:
    yield min(b.now + (2 + charge["amount"] % 7) * DAY, END - HOUR)
    amount = charge["amount"] if share == 1.0 else round(charge["amount"] * share)
    b.create(
        "refunds",
        charge=charge["id"],
        amount=amount,
        reason=reason,
        metadata={"ticket": f"SUP-{charge['amount'] % 9000 + 1000}"},
    )


def _dispute(b: Builder, charge: dict, reason: str, ending: str) -> Story:
    opened = END - 5 * DAY if ending == "needs_response" else b.now + 9 * DAY
    yield opened
    dispute = disputes.open_dispute(b.ctx, charge, reason)
    if ending == "needs_response":
        return
    if ending == "lost":  # no evidence: lost when the deadline passes
        yield dispute["evidence_details"]["due_by"]
        disputes.decide(b.ctx, dispute, won=False)
        return
    yield b.now + 3 * DAY
    disputes.submit_evidence(b.ctx, dispute, "Delivered; tracking and the customer's emails.")
    if ending == "won":
        yield b.now + 30 * DAY
        disputes.decide(b.ctx, dispute, won=True)
