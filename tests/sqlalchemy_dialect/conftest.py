"""Fixtures for the dialect's unit tests: a small catalog and a driver stand-in.

The stand-in driver records the SQL and parameters it is given and answers with
canned rows, so compilation, URL handling and reflection are tested without
HTTP. End-to-end behaviour is tested on the emulator in tests/integration.
"""

from __future__ import annotations

import difflib
import functools
import types

import pytest
import sqlalchemy

import stripe_dbapi
from stripe_dbapi.catalog.model import Column, Param, Table

CUSTOMERS = Table(
    name="customers",
    object="customer",
    list_path="/v1/customers",
    description="Customer objects allow you to perform recurring charges.",
    columns=(
        Column("id", "string", ("id",), nullable=False, description="Unique identifier."),
        Column("object", "string", ("object",), nullable=False),
        Column("created", "datetime", ("created",), nullable=False, description="Created at."),
        Column("email", "string", ("email",), description="The customer's email address."),
        Column("address_country", "string", ("address", "country")),
        Column("balance", "integer", ("balance",), nullable=False),
        Column("delinquent", "boolean", ("delinquent",)),
        Column("metadata", "json", ("metadata",), nullable=False),
    ),
    create_params=(
        Param("email", "string"),
        Param("address", "object"),
        Param("metadata", "object"),
    ),
)

CHARGES = Table(
    name="charges",
    object="charge",
    list_path="/v1/charges",
    description="A charge.",
    columns=(
        Column("id", "string", ("id",), nullable=False),
        Column("amount", "integer", ("amount",), nullable=False),
        Column("customer", "string", ("customer",), references="customers"),
        Column("application", "string", ("application",), references="applications"),
        Column("fee_ratio", "number", ("fee_ratio",)),
    ),
)


class FakeCatalog:
    version = "2026-10-28.endive"

    def __init__(self, *tables: Table) -> None:
        self.tables = {t.name: t for t in tables}

    def table(self, name: str) -> Table:
        key = name.lower().replace("_", "")
        for table in self.tables.values():
            if key in (table.name.replace("_", ""), table.object.replace("_", "")):
                return table
        close = difflib.get_close_matches(name, list(self.tables))
        raise stripe_dbapi.ProgrammingError(f"no table {name!r}; closest: {close}")


class FakeCursor:
    def __init__(self, connection: FakeConnection) -> None:
        self.connection = connection
        self.description = None
        self.rowcount = -1
        self.lastrowid = None
        self._rows: list = []

    def execute(self, sql, parameters=()):
        self.connection.executed.append((sql, tuple(parameters or ())))
        if self.connection.error is not None:
            raise self.connection.error
        self.description = [("id", "string", None, None, None, None, True)]
        self._rows = list(self.connection.rows)
        self.rowcount = len(self._rows)

    def fetchone(self):
        return self._rows.pop(0) if self._rows else None

    def fetchmany(self, size=1):
        taken, self._rows = self._rows[:size], self._rows[size:]
        return taken

    def fetchall(self):
        taken, self._rows = self._rows, []
        return taken

    def close(self):
        pass


class FakeConnection:
    def __init__(self, catalog: FakeCatalog, kwargs: dict) -> None:
        self.catalog = catalog
        self.kwargs = kwargs
        self.executed: list[tuple[str, tuple]] = []
        self.rows: list[tuple] = [("cus_1",)]
        self.transaction_calls: list[str] = []
        self.error: Exception | None = None  # raised by every execute() when set

    def cursor(self):
        return FakeCursor(self)

    def commit(self):
        self.transaction_calls.append("commit")

    def rollback(self):
        self.transaction_calls.append("rollback")

    def close(self):
        pass


def make_fake_driver(catalog: FakeCatalog) -> types.ModuleType:
    """A module with stripe_dbapi's surface whose connect() builds FakeConnections;
    connect() keeps the real signature, which is where URL options come from."""
    module = types.ModuleType("fake_stripe_dbapi")
    # The whole PEP 249 surface, as the package exports it (connect is replaced below).
    for name in stripe_dbapi.__all__:
        setattr(module, name, getattr(stripe_dbapi, name))
    module.connections = []

    @functools.wraps(stripe_dbapi.connect)
    def connect(*args, **kwargs):
        connection = FakeConnection(catalog, kwargs)
        module.connections.append(connection)
        return connection

    module.connect = connect
    return module


@pytest.fixture
def fake_catalog() -> FakeCatalog:
    return FakeCatalog(CUSTOMERS, CHARGES)


@pytest.fixture
def fake_driver(fake_catalog):
    return make_fake_driver(fake_catalog)


@pytest.fixture
def fake_engine(fake_driver):
    engine = sqlalchemy.create_engine("stripe://sk_test_123@", module=fake_driver)
    yield engine
    engine.dispose()


@pytest.fixture
def catalog_engine():
    """An engine over the stand-in driver carrying the real generated catalog."""
    from stripe_dbapi.catalog import load_catalog

    engine = sqlalchemy.create_engine(
        "stripe://sk_test_123@", module=make_fake_driver(load_catalog())
    )
    yield engine
    engine.dispose()
