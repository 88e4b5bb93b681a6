"""Stripe's events: what each API write leaves in ``/v1/events``.

A write request notes, as it goes, the objects it creates, deletes and reads
(a copy before any change); when it ends — with an error too: what changed
stays changed — ``EventRecorder.flush`` emits, with ``data.object`` the object
as the request left it, first the creation events in the order the objects were
made, then the others in the order the objects were read or made:

- a new object: its creation event (``<prefix>.created``; where Stripe has
  none, the one named after its status: a new charge is ``charge.succeeded``),
  later the event of a status it already reached (a payment intent created with
  ``confirm=true``: ``payment_intent.succeeded``, after its ``charge.succeeded``);
- a deleted object: ``<prefix>.deleted``, the object as it was;
- a changed object, with ``previous_attributes``: the events of its change — a
  status entered (``payment_intent.canceled``, ``customer.subscription.deleted``),
  a ``status_transitions`` time set (``invoice.finalized``, ``invoice.paid`` and
  ``invoice.payment_succeeded``, ``quote.accepted``), a charge captured or
  refunded — else ``<prefix>.updated``, else none (Stripe has no
  ``payment_intent.updated``: a metadata update emits nothing);
- the events code asked for (``record``: a dispute's ``funds_withdrawn``) and an
  action's own event for its object (``payment_method.attached``, ``invoice.sent``),
  after those the change named.

Without a recorder (``Ctx.recorder`` None: the demo's builder, which makes objects
outside requests), ``record`` makes the event at once, with the object as it is.

Event types come from the catalog (``Table.freshness.event_types``): an object
whose table has none (invoice lines, subscription items) emits nothing, as on
Stripe. No webhooks are sent (``pending_webhooks`` is 0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .objects import clone

CREATED, UPDATED, DELETED = "created", "updated", "deleted"

# Action (procedure) -> the event Stripe sends for the object it acts on; a callable
# picks it from the object's new state. In a request the change names most of them
# (a status entered) and these only add what it did not (attached, sent).
_ACTION_EVENTS: dict[str, str | Callable[[dict], str]] = {
    "ConfirmPaymentIntent": lambda obj: (
        "amount_capturable_updated" if obj.get("status") == "requires_capture" else "succeeded"
    ),
    "CapturePaymentIntent": "succeeded",
    "CancelPaymentIntent": "canceled",
    "AttachPaymentMethodToCustomer": "attached",
    "DetachPaymentMethodFromCustomer": "detached",
    "FinalizeInvoice": "finalized",
    "PayInvoice": "paid",
    "VoidInvoice": "voided",
    "MarkUncollectibleInvoice": "marked_uncollectible",
    "SendInvoice": "sent",
    "FinalizeQuote": "finalized",
    "AcceptQuote": "accepted",
    "CancelQuote": "canceled",
}

# Stripe's verbs for a status entered, where they are not the status itself.
_STATUS_VERBS: dict[str, dict[str, tuple[str, ...]]] = {
    "payment_intent": {
        "requires_capture": ("amount_capturable_updated",),
        "requires_payment_method": ("payment_failed",),  # a declined confirmation
    },
    "subscription": {"canceled": ("deleted",)},
}
# ... and for a status_transitions time set (invoices, quotes): <verb>_at.
_TRANSITION_VERBS = {"paid": ("paid", "payment_succeeded")}


def _status_verbs(obj_type: str, before: dict, after: dict) -> tuple[str, ...]:
    status = after.get("status")
    if not status or status == before.get("status"):
        return ()
    return _STATUS_VERBS.get(obj_type, {}).get(status, (status,))


def _transition_verbs(before: dict, after: dict) -> tuple[str, ...]:
    old = before.get("status_transitions") or {}
    new = after.get("status_transitions") or {}
    if not isinstance(new, dict):
        return ()
    verbs: list[str] = []
    for key, when in new.items():  # finalized_at before paid_at, as Stripe sends them
        if when is not None and old.get(key) is None and key.endswith("_at"):
            verb = key[: -len("_at")]
            verbs.extend(_TRANSITION_VERBS.get(verb, (verb,)))
    return tuple(verbs)


def _charge_verbs(before: dict, after: dict) -> tuple[str, ...]:
    verbs = []
    if after.get("captured") and not before.get("captured"):
        verbs.append("captured")
    if (after.get("amount_refunded") or 0) > (before.get("amount_refunded") or 0):
        verbs.append("refunded")
    return tuple(verbs)


# Object type -> what its change is called, beyond status and status_transitions.
_CHANGE_VERBS: dict[str, Callable[[dict, dict], tuple[str, ...]]] = {"charge": _charge_verbs}


def change_verbs(obj_type: str, before: dict, after: dict) -> tuple[str, ...]:
    """The event verbs of a change of one object, in Stripe's order (maybe none)."""
    verbs = _transition_verbs(before, after) or _status_verbs(obj_type, before, after)
    extra = _CHANGE_VERBS.get(obj_type)
    return verbs + (extra(before, after) if extra else ())


def changed(before: dict, after: dict) -> dict:
    """Stripe's ``previous_attributes``: the old values of the fields that changed; in a
    hash (``metadata``) only its changed keys (a new one was null), an array whole."""
    previous: dict = {}
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            previous[key] = changed(old, new)
        else:
            previous[key] = old
    return previous


def event_types_by_table(catalog) -> dict[str, dict[str, str]]:
    """Table -> verb -> event type, from the catalog (``Table.freshness.event_types``).
    Where two types share a verb (refund.updated, charge.refund.updated), the shorter,
    the object's own, wins."""
    result: dict[str, dict[str, str]] = {}
    for name, table in catalog.tables.items():
        verbs: dict[str, str] = {}
        for event_type in sorted(table.freshness.event_types, key=len, reverse=True):
            verbs[event_type.rpartition(".")[2]] = event_type
        if verbs:
            result[name] = verbs
    return result


