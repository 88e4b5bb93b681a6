"""Disputes: a cardholder contests a charge with their bank.

Stripe makes the dispute (there is no create endpoint): it withdraws the amount and
the dispute fee from the balance, marks the charge ``disputed``, and waits for
evidence until ``evidence_details.due_by``. A won dispute gives the amount back.
"""

from __future__ import annotations

from .. import events
from . import balance

DAY = 86400
EVIDENCE_DAYS = 21  # time to respond (Visa and Mastercard: about three weeks)
# Dispute reason -> the card network's reason code (Visa's).
REASONS = {
    "fraudulent": "10.4",
    "product_not_received": "13.1",
    "duplicate": "12.6.1",
    "subscription_canceled": "13.2",
    "product_unacceptable": "13.3",
    "credit_not_processed": "13.6",
    "general": "13.7",
}
_EVIDENCE = (
    "access_activity_log",
    "billing_address",
    "cancellation_policy",
    "cancellation_policy_disclosure",
    "cancellation_rebuttal",
    "customer_communication",
    "customer_email_address",
    "customer_name",
    "customer_purchase_ip",
    "customer_signature",
    "duplicate_charge_documentation",
    "duplicate_charge_explanation",
    "duplicate_charge_id",
    "product_description",
    "receipt",
    "refund_policy",
    "refund_policy_disclosure",
    "refund_refusal_explanation",
    "service_date",
    "service_documentation",
    "shipping_address",
    "shipping_carrier",
    "shipping_date",
    "shipping_documentation",
    "shipping_tracking_number",
    "uncategorized_file",
    "uncategorized_text",
)


def open_dispute(ctx, charge: dict, reason: str) -> dict:
    """The dispute Stripe opens on ``charge`` (status ``needs_response``)."""
    card = (charge.get("payment_method_details") or {}).get("card") or {}
    dispute = ctx.create(
        "disputes",
        {
            "amount": charge["amount"],
            "currency": charge["currency"],
            "charge": charge["id"],
            "payment_intent": charge.get("payment_intent"),
            "reason": reason,
            "status": "needs_response",
            "is_charge_refundable": False,
            "metadata": {},
            "network_reason_code": REASONS[reason],
            "enhanced_eligibility_types": [],
            "evidence": dict.fromkeys(_EVIDENCE),
            "evidence_details": {
                "due_by": ctx.now + EVIDENCE_DAYS * DAY,
                "has_evidence": False,
                "past_due": False,
                "submission_count": 0,
                "enhanced_eligibility": {},
            },
            "payment_method_details": {
                "type": "card",
                "card": {
                    "brand": card.get("brand"),
                    "case_type": "chargeback",
                    "network_reason_code": REASONS[reason],
                },
            },
            "balance_transactions": [],
        },
    )
    withdrawal = balance.record(
        ctx,
        source=dispute["id"],
        amount=-charge["amount"],
        currency=charge["currency"],
        kind="adjustment",
        category="dispute",
        fee=balance.dispute_fee(charge["currency"]),
        description=f"Chargeback withdrawal for {charge['id']}",
        fee_description="Dispute fee",
    )
    dispute["balance_transactions"] = [withdrawal]  # Stripe embeds the whole objects
    charge["disputed"] = True
    ctx.save("charges", charge)
    ctx.save("disputes", dispute)
    events.record(ctx, dispute, "funds_withdrawn")
    return dispute


def submit_evidence(ctx, dispute: dict, text: str) -> dict:
    """Evidence sent to the bank: ``under_review`` until the bank decides."""
    dispute["evidence"] = {**dispute["evidence"], "uncategorized_text": text}
    dispute["evidence_details"] = {
        **dispute["evidence_details"],
        "has_evidence": True,
        "submission_count": 1,
    }
    before = dict(dispute)
    dispute["status"] = "under_review"
    ctx.save("disputes", dispute)
    events.record(ctx, dispute, "updated", events.changed(before, dispute))
    return dispute


def decide(ctx, dispute: dict, won: bool) -> dict:
    """The bank's decision: ``won`` returns the amount to the balance, ``lost`` keeps it."""
    if won:
        dispute["balance_transactions"] = [
            *dispute["balance_transactions"],
            balance.record(
                ctx,
                source=dispute["id"],
                amount=dispute["amount"],
                currency=dispute["currency"],
                kind="adjustment",
                category="dispute_reversal",
                description=f"Chargeback reversal for {dispute['charge']}",
            ),
        ]
    dispute["status"] = "won" if won else "lost"
    ctx.save("disputes", dispute)
    events.record(ctx, dispute, "closed")
    if won:
        events.record(ctx, dispute, "funds_reinstated")
    return dispute
