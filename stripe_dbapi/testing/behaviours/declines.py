"""Card declines as Stripe reports them.

A declined payment leaves a charge with ``status`` ``failed``, its ``failure_code`` and
``failure_message``, and an ``outcome`` saying who refused it (the issuer, or Radar for a
blocked payment); the payment intent goes back to ``requires_payment_method`` with the
same facts in ``last_payment_error``. Stripe's test cards decline by their last digits.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decline:
    code: str  # the error's code and the charge's failure_code
    decline_code: str  # the issuer's reason, also the charge's outcome.reason
    message: str  # the error's message and the charge's failure_message
    blocked: bool = False  # Radar refused it: never sent to the card network

    def outcome(self) -> dict:
        """The failed charge's ``outcome``."""
        if self.blocked:
            return outcome(
                network_status="not_sent_to_network",
                reason="highest_risk_level",
                risk_level="highest",
                risk_score=95,
                seller_message="Stripe blocked this payment as too risky.",
                type="blocked",
            )
        detail = (
            "The bank did not return any further details with this decline."
            if self.decline_code == "generic_decline"
            else f"The bank returned the decline code `{self.decline_code}`."
        )
        return outcome(
            network_status="declined_by_network",
            reason=self.decline_code,
            seller_message=detail,
            type="issuer_declined",
        )

    def error(self, charge_id: str | None, payment_method: dict | None) -> dict:
        """The payment intent's ``last_payment_error``."""
        return {
            "type": "card_error",
            "code": self.code,
            "decline_code": self.decline_code,
            "message": self.message,
            "charge": charge_id,
            "doc_url": f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}",
            "payment_method": payment_method,
        }


def outcome(
    *,
    network_status: str = "approved_by_network",
    reason: str | None = None,
    risk_level: str = "normal",
    risk_score: int = 20,
    seller_message: str = "Payment complete.",
    type: str = "authorized",
) -> dict:
    """A charge's ``outcome`` (every field Stripe sends; an approved payment by default)."""
    return {
        "advice_code": None,
        "network_advice_code": None,
        "network_decline_code": None,
        "network_status": network_status,
        "reason": reason,
        "risk_level": risk_level,
        "risk_score": risk_score,
        "rule": None,
        "seller_message": seller_message,
        "type": type,
    }


_DECLINED = "Your card was declined."
DECLINES = {
    d.decline_code: d
    for d in (
        Decline("card_declined", "generic_decline", _DECLINED),
        Decline("card_declined", "insufficient_funds", "Your card has insufficient funds."),
        Decline("card_declined", "lost_card", _DECLINED),
        Decline("card_declined", "stolen_card", _DECLINED),
        Decline("card_declined", "do_not_honor", _DECLINED),
        Decline("expired_card", "expired_card", "Your card has expired."),
        Decline("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
        Decline(
            "processing_error",
            "processing_error",
            "An error occurred while processing your card. Try again in a little bit.",
        ),
        Decline("card_declined", "fraudulent", _DECLINED, blocked=True),
    )
}

# Stripe's declining test cards, by their last four digits (4000000000009995...).
BY_LAST4 = {
    "0002": DECLINES["generic_decline"],
    "9995": DECLINES["insufficient_funds"],
    "9987": DECLINES["lost_card"],
    "9979": DECLINES["stolen_card"],
    "0069": DECLINES["expired_card"],
    "0127": DECLINES["incorrect_cvc"],
    "0119": DECLINES["processing_error"],
    "0019": DECLINES["fraudulent"],  # 4100000000000019: always blocked by Radar
}
# Stripe's test PaymentMethod ids for those cards -> (brand, last4).
TEST_CARDS = {
    "pm_card_chargeDeclined": ("visa", "0002"),
    "pm_card_visa_chargeDeclined": ("visa", "0002"),
    "pm_card_visa_chargeDeclinedInsufficientFunds": ("visa", "9995"),
    "pm_card_visa_chargeDeclinedLostCard": ("visa", "9987"),
    "pm_card_visa_chargeDeclinedStolenCard": ("visa", "9979"),
    "pm_card_chargeDeclinedExpiredCard": ("visa", "0069"),
    "pm_card_chargeDeclinedIncorrectCvc": ("visa", "0127"),
    "pm_card_chargeDeclinedProcessingError": ("visa", "0119"),
    "pm_card_radarBlock": ("visa", "0019"),
}
