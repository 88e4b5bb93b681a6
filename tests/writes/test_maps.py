"""SET <key-value map> replaces the map although Stripe merges it (writes/maps.py)."""

from stripe_dbapi.catalog import load_catalog
from stripe_dbapi.catalog.model import Column
from stripe_dbapi.writes.maps import MapColumn, is_merged_map, needs_current, replace_maps

METADATA = MapColumn(("metadata",), Column("metadata", "json", ("metadata",)))


def test_every_metadata_update_param_is_a_merged_map_and_nothing_else_is():
    found = {
        (table.name, param.name)
        for table in load_catalog().tables.values()
        for param in table.update_params
        if is_merged_map(param)
    }
    metadata = {
        (table.name, param.name)
        for table in load_catalog().tables.values()
        for param in table.update_params
        if param.name == "metadata"
    }
    assert metadata and found == metadata  # not currency_options, not cancel_at


def test_replace_unsets_current_keys_missing_from_the_new_map():
    body = {"name": "x", "metadata": {"b": "3"}}
    replaced = replace_maps(body, [METADATA], ['{"a": "1", "b": "2"}'])
    assert replaced == {"name": "x", "metadata": {"a": "", "b": "3"}}
    assert body == {"name": "x", "metadata": {"b": "3"}}  # shared bodies stay as they were


def test_empty_map_clears_all_and_null_stays_null_without_a_read():
    assert not needs_current({"metadata": {}}, [METADATA])
    assert not needs_current({"metadata": None}, [METADATA])
    assert needs_current({"metadata": {"a": "1"}}, [METADATA])
    assert replace_maps({"metadata": {}}, [METADATA], None) == {"metadata": None}
    assert replace_maps({"metadata": None}, [METADATA], None) == {"metadata": None}


def test_current_map_may_be_a_dict_or_missing():
    assert replace_maps({"metadata": {"b": "1"}}, [METADATA], [{"a": "1"}]) == {
        "metadata": {"a": "", "b": "1"}
    }
    assert replace_maps({"metadata": {"b": "1"}}, [METADATA], [None]) == {"metadata": {"b": "1"}}
