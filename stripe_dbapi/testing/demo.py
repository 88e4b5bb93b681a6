"""The demo dataset (``Emulator(seed="demo")``): a small, deterministic Stripe account.

Built through the emulator's own create hooks and actions, so every object has
the shape and relations Stripe gives it (a succeeded payment intent has its
charge, a paid invoice its lines and number). Timestamps are fixed: the data is
identical on every run. Roughly 400 objects:

- 3 connected accounts; 2 customers inside ``acct_demo_connected`` (Stripe-Account);
- 40 customers (metadata ``tier``, ``segment``), one card payment method each;
  10 of them with card sources (``/v1/customers/{id}/sources``, two cards for some),
  8 with tax ids (``/v1/customers/{id}/tax_ids``, two for the first);
- 6 products, 9 prices (4 recurring, 1 inactive);
- 60 payment intents: succeeded (with charges), requires_capture, canceled,
  requires_payment_method; 8 refunds;
- 20 invoices with 1-3 items each: draft, open, paid, void;
- 15 subscriptions (active, trialing, canceled), each with its first invoice
  (``billing_reason`` subscription_create, ``parent.subscription_details.subscription``;
  paid, or $0 during a trial); 6 quotes (draft, open, accepted, canceled).
"""

from __future__ import annotations

from . import behaviours
from .app import Ctx
from .server import PLATFORM

START = 1767225600  # 2026-01-01T00:00:00Z
DAY = 86400

FIRST = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "John",
    "Radia",
    "Ken",
    "Margaret",
    "Niklaus",
    "Leslie",
    "Tim",
    "Shafi",
    "Dennis",
    "Hedy",
    "Claude",
    "Katherine",
    "Guido",
]
LAST = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "McCarthy",
    "Perlman",
    "Thompson",
    "Hamilton",
    "Wirth",
    "Lamport",
    "Berners-Lee",
    "Goldwasser",
    "Ritchie",
    "Lamarr",
    "Shannon",
    "Johnson",
    "van Rossum",
]
CITIES = [
    ("Paris", "FR", "75001"),
    ("Berlin", "DE", "10115"),
    ("San Francisco", "US", "94103"),
    ("London", "GB", "EC1A"),
    ("Tokyo", "JP", "100-0001"),
]
TIERS = ["gold", "silver", "bronze", "bronze"]
PRODUCTS: list[tuple[str, str, list[tuple[str | None, int]]]] = [
    ("Starter plan", "Monthly starter subscription", [("month", 900), ("year", 9000)]),
    ("Pro plan", "Monthly pro subscription", [("month", 2900), ("year", 29000)]),
    ("T-shirt", "Organic cotton T-shirt", [(None, 2500)]),
    ("Mug", "Ceramic mug, 350 ml", [(None, 1200), (None, 1500)]),  # the 1200 one is retired
    ("Sticker pack", "Ten vinyl stickers", [(None, 500)]),
    ("Consulting hour", "One hour with an engineer", [(None, 15000)]),
]


class _Builder:
    def __init__(self, emulator, account: str = PLATFORM) -> None:
        self.app = emulator.app
        self.ctx = Ctx(self.app, account, START)
        self.tables = emulator.catalog.tables

    def at(self, day: float) -> _Builder:
        self.ctx.now = START + int(day * DAY)
        return self

    def create(self, table: str, **fields) -> dict:
        return self.app.create(self.ctx, self.tables[table], fields)

    def act(self, procedure: str, table: str, obj: dict, **typed) -> dict:
        return behaviours.ACTIONS[procedure](self.ctx, self.tables[table], obj, typed)


def load_demo(emulator) -> None:
    index = emulator.app.search_index
    lag, index.lag = index.lag, 0  # seeded data is already indexed
    try:
        with emulator.app.store.lock:
            _load(emulator)
    finally:
        index.lag = lag


def _load(emulator) -> None:
    b = _Builder(emulator)
    _accounts(b)
    prices = _products_and_prices(b)
    one_time = [p for p in prices if p["type"] == "one_time" and p["active"]]
    recurring = [p for p in prices if p["type"] == "recurring"]
    customers, methods = _customers(b)
    succeeded = _payment_intents(b, customers, methods)
    _refunds(b, succeeded)
    _invoices(b, customers, one_time)
    subscriptions = _subscriptions(b, customers, recurring)
    _quotes(b, customers, one_time)

    # Added after the rest so the objects above keep their ids.
    _subscription_invoices(b, subscriptions)
    _card_sources(b, customers)
    _tax_ids(b, customers)
    _connected_customers(_Builder(emulator, account="acct_demo_connected"))


