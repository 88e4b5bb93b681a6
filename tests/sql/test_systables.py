from stripe_dbapi.sql import systables


def test_sys_tables_resolve_forgivingly_and_list_the_catalog(mini_catalog):
    assert systables.table("SysColumns").name == "sys_columns"
    assert systables.table("customers") is None
    assert systables.column(systables.table("sys_tables"), "table_name") == "TableName"
    tables = list(systables.rows(mini_catalog, systables.table("sys_tables")))
    assert ("customers", "TABLE") in [t[:2] for t in tables]
    columns = list(systables.rows(mini_catalog, systables.table("sys_columns")))
    created = next(c for c in columns if c[:2] == ("charges", "created"))
    assert created[2] == "datetime" and created[7] == "range"
