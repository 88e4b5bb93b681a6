"""Retrieves for the ids WHERE names (stripe_dbapi/sql/render/retrieve.py)."""

from stripe_dbapi.sql.render.retrieve import retrieve_calls


def test_id_equality_is_one_retrieve_and_in_is_one_per_id(planned_calls):
    assert planned_calls("SELECT * FROM customers WHERE id = 'cus_1'") == [
        ("retrieve", "/v1/customers/cus_1", {}, None)]
    assert [c[1] for c in planned_calls("SELECT * FROM Customer WHERE Id IN ('a', 'b')")] == [
        "/v1/customers/a", "/v1/customers/b"]


def test_ids_are_percent_encoded_into_their_own_path_segment(planned_calls):
    assert planned_calls("SELECT * FROM customers WHERE id = '../charges/ch_x'") == [
        ("retrieve", "/v1/customers/..%2Fcharges%2Fch_x", {}, None)]
    assert planned_calls("SELECT * FROM cards WHERE customer = 'a/b?c' AND id = 'card 1'") == [
        ("retrieve", "/v1/customers/a%2Fb%3Fc/sources/card%201", {}, None)]
    assert planned_calls("SELECT * FROM cards WHERE customer = '../x'") == [
        ("list", "/v1/customers/..%2Fx/sources", {"object": "card"}, None)]


def test_invalid_ids_in_a_list_are_dropped_and_the_rest_retrieved(planned_calls):
    assert planned_calls("SELECT * FROM customers WHERE id IN ('', 'cus_1', '..')") == [
        ("retrieve", "/v1/customers/cus_1", {}, None)]


def test_no_retrieve_without_ids_or_without_the_parent_id_the_path_needs(analysed):
    assert retrieve_calls(*analysed("customers", "email = 'e' AND created > 5")) is None
    assert retrieve_calls(*analysed("cards", "id = 'card_1'")) is None  # which customer's card?


def test_a_nested_table_retrieves_per_parent_and_id_and_knows_the_parent(analysed):
    rendering = retrieve_calls(*analysed("cards", "customer IN ('c1', 'c2') AND id = 'card_1'"))
    assert [(c.path, c.implied) for c in rendering.calls] == [
        ("/v1/customers/c1/sources/card_1", {"customer": "c1"}),
        ("/v1/customers/c2/sources/card_1", {"customer": "c2"})]
    assert rendering.pushed == rendering.exact == {"id", "customer"}


def test_an_id_array_filter_lists_ten_ids_a_call(analysed):
    ids = ", ".join(f"'prod_{i}'" for i in range(12))
    rendering = retrieve_calls(*analysed("products", f"id IN ({ids})"))
    assert [(c.kind, len(c.params["ids"])) for c in rendering.calls] == [("list", 10), ("list", 2)]
    single = retrieve_calls(*analysed("products", "id = 'prod_1'"))
    assert [(c.kind, c.path) for c in single.calls] == [("retrieve", "/v1/products/prod_1")]
