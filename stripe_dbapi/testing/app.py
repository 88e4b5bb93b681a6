"""The emulator's Stripe API logic, generic over the catalog.

``StripeApp.handle(method, path, params, account)`` answers one request with
``(status, body)``. Lists, retrieve, create, update, delete and Search work the
same way for every table of the catalog; ``behaviours`` adds what Stripe does
for particular resources (defaults, state machines of the actions).
HTTP concerns (auth, idempotency, faults) live in ``server``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from ..catalog.model import Param, Table
from . import behaviours, events
from .errors import StripeError, invalid, missing, unknown_parameter, unrecognized_url
from .expand import expand as expand_paths
from .filters import list_predicates
from .objects import IdMaker, deleted_stub, list_envelope, skeleton
from .params import check, coerce, merge
from .routes import ACTION, CREATE, DELETE, LIST, RETRIEVE, SEARCH, UPDATE, Route, Router
from .search import decode_page, encode_page, matches, parse_query
from .search_index import SearchIndex
from .store import PLATFORM, Store
from .versions import take_removed_params

MaybeObject = TypeVar("MaybeObject", bound="dict | None")

DEFAULT_SEARCH_LAG = 2.0  # seconds before a write shows up in Search (Stripe: under a minute)
# Columns kept out of a new object's skeleton (Stripe sends them only in special cases).
_NOT_IN_SKELETON = {"deleted", "sources", "subscriptions", "tax_ids"}


@dataclass
class Ctx:
    """What a behaviour needs to act: the app, the account, the time."""

    app: StripeApp
    account: str
    now: int
    # A write request: objects it reads may be changed in place, so the Search
    # index first keeps their indexed version (reads skip that copy).
    writing: bool = False
    api_version: str = ""  # the request's Stripe-Version (the catalog's when not sent)
    # The events of a write request (None: no events, e.g. while the demo is built).
    recorder: events.EventRecorder | None = None

    def _touch(self, table: str, obj: MaybeObject) -> MaybeObject:
        """``obj`` of (storage) ``table`` was read by a write request, which may change it."""
        if obj is not None and self.writing:
            self.app.search_index.before_write(self.account, obj)
            if self.recorder is not None:
                self.recorder.read(table, obj)
        return obj

    def get(self, table: str, object_id: Any, param: str = "id", status: int = 404) -> dict:
        """An object by id, or Stripe's resource_missing error (400 when it is a body param)."""
        storage = self.app.storage_name(table)
        obj = self.app.store.get(self.account, storage, str(object_id)) if object_id else None
        if obj is None:
            error = missing(self.app.catalog.tables[table].object, str(object_id), param)
            error.status = status
            raise error
        return self._touch(storage, obj)

    def find(self, object_id: Any) -> dict | None:
        found = (
            self.app.store.find(self.account, str(object_id))
            if isinstance(object_id, str)
            else None
        )
        return self._touch(*found) if found else None

    def create(self, table: str, fields: dict) -> dict:
        """A new object of ``table`` (related objects such as the charge of a payment)."""
        resolved = self.app.catalog.tables[table]
        obj = self.app.new_object(self, resolved, fields)
        if self.recorder is None and resolved.parent is None:  # the demo: its event now
            events.record(self, obj, "created")
        return obj

    def save(self, table: str, obj: dict) -> dict:
        self.app.store.put(self.account, self.app.storage_name(table), obj)
        self.app.search_index.written(self.account, obj)
        return obj

    def where(self, table: str, predicate: Callable[[dict], bool]) -> list[dict]:
        storage = self.app.storage_name(table)
        found = self.app.store.where(self.account, storage, predicate)
        return [self._touch(storage, obj) for obj in found]

    def new_id(self, object_type: str) -> str:
        return self.app.ids.new_id(object_type)

    def token(self, length: int = 14) -> str:
        return self.app.ids.token(length)


