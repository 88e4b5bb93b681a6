import pytest
import sqlalchemy
from sqlalchemy.exc import ArgumentError

import stripe_dbapi
from sqlalchemy_dialect.compiler import SQLALCHEMY_2
from sqlalchemy_dialect.dialect import PING_SQL, StripeDialect


def test_entry_point_resolves_the_stripe_scheme():
    engine = sqlalchemy.create_engine("stripe://sk_test_abc@")
    assert isinstance(engine.dialect, StripeDialect)
    assert engine.dialect.dbapi is stripe_dbapi
    assert engine.dialect.name == "stripe" and engine.dialect.driver == "stripe_dbapi"


def test_dbapi_module_classmethods():
    assert StripeDialect.import_dbapi() is stripe_dbapi
    if not SQLALCHEMY_2:
        assert StripeDialect.dbapi() is stripe_dbapi
    else:  # 2.x warns about a dbapi() classmethod; the dialect defines none
        assert "dbapi" not in StripeDialect.__dict__


def test_server_version_is_the_catalogs_api_version(fake_engine):
    with fake_engine.connect():
        pass
    assert fake_engine.dialect.server_version_info == (2026, 10, 28)
    assert fake_engine.dialect.default_schema_name == "main"


def test_only_autocommit_isolation(fake_engine, fake_driver):
    with fake_engine.connect() as connection:
        assert connection.get_isolation_level() == "AUTOCOMMIT"
        connection.execution_options(isolation_level="AUTOCOMMIT")
    with pytest.raises(ArgumentError, match="no transactions"):
        sqlalchemy.create_engine(
            "stripe://sk_test_abc@", module=fake_driver, isolation_level="SERIALIZABLE"
        )


def test_transactions_send_nothing_to_the_driver(fake_engine, fake_driver):
    with fake_engine.begin() as connection:
        connection.exec_driver_sql("SELECT id FROM customers")
    [driver_connection] = fake_driver.connections
    assert [sql for sql, _ in driver_connection.executed] == ["SELECT id FROM customers"]
    assert driver_connection.transaction_calls == []  # no commit/rollback round trips


def test_pre_ping_runs_a_real_statement(fake_driver):
    engine = sqlalchemy.create_engine(
        "stripe://sk_test_abc@", module=fake_driver, pool_pre_ping=True
    )
    with engine.connect():
        pass
    with engine.connect():  # checked out again: pinged first
        pass
    executed = [sql for sql, _ in fake_driver.connections[0].executed]
    assert PING_SQL in executed


def test_connection_errors_count_as_disconnects():
    dialect = StripeDialect()
    dialect.dbapi = stripe_dbapi
    assert dialect.is_disconnect(stripe_dbapi.APIConnectionError("reset"), None, None)
    assert not dialect.is_disconnect(stripe_dbapi.ProgrammingError("bad sql"), None, None)


def _driver_connection(engine):
    raw = engine.raw_connection()
    return raw, getattr(raw, "dbapi_connection", None) or raw.connection


def test_ping_accepts_a_key_without_customer_access(fake_engine):
    raw, driver_connection = _driver_connection(fake_engine)
    driver_connection.error = stripe_dbapi.PermissionError("restricted key")
    assert fake_engine.dialect.do_ping(driver_connection) is True
    raw.close()


def test_ping_fails_on_a_rejected_key(fake_engine):
    raw, driver_connection = _driver_connection(fake_engine)
    driver_connection.error = stripe_dbapi.AuthenticationError("invalid key")
    with pytest.raises(stripe_dbapi.AuthenticationError):
        fake_engine.dialect.do_ping(driver_connection)
    raw.close()
