"""Random writes and actions through the driver, for property tests of what events cover.

    from stripe_dbapi.testing.workload import Workload, fetch_events, replay

    workload = Workload(conn, seed=7)        # conn: stripe_dbapi.connect(...) to the emulator
    steps = workload.run(40)                 # 40 random SQL writes/CALLs, each checked
    events = fetch_events(emulator.base_url, "sk_test_x")   # GET /v1/events, oldest first
    rows = replay(conn.catalog, events)      # table -> id -> object, as events leave them
    assert rows["invoices"] == {o["id"]: o for o in emulator.objects("invoices")}

``Workload.step()`` picks, with its own ``random.Random(seed)``, one statement among
those the current state allows — INSERT/UPDATE/DELETE on customers, products,
prices, payment intents, refunds, invoices, invoice items, subscriptions and
coupons, and the actions Confirm/Capture/CancelPaymentIntent and
Finalize/Pay/Void/MarkUncollectibleInvoice — and runs it. The workload keeps a
small model of what it made (statuses, amounts left to refund), so it knows the
outcome each statement must have: success, or the PEP 249 error Stripe's answer
maps to (a declined card is ``CardError``; paying a paid invoice, capturing what
is not authorized, deleting a finalized invoice ``ProgrammingError``; refunding
more than is left ``DataError``). A step that ends otherwise raises
``WorkloadSurprise``; a few steps are chosen to fail on purpose.

``replay`` applies events oldest first onto an empty dict per table, by the
catalog's ``Table.freshness`` (each event type's table, the event that removes
a row): for every table whose freshness kind is ``events``, the result equals
the emulator's objects — the property a replica kept by events relies on
(``EVENT_TABLES``: the ones the workload writes). Payment intents and invoice
items are written too but are ``ttl`` tables: some of their changes emit no
event, as on Stripe. Prices used by a subscription are never updated: Stripe
embeds the current price in a subscription's items without a subscription
event, so an embedded copy would lag (a gap of embedded objects, not of rows).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..exceptions import CardError, DataError, Error, ProgrammingError

# Event-covered tables (Table.freshness.kind == "events") the workload writes.
EVENT_TABLES = (
    "customers",
    "products",
    "prices",
    "charges",
    "refunds",
    "invoices",
    "subscriptions",
    "coupons",
)

# The share of steps aimed at any object, whatever its state (so some fail on purpose).
MISFIRE = 0.15
# The share of payment intents paid with a card that is declined.
DECLINED = 0.2
_CONFIRMABLE = ("requires_payment_method", "requires_confirmation")
_CANCELABLE = ("requires_payment_method", "requires_confirmation", "requires_capture")


class WorkloadSurprise(AssertionError):
    """A step ended otherwise than the workload's model of Stripe said it must."""


@dataclass
class Step:
    """One statement of the workload and how it ended."""

    name: str  # "confirm_payment_intent"
    sql: str
    params: tuple = ()
    expected: type[Error] | None = None  # the PEP 249 error it must raise; None: success
    error: Error | None = None  # what it raised
    row: dict[str, Any] = field(default_factory=dict)  # its result row, by column name

    def __str__(self) -> str:
        outcome = type(self.error).__name__ if self.error else "ok"
        return f"{self.name}: {self.sql} {self.params} -> {outcome}"


@dataclass
class _Intent:
    status: str
    amount: int
    declined: bool
    refundable: int = 0


@dataclass
class _Model:
    """What the workload made, as far as the next step's outcome depends on it."""

    customers: dict[str, bool] = field(default_factory=dict)  # id -> still deletable
    products: dict[str, int] = field(default_factory=dict)  # id -> prices made
    prices: dict[str, bool] = field(default_factory=dict)  # id -> recurring
    in_subscriptions: set[str] = field(default_factory=set)  # prices a subscription embeds
    intents: dict[str, _Intent] = field(default_factory=dict)
    invoices: dict[str, str] = field(default_factory=dict)  # id -> status
    invoice_customers: dict[str, str] = field(default_factory=dict)  # id -> customer
    subscriptions: dict[str, str] = field(default_factory=dict)  # id -> status
    coupons: dict[str, bool] = field(default_factory=dict)  # id -> made (dicts keep order)


