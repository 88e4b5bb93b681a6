from stripe_dbapi.sql.fetch import merge_recent_writes
from stripe_dbapi.write_log import WriteLog


def test_search_results_merge_recent_writes_newest_version_wins_deleted_dropped():
    log = WriteLog()
    log.record("customers", {"id": "cus_1", "name": "new"})
    log.record("customers", {"id": "cus_3", "name": "written"})
    log.record_deleted("customers", "cus_2")
    searched = [{"id": "cus_1", "name": "stale"}, {"id": "cus_2"}, {"id": "cus_1", "name": "dup"}]
    assert merge_recent_writes(searched, log, "customers") == [
        {"id": "cus_1", "name": "new"}, {"id": "cus_3", "name": "written"}]
