"""Runs Fetches through the client: pages of Stripe objects, concurrently where independent.

All calls of a plan that do not depend on each other go through one
``client.map_concurrently`` (a nested pool could deadlock); a fan-out first
lists the parents, then lists every parent's children in a second batch.
Search results are merged with this connection's recent writes (Search lags).
A Search fetch whose call answers "not available" is replaced by its list plan
(``replace``: ``SearchAvailability.replacement``, search_fallback.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from stripe_dbapi.client import MAX_PAGE_SIZE
from stripe_dbapi.exceptions import Error, ProgrammingError
from stripe_dbapi.sql.plan import Call, Fetch
from stripe_dbapi.sql.scan import scan_pages

Page = list
# (the Search fetch, the error one of its calls raised) -> the fetch to run instead, or
# None to raise the error.
Replace = Callable[[Fetch, BaseException], "Fetch | None"]


def run_call(client, call: Call, fetch: Fetch) -> list[dict]:
    """Every object one call returns (all its pages, up to the fetch's max_rows)."""
    return [obj for page in iter_call(client, call, fetch) for obj in page]


def iter_call(client, call: Call, fetch: Fetch) -> Iterator[Page]:
    if call.kind == "retrieve":
        obj = client.retrieve(call.path)
        if obj is not None and not obj.get("deleted"):
            yield [_with_implied(obj, call)]
        return
    if call.kind == "search":
        pages = client.search_pages(call.path, call.query, call.params,
                                    page_size=fetch.page_size, max_rows=fetch.max_rows)
    elif fetch.slicing is not None and fetch.calls == [call]:
        pages = scan_pages(client, call.path, call.params, fetch.slicing.workers)
    else:
        pages = client.list_pages(call.path, call.params,
                                  page_size=fetch.page_size, max_rows=fetch.max_rows)
    try:
        for page in pages:
            if call.implied:
                page = [_with_implied(obj, call) for obj in page]
            yield page
    except ProgrammingError as error:
        # A nested list of a parent that does not exist (`invoice = 'in_nope'`) is
        # no rows, as a missing id is; other errors are real.
        if not (call.implied and error.http_status == 404):
            raise


def _with_implied(obj: dict, call: Call) -> dict:
    for column, value in call.implied.items():
        if obj.get(column) is None:
            obj[column] = value
    return obj


def _lazy(fetch: Fetch) -> bool:
    """A fan-out with a pushed LIMIT: walk the parents one by one and stop when enough."""
    return fetch.fan_out is not None and fetch.max_rows is not None


def iter_fan_out_lazily(client, fetch: Fetch) -> Iterator[Page]:
    fan, remaining = fetch.fan_out, fetch.max_rows
    assert fan is not None and remaining is not None  # a lazy fetch (_lazy) has both
    parents = Fetch(ref_name="", table_name="")
    for parent_call in fan.parent_calls:
        for parent_page in iter_call(client, parent_call, parents):
            for parent in parent_page:
                for call in fan.child_calls_for(parent["id"]):
                    for page in iter_call(
                        client, call, Fetch(ref_name="", table_name="", max_rows=remaining)
                    ):
                        yield page
                        remaining -= len(page)
                        if remaining <= 0:
                            return


def fan_out_calls(client, fetches: list[Fetch]) -> None:
    """Replace each fan-out by its child calls for every parent id (parents listed concurrently)."""
    pending = [(f, c) for f in fetches if f.fan_out is not None and not f.empty and not _lazy(f)
               for c in f.fan_out.parent_calls]
    if not pending:
        return
    parents_per_call = client.map_concurrently(
        lambda item: run_call(client, item[1], Fetch(ref_name="", table_name="")), pending
    )
    parent_ids: dict[int, list[str]] = {}
    for (fetch, _), objs in zip(pending, parents_per_call, strict=True):
        ids = parent_ids.setdefault(id(fetch), [])
        ids.extend(o["id"] for o in objs if o.get("id") not in ids)
    for fetch in fetches:
        fan = fetch.fan_out
        if fan is None or fetch.empty or _lazy(fetch):
            continue
        fetch.calls = [call for parent_id in parent_ids.get(id(fetch), [])
                       for call in fan.child_calls_for(parent_id)]
        fetch.fan_out = None


def fetch_all(
    client, write_log, fetches: list[Fetch], replace: Replace | None = None
) -> dict[str, list[dict]]:
    """ref_name -> every object, for plans that need all rows before running SQL."""
    fan_out_calls(client, fetches)
    work = [(f, c) for f in fetches if not f.empty and not f.system for c in f.calls]
    results = client.map_concurrently(lambda item: _run_or_error(client, item[1], item[0]), work)
    objects: dict[str, list[dict]] = {f.ref_name: [] for f in fetches}
    for fetch in fetches:
        if _lazy(fetch) and not fetch.empty:
            objects[fetch.ref_name] = [
                o for page in iter_fan_out_lazily(client, fetch) for o in page
            ]
    replacements: dict[int, Fetch] = {}
    for (fetch, _), objs in zip(work, results, strict=True):
        if isinstance(objs, _Failed):
            if id(fetch) not in replacements:
                replacements[id(fetch)] = _replacement(replace, fetch, objs.error)
            continue
        objects[fetch.ref_name].extend(objs)
    for fetch in fetches:
        objs = objects[fetch.ref_name]
        if fetch.merge_write_log:
            objs = merge_recent_writes(objs, write_log, fetch.table_name)
        elif fetch.dedupe or len(fetch.calls) > 1:
            objs = list(_dedupe(objs))
        objects[fetch.ref_name] = objs
    if replacements:
        objects.update(fetch_all(client, write_log, list(replacements.values()), replace))
    return objects


class _Failed:
    """A Search call's error, kept until the batch is done (its fetch may fall back)."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def _run_or_error(client, call: Call, fetch: Fetch):
    if call.kind != "search":
        return run_call(client, call, fetch)
    try:
        return run_call(client, call, fetch)
    except Error as error:
        return _Failed(error)


def _replacement(replace: Replace | None, fetch: Fetch, error: BaseException) -> Fetch:
    replacement = replace(fetch, error) if replace is not None else None
    if replacement is None:
        raise error
    return replacement


def iter_pages(client, write_log, fetch: Fetch, replace: Replace | None = None) -> Iterator[Page]:
    """Pages of one fetch as they arrive (streaming scans): one call streams lazily.
    A Search fetch that answers "not available" switches to its list plan before its
    first page is yielded (an error after that is raised: rows were already returned)."""
    pages = _pages(client, write_log, fetch, replace)
    if not fetch.uses_search:
        yield from pages
        return
    try:
        first = next(pages, None)
    except Error as error:
        yield from iter_pages(client, write_log, _replacement(replace, fetch, error), replace)
        return
    if first is not None:
        yield first
        yield from pages


def _pages(client, write_log, fetch: Fetch, replace: Replace | None) -> Iterator[Page]:
    if fetch.empty:
        return
    if _lazy(fetch):
        yield from iter_fan_out_lazily(client, fetch)
        return
    fan_out_calls(client, [fetch])
    if len(fetch.calls) == 1 and not fetch.merge_write_log:
        yield from iter_call(client, fetch.calls[0], fetch)
        return
    if len(fetch.calls) == 1 and write_log is not None:
        yield from _merged_pages(
            iter_call(client, fetch.calls[0], fetch), write_log, fetch.table_name
        )
        return
    objects = fetch_all(client, write_log, [fetch], replace)[fetch.ref_name]
    for start in range(0, len(objects), MAX_PAGE_SIZE):
        yield objects[start:start + MAX_PAGE_SIZE]


def _merged_pages(pages: Iterator[Page], write_log, table_name: str) -> Iterator[Page]:
    """Search pages as they arrive, with this connection's recent writes merged in:
    a written object replaces its (possibly stale) Search version, deleted ones are
    dropped, and written objects Search has not indexed yet come last. Only ids are kept."""
    recent, deleted = write_log.recent(table_name)
    newest = {o["id"]: o for o in recent}
    seen: set = set()
    for page in pages:
        merged = []
        for obj in page:
            key = obj["id"]
            if key in seen or key in deleted:
                continue
            seen.add(key)
            merged.append(newest.pop(key, obj))
        if merged:
            yield merged
    if newest:
        yield list(newest.values())


def merge_recent_writes(objs: list[dict], write_log, table_name: str) -> list[dict]:
    """Search results + what this connection wrote recently (SQL re-filters them all)."""
    if write_log is None:
        return list(_dedupe(objs))
    return [obj for page in _merged_pages(iter([objs]), write_log, table_name) for obj in page]


def _dedupe(objs: Iterable[dict]) -> Iterator[dict]:
    seen: set = set()
    for obj in objs:
        key = obj.get("id")
        if key in seen:
            continue
        seen.add(key)
        yield obj
