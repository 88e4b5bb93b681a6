from stripe_dbapi.write_log import WriteLog


def test_wrote_recently_follows_the_last_write_of_any_table():
    now = [100.0]
    log = WriteLog(horizon_seconds=60, clock=lambda: now[0])
    assert not log.wrote_recently()
    log.record("charges", {"id": "ch_1"})
    now[0] += 59
    assert log.wrote_recently()
    log.record_deleted("customers", "cus_1")
    now[0] += 59
    assert log.wrote_recently()  # the deletion restarted the horizon
    now[0] += 1
    assert not log.wrote_recently()


def test_an_unrecorded_write_still_counts():
    now = [0.0]
    log = WriteLog(horizon_seconds=60, clock=lambda: now[0])
    log.note_write()
    assert log.wrote_recently()
    assert log.recent("charges") == ([], set())
    now[0] += 60
    assert not log.wrote_recently()
