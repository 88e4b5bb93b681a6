from stripe_dbapi.sql.output import output_types
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.resolve import resolve_query


def types(catalog, sql):
    resolved = resolve_query(catalog, parse_statement(sql))
    tables = {ref.sql_name: ref.loaded_table for ref in resolved.refs}
    return output_types(resolved.expression, tables)


def test_bare_columns_keep_catalog_types_through_stars_derived_tables_and_ctes(mini_catalog):
    assert types(mini_catalog, "SELECT id, created AS c, max(created), count(*), amount + 1 FROM charges") == [
        ("id", "string"), ("c", "datetime"), ("max(created)", "datetime"), ("count(*)", "integer"),
        ("amount + 1", None)]
    assert types(mini_catalog, "WITH x AS (SELECT id, refunded FROM charges) SELECT v.* FROM "
                               "(SELECT * FROM x) AS v")[1] == ("refunded", "boolean")
    assert [t for _, t in types(mini_catalog, "SELECT * FROM prices")] == [
        "string", "boolean", "string", "string", "integer", "datetime"]


def test_truth_values_are_booleans_and_datetime_functions_datetimes(mini_catalog):
    assert [t for _, t in types(mini_catalog, "SELECT refunded AND amount > 5, NOT refunded, amount IS NULL, "
                                              "id LIKE 'ch%', (amount IN (1, 2)), datetime(created, 'start of day'), "
                                              "DATETIME('now'), date(created), amount + 1 FROM charges")] == [
        "boolean", "boolean", "boolean", "boolean", "boolean", "datetime", "datetime", None, None]
