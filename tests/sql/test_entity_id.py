"""entity_id.py: the connector spec's filterClause that is only an entity id."""

import pytest
import sqlglot

from stripe_dbapi.sql.entity_id import bare_entity_id


def where_of(where: str):
    return sqlglot.parse_one(f"SELECT * FROM t WHERE {where}", read="sqlite").args["where"].this


@pytest.mark.parametrize("where,object_id", [
    ("'pi_3OWzKoANHgX3SHp70nE8QKyn'", "pi_3OWzKoANHgX3SHp70nE8QKyn"),
    ("'price_1O9nTjANHgX3SHp7Zr552abc'", "price_1O9nTjANHgX3SHp7Zr552abc"),
    ("'SUMMER21'", "SUMMER21"),  # a coupon's own id: SQLite reads it as false, the spec as an id
    ("'0'", "0"),  # false to SQLite too: the id can only add a row
    ("'prod odd/slash'", "prod odd/slash"),
])
def test_a_bare_string_is_the_entity_id(where, object_id):
    assert bare_entity_id(where_of(where)) == object_id


@pytest.mark.parametrize("where", [
    "'1'", "'2x'", "' 3 '", "'25OFF'",  # SQLite reads these as true: every row, as in SQLite
    "''", "'.'", "'..'",  # cannot name an object: nothing matches, as in SQLite
    "('pi_x')", "'pi_x' AND 1", "id = 'pi_x'", "1", "NULL",  # not a bare string literal
])
def test_other_wheres_keep_their_sql_meaning(where):
    assert bare_entity_id(where_of(where)) is None


def test_no_where():
    assert bare_entity_id(None) is None
