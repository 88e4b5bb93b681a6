"""Subscriptions, one story each: signup, first invoice, renewals, and what goes wrong.

Every status Stripe has comes from the events that lead to it: a declined renewal makes
a subscription ``past_due`` (then ``unpaid``, or ``canceled`` with its invoice
``uncollectible``, once Smart Retries give up); a declined first payment leaves it
``incomplete`` (``incomplete_expired`` and its invoice ``void`` a day later); a trial
that ends with no card on file ``paused``.
"""

from __future__ import annotations

import random
from collections.abc import Generator
from dataclasses import dataclass

from .. import behaviours, events
from ..behaviours.collection import collect_invoice
from ..behaviours.common import period_end
from ..behaviours.declines import DECLINES
from .builder import Builder, Story
from .business import DAY, END, HOUR
from .people import Person, sign_up

TRIAL_DAYS = 14
RETRIES = (3, 7, 14)  # days after a declined renewal: Smart Retries, four attempts in all
# Off-session renewals decline for these reasons (a security code is never asked).
RENEWAL_DECLINES = (
    "insufficient_funds",
    "expired_card",
    "do_not_honor",
    "generic_decline",
    "lost_card",
)

# The plans customers sign up for: (product, quantity) items, all on one interval.
PLANS = {
    "starter": (("starter", 1),),
    "pro": (("pro", 1),),
    "team": (("pro", 1), ("seats", 4)),
    "pro_support": (("pro", 1), ("support", 1)),
}


@dataclass(frozen=True)
class Scenario:
    status: str  # the subscription's status at END
    plan: str
    interval: str = "month"
    age: float = 0  # days before END of the signup
    fail_from: float = 0  # days before END: the first renewal due after fails
    cancel_age: float = 0  # days before END: canceled (by request) then
    trial: bool = False


def scenarios() -> list[Scenario]:
    """38 subscriptions; the statuses at END and what happened before (ages in days)."""
    s = Scenario
    return [
        # active: from six months to a week old; yearly ones paid once
        *(
            s("active", plan, age=age)
            for plan, age in [
                ("starter", 178),
                ("pro", 171),
                ("team", 166),
                ("starter", 152),
                ("pro_support", 147),
                ("pro", 133),
                ("starter", 121),
                ("team", 110),
                ("pro", 96),
                ("starter", 84),
                ("pro_support", 71),
                ("team", 58),
                ("starter", 44),
                ("pro", 33),
                ("starter", 19),
                ("team", 8),
            ]
        ),
        *(
            s("active", plan, "year", age)
            for plan, age in [("pro", 160), ("starter", 115), ("pro", 64), ("starter", 12)]
        ),
        s("active", "pro", age=120, fail_from=100),  # a declined renewal, paid on retry
        s("active", "starter", age=90, trial=True),  # a trial that converted
        s("active", "team", age=40, trial=True),
        s("trialing", "pro", age=10, trial=True),
        s("trialing", "starter", age=6, trial=True),
        s("trialing", "team", age=2, trial=True),
        # a renewal declined in the last two weeks: Smart Retries still trying
        s("past_due", "pro", age=132, fail_from=14),
        s("past_due", "starter", age=72, fail_from=14),
        s("past_due", "team", age=40, fail_from=14),
        s("unpaid", "starter", age=130, fail_from=46),
        s("unpaid", "pro", age=100, fail_from=46),
        s("canceled", "starter", age=175, cancel_age=100),
        s("canceled", "pro", age=150, cancel_age=30),
        s("canceled", "team", age=95, cancel_age=12),
        s("canceled", "pro", age=170, fail_from=120),  # Smart Retries gave up
        s("incomplete", "pro", age=0.4),
        s("incomplete_expired", "starter", age=80),
        s("paused", "starter", age=60, trial=True),
        s("paused", "pro", age=25, trial=True),
    ]


