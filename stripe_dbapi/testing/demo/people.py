"""The demo's customers: who they are, where, how they came, and their card."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .builder import Builder
from .business import CHANNELS, DAY, END, FIRST, HOUR, LAST, REGIONS, START, Region

CARDS = ("4242424242424242", "5555555555554444", "4242424242424242", "378282246310005")


@dataclass
class Person:
    index: int
    region: Region
    tier: str  # the plan they signed up for ("free": no subscription)
    signup: int
    channel: str
    customer: dict = field(default_factory=dict)  # once signed up
    card: dict | None = None  # their saved card (payment method), if they gave one

    @property
    def currency(self) -> str:
        return self.region.currency

    def daytime(self, moment: int, rng: random.Random) -> int:
        """``moment``'s day, at a time of the working day in the person's region."""
        local_day = (moment + self.region.utc_offset * HOUR) // DAY * DAY
        return local_day - self.region.utc_offset * HOUR + rng.randrange(9 * HOUR, 19 * HOUR)

    def between(self, first: int, last: int, rng: random.Random) -> int:
        """A daytime moment from ``first`` to ``last`` (both clamped into the demo's span)."""
        first, last = max(first, self.signup + HOUR), min(last, END - HOUR)
        moment = self.daytime(rng.randrange(first, max(first + 1, last)), rng)
        return min(max(moment, first), last)


def plan_people(tiers: list[str], ages: list[float], rng: random.Random) -> list[Person]:
    """A person per tier, signing up ``ages[i]`` days before END (region: half in North
    America, three in ten in the euro area, two in ten in the UK)."""
    people = []
    for i, (tier, age) in enumerate(zip(tiers, ages, strict=True)):
        region = REGIONS["na" if i % 10 < 5 else "eu" if i % 10 < 8 else "uk"]
        person = Person(i, region, tier, 0, rng.choice(CHANNELS))
        person.signup = max(START, person.daytime(int(END - age * DAY), rng))
        if person.signup >= END:  # the daytime of the last day may be after END
            person.signup = END - rng.randrange(2 * HOUR, 20 * HOUR)
        people.append(person)
    return people


def sign_up(b: Builder, person: Person, *, card: bool = True) -> dict:
    """The customer (with its segments in metadata) and, with ``card``, its saved card."""
    first, last = FIRST[person.index % 20], LAST[(person.index * 7 + person.index // 20) % 20]
    city, country, postal = person.region.cities[person.index % len(person.region.cities)]
    person.customer = b.create(
        "customers",
        name=f"{first} {last}",
        email=f"{first.lower()}.{last.lower().replace(' ', '')}{person.index}@example.com",
        phone=f"+1555{person.index:07d}",
        description=f"Fernhill customer {person.index}",
        address={
            "city": city,
            "country": country,
            "postal_code": postal,
            "line1": f"{person.index + 1} Main Street",
            "line2": None,
            "state": None,
        },
        preferred_locales=["en"],
        metadata={"tier": person.tier, "region": person.region.key, "channel": person.channel},
    )
    if card:
        person.card = save_card(b, person, CARDS[person.index % len(CARDS)])
    return person.customer


def save_card(b: Builder, person: Person, number: str) -> dict:
    """A card payment method attached to the customer, made its default for invoices."""
    method = b.create(
        "payment_methods",
        type="card",
        card={
            "number": number,
            "exp_month": 1 + person.index % 12,
            "exp_year": 2027 + person.index % 4,
        },
        billing_details={
            "address": None,
            "email": person.customer["email"],
            "name": person.customer["name"],
            "phone": None,
        },
    )
    b.act(
        "AttachPaymentMethodToCustomer", "payment_methods", method, customer=person.customer["id"]
    )
    settings = {**person.customer["invoice_settings"], "default_payment_method": method["id"]}
    b.update("customers", person.customer, invoice_settings=settings)
    return method
