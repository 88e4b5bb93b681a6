"""Search queries (stripe_dbapi/sql/render/search.py)."""

import dataclasses

from stripe_dbapi.catalog.model import SearchSpec
from stripe_dbapi.sql.render.lists import list_calls
from stripe_dbapi.sql.render.search import MAX_SEARCH_CLAUSES, search_calls


def queries(rendering):
    return [c.query for c in rendering.calls]


def test_clauses_are_anded_and_values_quoted(analysed):
    rendering = search_calls(*analysed("customers", "name = 'Ann \"A\"' AND metadata ->> 'tier' = 'gold'"))
    assert queries(rendering) == ['name:"Ann \\"A\\"" AND metadata["tier"]:"gold"']
    assert rendering.pushed == {"name"} and rendering.exact == set() and rendering.metadata


def test_ranges_go_through_the_one_bound_encoder_as_the_list_s(analysed):
    table, analysis = analysed("charges", "created > 5.5 AND created < 9 AND amount >= 100")
    assert queries(search_calls(table, analysis)) == ["created>=6 AND created<=8 AND amount>=100"]
    assert list_calls(table, analysis).calls[0].params == {"created[gte]": 6, "created[lte]": 8}


def test_one_in_alone_is_one_or_query_else_one_query_per_value(analysed):
    assert queries(search_calls(*analysed("charges", "amount IN (1, 2)"))) == ["amount:1 OR amount:2"]
    assert queries(search_calls(*analysed("charges", "amount IN (1, 2) AND currency = 'usd'"))) == [
        'currency:"usd" AND amount:1', 'currency:"usd" AND amount:2']


def test_what_search_cannot_say_leaves_it_out(analysed):
    assert search_calls(*analysed("subscriptions", "status = 'active'")) is None  # no Search
    assert search_calls(*analysed("charges", "amount = 1.5")) is None  # numeric fields are whole
    assert search_calls(*analysed("customers", "name = '--'")) is None  # no word to match
    assert search_calls(*analysed("charges", "refunded")) is None  # its Search field means else
    many = " AND ".join(f"metadata ->> 'k{i}' = 'v'" for i in range(MAX_SEARCH_CLAUSES + 1))
    assert search_calls(*analysed("charges", many)) is None


def test_numeric_fields_are_exact_and_token_fields_only_for_enums(analysed):
    rendering = search_calls(*analysed("charges", "amount > 5 AND currency = 'usd'"))
    assert rendering.pushed == {"amount", "currency"} and rendering.exact == {"amount"}


def test_metadata_is_pushed_only_where_the_table_s_search_has_it(analysed, mini_catalog):
    customers = mini_catalog.table("customers")
    fields = {k: v for k, v in customers.search.fields.items() if k != "metadata"}
    table = dataclasses.replace(customers, search=SearchSpec(customers.search.path, fields))
    rendering = search_calls(*analysed(table, "name = 'Ann' AND metadata ->> 'tier' = 'gold'"))
    assert queries(rendering) == ['name:"Ann"'] and not rendering.metadata
