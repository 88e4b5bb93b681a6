"""One table's WHERE in the analysed form the renderers read (stripe_dbapi/sql/analysis.py)."""

import sqlglot

from stripe_dbapi.sql.analysis import analyse, identifier_columns


def test_constraints_per_column_metadata_and_unparsed_conjuncts(analysed):
    _, analysis = analysed("charges", "amount > 5 AND amount <= 9 AND metadata ->> 'tier' = 'gold' "
                                      "AND currency LIKE 'u%' AND nope = 1")
    assert list(analysis.constraints) == ["amount"]
    assert (analysis.constraints["amount"].lower, analysis.constraints["amount"].upper) == ((5, False), (9, True))
    assert analysis.metadata == {"tier": "gold"}
    assert [c.sql() for c in analysis.unparsed] == ["currency LIKE 'u%'", "nope = 1"]
    assert [atoms[0].op for _, atoms in analysis.pushable] == ["gt", "lte", "meta"]
    assert not analysis.empty


def test_a_conjunct_naming_a_column_the_table_lacks_is_unparsed_whole(mini_catalog):
    table = mini_catalog.table("charges")
    conjunct = sqlglot.parse_one("amount = 1 AND nope = 2")  # one conjunct, two atoms
    analysis = analyse(table, [conjunct])
    assert analysis.unparsed == [conjunct] and analysis.pushable == []
    assert "amount" not in analysis.constraints


def test_no_row_can_match_contradictions_or_two_values_for_one_metadata_key(analysed):
    assert analysed("charges", "amount > 5 AND amount < 3")[1].empty
    assert analysed("charges", "metadata ->> 'k' = 'a' AND metadata ->> 'k' = 'b'")[1].empty
    assert not analysed("charges", "metadata ->> 'k' = 'a' AND metadata ->> 'k' = 'a'")[1].empty


def test_given_columns_and_list_filters(analysed):
    _, analysis = analysed("charges", "customer IN ('a', 'b') AND created > 5")
    assert analysis.given("customer") and not analysis.given("created") and not analysis.given("status")
    assert analysis.list_filter("created", "range").param == "created"
    assert analysis.list_filter("created", "eq") is None


def test_identifier_columns_hold_stripe_ids(mini_catalog):
    assert identifier_columns(mini_catalog.table("cards")) == {"id", "customer"}
    assert identifier_columns(mini_catalog.table("customers")) == {"id"}