def _accounts(b: _Builder) -> None:
    for i, (kind, country) in enumerate([("standard", "US"), ("express", "FR"), ("custom", "DE")]):
        b.at(i).create(
            "accounts",
            type=kind,
            country=country,
            email=f"owner{i}@example.com",
            metadata={"region": country.lower()},
        )
    b.create("accounts", id="acct_demo_connected", type="standard", country="US")


def _products_and_prices(b: _Builder) -> list[dict]:
    """The PRODUCTS, each with its prices (all of them, the retired Mug price included)."""
    prices = []
    for p, (name, description, variants) in enumerate(PRODUCTS):
        product = b.at(2 + p).create(
            "products",
            name=name,
            description=description,
            metadata={"sku": f"SKU-{100 + p}"},
            shippable=p in (2, 3),
        )
        for v, (interval, amount) in enumerate(variants):
            prices.append(_price(b.at(2 + p + v / 10), product, v, interval, amount))
    return prices


def _price(b: _Builder, product: dict, v: int, interval: str | None, amount: int) -> dict:
    name = product["name"]
    fields: dict = {
        "product": product["id"],
        "currency": "usd",
        "unit_amount": amount,
        "lookup_key": f"{name.lower().replace(' ', '_')}_{interval or 'once'}_{v}",
    }
    if interval:
        fields["recurring"] = {"interval": interval}
    price = b.create("prices", **fields)
    if name == "Mug" and amount == 1200:
        price["active"] = False
        b.ctx.save("prices", price)
    return price


def _customers(b: _Builder) -> tuple[list[dict], list[dict]]:
    """40 customers and their card payment method (attached), in the same order."""
    customers, methods = [], []
    for c in range(40):
        customer = b.at(10 + c * 2).create("customers", **_customer_fields(c))
        number = "4242424242424242" if c % 3 else "5555555555554444"
        method = b.create(
            "payment_methods",
            type="card",
            card={"number": number, "exp_month": 1 + c % 12, "exp_year": 2027 + c % 5},
        )
        b.act("AttachPaymentMethodToCustomer", "payment_methods", method, customer=customer["id"])
        customers.append(customer)
        methods.append(method)
    return customers, methods


