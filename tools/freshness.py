"""Which of Stripe's events keep which table fresh: ``Table.freshness`` of the catalog.

Used only by ``tools/gen_catalog.py``. The event types are the SDK's
``WebhookEndpointCreateParams.enabled_events`` (every type Stripe can send);
each maps to the table of its ``data.object`` by the object rule below, or is
listed in ``overrides.UNMAPPED_EVENTS`` with why. The SDK's event notification
classes (``stripe/events/_v1_*_event.py``) name the object of most types: the
rule must agree with them wherever both name a table.

A table is kept fresh by ``events`` when it can be read in full without an id
(no parent, no required filter), its object has a creation event, an update
event unless nothing can change it (no update path, no action on a row), and a
removal event when it can be deleted. Otherwise ``ttl`` (re-read when older
than ``ttl_seconds``) or ``live`` (a full read needs one list per parent or
filter value). ``overrides.FRESHNESS`` states the known gaps by hand, with why.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from sdk_reader import SDK, class_var

from stripe_dbapi.catalog import overrides

ENABLED_EVENTS_FILE = "params/_webhook_endpoint_create_params.py"
CREATED, UPDATED, DELETED = "created", "updated", "deleted"
LIVE_GAP = "a full read needs one list per parent or filter value, so it is read live."
LIVE_GAP = "a full read needs one list per parent or filter value, so it is read live."


def sdk_event_types(sdk: SDK) -> list[str]:
    """The event types a webhook endpoint can enable, without the wildcard "*"."""
    tree = ast.parse((sdk.root / ENABLED_EVENTS_FILE).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "enabled_events":
            return sorted(
                n.value
                for n in ast.walk(node.annotation)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value != "*"
            )
    raise SystemExit(f"no enabled_events in stripe/{ENABLED_EVENTS_FILE}")


def sdk_event_objects(sdk: SDK) -> dict[str, str]:
    """Event type -> object type, from the SDK's notification classes where they
    name the object they fetch (``fetch_related_object() -> "Subscription"``)."""
    found = {}
    for path in sorted((sdk.root / "events").glob("_v1_*_event.py")):
        module = sdk.module_for_file(path)
        text = path.read_text()
        lookup = re.search(r'LOOKUP_TYPE = "v1\.([^"]+)"', text)
        related = re.search(r'def fetch_related_object\(self\) -> "(\w+)"', text)
        if lookup and related:
            ref = sdk.resolve(related.group(1), module)
            object_type = ref and class_var(ref.node, "OBJECT_NAME")
            if object_type:
                found[lookup.group(1)] = object_type
    return found


def split_event(event_type: str) -> tuple[str, str]:
    """ "customer.subscription.updated" -> ("customer.subscription", "updated")."""
    prefix, _, verb = event_type.rpartition(".")
    return prefix, verb


def object_candidates(prefix: str) -> list[str]:
    """Object types an event prefix may name, most literal first."""
    candidates = [prefix]
    if "." not in prefix and "_" in prefix:
        candidates.append(prefix.replace("_", ".", 1))  # issuing_card -> issuing.card
    candidates.append(prefix.replace(".", "_"))  # source.transaction -> source_transaction
    candidates.append(prefix.rsplit(".", 1)[-1])  # customer.subscription -> subscription
    return candidates


@dataclass
class TableFacts:
    """What the rules read about one table."""

    name: str
    object: str
    listable: bool  # a full read needs no parent id and no required filter
    changeable: bool  # it has an update path or actions on its rows
    deletable: bool  # it has a delete path


class EventCoverage:
    def __init__(self, sdk: SDK, object_tables: dict[str, str], tables: dict[str, TableFacts]):
        self.tables = tables
        self.object_tables = object_tables
        self.event_types = sdk_event_types(sdk)
        self.table_of: dict[str, str] = {}  # event type -> table
        self.unmapped: dict[str, str] = {}  # event type -> why no table
        for event_type in self.event_types:
            table, why = self._table_for(event_type)
            if table is not None:
                self.table_of[event_type] = table
            elif why is not None:
                self.unmapped[event_type] = why
            else:
                raise SystemExit(
                    f"event type {event_type} maps to no table: add it to "
                    "overrides.EVENT_TABLES or overrides.UNMAPPED_EVENTS"
                )
        self._check_against_sdk(sdk_event_objects(sdk))
        self._check_overrides()

    def _table_for(self, event_type: str) -> tuple[str | None, str | None]:
        prefix, _verb = split_event(event_type)
        why = overrides.UNMAPPED_EVENTS.get(event_type) or overrides.UNMAPPED_EVENTS.get(prefix)
        if why is not None:
            return None, why
        if prefix in overrides.EVENT_TABLES:
            return overrides.EVENT_TABLES[prefix], None
        for candidate in object_candidates(prefix):
            if candidate in self.object_tables:
                return self.object_tables[candidate], None
        return None, None

    def _check_against_sdk(self, sdk_objects: dict[str, str]) -> None:
        for event_type, object_type in sorted(sdk_objects.items()):
            table = self.table_of.get(event_type)
            expected = self.object_tables.get(object_type)
            if table is not None and expected is not None and table != expected:
                raise SystemExit(
                    f"{event_type}: the object rule says {table}, the SDK's event class "
                    f"{object_type} ({expected})"
                )

    def _check_overrides(self) -> None:
        named = (set(overrides.EVENT_TABLES.values()) | set(overrides.CREATION_EVENTS)
                 | set(overrides.DELETE_CANCELS) | set(overrides.FRESHNESS))  # fmt: skip
        unknown = named - set(self.tables)
        assert not unknown, f"freshness overrides name tables that do not exist: {sorted(unknown)}"
        for table, types in {
            **overrides.CREATION_EVENTS,
            **{t: [e] for t, e in overrides.DELETE_CANCELS.items()},
        }.items():
            for event_type in types:
                assert self.table_of.get(event_type) == table, (table, event_type)
        for key in overrides.UNMAPPED_EVENTS:
            assert any(e == key or split_event(e)[0] == key for e in self.event_types), (
                f"overrides.UNMAPPED_EVENTS names no event type of the SDK: {key}"
            )

    def event_types_of(self, table: str) -> list[str]:
        return sorted(e for e, t in self.table_of.items() if t == table)

    def freshness(self, table: str) -> dict:
        facts = self.tables[table]
        types = self.event_types_of(table)
        verbs = {split_event(e)[1]: e for e in types}
        cancels = overrides.DELETE_CANCELS.get(table)
        deleted = verbs.get(DELETED) if verbs.get(DELETED) != cancels else None
        kind, gaps = self._kind(facts, types, verbs, deleted)
        if table in overrides.FRESHNESS:
            kind, gaps = overrides.FRESHNESS[table]
        return {
            "kind": kind,
            "event_types": types,
            "deleted_event": deleted,
            "gaps": gaps,
            "ttl_seconds": overrides.DEFAULT_TTL_SECONDS if kind == "ttl" else None,
        }

    def _kind(self, facts: TableFacts, types, verbs, deleted) -> tuple[str, str]:
        if not facts.listable:
            return "live", LIVE_GAP
        if not types:
            return "ttl", f"Stripe sends no events for {facts.object} objects."
        prefix = min((split_event(e)[0] for e in types), key=len)  # refund, not charge.refund
        creation = overrides.CREATION_EVENTS.get(facts.name) or [verbs.get(CREATED)]
        if not any(creation):
            return "ttl", f"Stripe sends no {prefix}.created, so new rows are not announced."
        if facts.changeable and UPDATED not in verbs:
            return "ttl", f"Stripe sends no {prefix}.updated, so some changes emit no event."
        if facts.deletable and deleted is None and facts.name not in overrides.DELETE_CANCELS:
            return "ttl", f"Stripe sends no {prefix}.deleted, so removed rows are not announced."
        return "events", ""