class Workload:
    """Random statements on the event-covered tables through a stripe_dbapi connection."""

    def __init__(self, conn, seed: int = 0) -> None:
        self.conn = conn
        self.random = random.Random(seed)
        self.model = _Model()
        self.steps: list[Step] = []
        self._counter = 0

    # -- running -------------------------------------------------------------------------

    def run(self, n: int) -> list[Step]:
        """Run ``n`` steps; the list of them (``WorkloadSurprise`` at the first surprise)."""
        return [self.step() for _ in range(n)]

    def step(self) -> Step:
        """Run one step chosen among those the state allows."""
        makers = [make for make, _ in _WEIGHTS]
        weights = [weight for _, weight in _WEIGHTS]
        while True:
            step = self.random.choices(makers, weights)[0](self)
            if step is not None:
                return self._execute(step)

    def _execute(self, step: Step) -> Step:
        cursor = self.conn.cursor()
        try:
            cursor.execute(step.sql, step.params)
            if cursor.description:
                names = [d[0] for d in cursor.description]
                step.row = dict(zip(names, cursor.fetchone() or (), strict=False))
        except Error as error:
            step.error = error
        finally:
            cursor.close()
        self.steps.append(step)
        expected = step.expected
        if (step.error is None) != (expected is None) or (
            expected is not None and not isinstance(step.error, expected)
        ):
            raise WorkloadSurprise(
                f"step {len(self.steps)}: {step}, expected "
                f"{expected.__name__ if expected else 'success'}"
            )
        if step.error is None:
            _AFTER.get(step.name, lambda w, s: None)(self, step)
        return step

    def _pick(self, ids: Iterable[str]) -> str | None:
        choices = list(ids)  # in the order made: the same seed makes the same choices
        return self.random.choice(choices) if choices else None

    def _target(self, states: dict[str, Any], allowed: Callable[[Any], bool]) -> str | None:
        """An object for a step that ``allowed`` its state; one time in ``MISFIRE``, any
        object (the step may then fail on purpose)."""
        if self.random.random() < MISFIRE:
            return self._pick(states)
        return self._pick(key for key, state in states.items() if allowed(state))

    def _name(self) -> str:
        self._counter += 1
        return f"w{self._counter}"

    # -- customers, products, prices, coupons ---------------------------------------------

    def create_customer(self) -> Step:
        name = self._name()
        return Step(
            "create_customer",
            "INSERT INTO customers (name, email, metadata) VALUES (?, ?, ?) RETURNING id",
            (name, f"{name}@example.com", json.dumps({"n": name})),
        )

    def update_customer(self) -> Step | None:
        customer = self._pick(self.model.customers)
        if customer is None:
            return None
        return Step(
            "update_customer",
            "UPDATE customers SET name = ?, metadata = ? WHERE id = ?",
            (self._name(), json.dumps({"tier": self.random.choice("abc")}), customer),
        )

    def delete_customer(self) -> Step | None:
        customer = self._pick(c for c, free in self.model.customers.items() if free)
        if customer is None:
            return None
        return Step("delete_customer", "DELETE FROM customers WHERE id = ?", (customer,))

    def create_product(self) -> Step:
        return Step(
            "create_product", "INSERT INTO products (name) VALUES (?) RETURNING id", (self._name(),)
        )

    def update_product(self) -> Step | None:
        product = self._pick(self.model.products)
        if product is None:
            return None
        return Step(
            "update_product",
            "UPDATE products SET description = ? WHERE id = ?",
            (self._name(), product),
        )

    def delete_product(self) -> Step | None:
        product = self._target(self.model.products, lambda prices: prices == 0)
        if product is None:
            return None
        has_prices = self.model.products[product] > 0
        return Step(
            "delete_product",
            "DELETE FROM products WHERE id = ?",
            (product,),
            ProgrammingError if has_prices else None,
        )  # product_has_prices

    def create_price(self) -> Step | None:
        product = self._pick(self.model.products)
        if product is None:
            return None
        amount = self.random.randint(1, 50) * 100
        if self.random.random() < 0.5:
            return Step(
                "create_price",
                "INSERT INTO prices (product, currency, unit_amount, recurring_interval) "
                "VALUES (?, 'usd', ?, 'month') RETURNING id, type",
                (product, amount),
            )
        return Step(
            "create_price",
            "INSERT INTO prices (product, currency, unit_amount) "
            "VALUES (?, 'usd', ?) RETURNING id, type",
            (product, amount),
        )

    def update_price(self) -> Step | None:
        price = self._pick(p for p in self.model.prices if p not in self.model.in_subscriptions)
        if price is None:
            return None
        return Step(
            "update_price",
            "UPDATE prices SET nickname = ?, metadata = ? WHERE id = ?",
            (self._name(), json.dumps({"v": self._name()}), price),
        )

    def create_coupon(self) -> Step:
        return Step(
            "create_coupon",
            "INSERT INTO coupons (percent_off, duration) VALUES (?, 'once') RETURNING id",
            (self.random.randint(1, 50),),
        )

    def delete_coupon(self) -> Step | None:
        coupon = self._pick(self.model.coupons)
        if coupon is None:
            return None
        return Step("delete_coupon", "DELETE FROM coupons WHERE id = ?", (coupon,))

    # -- payments ---------------------------------------------------------------------------

    def create_payment_intent(self) -> Step:
        declined = self.random.random() < DECLINED
        card = "pm_card_chargeDeclined" if declined else "pm_card_visa"
        capture = self.random.choice(("automatic", "manual"))
        columns, params = (
            "amount, payment_method, capture_method",
            [self.random.randint(1, 90) * 100, card, capture],
        )
        customer = self._pick(self.model.customers) if self.random.random() < 0.5 else None
        if customer is not None:
            columns, params = columns + ", customer", [*params, customer]
        return Step(
            "create_payment_intent",
            f"INSERT INTO payment_intents ({columns}, currency) VALUES "
            f"({', '.join('?' * len(params))}, 'usd') RETURNING id, status, amount",
            tuple(params),
        )

    def _intent_action(self, name: str, call: str, allowed: tuple[str, ...]) -> Step | None:
        intent = self._target(self.model.intents, lambda state: state.status in allowed)
        if intent is None:
            return None
        state = self.model.intents[intent]
        expected: type[Error] | None = None
        if state.status not in allowed:
            expected = ProgrammingError  # payment_intent_unexpected_state
        elif name == "confirm_payment_intent" and state.declined:
            expected = CardError
        return Step(name, f"CALL {call}(?)", (intent,), expected)

    def confirm_payment_intent(self) -> Step | None:
        return self._intent_action("confirm_payment_intent", "ConfirmPaymentIntent", _CONFIRMABLE)

    def capture_payment_intent(self) -> Step | None:
        return self._intent_action(
            "capture_payment_intent", "CapturePaymentIntent", ("requires_capture",)
        )

    def cancel_payment_intent(self) -> Step | None:
        return self._intent_action("cancel_payment_intent", "CancelPaymentIntent", _CANCELABLE)

    def update_payment_intent(self) -> Step | None:
        intent = self._pick(self.model.intents)
        if intent is None:
            return None
        return Step(
            "update_payment_intent",
            "UPDATE payment_intents SET description = ? WHERE id = ?",
            (self._name(), intent),
        )

    def create_refund(self) -> Step | None:
        intent = self._pick(i for i, s in self.model.intents.items() if s.refundable > 0)
        if intent is None:
            return None
        left = self.model.intents[intent].refundable
        if self.random.random() < 0.1:  # more than is left: amount_too_large
            return Step(
                "create_refund",
                "INSERT INTO refunds (payment_intent, amount) VALUES (?, ?) RETURNING id, amount",
                (intent, left + 1),
                DataError,
            )
        return Step(
            "create_refund",
            "INSERT INTO refunds (payment_intent, amount) "
            "VALUES (?, ?) RETURNING id, amount, payment_intent",
            (intent, self.random.randint(1, left)),
        )

    # -- invoices and subscriptions ----------------------------------------------------------

    def _customer_in_use(self) -> str | None:
        customer = self._pick(self.model.customers)
        if customer is not None:
            self.model.customers[customer] = False  # no longer deleted by the workload
        return customer

    def create_invoice(self) -> Step | None:
        customer = self._customer_in_use()
        if customer is None:
            return None
        return Step(
            "create_invoice",
            "INSERT INTO invoices (customer) VALUES (?) RETURNING id, status",
            (customer,),
        )

    def add_invoice_item(self) -> Step | None:
        invoice = self._target(self.model.invoices, lambda status: status == "draft")
        if invoice is None:
            return None
        draft = self.model.invoices[invoice] == "draft"
        return Step(
            "add_invoice_item",
            "INSERT INTO invoiceitems (customer, invoice, amount, currency) "
            "VALUES (?, ?, ?, 'usd')",
            (self.model.invoice_customers[invoice], invoice, self.random.randint(1, 90) * 100),
            None if draft else ProgrammingError,
        )  # invoice_not_editable

    def _invoice_action(self, name: str, sql: str, allowed: tuple[str, ...]) -> Step | None:
        invoice = self._target(self.model.invoices, lambda status: status in allowed)
        if invoice is None:
            return None
        ok = self.model.invoices[invoice] in allowed
        return Step(name, sql, (invoice,), None if ok else ProgrammingError)

    def finalize_invoice(self) -> Step | None:
        return self._invoice_action("finalize_invoice", "CALL FinalizeInvoice(?)", ("draft",))

    def pay_invoice(self) -> Step | None:
        return self._invoice_action(
            "pay_invoice", "CALL PayInvoice(?)", ("draft", "open", "uncollectible")
        )

    def void_invoice(self) -> Step | None:
        return self._invoice_action(
            "void_invoice", "CALL VoidInvoice(?)", ("open", "uncollectible")
        )

    def mark_invoice_uncollectible(self) -> Step | None:
        return self._invoice_action(
            "mark_invoice_uncollectible", "CALL MarkUncollectibleInvoice(?)", ("open",)
        )

    def delete_invoice(self) -> Step | None:
        return self._invoice_action(
            "delete_invoice", "DELETE FROM invoices WHERE id = ?", ("draft",)
        )

    def create_subscription(self) -> Step | None:
        price = self._pick(p for p, recurring in self.model.prices.items() if recurring)
        customer = self._customer_in_use() if price else None
        if price is None or customer is None:
            return None
        self.model.in_subscriptions.add(price)
        return Step(
            "create_subscription",
            "INSERT INTO subscriptions (customer, items) VALUES (?, ?) RETURNING id, status",
            (customer, json.dumps([{"price": price, "quantity": self.random.randint(1, 3)}])),
        )

    def update_subscription(self) -> Step | None:
        sub = self._pick(self.model.subscriptions)
        if sub is None:
            return None
        return Step(
            "update_subscription",
            "UPDATE subscriptions SET metadata = ? WHERE id = ?",
            (json.dumps({"v": self._name()}), sub),
        )

    def cancel_subscription(self) -> Step | None:
        sub = self._target(self.model.subscriptions, lambda status: status != "canceled")
        if sub is None:
            return None
        active = self.model.subscriptions[sub] != "canceled"
        return Step(
            "cancel_subscription",
            "DELETE FROM subscriptions WHERE id = ?",
            (sub,),
            None if active else ProgrammingError,
        )