@dataclass
class _Noted:
    """One object a write request created, deleted or read, and how."""

    table: str
    obj: dict
    before: dict | None  # a copy before the request changed it; None: new in this request
    deleted: bool = False
    asked: list[str] = field(default_factory=list)  # verbs code asked for (record, actions)


class EventRecorder:
    """The events of one write request (``Ctx.events``), emitted by ``flush``."""

    def __init__(self, ctx, types: dict[str, dict[str, str]]) -> None:
        self.ctx = ctx
        self.types = types
        self._noted: dict[tuple[str, str], _Noted] = {}

    def _covered(self, table: str) -> bool:
        return table in self.types

    def read(self, table: str, obj: dict) -> None:
        """``obj`` may change from here on: keep a copy of it as it was."""
        key = (table, obj["id"])
        if self._covered(table) and key not in self._noted:
            self._noted[key] = _Noted(table, obj, clone(obj))

    def created(self, table: str, obj: dict) -> None:
        key = (table, obj["id"])
        if self._covered(table) and key not in self._noted:
            self._noted[key] = _Noted(table, obj, None)

    def deleted(self, table: str, obj: dict) -> None:
        self.read(table, obj)
        noted = self._noted.get((table, obj["id"]))
        if noted is not None:
            noted.deleted = True

    def ask(self, table: str, obj: dict, verb: str) -> None:
        """Emit ``verb`` for ``obj`` too (after the verbs its change names)."""
        if not self._covered(table):
            return
        self.read(table, obj)  # an object not read before: only the asked events
        self._noted[(table, obj["id"])].asked.append(verb)

    def flush(self) -> None:
        """Emit the events of what the request did: the creation events first, in the
        order the objects were made, then the other events, in the order the objects were
        read or made (a declined payment: payment_intent.created, charge.failed,
        payment_intent.payment_failed, as Stripe sends them)."""
        noted, self._noted = list(self._noted.values()), {}
        planned = [(item, self._verbs(item, self.types[item.table])) for item in noted]
        creations = [(item, verbs[:1]) for item, verbs in planned if item.before is None]
        others = [(item, verbs[1:] if item.before is None else verbs) for item, verbs in planned]
        for item, verbs in creations + others:
            types = self.types[item.table]
            for verb, previous in verbs:
                emit(self.ctx, types[verb], item.obj, previous)

    @staticmethod
    def _verbs(item: _Noted, types: dict[str, str]) -> list[tuple[str, dict | None]]:
        """(verb, previous_attributes) of the events ``item`` makes, each a verb of ``types``."""
        obj, before = item.obj, item.before
        if item.deleted:
            return [(DELETED, None)] if before is not None and DELETED in types else []
        verbs: list[str]
        if before is None:  # new: its creation event, then a status it reached
            status = str(obj.get("status") or "")
            verbs = [CREATED if CREATED in types else status, status, *item.asked]
        else:
            verbs = list(change_verbs(obj.get("object") or "", before, obj))
        verbs = [verb for verb in dict.fromkeys(verbs + item.asked) if verb in types]
        if before is None:
            return [(verb, None) for verb in verbs]
        previous = changed(before, obj)
        if not verbs and previous and UPDATED in types:
            verbs = [UPDATED]
        return [(verb, previous) for verb in verbs]


def emit(ctx, event_type: str, obj: dict, previous: dict | None = None) -> None:
    """Store the event ``event_type`` of ``obj`` (as it is now) in ``ctx``'s account. Event
    ids have a stream of their own: which events a write emits never shifts object ids."""
    data = {"object": clone(obj)}
    if previous is not None:
        data["previous_attributes"] = clone(previous)
    ctx.app.new_object(
        ctx,
        ctx.app.catalog.tables["events"],
        {
            "id": ctx.app.event_ids.new_id("event"),
            "type": event_type,
            "api_version": ctx.app.catalog.version,
            "data": data,
            "pending_webhooks": 0,
            "request": {"id": None, "idempotency_key": None},
            "account": None if ctx.account == "platform" else ctx.account,
        },
    )


def _table_of(ctx, obj: dict) -> str | None:
    table = ctx.app.catalog.table_for_object(obj.get("object") or "")
    return ctx.app.storage_name(table.name) if table is not None else None


def record(ctx, obj: dict, verb: str, previous: dict | None = None) -> None:
    """Announce ``<prefix>.<verb>`` for ``obj``, for code that knows what Stripe sends (a
    dispute's ``funds_withdrawn``). In a request the recorder adds it to what the change
    names; without one (the demo's builder) the event is made now, with ``previous`` as its
    ``previous_attributes``. Nothing for a verb the object's table has no event for."""
    table = _table_of(ctx, obj)
    if table is None:
        return
    if ctx.recorder is not None:
        ctx.recorder.ask(table, obj, verb)
        return
    types = ctx.app.event_types.get(table, {})
    if verb == CREATED and CREATED not in types:
        verb = str(obj.get("status") or "")  # a new charge: charge.succeeded
    if verb in types:
        emit(ctx, types[verb], obj, previous)


def record_action(ctx, procedure: str, obj: dict) -> None:
    """The event of ``procedure`` for the object it acted on (``invoice.sent``)."""
    verb = _ACTION_EVENTS.get(procedure)
    if verb is not None:
        record(ctx, obj, verb(obj) if callable(verb) else verb)
