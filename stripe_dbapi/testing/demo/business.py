"""The demo business: Fernhill, a planning app for small teams, sold in the US, the
euro area and the UK (prices in usd, eur and gbp), with workshops and printed planners."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The demo is a snapshot of six months ending at END: fixed, so every run, machine and
# day shows the same rows (the README's output). "The last 30 days" of the demo is
# created >= '2026-11-01'.
END = int(dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc).timestamp())
START = int(dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc).timestamp())
SETUP = START - 14 * 86400  # the account, products and prices: before the first customer
HOUR = 3600
DAY = 86400


@dataclass(frozen=True)
class Region:
    key: str  # the customers' metadata "region"
    currency: str
    utc_offset: int  # hours: customers act in their daytime
    cities: tuple[tuple[str, str, str], ...]  # (city, country, postal code)


REGIONS = {
    "na": Region(
        "na",
        "usd",
        -6,
        (
            ("San Francisco", "US", "94103"),
            ("Austin", "US", "78701"),
            ("New York", "US", "10001"),
            ("Toronto", "CA", "M5H 2N2"),
        ),
    ),
    "eu": Region(
        "eu",
        "eur",
        1,
        (
            ("Paris", "FR", "75001"),
            ("Berlin", "DE", "10115"),
            ("Amsterdam", "NL", "1012"),
            ("Dublin", "IE", "D02"),
            ("Madrid", "ES", "28013"),
        ),
    ),
    "uk": Region(
        "uk",
        "gbp",
        0,
        (
            ("London", "GB", "EC1A 1BB"),
            ("Manchester", "GB", "M1 1AE"),
            ("Edinburgh", "GB", "EH1 1YZ"),
        ),
    ),
}
CHANNELS = ("organic", "paid_search", "referral", "partner")

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


@dataclass(frozen=True)
class Product:
    key: str
    name: str
    description: str
    prices: dict[str, int]  # currency -> unit amount (minor units)
    interval: str | None = None  # recurring: "month" (and "year" with YEARLY)
    shippable: bool = False
    retired: dict[str, int] = field(default_factory=dict)  # old prices, now inactive


YEARLY = 10  # a yearly price is ten months' worth
PRODUCTS = [
    Product(
        "starter",
        "Starter plan",
        "Planning for one team, up to 5 people",
        {"usd": 1200, "eur": 1100, "gbp": 1000},
        "month",
    ),
    Product(
        "pro",
        "Pro plan",
        "Unlimited projects, reports and integrations",
        {"usd": 3900, "eur": 3600, "gbp": 3200},
        "month",
    ),
    Product(
        "seats",
        "Team seats",
        "Each person beyond the plan's first",
        {"usd": 1500, "eur": 1400, "gbp": 1200},
        "month",
    ),
    Product(
        "support",
        "Priority support",
        "A four-hour answer, a named engineer",
        {"usd": 4900, "eur": 4500},
        "month",
    ),
    Product(
        "workshop",
        "Onboarding workshop",
        "A half-day workshop with your team",
        {"usd": 25000, "eur": 23000, "gbp": 20000},
    ),
    Product(
        "migration",
        "Data migration",
        "Your projects moved from another tool",
        {"usd": 60000, "eur": 55000},
    ),
    Product(
        "planner",
        "Printed planner",
        "The year on paper, A4, linen cover",
        {"usd": 2400, "eur": 2200, "gbp": 2000},
        shippable=True,
        retired={"usd": 2000},
    ),
]