# How often each kind of step is picked (creations first, so later steps have objects).
_WEIGHTS: list[tuple[Callable[[Workload], Step | None], int]] = [
    (Workload.create_customer, 6), (Workload.update_customer, 3), (Workload.delete_customer, 1),
    (Workload.create_product, 3), (Workload.update_product, 2), (Workload.delete_product, 1),
    (Workload.create_price, 4), (Workload.update_price, 2),
    (Workload.create_coupon, 1), (Workload.delete_coupon, 1),
    (Workload.create_payment_intent, 6), (Workload.confirm_payment_intent, 5),
    (Workload.capture_payment_intent, 3), (Workload.cancel_payment_intent, 2),
    (Workload.update_payment_intent, 1), (Workload.create_refund, 3),
    (Workload.create_invoice, 4), (Workload.add_invoice_item, 4),
    (Workload.finalize_invoice, 3), (Workload.pay_invoice, 3), (Workload.void_invoice, 1),
    (Workload.mark_invoice_uncollectible, 1), (Workload.delete_invoice, 1),
    (Workload.create_subscription, 3), (Workload.update_subscription, 2),
    (Workload.cancel_subscription, 1),
]  # fmt: skip


# -- the model follows each successful step ------------------------------------------------


def _created(attribute: str, value: Callable[[Step], Any]):
    def after(workload: Workload, step: Step) -> None:
        getattr(workload.model, attribute)[step.row["id"]] = value(step)

    return after


