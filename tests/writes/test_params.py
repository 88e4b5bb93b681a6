import datetime as dt

import pytest

from stripe_dbapi.catalog.model import Param
from stripe_dbapi.exceptions import DataError, ProgrammingError
from stripe_dbapi.paths import fill_path
from stripe_dbapi.writes.params import build_request, coerce, to_integer


def customers(catalog):
    return catalog.tables["customers"]


def test_spec_names_map_to_stripe_params(catalog):
    table = customers(catalog)
    request = build_request(
        catalog, table, table.create_params, [("Name", "abc"), ("Balance", 10.0)], "INSERT"
    )
    assert request.body == {"name": "abc", "balance": 10}
    assert request.url_params == {}


def test_flattened_column_maps_to_nested_param(catalog):
    table = customers(catalog)
    request = build_request(
        catalog,
        table,
        table.create_params,
        [("AddressCountry", "US"), ("address_city", "Paris"), ("InvoiceSettingsFooter", "thanks")],
        "INSERT",
    )
    assert request.body == {
        "address": {"country": "US", "city": "Paris"},
        "invoice_settings": {"footer": "thanks"},
    }


def test_top_level_param_wins_over_flattened_path(catalog):
    cards = catalog.tables["cards"]
    request = build_request(
        catalog, cards, cards.update_params, [("AddressCountry", "US")], "UPDATE"
    )
    assert request.body == {"address_country": "US"}


def test_parent_column_goes_to_url_and_token_to_source(catalog):
    cards = catalog.tables["cards"]
    request = build_request(
        catalog, cards, cards.create_params, [("CustomerId", "cus_1"), ("Token", "tok_1")], "INSERT"
    )
    assert request.url_params == {"customer": "cus_1"}
    assert request.body == {"source": "tok_1"}
    assert fill_path(cards.create_path, request.url_params) == "/v1/customers/cus_1/sources"


def test_metadata_accepts_json_text_and_dict(catalog):
    table = customers(catalog)
    text = build_request(
        catalog, table, table.create_params, [("metadata", '{"tier": "gold"}')], "INSERT"
    )
    given = build_request(
        catalog, table, table.create_params, [("Metadata", {"tier": "gold"})], "INSERT"
    )
    assert text.body == given.body == {"metadata": {"tier": "gold"}}


def test_null_is_kept_as_none_so_the_client_unsets(catalog):
    table = customers(catalog)
    request = build_request(
        catalog, table, table.update_params or table.create_params, [("name", None)], "UPDATE"
    )
    assert request.body == {"name": None}


def test_read_only_column_is_named_with_writable_ones(catalog):
    table = customers(catalog)
    with pytest.raises(
        ProgrammingError, match=r"'created' of customers cannot be set by INSERT.*writable: name"
    ):
        build_request(catalog, table, table.create_params, [("Created", 1)], "INSERT")


def test_an_embedded_object_is_written_by_its_id_column():
    from stripe_dbapi.catalog import load_catalog

    catalog = load_catalog()
    table = catalog.tables["subscription_items"]
    request = build_request(catalog, table, table.update_params, [("PriceId", "price_2")], "UPDATE")
    assert request.body == {"price": "price_2"}
    with pytest.raises(ProgrammingError, match=r"'price_object' of subscription_items is the whole "
                       r"embedded object .* set price \(its id\) instead"):
        build_request(catalog, table, table.update_params, [("price_object", '{"id": "x"}')], "UPDATE")


def test_unknown_column_names_closest(catalog):
    table = customers(catalog)
    with pytest.raises(
        ProgrammingError, match=r"unknown column or parameter in INSERT 'nmae'.*did you mean: name"
    ):
        build_request(catalog, table, table.create_params, [("nmae", "x")], "INSERT")


def test_same_param_twice_is_an_error(catalog):
    table = customers(catalog)
    with pytest.raises(ProgrammingError, match="both set name"):
        build_request(catalog, table, table.create_params, [("name", "a"), ("Name", "b")], "INSERT")


def test_null_parent_id_is_refused(catalog):
    cards = catalog.tables["cards"]
    with pytest.raises(ProgrammingError, match="must be a Stripe id, got None"):
        build_request(
            catalog, cards, cards.create_params, [("customer", None), ("token", "t")], "INSERT"
        )


@pytest.mark.parametrize("value, expected", [(10, 10), (10.0, 10), ("1200", 1200), (True, 1)])
def test_integers_accept_integral_values(value, expected):
    assert to_integer(value, "amount") == expected


@pytest.mark.parametrize("value", [10.5, "10.5", "ten", float("nan")])
def test_integers_refuse_fractions_before_any_request(value):
    with pytest.raises(DataError, match="amount"):
        to_integer(value, "amount")


def test_fractional_amount_in_a_request_is_a_data_error(catalog):
    table = customers(catalog)
    with pytest.raises(DataError, match="Balance must be a whole number"):
        build_request(catalog, table, table.create_params, [("Balance", 10.5)], "INSERT")


def test_other_types():
    assert coerce("true", Param("x", "boolean"), "x") is True
    assert coerce(0, Param("x", "boolean"), "x") is False
    when = coerce("2024-01-02T03:04:05Z", Param("t", "datetime"), "t")
    assert when == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert coerce(1700000000, Param("t", "datetime"), "t") == 1700000000
    assert coerce("card", Param("types", "array"), "types") == ["card"]
    assert coerce('["card", "link"]', Param("types", "array"), "types") == ["card", "link"]
    assert coerce(5, Param("d", "string"), "d") == "5"
    with pytest.raises(DataError):
        coerce("maybe", Param("x", "boolean"), "x")
    with pytest.raises(DataError, match="not valid JSON"):
        coerce("{bad", Param("m", "object"), "m")


def test_unknown_key_in_nested_object_is_named():
    address = Param("address", "object", children=(Param("country", "string"),))
    with pytest.raises(ProgrammingError, match="unknown key 'contry' in address"):
        coerce({"contry": "US"}, address, "address")
