"""The ids a list needs that WHERE may not give (stripe_dbapi/sql/render/required_ids.py);
end to end over the generated catalog in tests/sql/test_required_filters.py."""

import dataclasses

import pytest

from stripe_dbapi.catalog.model import Column, RequiredFilter
from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.sql.render.required_ids import (
    RequiredId,
    fan_out_key,
    missing_ids,
    required_implied,
)


@pytest.fixture
def items(mini_catalog):
    """A table whose list requires a subscription (listable) and a start time (WHERE only)."""
    charges = mini_catalog.table("charges")
    return dataclasses.replace(
        charges, name="items",
        columns=(*charges.columns, Column("kind", "string", ("kind",), enum=("usage", "flat"))),
        required_filters=(RequiredFilter("subscription", "subscription", "subscriptions"),
                          RequiredFilter("kind", "kind", None)))


def test_missing_ids_are_the_parent_and_each_required_param_some_list_lacks(mini_catalog, items):
    cards = mini_catalog.table("cards")
    assert missing_ids(cards, parent_given=False, param_sets=[{}]) == [
        RequiredId("customer", "customers", path_param="customer")]
    assert missing_ids(cards, parent_given=True, param_sets=[{}]) == []
    assert [k.column for k in missing_ids(items, False, [{"kind": "usage"}, {}])] == ["subscription", "kind"]
    assert missing_ids(items, False, [{"kind": "usage", "subscription": "sub_1"}]) == []


def test_one_listable_missing_id_is_fanned_out_over(items):
    key = fan_out_key(items, missing_ids(items, False, [{"kind": "usage"}]))
    assert key == RequiredId("subscription", "subscriptions", list_param="subscription")
    assert fan_out_key(items, []) is None


def test_an_id_only_where_can_give_is_an_error_naming_it_and_its_values(items):
    with pytest.raises(ProgrammingError, match=r"Stripe lists items only for a given kind: "
                                               r"add kind = 'usage' \(or 'flat'\) to the WHERE clause"):
        fan_out_key(items, missing_ids(items, False, [{"subscription": "sub_1"}]))
    with pytest.raises(ProgrammingError, match=r"for a given kind: add kind = 'usage'"):
        fan_out_key(items, missing_ids(items, False, [{}]))  # the fan-out alone would not do


def test_required_params_sent_are_column_values_of_the_rows(items):
    assert required_implied(items, {"subscription": "sub_1", "limit": 3}) == {"subscription": "sub_1"}
