
import pytest

from stripe_dbapi.catalog import PARAM_TYPES, load_catalog
from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.sql import systables
from stripe_dbapi.sql.parse import parse_statement
from stripe_dbapi.sql.select import execute_select
from stripe_dbapi.testing import OfflineConnection


def test_sys_tables_resolve_forgivingly_and_list_the_catalog(mini_catalog):
    assert systables.table("SysColumns").name == "sys_columns"
    assert systables.table("SysColumn").name == "sys_columns"
    assert systables.table("sys_procedure_parameter").name == "sys_procedure_parameters"
    assert systables.table("customers") is None
    assert systables.column(systables.table("sys_tables"), "table_name") == "TableName"
    tables = list(systables.rows(OfflineConnection(mini_catalog), systables.table("sys_tables")))
    assert ("customers", "TABLE") in [t[:2] for t in tables]
    columns = list(systables.rows(OfflineConnection(mini_catalog), systables.table("sys_columns")))
    created = next(c for c in columns if c[:2] == ("charges", "created"))
    assert created[2] == "datetime" and created[7] == "range"


def test_every_sys_column_has_a_description():
    for sys_table in systables.SYS_TABLES.values():
        assert sys_table.description
        assert all(c.description for c in sys_table.columns), sys_table.name


def test_parameter_data_types_are_all_documented():
    catalog = load_catalog()
    rows = systables.rows(OfflineConnection(catalog), systables.table("sys_procedure_parameters"))
    used = {row[3] for row in rows}
    assert set(systables.PARAMETER_TYPES) == set(PARAM_TYPES)
    assert {"object", "array"} <= used <= set(PARAM_TYPES)
    text = next(c.description for c in systables.table("sys_procedure_parameters").columns
                if c.name == "DataTypeName")
    assert all(f"{t} (" in text for t in used)


@pytest.mark.parametrize("written,suggested", [
    ("sys_tablez", "did you mean: sys_tables"),
    ("sys_procedure_params", "did you mean: sys_procedure_parameters"),
])
def test_a_misspelt_sys_table_suggests_the_sys_table(written, suggested):
    conn = OfflineConnection(load_catalog())
    with pytest.raises(ProgrammingError, match=suggested):
        execute_select(conn, parse_statement(f"SELECT * FROM {written}"))
