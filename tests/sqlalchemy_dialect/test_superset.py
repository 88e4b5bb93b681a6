"""The engine spec's own surface; its SQL runs through the driver in
tests/integration/test_sqlalchemy_analytics.py."""

import datetime as dt
import importlib.metadata
import sys

from sqlalchemy_dialect.superset import (
    DAY,
    HOUR,
    MINUTE,
    MONTH,
    QUARTER,
    SECOND,
    WEEK,
    YEAR,
    StripeEngineSpec,
)


def test_importable_without_superset():
    assert "superset" not in sys.modules
    assert StripeEngineSpec.engine == "stripe"
    assert StripeEngineSpec.engine_name == "Stripe"


def test_registered_under_superset_entry_point():
    [entry] = [
        e
        for e in importlib.metadata.entry_points(group="superset.db_engine_specs")
        if e.name == "stripe"
    ]
    assert entry.load() is StripeEngineSpec


def test_every_standard_grain_has_an_expression_of_col():
    grains = StripeEngineSpec._time_grain_expressions
    assert set(grains) >= {None, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR}
    assert all("{col}" in expression for expression in grains.values())
    # Superset's TimeGrain values are these ISO 8601 durations.
    assert (SECOND, DAY, WEEK, QUARTER, YEAR) == ("PT1S", "P1D", "P1W", "P3M", "P1Y")


def test_epoch_expressions_take_col():
    assert StripeEngineSpec.epoch_to_dttm().format(col="t") == "DATETIME(t, 'unixepoch')"
    assert "t / 1000" in StripeEngineSpec.epoch_ms_to_dttm().format(col="t")


def test_convert_dttm_gives_utc_text_literals():
    moment = dt.datetime(2024, 5, 6, 7, 8, 9, 123456)
    assert StripeEngineSpec.convert_dttm("DATETIME", moment) == "'2024-05-06 07:08:09'"
    aware = dt.datetime(2024, 5, 6, 9, 8, 9, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert StripeEngineSpec.convert_dttm("TIMESTAMP", aware) == "'2024-05-06 07:08:09'"
    assert StripeEngineSpec.convert_dttm("VARCHAR", moment) == "'2024-05-06 07:08:09'"
    assert StripeEngineSpec.convert_dttm("INTEGER", moment) is None
