"""stripe://@name opens a named connection (stripe_dbapi/named.py) through the dialect."""

from __future__ import annotations

import pytest
import sqlalchemy
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import ArgumentError

import stripe_dbapi
from sqlalchemy_dialect.url import connect_kwargs

KEY = "sk_test_123"


def test_the_host_part_names_the_connection():
    assert connect_kwargs(make_url("stripe://@stripe-connection")) == {
        "connection": "stripe-connection"
    }
    assert connect_kwargs(make_url("stripe://?connection=stripe-connection")) == {
        "connection": "stripe-connection"
    }
    assert connect_kwargs(make_url("stripe://sk_test_x@finance?readonly=true")) == {
        "connection": "finance", "api_key": "sk_test_x", "readonly": True,
    }


@pytest.mark.parametrize(
    "url, message",
    [
        ("stripe://@127.0.0.1", "may hold only letters, numbers and hyphens.*base_url"),
        ("stripe://@Finance", "lower-case"),
        ("stripe://@finance?connection=other", "names two connections"),
        ("stripe://@finance/db", "no port or database part"),
    ],
)
def test_bad_hosts_are_argument_errors(url, message):
    with pytest.raises(ArgumentError, match=message):
        connect_kwargs(make_url(url))


@pytest.mark.parametrize("url", ["stripe://@finance", "stripe://?connection=finance"])
def test_create_engine_opens_the_named_connection(url, connections_file, emulator_url,
                                                  monkeypatch):
    monkeypatch.setenv("FINANCE_KEY", KEY)
    stripe_dbapi.save_connection("finance", api_key_env="FINANCE_KEY", base_url=emulator_url,
                                 readonly=True)
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as connection:
        count = connection.exec_driver_sql("SELECT count(*) FROM customers").scalar()
        assert count > 0
        assert connection.connection.dbapi_connection.readonly is True
    assert KEY not in repr(engine) and KEY not in str(engine.url)
    engine.dispose()
