"""The demo dataset (``Emulator(seed="demo")``): six months of Fernhill, a small business.

Fernhill sells a planning app by subscription (Starter and Pro plans, monthly or yearly;
Team seats and Priority support as extra items) in usd, eur and gbp, plus workshops and
printed planners. The data is made by the emulator's own create hooks and actions, run
in time order (``builder.Timeline``), so objects relate as Stripe relates them and every
change has its event in ``/v1/events``. Identical on every run (fixed random seed and
fixed dates): it ends at ``business.END``, 2026-12-01T00:00:00Z, and starts 2026-06-01.

- 49 customers (metadata ``tier``: the plan they signed up for or ``free``; ``region``:
  na, eu, uk; ``channel``: organic, paid_search, referral, partner), each with a saved
  card (but the two whose trial paused), paying in their region's currency;
- 39 subscriptions in every status (active, trialing, past_due, unpaid, canceled,
  incomplete, incomplete_expired, paused; see ``billing.scenarios``), with their invoices
  (``subscription_create``, then one per renewal), payment intents, charges and
  ``invoice_payments``; declined renewals retried as Smart Retries do;
- 38 one-off orders: succeeded, declined (Stripe's decline codes: insufficient_funds,
  incorrect_cvc, expired_card, do_not_honor, a Radar block...), authorized and not yet
  captured, canceled, abandoned; refunds (full and partial) and four disputes (lost, won,
  under review, needing a response);
- 12 invoices sent to larger customers, in every status (draft, open, paid, uncollectible,
  void); 6 quotes (draft, open, accepted, canceled);
- a balance transaction for every captured charge, refund and dispute (Stripe's fees);
- 3 connected accounts, 2 customers inside ``acct_demo_connected`` (Stripe-Account),
  legacy card sources (``/v1/customers/{id}/sources``) and tax ids.

Fixed dates rather than dates relative to today: the README's and the tests' output is
the same on every machine and every day. "The last 30 days" of the demo is therefore
``created >= '2026-11-01'``, not ``date('now', '-30 days')``. ``/v1/events`` lists the
30 days before the emulator's clock, as Stripe does; ``Emulator(seed="demo",
clock=lambda: END)`` makes the demo's end "now" (its last month of events listed).
Loading takes about 0.2 s (``python -c "from stripe_dbapi.testing import Emulator;
Emulator()"``): about 950 objects and 1,250 events.
"""

from __future__ import annotations

import random

from ..behaviours import balance
from . import extras
from .billing import RENEWAL_DECLINES, Subscriber, scenarios
from .builder import Builder, Timeline
from .business import DAY, END, PRODUCTS, SETUP, YEARLY
from .invoicing import INVOICES, QUOTES, buyer, invoice_story, quote_story
from .people import Person, plan_people, sign_up
from .sales import order_story, plan_orders

__all__ = ["END", "load_demo"]

FREE_CUSTOMERS = 10
SEED = 15  # the random choices (ages, channels, orders)


def load_demo(emulator) -> None:
    index = emulator.app.search_index
    lag, index.lag = index.lag, 0  # seeded data is already indexed
    try:
        with emulator.app.store.lock:
            _load(emulator)
    finally:
        index.lag = lag


def _load(emulator) -> None:
    rng = random.Random(SEED)
    b = Builder(emulator, SETUP)
    extras.accounts(b)
    prices = _products_and_prices(b)
    subscriptions = scenarios()
    ages = [s.age for s in subscriptions] + [rng.uniform(3, 180) for _ in range(FREE_CUSTOMERS)]
    people = plan_people([s.plan for s in subscriptions] + ["free"] * FREE_CUSTOMERS, ages, rng)
    timeline = Timeline(b)
    for n, (person, scenario) in enumerate(zip(people, subscriptions, strict=False)):
        decline = RENEWAL_DECLINES[n % len(RENEWAL_DECLINES)]
        timeline.add(Subscriber(b, prices, person, scenario, decline).story())
    for person in people[len(subscriptions) :]:
        timeline.add(_free_signup(b, person))
    for order in plan_orders(people, rng):
        timeline.add(order_story(b, prices, order))
    for n, (status, age) in enumerate(INVOICES):
        timeline.add(invoice_story(b, prices, buyer(people, age, n), status, age, n))
    for n, status in enumerate(QUOTES):
        timeline.add(quote_story(b, prices, buyer(people, 60, n), status, n))
    timeline.run()
    extras.card_sources(b, people)
    extras.tax_ids(b, people)
    extras.connected_customers(Builder(emulator, END, account=extras.CONNECTED), END - 20 * DAY)
    balance.settle(b.at(END).ctx, END)


def _free_signup(b: Builder, person: Person):
    yield person.signup
    sign_up(b, person)


def _products_and_prices(b: Builder) -> dict:
    """Every product and its prices: ``prices[product, currency, interval]`` (interval None
    for one-time prices) and ``prices[product, "name"]``."""
    prices: dict = {}
    for p, spec in enumerate(PRODUCTS):
        product = b.at(SETUP + DAY + p * 3600).create(
            "products",
            name=spec.name,
            description=spec.description,
            metadata={"sku": f"FH-{100 + p}"},
            shippable=spec.shippable,
        )
        prices[spec.key, "name"] = spec.name
        for currency, amount in spec.retired.items():
            old = _price(b, product, spec.key, currency, amount, None, "v1")
            b.update("prices", old, active=False)
        intervals: list[str | None] = [spec.interval]
        if spec.key in ("starter", "pro"):
            intervals.append("year")
        for interval in intervals:
            for currency, amount in spec.prices.items():
                yearly = YEARLY if interval == "year" else 1
                prices[spec.key, currency, interval] = _price(
                    b, product, spec.key, currency, amount * yearly, interval, "v2"
                )
    return prices


def _price(
    b: Builder,
    product: dict,
    key: str,
    currency: str,
    amount: int,
    interval: str | None,
    version: str,
) -> dict:
    fields: dict = {
        "product": product["id"],
        "currency": currency,
        "unit_amount": amount,
        "lookup_key": f"{key}_{interval or 'once'}_{currency}_{version}",
        "nickname": f"{product['name']} ({currency.upper()}"
        f"{', ' + interval + 'ly' if interval else ''})",
    }
    if interval:
        fields["recurring"] = {"interval": interval}
    return b.create("prices", **fields)