def _after_price(workload: Workload, step: Step) -> None:
    workload.model.prices[step.row["id"]] = step.row["type"] == "recurring"
    product = step.params[0]
    workload.model.products[product] += 1


def _after_intent(workload: Workload, step: Step) -> None:
    workload.model.intents[step.row["id"]] = _Intent(
        step.row["status"], step.row["amount"], declined=step.params[1] != "pm_card_visa"
    )


def _after_invoice(workload: Workload, step: Step) -> None:
    workload.model.invoices[step.row["id"]] = step.row["status"]
    workload.model.invoice_customers[step.row["id"]] = step.params[0]


def _after_intent_action(workload: Workload, step: Step) -> None:
    state = workload.model.intents[step.params[0]]
    state.status = step.row["status"]
    if state.status == "succeeded":
        state.refundable = state.amount


def _after_refund(workload: Workload, step: Step) -> None:
    workload.model.intents[step.params[0]].refundable -= step.row["amount"]


def _after_invoice_status(workload: Workload, step: Step) -> None:
    workload.model.invoices[step.params[0]] = step.row["status"]


def _after_delete(attribute: str):
    def after(workload: Workload, step: Step) -> None:
        getattr(workload.model, attribute).pop(step.params[0], None)

    return after


def _after_cancel_subscription(workload: Workload, step: Step) -> None:
    workload.model.subscriptions[step.params[0]] = "canceled"


