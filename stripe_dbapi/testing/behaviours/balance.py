"""Balance transactions: what a charge, a refund or a dispute does to the balance.

Each is a ``balance_transaction`` object (``txn_...``) that the charge, refund or
dispute names, with Stripe's fee. The emulator settles every currency as itself
(an account with a bank account per currency: no conversion, ``exchange_rate`` null).
"""

from __future__ import annotations

DAY = 86400
AVAILABLE_AFTER = 2 * DAY  # Stripe's standard payout schedule (US): two days
# Stripe's standard card pricing by currency: (basis points, fixed part in minor units).
_PRICING = {"usd": (290, 30), "eur": (150, 25), "gbp": (150, 20)}
_DISPUTE_FEE = {"usd": 1500, "eur": 2000, "gbp": 2000}


def processing_fee(amount: int, currency: str) -> int:
    rate, fixed = _PRICING.get(currency, _PRICING["usd"])
    return round(amount * rate / 10000) + fixed


def dispute_fee(currency: str) -> int:
    return _DISPUTE_FEE.get(currency, _DISPUTE_FEE["usd"])


def record(
    ctx,
    *,
    source: str,
    amount: int,
    currency: str,
    kind: str,
    category: str,
    description: str | None,
    fee: int = 0,
    fee_description: str = "Stripe processing fees",
) -> dict:
    """A new balance transaction (pending until ``available_on``)."""
    table = ctx.app.catalog.tables["balance_transactions"]
    details = (
        [
            {
                "amount": fee,
                "application": None,
                "currency": currency,
                "description": fee_description,
                "type": "stripe_fee",
            }
        ]
        if fee
        else []
    )
    txn = ctx.app.new_object(
        ctx,
        table,
        {
            "amount": amount,
            "currency": currency,
            "fee": fee,
            "fee_details": details,
            "net": amount - fee,
            "source": source,
            "type": kind,
            "reporting_category": category,
            "description": description,
            "status": "pending",
            "available_on": ctx.now + AVAILABLE_AFTER,
            "exchange_rate": None,
            "balance_type": "payments",
        },
    )
    return txn


def for_charge(ctx, charge_id: str, amount: int, currency: str, description: str | None) -> str:
    return record(
        ctx,
        source=charge_id,
        amount=amount,
        currency=currency,
        kind="charge",
        category="charge",
        description=description,
        fee=processing_fee(amount, currency),
    )["id"]


def for_refund(ctx, refund_id: str, amount: int, currency: str) -> str:
    return record(
        ctx,
        source=refund_id,
        amount=-amount,
        currency=currency,
        kind="refund",
        category="refund",
        description="REFUND FOR CHARGE",
    )["id"]


def settle(ctx, now: int) -> int:
    """Mark the balance transactions available once ``available_on`` has passed; how many."""
    due = ctx.where(
        "balance_transactions", lambda t: t["status"] == "pending" and t["available_on"] <= now
    )
    for txn in due:
        txn["status"] = "available"
        ctx.save("balance_transactions", txn)
    return len(due)