class Subscriber:
    """One customer's subscription story (``story()`` is its steps)."""

    def __init__(
        self, b: Builder, prices: dict, person: Person, scenario: Scenario, decline: str
    ) -> None:
        self.b, self.prices, self.person, self.scenario = b, prices, person, scenario
        self.decline = DECLINES[decline]
        self.sub: dict = {}

    def story(self) -> Story:
        scenario = self.scenario
        yield self.person.signup
        sign_up(self.b, self.person, card=scenario.status != "paused")
        yield self.b.now + 600  # ten minutes later: checkout done
        self._start()
        if scenario.status in ("incomplete", "incomplete_expired"):
            yield from self._first_payment_declined()
            return
        if not scenario.trial:
            self._collect(self._bill("subscription_create"))
        yield from self._renewals()

    # -- steps ----------------------------------------------------------------------------

    def _start(self) -> None:
        interval, currency = self.scenario.interval, self.person.currency
        fields: dict = {
            "customer": self.person.customer["id"],
            "items": [
                {"price": self.prices[key, currency, interval]["id"], "quantity": quantity}
                for key, quantity in PLANS[self.scenario.plan]
                if (key, currency, interval) in self.prices
            ],
            "metadata": {"plan": self.scenario.plan},
            "default_payment_method": self.person.card["id"] if self.person.card else None,
        }
        if self.scenario.trial:
            fields["trial_period_days"] = TRIAL_DAYS
            behaviour = "create_invoice" if self.person.card else "pause"
            fields["trial_settings"] = {"end_behavior": {"missing_payment_method": behaviour}}
        self.sub = self.b.create("subscriptions", **fields)
        if self.scenario.trial:
            self._bill("subscription_create")  # the trial's $0 invoice, paid at once

    def _bill(self, reason: str) -> dict:
        invoice = behaviours.invoice_subscription(self.b.ctx, self.sub, reason)
        return self.b.act("FinalizeInvoice", "invoices", invoice)  # $0: paid here

    def _collect(self, invoice: dict, decline=None) -> bool:
        if invoice["status"] == "paid":
            return True
        assert self.person.card is not None
        return collect_invoice(self.b.ctx, invoice, self.person.card, decline)

    def _first_payment_declined(self) -> Story:
        invoice = self._bill("subscription_create")
        self._collect(invoice, self.decline)
        self.b.update("subscriptions", self.sub, status="incomplete")
        if self.scenario.status == "incomplete_expired":
            yield self.b.now + 23 * HOUR  # Stripe's deadline for the first payment
            self.b.act("VoidInvoice", "invoices", invoice)
            self.b.update(
                "subscriptions", self.sub, status="incomplete_expired", ended_at=self.b.now
            )

    def _renewals(self) -> Story:
        scenario, failing = self.scenario, self.scenario.fail_from > 0
        cancel_at = END - scenario.cancel_age * DAY if scenario.cancel_age else END
        while True:
            due = self.sub["items"]["data"][0]["current_period_end"]
            if min(due, cancel_at) >= END:
                return
            if cancel_at < due:
                yield self.person.daytime(int(cancel_at), random.Random(self.person.index))
                self._cancel("cancellation_requested")
                return
            yield due
            if self.sub["status"] == "trialing" and self.person.card is None:
                self.b.update("subscriptions", self.sub, "paused", status="paused")
                return
            self._advance()
            invoice = self._bill("subscription_cycle")
            if failing and due >= END - scenario.fail_from * DAY:
                failing = False
                if not (yield from self._dunning(invoice)):
                    return
            elif self._collect(invoice) and self.sub["status"] == "trialing":
                self.b.update("subscriptions", self.sub, status="active")

    def _advance(self) -> None:
        """The next billing period (from the end of the trial or of the last one)."""
        for item in self.sub["items"]["data"]:
            start = item["current_period_end"]
            item.update(
                current_period_start=start,
                current_period_end=period_end(start, item["price"]["recurring"]),
            )
            self.b.ctx.save("subscription_items", item)

    def _dunning(self, invoice: dict) -> Generator[int, None, bool]:
        """A declined renewal and Smart Retries; whether the subscription goes on."""
        first = self.b.now
        recovers = self.scenario.status == "active"
        self._collect(invoice, self.decline)
        self.b.update("subscriptions", self.sub, status="past_due")
        for attempt, days in enumerate(RETRIES):
            retry = first + days * DAY
            self.b.update("invoices", invoice, "updated", next_payment_attempt=retry)
            if retry >= END:
                return False
            yield retry
            if self._collect(invoice, None if recovers else self.decline):
                self.b.update("subscriptions", self.sub, status="active")
                return True
            if attempt == len(RETRIES) - 1:
                self.b.update("invoices", invoice, next_payment_attempt=None)
        if self.scenario.status == "unpaid":
            self.b.update("subscriptions", self.sub, status="unpaid")
        else:
            self.b.act("MarkUncollectibleInvoice", "invoices", invoice)
            self._cancel("payment_failed")
        return False

    def _cancel(self, reason: str) -> None:
        feedback = "too_expensive" if reason == "cancellation_requested" else None
        behaviours.cancel_subscription(
            self.b.ctx,
            self.b.tables["subscriptions"],
            self.sub,
            {"cancellation_details": {"feedback": feedback, "comment": None}},
        )
        self.sub["cancellation_details"] = {"comment": None, "feedback": feedback, "reason": reason}
        events.record(self.b.ctx, self.sub, "deleted")
