"""Slices on `created` as plain data: splitting covers the range exactly, keeps the cursor."""

import pytest

from stripe_dbapi.sql.slicing import Slice, user_bounds


def covered(pieces: list[Slice], low: int, high: int) -> list[int]:
    """Every second in [low, high) as many times as the pieces cover it."""
    seconds = []
    for piece in pieces:
        start = low if piece.gte is None else piece.gte
        seconds.extend(range(start, piece.lt))
    return sorted(seconds)


@pytest.mark.parametrize("gte,lt,pieces", [(0, 1000, 4), (990, 1000, 8), (100, 103, 8), (None, 10_000, 5),
                                           (None, 50, 8), (998, 1000, 2)])
def test_pieces_cover_the_range_once_and_the_newest_keeps_the_cursor(gte, lt, pieces):
    dense = Slice("/v1/charges", {"customer": "cus_1"}, gte, lt, "ch_cursor", rows_seen=100, seconds_seen=7)
    split = dense.split(pieces)
    assert 1 < len(split) <= pieces
    assert covered(split, 0, lt) == list(range(0 if gte is None else gte, lt))
    assert split[0].starting_after == "ch_cursor" and split[0].lt == lt
    assert all(p.starting_after is None for p in split[1:])
    assert all(p.params == {"customer": "cus_1"} for p in split)
    assert [p.lt for p in split[1:]] == [p.gte for p in split[:-1]]  # newest first, adjacent


def test_a_one_second_slice_is_never_split():
    burst = Slice("/v1/charges", {}, 500, 501, "ch_cursor", rows_seen=300, seconds_seen=1)
    assert burst.split(8) == [burst]


def test_rest_after_a_page_ends_after_the_last_second_and_keeps_its_cursor():
    page = [{"id": "ch_3", "created": 120}, {"id": "ch_2", "created": 110}, {"id": "ch_1", "created": 110}]
    rest = Slice("/v1/charges", {}, 100, None).rest_after(page)
    assert (rest.gte, rest.lt, rest.starting_after) == (100, 111, "ch_1")
    assert rest.request_params() == {"created[gte]": 100, "created[lt]": 111,
                                     "starting_after": "ch_1", "limit": 100}


def test_sparse_slices_are_not_split_into_pieces_of_a_page():
    # 100 rows seen over 1,000 seconds, 500 seconds left: about 50 rows, not worth a split.
    sparse = Slice("/v1/charges", {}, 0, 500, "ch_x", rows_seen=100, seconds_seen=1000)
    assert sparse.pieces_worth_splitting(idle=7) == 1
    dense = Slice("/v1/charges", {}, 0, 5000, "ch_x", rows_seen=100, seconds_seen=10)
    assert dense.pieces_worth_splitting(idle=7) == 8


@pytest.mark.parametrize("params,expected", [
    ({"limit": 3}, ({"limit": 3}, None, None)),
    ({"created[gte]": 10, "created[lte]": 20, "customer": "c"}, ({"customer": "c"}, 10, 21)),
    ({"created[gt]": 10, "created[lt]": 20}, ({}, 11, 20)),
    ({"created": 15}, ({}, 15, 16)),
])
def test_user_bounds_become_a_half_open_range(params, expected):
    assert user_bounds(params) == expected


def test_objects_without_created_page_on_from_the_cursor_unsplit():
    rest = Slice("/v1/things", {}, None, None).rest_after([{"id": "x_1"}, {"id": "x_2"}])
    assert (rest.gte, rest.lt, rest.starting_after) == (None, None, "x_2")
    assert rest.split(8) == [rest]
