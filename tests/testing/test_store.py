from stripe_dbapi.testing.store import TableStore


def _objs(n, created=lambda i: 1000 + i):
    return [{"id": f"obj_{i}", "created": created(i)} for i in range(n)]


def test_newest_first_and_ties_by_insertion():
    store = TableStore()
    for seq, obj in enumerate(_objs(5, created=lambda i: 1000 + i // 2)):
        store.put(obj, seq)
    ids = [o["id"] for o in store.scan(0, len(store))]
    assert ids == ["obj_4", "obj_3", "obj_2", "obj_1", "obj_0"]


def test_bulk_put_matches_single_puts():
    one, bulk = TableStore(), TableStore()
    objs = _objs(50, created=lambda i: 1000 + (i * 7) % 13)
    for seq, obj in enumerate(objs):
        one.put(obj, seq)
    bulk.bulk_put(objs, 0)
    assert [o["id"] for o in one.scan(0, 50)] == [o["id"] for o in bulk.scan(0, 50)]


def test_created_bounds_are_inclusive():
    store = TableStore()
    store.bulk_put(_objs(10), 0)  # created 1000..1009
    start, stop = store.created_bounds(1003, 1006)
    assert sorted(o["created"] for o in store.scan(start, stop)) == [1003, 1004, 1005, 1006]
    start, stop = store.created_bounds(None, 1001)
    assert sorted(o["created"] for o in store.scan(start, stop)) == [1000, 1001]


def test_remove_and_index_of():
    store = TableStore()
    store.bulk_put(_objs(5), 0)
    assert store.index_of("obj_4") == 0
    assert store.remove("obj_4")["id"] == "obj_4"
    assert store.index_of("obj_4") is None
    assert store.index_of("obj_3") == 0
    assert len(store) == 4


def test_equality_index_follows_puts_and_removes():
    store = TableStore()
    store.bulk_put(
        [
            {"id": f"obj_{i}", "created": 1000 + i, "colour": "red" if i % 2 else "blue"}
            for i in range(6)
        ],
        0,
    )

    def reds():
        return [
            o["id"] for o in store.scan_keys(store.keys_where(("colour",), "red"), 0, len(store))
        ]

    assert reds() == ["obj_5", "obj_3", "obj_1"]
    store.put({"id": "obj_2", "created": 1002, "colour": "red"}, 99)  # update: same position
    store.put({"id": "obj_9", "created": 1009, "colour": "red"}, 100)  # new, newest
    store.remove("obj_3")
    assert reds() == ["obj_9", "obj_5", "obj_2", "obj_1"]
    start, stop = store.created_bounds(1002, 1005)
    keys = store.keys_where(("colour",), "red")
    assert [o["id"] for o in store.scan_keys(keys, start, stop)] == ["obj_5", "obj_2"]
    assert [o["id"] for o in store.scan_keys(keys, start, stop, step=-1)] == ["obj_2", "obj_5"]
    assert store.keys_where(("colour",), "green") == []