_AFTER: dict[str, Callable[[Workload, Step], None]] = {
    "create_customer": _created("customers", lambda step: True),
    "delete_customer": _after_delete("customers"),
    "create_product": _created("products", lambda step: 0),
    "delete_product": _after_delete("products"),
    "create_price": _after_price,
    "create_coupon": _created("coupons", lambda step: True),
    "delete_coupon": _after_delete("coupons"),
    "create_payment_intent": _after_intent,
    "confirm_payment_intent": _after_intent_action,
    "capture_payment_intent": _after_intent_action,
    "cancel_payment_intent": _after_intent_action,
    "create_refund": _after_refund,
    "create_invoice": _after_invoice,
    "finalize_invoice": _after_invoice_status,
    "pay_invoice": _after_invoice_status,
    "void_invoice": _after_invoice_status,
    "mark_invoice_uncollectible": _after_invoice_status,
    "delete_invoice": _after_delete("invoices"),
    "create_subscription": _created("subscriptions", lambda step: step.row["status"]),
    "cancel_subscription": _after_cancel_subscription,
}


# -- events ----------------------------------------------------------------------------------


def fetch_events(base_url: str, api_key: str, account: str | None = None) -> list[dict]:
    """Every event ``GET /v1/events`` lists (the last 30 days), oldest first."""
    headers = {"Authorization": f"Bearer {api_key}"}
    if account:
        headers["Stripe-Account"] = account
    found: list[dict] = []
    params: dict[str, Any] = {"limit": 100}
    with httpx.Client(base_url=base_url, headers=headers) as client:
        while True:
            response = client.get("/v1/events", params=params)
            response.raise_for_status()
            page = response.json()
            found.extend(page["data"])
            if not page["has_more"]:
                return list(reversed(found))
            params["starting_after"] = page["data"][-1]["id"]


def replay(catalog, events: Iterable[dict]) -> dict[str, dict[str, dict]]:
    """Apply ``events`` (oldest first) onto an empty dict per table: table -> id -> the
    object as the newest event left it; a table's ``deleted_event`` removes the row.
    Tables come from ``Table.freshness.event_types``; events of no table are skipped."""
    table_of = {e: t for t in catalog.tables.values() for e in t.freshness.event_types}
    rows: dict[str, dict[str, dict]] = {
        t.name: {} for t in catalog.tables.values() if t.freshness.event_types
    }
    for event in events:
        table = table_of.get(event["type"])
        if table is None:
            continue
        obj = event["data"]["object"]
        if event["type"] == table.freshness.deleted_event:
            rows[table.name].pop(obj["id"], None)
        else:
            rows[table.name][obj["id"]] = obj
    return rows
