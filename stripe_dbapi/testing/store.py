"""Objects per (account, table), ordered newest first, with O(log n + page) pages.

Each table keeps two parallel sorted lists: ``keys`` (ints ordering newest
first: ``-(created << 32 | seq)``) and ``ids``. A cursor (``starting_after``)
and a ``created`` bound are both found by bisection, so a page costs
O(log n + page size) even at a million objects.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from collections.abc import Callable, Iterator

from .objects import ref, value_at

PLATFORM = "platform"  # partition of requests without Stripe-Account
_SEQ_BITS = 32
_INDEXABLE = (str, int, float, bool)


def order_key(created: int, seq: int) -> int:
    """Sort key: smaller = newer. Ties on ``created`` go to the later insert first."""
    return -((int(created) << _SEQ_BITS) | seq)


class TableStore:
    """The objects of one table in one account."""

    def __init__(self) -> None:
        self.objects: dict[str, dict] = {}
        self._key_of: dict[str, int] = {}
        self._keys: list[int] = []
        self._ids: list[str] = []
        # Equality indexes, built on first use and kept up to date by every write:
        # path -> ({value: sorted keys}, {key: value}).
        self._indexes: dict[tuple[str, ...], tuple[dict, dict]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def put(self, obj: dict, seq: int) -> None:
        """Insert (or re-insert) an object; its position follows ``created``."""
        object_id = obj["id"]
        key = self._key_of.get(object_id)
        if key is not None:  # an update: the position is fixed at creation
            self._unindex(key)
        else:
            key = order_key(obj.get("created") or 0, seq)
            index = bisect.bisect_left(self._keys, key)
            self._keys.insert(index, key)
            self._ids.insert(index, object_id)
            self._key_of[object_id] = key
        self.objects[object_id] = obj
        self._index(key, obj)

    def bulk_put(self, objs: list[dict], first_seq: int) -> None:
        """Add many objects with one sort (used by benchmarks and the demo seed)."""
        self._indexes.clear()  # rebuilt on the next filtered list
        pairs = list(zip(self._keys, self._ids, strict=True))
        for offset, obj in enumerate(objs):
            key = order_key(obj.get("created") or 0, first_seq + offset)
            self._key_of[obj["id"]] = key
            self.objects[obj["id"]] = obj
            pairs.append((key, obj["id"]))
        pairs.sort()
        self._keys = [k for k, _ in pairs]
        self._ids = [i for _, i in pairs]

    def remove(self, object_id: str) -> dict | None:
        key = self._key_of.pop(object_id, None)
        if key is None:
            return None
        self._unindex(key)
        index = bisect.bisect_left(self._keys, key)
        del self._keys[index]
        del self._ids[index]
        return self.objects.pop(object_id)

    def index_of(self, object_id: str) -> int | None:
        key = self._key_of.get(object_id)
        if key is None:
            return None
        return bisect.bisect_left(self._keys, key)

    def created_bounds(self, gte: int | None, lte: int | None) -> tuple[int, int]:
        """Index range [start, stop) of objects with gte <= created <= lte."""
        start = (
            0
            if lte is None
            else bisect.bisect_left(self._keys, order_key(lte, (1 << _SEQ_BITS) - 1))
        )
        stop = (
            len(self._keys)
            if gte is None
            else bisect.bisect_left(self._keys, order_key(gte - 1, (1 << _SEQ_BITS) - 1))
        )
        return start, max(start, stop)

    def keys_where(self, path: tuple[str, ...], value) -> list[int]:
        """Sort keys (newest first) of the objects whose field at ``path`` is ``value``.

        The index for ``path`` is built on first use (O(n)) and then kept up to date
        by ``put``/``remove`` (O(log n) each), so a filtered page costs O(log n + page).
        Objects changed in place without ``put`` are not seen: write through the API.
        """
        built = self._indexes.get(path)
        if built is None:
            by_value: dict = {}
            value_of: dict = {}
            objects = self.objects
            for key, object_id in zip(self._keys, self._ids, strict=True):
                found = ref(value_at(objects[object_id], path))
                if isinstance(found, _INDEXABLE):
                    by_value.setdefault(found, []).append(key)
                    value_of[key] = found
            built = self._indexes[path] = (by_value, value_of)
        try:
            return built[0].get(value, [])
        except TypeError:  # an unhashable filter value matches nothing
            return []

    def _index(self, key: int, obj: dict) -> None:
        for path, (by_value, value_of) in self._indexes.items():
            found = ref(value_at(obj, path))
            if isinstance(found, _INDEXABLE):
                bisect.insort(by_value.setdefault(found, []), key)
                value_of[key] = found

    def _unindex(self, key: int) -> None:
        for by_value, value_of in self._indexes.values():
            if key in value_of:
                keys = by_value[value_of.pop(key)]
                del keys[bisect.bisect_left(keys, key)]

    def scan_keys(self, keys: list[int], start: int, stop: int, step: int = 1) -> Iterator[dict]:
        """Like ``scan`` but only over ``keys`` (from ``keys_where``) in positions [start, stop)."""
        if start >= len(self._keys) or start >= stop:
            return iter(())
        low = bisect.bisect_left(keys, self._keys[start])
        high = bisect.bisect_left(keys, self._keys[stop]) if stop < len(self._keys) else len(keys)
        chosen = keys[low:high] if step > 0 else reversed(keys[low:high])
        ids, objects, all_keys = self._ids, self.objects, self._keys
        return (objects[ids[bisect.bisect_left(all_keys, key)]] for key in chosen)

    def scan(self, start: int, stop: int, step: int = 1) -> Iterator[dict]:
        """Objects by position; step=-1 walks from stop-1 down to start (oldest first)."""
        ids, objects = self._ids, self.objects
        positions = range(start, stop) if step > 0 else range(stop - 1, start - 1, -1)
        for position in positions:
            yield objects[ids[position]]


class Store:
    """All objects of the emulator: per account, per table; plus an id index for expand."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._tables: dict[tuple[str, str], TableStore] = {}
        # account -> id -> table name: finds any object for expand (no tuples: 1M objects).
        self._by_id: dict[str, dict[str, str]] = {}
        self._seq = itertools.count(1)

    def table(self, account: str, table: str) -> TableStore:
        found = self._tables.get((account, table))
        if found is None:
            found = self._tables[(account, table)] = TableStore()
        return found

    def put(self, account: str, table: str, obj: dict) -> dict:
        self.table(account, table).put(obj, next(self._seq))
        self._by_id.setdefault(account, {})[obj["id"]] = table
        return obj

    def bulk_put(self, account: str, table: str, objs: list[dict]) -> None:
        first = next(self._seq)
        self._seq = itertools.count(first + len(objs) + 1)
        self.table(account, table).bulk_put(objs, first)
        ids = self._by_id.setdefault(account, {})
        for obj in objs:
            ids[obj["id"]] = table

    def get(self, account: str, table: str, object_id: str) -> dict | None:
        found = self._tables.get((account, table))
        return None if found is None else found.objects.get(object_id)

    def find(self, account: str, object_id: str) -> tuple[str, dict] | None:
        """(table, object) for any id in the account, for expand and cross references."""
        table = self._by_id.get(account, {}).get(object_id)
        if table is None:
            return None
        obj = self.get(account, table, object_id)
        return None if obj is None else (table, obj)

    def has_account(self, account: str) -> bool:
        """Whether any object was ever stored in ``account``'s partition."""
        return account in self._by_id

    def remove(self, account: str, table: str, object_id: str) -> dict | None:
        self._by_id.get(account, {}).pop(object_id, None)
        return self.table(account, table).remove(object_id)

    def where(self, account: str, table: str, predicate: Callable[[dict], bool]) -> list[dict]:
        """Every object of a table matching ``predicate``, newest first."""
        store = self.table(account, table)
        return [obj for obj in store.scan(0, len(store)) if predicate(obj)]

    def clear(self) -> None:
        self._tables.clear()
        self._by_id.clear()

    def counts(self) -> dict[tuple[str, str], int]:
        return {key: len(t) for key, t in self._tables.items()}