class StripeApp:
    def __init__(
        self,
        catalog,
        *,
        seed: int = 0,
        search_lag: float = DEFAULT_SEARCH_LAG,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.catalog = catalog
        self.clock = clock
        self.store = Store()
        self.ids = IdMaker(seed)
        # Events draw their ids apart, so which events a write emits never shifts the
        # ids of the objects (the demo's among them).
        self.event_ids = IdMaker(seed + 1)
        self.search_index = SearchIndex(search_lag, clock)
        self.router = Router(catalog.tables, catalog.procedures)
        self.tombstones: dict[tuple[str, str], dict] = {}  # deleted objects Stripe still shows
        self._storage = {name: self._storage_for(t) for name, t in catalog.tables.items()}
        self.event_types = events.event_types_by_table(catalog)

    # -- storage ------------------------------------------------------------

    def _storage_for(self, table: Table) -> str:
        """Nested views (a customer's payment methods) share the top-level table's objects."""
        if table.parent is not None:
            for other in self.catalog.tables.values():
                if other.object == table.object and other.parent is None and other.list_path:
                    return other.name
        return table.name

    def storage_name(self, table_name: str) -> str:
        return self._storage.get(table_name, table_name)

    def knows_account(self, account: str) -> bool:
        """Whether ``account`` is a connected account of the platform: created as an
        ``accounts`` object, or given objects directly (``Emulator.insert(..., account=)``)."""
        return (self.store.get(PLATFORM, self.storage_name("accounts"), account) is not None
                or self.store.has_account(account))

    def now(self) -> int:
        return int(self.clock())

    # -- entry point ----------------------------------------------------------

    def handle(
        self, method: str, path: str, params: dict, account: str, api_version: str | None = None
    ) -> tuple[int, dict]:
        route, path_params = self.router.match(method, path)
        if route is None:
            raise unrecognized_url(method, path)
        writing = method != "GET"
        ctx = Ctx(self, account, self.now(), writing=writing,
                  api_version=api_version or self.catalog.version)
        if writing:
            ctx.recorder = events.EventRecorder(ctx, self.event_types)
        params = dict(params)
        expand = params.pop("expand", None) or []
        if isinstance(expand, str):
            expand = [expand]
        with self.store.lock:
            kind = route.kind
            if kind == ACTION and route.method == "DELETE":
                kind = DELETE
            handler = {
                LIST: self._list,
                SEARCH: self._search,
                RETRIEVE: self._retrieve,
                CREATE: self._create,
                UPDATE: self._update,
                DELETE: self._delete,
                ACTION: self._action,
            }[kind]
            try:
                body = handler(ctx, route, path_params, params)
            finally:  # a failed request's changes stay made (a declined payment): announced
                if ctx.recorder is not None:
                    ctx.recorder.flush()
            return 200, expand_paths(ctx, body, expand, is_list=kind in (LIST, SEARCH))

    # -- helpers ------------------------------------------------------------------

    def _object_id(self, route: Route, path_params: dict) -> str:
        return path_params[route.placeholders[-1]]

    def _check_parent(self, ctx: Ctx, table: Table, path_params: dict) -> str | None:
        if table.parent is None:
            return None
        parent_id = path_params[table.parent.path_param]
        ctx.get(table.parent.table, parent_id, table.parent.path_param)
        return parent_id

    def _owned(self, ctx: Ctx, route: Route, path_params: dict) -> dict:
        table = route.table
        parent_id = self._check_parent(ctx, table, path_params)
        obj = ctx.get(table.name, self._object_id(route, path_params))
        parent = table.parent
        if parent is not None and parent_id is not None and obj.get(parent.column) != parent_id:
            raise missing(table.object, obj["id"])
        return obj

    def new_object(self, ctx: Ctx, table: Table, fields: dict) -> dict:
        obj = skeleton(table, fields.get("id") or ctx.new_id(table.object), ctx.now)
        for key in _NOT_IN_SKELETON:
            if obj.get(key) is None:
                obj.pop(key, None)
        obj.update(fields)
        ctx.save(table.name, obj)
        if ctx.recorder is not None:
            ctx.recorder.created(self.storage_name(table.name), obj)
        return obj

    # -- list -----------------------------------------------------------------------

    def _limit(self, params: dict) -> int:
        raw = params.pop("limit", None)
        if raw in (None, ""):
            return 10
        limit = coerce(raw, "integer", "limit")
        if not 1 <= limit <= 100:
            raise invalid(
                f"Invalid limit: must be between 1 and 100. You passed {limit}.",
                param="limit",
                code="parameter_invalid_integer",
            )
        return limit

    def _list(self, ctx: Ctx, route: Route, path_params: dict, params: dict) -> dict:
        table = route.table
        parent_id = self._check_parent(ctx, table, path_params)
        limit = self._limit(params)
        starting_after = params.pop("starting_after", None) or None
        ending_before = params.pop("ending_before", None) or None
        if starting_after and ending_before:
            raise invalid(
                "You may only specify one of these parameters: starting_after, ending_before."
            )
        query = list_predicates(ctx, table, params)
        if table.parent is not None and parent_id is not None:
            query.require((table.parent.column,), parent_id)
        store = self.store.table(ctx.account, self.storage_name(table.name))
        start, stop = store.created_bounds(*query.created)
        keep = query.keep
        scan: Callable[..., Iterator[dict]] = store.scan
        if query.equalities:  # walk only the objects with that value (index), not the table
            path, value = query.equalities[0]
            scan = functools.partial(store.scan_keys, store.keys_where(path, value))

        if ending_before:
            cursor = self._cursor(store, table, ending_before, "ending_before")
            found = []
            for obj in scan(start, min(stop, cursor), step=-1):
                if keep(obj):
                    found.append(obj)
                    if len(found) > limit:
                        break
            page = list(reversed(found[:limit]))
        else:
            if starting_after:
                start = max(start, self._cursor(store, table, starting_after, "starting_after") + 1)
            found = []
            for obj in scan(start, stop):
                if keep(obj):
                    found.append(obj)
                    if len(found) > limit:
                        break
            page = found[:limit]
        url = route.template.format(**path_params) if path_params else route.template
        return list_envelope(page, len(found) > limit, url)

    def _cursor(self, store, table: Table, object_id: str, param: str) -> int:
        index = store.index_of(object_id)
        if index is None:
            raise StripeError(
                400, f"No such {table.object}: '{object_id}'", code="resource_missing", param=param
            )
        return index

    # -- search -----------------------------------------------------------------------

    def _search(self, ctx: Ctx, route: Route, path_params: dict, params: dict) -> dict:
        table = route.table
        assert table.search is not None  # search routes are made for searchable tables
        fields = table.search.fields
        limit = self._limit(params)
        query_text = params.pop("query", None)
        page = params.pop("page", None) or None
        for name in params:
            raise unknown_parameter(name)
        if query_text is None:
            raise invalid("Missing required param: query.", param="query", code="parameter_missing")
        query = parse_query(str(query_text), fields)
        offset = decode_page(page) if page else 0
        store = self.store.table(ctx.account, self.storage_name(table.name))
        found: list[dict] = []
        skipped = 0
        for obj in store.scan(0, len(store)):
            indexed = self.search_index.view(ctx.account, obj, obj["id"])
            if indexed is None or not matches(query, indexed, fields):
                continue
            if skipped < offset:
                skipped += 1
                continue
            found.append(obj)
            if len(found) > limit:
                break
        has_more = len(found) > limit
        return {
            "object": "search_result",
            "data": found[:limit],
            "has_more": has_more,
            "next_page": encode_page(offset + limit) if has_more else None,
            "url": route.template,
        }

    # -- single objects -----------------------------------------------------------------

    def _retrieve(self, ctx: Ctx, route: Route, path_params: dict, params: dict) -> dict:
        for name in params:
            raise unknown_parameter(name)
        try:
            return self._owned(ctx, route, path_params)
        except StripeError as error:
            # Stripe still answers a retrieve of a deleted customer: {id, object, deleted: true}.
            stub = self.tombstones.get((ctx.account, self._object_id(route, path_params)))
            if stub is None or error.status != 404 or stub["object"] != route.table.object:
                raise
            return stub

    def _create(self, ctx: Ctx, route: Route, path_params: dict, params: dict) -> dict:
        table = route.table
        parent_id = self._check_parent(ctx, table, path_params)
        removed = take_removed_params(table.name, params, ctx.api_version)
        typed = check(params, table.create_params) | removed
        if table.parent is not None and parent_id is not None:
            typed[table.parent.column] = parent_id
        return self.create(ctx, table, typed)

    def create(self, ctx: Ctx, table: Table, typed: dict) -> dict:
        """Create from already-typed params (also used to build the demo dataset)."""
        self._check_references(ctx, table, typed)
        fields = {k: v for k, v in typed.items() if k != "id" or v}
        hook = behaviours.CREATE.get(table.object)
        if hook is not None:
            obj = hook(ctx, table, fields)
        else:
            obj = self.new_object(ctx, table, {})
            _apply(obj, fields)
            ctx.save(table.name, obj)
        if ctx.recorder is None and table.parent is None:  # the demo: its event now
            events.record(ctx, obj, "created")
        return obj

    def _update(self, ctx: Ctx, route: Route, path_params: dict, params: dict) -> dict:
        table = route.table
        obj = self._owned(ctx, route, path_params)
        removed = take_removed_params(table.name, params, ctx.api_version)
        typed = check(params, table.update_params, enforce_required=False) | removed
        self._check_references(ctx, table, typed)
        hook = behaviours.UPDATE.get(table.object)
        if hook is not None:
            hook(ctx, table, obj, typed)
        _apply(obj, typed)
        if "updated" in obj:  # products and others say when they last changed
            obj["updated"] = ctx.now
        return ctx.save(table.name, obj)

    def _delete(self, ctx: Ctx, route: Route, path_params: dict, params: dict) -> dict:
        table = route.table
        obj = self._owned(ctx, route, path_params)
        hook = behaviours.DELETE.get(table.object)
        if hook is not None:
            result = hook(ctx, table, obj, params)
            if result is not None:  # e.g. DELETE /v1/subscriptions/{id} cancels
                return result
        elif params:
            raise unknown_parameter(next(iter(params)))
        self.store.remove(ctx.account, self.storage_name(table.name), obj["id"])
        self.search_index.deleted(ctx.account, obj["id"])
        stub = deleted_stub(obj)
        if ctx.recorder is not None:
            ctx.recorder.deleted(self.storage_name(table.name), obj)
        if table.object in behaviours.RETRIEVABLE_WHEN_DELETED:
            self.tombstones[(ctx.account, obj["id"])] = stub
        return stub

    def _action(self, ctx: Ctx, route: Route, path_params: dict, params: dict) -> dict:
        proc = route.procedure
        assert proc is not None  # action routes are made for procedures
        handler = behaviours.ACTIONS.get(proc.name)
        if handler is None:
            raise invalid(
                f"The emulator does not implement {proc.method.upper()} {proc.path} ({proc.name}).",
                code="emulator_not_implemented",
            )
        body_params = tuple(
            Param(p.api_name, p.type, p.required, p.description, p.children)
            for p in proc.params
            if p.path_param is None and p.api_name
        )
        typed = check(params, body_params)
        ids = [path_params[p.path_param] for p in proc.params if p.path_param]
        obj = ctx.get(route.table.name, ids[-1]) if ids else None
        result = handler(ctx, route.table, obj, typed)
        events.record_action(ctx, proc.name, result)
        return result

    def _check_references(self, ctx: Ctx, table: Table, typed: dict) -> None:
        """Ids in params must exist: Stripe answers 400 resource_missing otherwise."""
        columns = {c.name: c for c in table.columns if c.references and len(c.path) == 1}
        for name, value in typed.items():
            column = columns.get(name)
            references = column.references if column is not None else None
            if (
                references is None
                or not isinstance(value, str)
                or references not in self.catalog.tables
            ):
                continue
            if value in behaviours.TEST_PAYMENT_METHODS:  # Stripe's test ids: made on use
                continue
            if self.store.get(ctx.account, self.storage_name(references), value) is None:
                referenced = self.catalog.tables[references].object
                raise StripeError(
                    400, f"No such {referenced}: '{value}'", code="resource_missing", param=name
                )


def _apply(obj: dict, fields: dict) -> None:
    """Params that name a field of the object set it; others are instructions for hooks."""
    merge(obj, {k: v for k, v in fields.items() if k in obj or k == "metadata"})
