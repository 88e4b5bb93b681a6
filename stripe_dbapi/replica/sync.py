"""Stripe's events feed, as the replica reads and applies it.

``GET /v1/events?ending_before=<newest event applied>`` returns the events after it, the
ones nearest first (a page of 100, newest first within the page, ``has_more`` when
there are newer ones): one request when nothing changed. Pages are applied oldest first,
so an object changed twice ends in its latest state; ``data.object`` is the object as
the event left it; the table's "deleted" event (or a ``deleted: true`` object) removes
the row. Events of tables the replica does not store are skipped: such a table is
filled by a full read when first queried.

Stripe keeps events 30 days: a cursor older than that (less a margin) cannot be
followed, and the partition is refilled (``too_old``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from stripe_dbapi.client import MAX_PAGE_SIZE

EVENTS_PATH = "/v1/events"
RETENTION_SECONDS = 30 * 86400
# Refill a little before Stripe forgets the events after the cursor, not after.
RETENTION_MARGIN_SECONDS = 3600


def newest_event(client) -> tuple[str | None, int | None]:
    """(id, created) of the newest event, (None, None) when there is none: one request."""
    data = client.get(EVENTS_PATH, {"limit": 1}).get("data") or []
    return (data[0]["id"], data[0].get("created")) if data else (None, None)


def sync_request(cursor: str | None) -> dict:
    """The parameters of a sync's first request (shown by EXPLAIN)."""
    params: dict = {"limit": MAX_PAGE_SIZE}
    if cursor is not None:
        params["ending_before"] = cursor
    return params


def events_after(client, cursor: str | None) -> Iterator[list[dict]]:
    """Pages of the events newer than ``cursor``, oldest first. ``cursor`` None: the feed
    was empty when the partition started, so every event now is newer."""
    if cursor is None:
        every = [event for page in client.list_pages(EVENTS_PATH, {}) for event in page]
        every.reverse()
        for start in range(0, len(every), MAX_PAGE_SIZE):
            yield every[start:start + MAX_PAGE_SIZE]
        return
    while True:
        page = client.get(EVENTS_PATH, sync_request(cursor))
        data = page.get("data") or []
        if data:
            yield list(reversed(data))
        if not (data and page.get("has_more")):
            return
        cursor = data[0]["id"]


def too_old(cursor_created: int | None, synced_at: float | None, now: float) -> bool:
    """Whether events after the cursor may already be gone from Stripe (30 days)."""
    oldest = cursor_created if cursor_created is not None else synced_at
    return oldest is not None and oldest < now - RETENTION_SECONDS + RETENTION_MARGIN_SECONDS


# (table name, object) -> None: how one change reaches the store
Apply = Callable[[str, dict], None]


def apply_events(
    events: list[dict], table_of: Callable[[str], str | None],
    deleted_event: Callable[[str], str | None], put: Apply, remove: Apply,
    api_version: str | None = None,
) -> list[tuple[str, str]]:
    """Apply ``events`` (oldest first) through ``put``/``remove``. ``table_of(event type)``
    is the stored table whose row the event's ``data.object`` is, or None.

    Stripe renders ``data.object`` in the API version of the event's creation, not the
    Stripe-Version asked for: an object of another version than ``api_version`` (the
    catalog's) may have another shape, so it is not stored; (table, id) of each such
    object is returned, for the caller to retrieve in the catalog's version."""
    foreign: dict[tuple[str, str], None] = {}
    for event in events:
        obj = (event.get("data") or {}).get("object")
        if not isinstance(obj, dict) or not obj.get("id"):
            continue
        table_name = table_of(event.get("type") or "")
        if table_name is None:
            continue
        if event.get("type") == deleted_event(table_name) or obj.get("deleted") is True:
            remove(table_name, obj)
            foreign.pop((table_name, obj["id"]), None)
        elif api_version and event.get("api_version") not in (None, api_version):
            foreign[(table_name, obj["id"])] = None
        else:
            put(table_name, obj)
            foreign.pop((table_name, obj["id"]), None)
    return list(foreign)
