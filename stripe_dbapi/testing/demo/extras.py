"""What the demo has for the nested and partitioned tables: connected accounts (and
customers inside one), legacy card sources, customers' tax ids."""

from __future__ import annotations

from .builder import Builder
from .business import DAY, HOUR, SETUP
from .people import Person

CONNECTED = "acct_demo_connected"
TOKENS = ("tok_visa", "tok_mastercard", "tok_amex")


def accounts(b: Builder) -> None:
    for i, (kind, country) in enumerate([("standard", "US"), ("express", "FR"), ("custom", "DE")]):
        b.at(SETUP + i * DAY).create(
            "accounts",
            type=kind,
            country=country,
            email=f"owner{i}@example.com",
            metadata={"region": country.lower()},
        )
    b.create("accounts", id=CONNECTED, type="standard", country="US")


def connected_customers(other: Builder, moment: int) -> None:
    """Two customers inside acct_demo_connected (requests with Stripe-Account)."""
    for c in range(2):
        other.at(moment + c * DAY).create(
            "customers", name=f"Connected customer {c}", email=f"connected{c}@example.com"
        )


def card_sources(b: Builder, people: list[Person]) -> None:
    """Legacy card sources on every fourth customer; two cards on every eighth."""
    for person in people[1::4]:
        for k in range(2 if person.index % 8 == 1 else 1):
            b.at(person.signup + HOUR + k * 60).create(
                "cards",
                customer=person.customer["id"],
                source=TOKENS[(person.index + k) % len(TOKENS)],
                metadata={"added_by": "demo"},
            )


def tax_ids(b: Builder, people: list[Person]) -> None:
    """EU VAT numbers for the euro-area customers; a French SIREN, the oldest, too."""
    europeans = [p for p in people if p.region.key == "eu"]
    french = next(p for p in europeans if p.customer["address"]["country"] == "FR")
    b.at(french.signup + 30).create(
        "customer_tax_ids", customer=french.customer["id"], type="fr_siren", value="123456789"
    )
    for person in europeans:
        country = person.customer["address"]["country"]
        digits = f"{person.index:02d}{(person.index * 7919) % 10**7:07d}"
        b.at(person.signup + 60).create(
            "customer_tax_ids",
            customer=person.customer["id"],
            type="eu_vat",
            value=f"{country}{'12' if country == 'FR' else ''}{digits}",
        )