def _customer_fields(c: int) -> dict:
    first, last = FIRST[c % 20], LAST[(c * 7 + c // 20) % 20]
    city, country, postal = CITIES[c % 5]
    return {
        "name": f"{first} {last}",
        "email": f"{first.lower()}.{last.lower().replace(' ', '')}{c}@example.com",
        "phone": f"+1555{c:07d}",
        "description": f"Demo customer {c}",
        "address": {
            "city": city,
            "country": country,
            "postal_code": postal,
            "line1": f"{c + 1} Main Street",
            "line2": None,
            "state": None,
        },
        "metadata": {
            "tier": TIERS[c % 4],
            "segment": "enterprise" if c % 5 == 0 else "self-serve",
        },
    }


def _payment_intents(b: _Builder, customers: list[dict], methods: list[dict]) -> list[dict]:
    """60 payment intents in every state; returns the succeeded ones."""
    succeeded = []
    for i in range(60):
        c = (i * 11) % 40
        intent = b.at(100 + i * 2.5).create(
            "payment_intents",
            amount=500 + (i * 737) % 20000,
            currency="usd" if i % 6 else "eur",
            customer=customers[c]["id"],
            description=f"Order #{1000 + i}",
            metadata={"order_id": str(1000 + i)},
            capture_method="manual" if i % 10 == 3 else "automatic_async",
            payment_method=methods[c]["id"] if i % 10 != 7 else None,
        )
        if i % 10 == 7:
            continue  # stays requires_payment_method
        if i % 10 == 9:
            b.act(
                "CancelPaymentIntent",
                "payment_intents",
                intent,
                cancellation_reason="requested_by_customer",
            )
            continue
        b.act("ConfirmPaymentIntent", "payment_intents", intent)
        if intent["status"] == "succeeded":
            succeeded.append(intent)
    return succeeded


def _refunds(b: _Builder, succeeded: list[dict]) -> None:
    """Refunds on the first 8 succeeded intents: full, then partial, alternately."""
    for r, intent in enumerate(succeeded[:8]):
        partial = intent["amount"] // 2 if r % 2 else None
        b.at(260 + r).create(
            "refunds",
            payment_intent=intent["id"],
            reason="requested_by_customer",
            **({"amount": partial} if partial else {}),
        )


def _invoices(b: _Builder, customers: list[dict], one_time: list[dict]) -> None:
    """20 invoices of 1-3 items: draft, open, paid (twice in 5), void."""
    for n in range(20):
        customer = customers[(n * 3) % 40]
        invoice = b.at(200 + n * 3).create(
            "invoices",
            customer=customer["id"],
            metadata={"batch": f"B{n % 4}"},
            collection_method="send_invoice",
            days_until_due=30,
        )
        for k in range(1 + n % 3):
            price = one_time[(n + k) % len(one_time)]
            b.create(
                "invoiceitems",
                customer=customer["id"],
                invoice=invoice["id"],
                pricing={"price": price["id"]},
                quantity=1 + k,
                description=f"Line {k + 1}",
            )
        _invoice_state(b, invoice, n % 5)


def _invoice_state(b: _Builder, invoice: dict, state: int) -> None:
    """0 draft, 1 open, 2-3 paid, 4 void."""
    if state >= 1:
        b.act("FinalizeInvoice", "invoices", invoice)
    if state in (2, 3):
        b.act("PayInvoice", "invoices", invoice, paid_out_of_band=True)
    if state == 4:
        b.act("VoidInvoice", "invoices", invoice)


def _subscriptions(b: _Builder, customers: list[dict], recurring: list[dict]) -> list[dict]:
    """15 subscriptions: active, trialing (every fifth), canceled (every fifth)."""
    subscriptions = []
    for s in range(15):
        customer = customers[(s * 5 + 1) % 40]
        fields: dict = {
            "customer": customer["id"],
            "items": [{"price": recurring[s % len(recurring)]["id"], "quantity": 1 + s % 3}],
            "metadata": {"source": "demo"},
        }
        if s % 5 == 4:
            fields["trial_period_days"] = 14
        sub = b.at(150 + s * 4).create("subscriptions", **fields)
        subscriptions.append(sub)
        if s % 5 == 2:
            behaviours.cancel_subscription(b.at(240 + s).ctx, b.tables["subscriptions"], sub, {})
    return subscriptions


def _quotes(b: _Builder, customers: list[dict], one_time: list[dict]) -> None:
    """6 quotes: draft, open, accepted, canceled."""
    for q in range(6):
        customer = customers[(q * 7 + 2) % 40]
        quote = b.at(280 + q).create(
            "quotes",
            customer=customer["id"],
            description=f"Quote for project {q}",
            line_items=[{"price": one_time[q % len(one_time)]["id"], "quantity": 2}],
        )
        if q >= 2:
            b.act("FinalizeQuote", "quotes", quote)
        if q in (3, 4):
            b.act("AcceptQuote", "quotes", quote)
        if q == 5:
            b.act("CancelQuote", "quotes", quote)


def _connected_customers(other: _Builder) -> None:
    """Two customers inside acct_demo_connected (requests with Stripe-Account)."""
    for c in range(2):
        other.at(300 + c).create(
            "customers", name=f"Connected customer {c}", email=f"connected{c}@example.com"
        )


def _subscription_invoices(b: _Builder, subscriptions: list[dict]) -> None:
    """Each subscription's first invoice, made when it started, as Stripe does."""
    for s, sub in enumerate(subscriptions):
        b.at(150 + s * 4)
        invoice = behaviours.invoice_subscription(b.ctx, sub)
        b.act("FinalizeInvoice", "invoices", invoice)  # a $0 trial invoice is paid here
        if invoice["status"] == "open":
            b.act("PayInvoice", "invoices", invoice)


TOKENS = ["tok_visa", "tok_mastercard", "tok_amex"]


def _card_sources(b: _Builder, customers: list[dict]) -> None:
    """Legacy card sources on every fourth customer; two cards on every eighth."""
    for c in range(1, 40, 4):
        for k in range(2 if c % 8 == 1 else 1):
            b.at(12 + c * 2 + k / 10).create(
                "cards",
                customer=customers[c]["id"],
                source=TOKENS[(c + k) % len(TOKENS)],
                metadata={"added_by": "demo"},
            )


def _tax_ids(b: _Builder, customers: list[dict]) -> None:
    """EU VAT numbers for customers in Paris and Berlin; a SIREN too for the first."""
    for c in (0, 1, 5, 6, 10, 11, 15, 16):
        country = CITIES[c % 5][1]
        digits = f"{c:02d}{(c * 7919) % 10**7:07d}"
        b.at(11 + c * 2).create(
            "customer_tax_ids",
            customer=customers[c]["id"],
            type="eu_vat",
            value=f"{country}{'12' if country == 'FR' else ''}{digits}",
        )
    b.at(11.5).create(
        "customer_tax_ids", customer=customers[0]["id"], type="fr_siren", value="123456789"
    )
